import Foundation
import Testing

@testable import MailFlowKit

@Suite("Exchange Online message trace details")
struct ExchangeOnlineTraceDetailTests {
    @Test("a Receive row's MEP data fills connector, endpoints, return path and directionality", arguments: [17, 1 << 20])
    func receiveWithMEPData(chunkSize: Int) throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("trace-detail-ps51-en-US.csv"), chunkSize: chunkSize)
        #expect(export.format.id == "exo-trace-detail")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 3)
        #expect(export.events.kinds[0] == .traceDetail)
        #expect(export.time(0) == "2026-11-24T09:03:12.000Z")
        #expect(export.text(.event, 0) == "Receive")
        #expect(export.text(.connector, 0) == "Inbound from 8f6e1c2d-3b4a-4f5e-9d8c-7b6a5f4e3d2c")
        #expect(export.text(.clientIP, 0) == "203.0.113.25")
        #expect(export.text(.clientHostname, 0) == "mail.contoso.com")
        #expect(export.text(.serverHostname, 0) == "PH0PR11MB4968.namprd11.prod.outlook.com")
        #expect(export.text(.sender, 0) == "scanner@contoso.com")
        #expect(export.text(.senderDomain, 0) == "contoso.com")
        #expect(export.text(.directionality, 0) == "Originating")
        #expect(export.text(.traceId, 0) == "7f3c2a1e-9b8d-4e6f-a5c4-08de2b1f0a11")
        #expect(export.text(.tenantHint, 0) == "contoso.onmicrosoft.com")
        let details = try #require(export.text(.details, 0))
        #expect(details.hasPrefix("Detail=Message received by: PH0PR11MB4968.namprd11.prod.outlook.com;RcptCount=1;CustomData=S:ProxyHop1=mail.contoso.com(203.0.113.25);"))
        #expect(export.parser.notes == ["dates read as month/day/year (a day of 24 appears on line 3)"])
    }

    @Test("a Fail row's LED=550 5.7.64 tail gives the SMTP code, enhanced code and recipient status")
    func tenantAttributionFailure() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("trace-detail-ps51-en-US.csv"))
        #expect(export.text(.event, 1) == "Fail")
        #expect(export.events.numbers[1].smtpCode == 550)
        #expect(export.text(.enhancedCode, 1) == "5.7.64")
        #expect(export.text(.recipientStatus, 1) == "550 5.7.64 TenantAttribution; Relay Access Denied [PH0PR11MB4968.namprd11.prod.outlook.com]")
        #expect(export.text(.serverIP, 1) == "52.101.11.4")
        // The failure tail is kept in its parts, empty items (MSG=, FQDN=…) left out; entities decoded.
        #expect(export.text(.details, 1) == "StatusCode=550;Note=A & B <x>;")
    }

    @Test("a Defer row keeps MSG, FQDN, IP and LRT of its failure tail in details")
    func deferralTail() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("trace-detail-ps51-en-US.csv"))
        #expect(export.events.numbers[2].smtpCode == 450)
        #expect(export.text(.enhancedCode, 2) == "4.7.320")
        #expect(export.text(.recipientStatus, 2)?.hasPrefix("450 4.7.320 Certificate validation failed [Message=SubjectMismatch]") == true)
        #expect(export.text(.details, 2)?.contains("MSG=SubjectMismatch;FQDN=mail.northwind.example;IP=52.101.11.4;LRT=11/24/2026 4:41:30 PM;") == true)
    }

    @Test("Graph getDetailsByRecipient JSON reads as trace detail events")
    func graphDetails() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("trace-detail-graph.json"))
        #expect(export.format.id == "exo-trace-detail")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.events.kinds[1] == .traceDetail)
        #expect(export.events.numbers[0].timeMs == 1_795_510_992_457)
        #expect(export.text(.connector, 0) == "Inbound from 8f6e1c2d-3b4a-4f5e-9d8c-7b6a5f4e3d2c")
        #expect(export.text(.enhancedCode, 1) == "5.7.64")
        #expect(export.text(.details, 0)?.hasPrefix("Detail=Message received by:") == true)
    }

    @Test("the bare LED form keeps the semicolon inside the reply text")
    func bareLastErrorDetail() throws {
        var text = "LED=550 5.7.64 TenantAttribution; Relay Access Denied [SN1NAM02FT011.eop-nam02.prod.protection.outlook.com]"
        let led = text.withUTF8 { raw -> String? in
            let bytes = UnsafeRawBufferPointer(raw)
            return TraceDetailFailure(parsing: bytes).lastError.map { ByteText.string(UnsafeRawBufferPointer(rebasing: bytes[$0])) }
        }
        #expect(led == "550 5.7.64 TenantAttribution; Relay Access Denied [SN1NAM02FT011.eop-nam02.prod.protection.outlook.com]")
    }

    @Test("a detail without LED= still yields the SMTP reply it quotes")
    func replyWithoutLED() throws {
        let text = "Date,Event,Detail,MessageTraceId\n2026-11-24T09:00:00Z,Fail,The message was rejected: 550 5.7.64 TenantAttribution; Relay Access Denied,ab\n"
        let export = try parseExport(text)
        #expect(export.format.id == "exo-trace-detail")
        #expect(export.events.numbers[0].smtpCode == 550)
        #expect(export.text(.recipientStatus, 0) == "550 5.7.64 TenantAttribution; Relay Access Denied")
    }

    @Test("MEP values of every type attribute are read, and long values are cut")
    func mepValueTypes() throws {
        let long = String(repeating: "x", count: 400)
        var data = "<root><MEP Name=\"SequenceNumber\" Long=\"12345678901\"/><MEP Name='Queued' DateTime='2026-11-24T09:00:00Z'/><MEP Name=\"CustomData\" Blob=\"\(long)\"/></root>"
        var pairs: [String] = []
        data.withUTF8 { raw in
            TraceDetailData.forEachValue(in: UnsafeRawBufferPointer(raw)) { name, value in
                pairs.append(String(decoding: name, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
            }
        }
        #expect(pairs.prefix(2) == ["SequenceNumber=12345678901", "Queued=2026-11-24T09:00:00Z"])
        var details: [UInt8] = []
        Array(long.utf8).withUnsafeBytes { TraceDetailRow.appendDetail("CustomData", $0, to: &details) }
        #expect(details.count == "CustomData=".utf8.count + TraceDetailRow.maxDetailValue + 3 + 1)
        #expect(String(decoding: details, as: UTF8.self).hasSuffix("x…;"))
    }
}
