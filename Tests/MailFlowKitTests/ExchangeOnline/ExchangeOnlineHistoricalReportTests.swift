import Foundation
import Testing

@testable import MailFlowKit

@Suite("Exchange Online historical search reports")
struct ExchangeOnlineHistoricalReportTests {
    static func summaryInUTF8WithBOM() throws -> [UInt8] {
        let utf16 = try ExchangeOnlineFixture.bytes("historical-summary-utf16le.csv")
        let units = stride(from: 2, to: utf16.count - 1, by: 2).map { UInt16(utf16[$0]) | UInt16(utf16[$0 + 1]) << 8 }
        return [0xEF, 0xBB, 0xBF] + Array(String(decoding: units, as: UTF16.self).utf8)
    }

    @Test("an Enhanced summary splits recipient_status on ';' and '##' into one event per recipient",
          arguments: ["utf16le", "utf8-bom"])
    func enhancedSummary(encoding: String) throws {
        let bytes = encoding == "utf16le" ? try ExchangeOnlineFixture.bytes("historical-summary-utf16le.csv") : try Self.summaryInUTF8WithBOM()
        let export = try parseExport(bytes, chunkSize: 33)
        #expect(export.format.id == "exo-historical-summary")
        #expect(export.parser.encoding == (encoding == "utf16le" ? .utf16LE : .utf8BOM))
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 3)
        #expect(export.events.kinds[0] == .historicalReport)

        #expect(export.text(.recipient, 0) == "alice@fabrikam.com")
        #expect(export.text(.event, 0) == "Fail")
        #expect(export.text(.recipientStatus, 0) == "Receive, Fail")
        #expect(export.text(.recipient, 1) == "bob@contoso.com")
        #expect(export.text(.event, 1) == "Deliver")
        #expect(export.text(.recipientDomain, 1) == "contoso.com")
        #expect(export.time(0) == "2026-11-24T09:03:12.457Z")
        #expect(export.text(.sender, 0) == "scanner@contoso.com")
        #expect(export.text(.connector, 0) == "Inbound from 8f6e1c2d-3b4a-4f5e-9d8c-7b6a5f4e3d2c")
        #expect(export.text(.originalClientIP, 0) == "203.0.113.25")
        #expect(export.text(.networkMessageId, 0) == "7f3c2a1e-9b8d-4e6f-a5c4-08de2b1f0a11")
        #expect(export.text(.directionality, 0) == "Originating")
        #expect(export.text(.details, 0) == "DeliveryPriority=Normal;")
        #expect(export.events.numbers[0].size == 48213)
        #expect(export.events.numbers[1].line == 2)

        #expect(export.text(.event, 2) == "FilteredAsSpam")
        #expect(export.text(.recipientStatus, 2) == "Receive, Deliver, FilteredAsSpam")
        #expect(export.text(.subject, 2) == "Weekly digest – Grüße")
        #expect(export.text(.connector, 2) == nil)
        #expect(export.events.numbers[2].line == 3)
    }

    @Test("an Extended report reads like a tracking log with tenant_id, connector and custom_data S: entries")
    func extendedReport() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("historical-extended-utf8bom.csv"), chunkSize: 50)
        #expect(export.format.id == "exo-historical-extended")
        #expect(export.parser.encoding == .utf8BOM)
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 3)
        #expect(export.text(.event, 0) == "RECEIVE")
        #expect(export.text(.recipient, 0) == "alice@fabrikam.com")
        #expect(export.text(.recipient, 1) == "bob@contoso.com")
        #expect(export.text(.tenantHint, 0) == "5b3f2e1d-0c9b-4a8e-b7d6-c5e4f3a2b1c0")
        #expect(export.text(.sessionId, 0) == "08DE2B1F0A11C0DE")
        #expect(export.text(.clientIP, 0) == "203.0.113.25")
        #expect(export.text(.originalClientIP, 0) == "10.20.30.40")
        // connector_id is empty: the inbound connector's name comes from custom_data.
        #expect(export.text(.connector, 0) == "Inbound from 8f6e1c2d-3b4a-4f5e-9d8c-7b6a5f4e3d2c")
        #expect(export.text(.details, 0) == "S:InboundConnectorData=Name=Inbound from 8f6e1c2d-3b4a-4f5e-9d8c-7b6a5f4e3d2c;ConnectorType=OnPremises;S:ProxyHop1=mail.contoso.com(203.0.113.25);S:tlsversion=TLS1_2;")
        #expect(export.time(0) == "2026-11-24T09:03:12.457Z")

        #expect(export.text(.event, 2) == "FAIL")
        #expect(export.events.numbers[2].smtpCode == 550)
        #expect(export.text(.enhancedCode, 2) == "5.7.64")
        #expect(export.text(.recipientStatus, 2) == "550 5.7.64 TenantAttribution; Relay Access Denied [PH0PR11MB4968.namprd11.prod.outlook.com]")
        #expect(export.text(.sender, 2) == "scanner@contoso.com")
        #expect(export.text(.fromAddress, 2) == "scanner@contoso.com")
        #expect(export.text(.source, 2) == "ROUTING")
    }

    @Test("a summary built in UTF-16LE by hand is recognised from its snake_case header in any case")
    func headerCaseInsensitive() throws {
        let text = "ORIGIN_TIMESTAMP_UTC,Sender_Address,RECIPIENT_STATUS,Message_Id\r\n2026-11-24T09:03:12Z,a@contoso.com,\"b@fabrikam.com##Receive, Send\",<m@x>\r\n"
        let export = try parseExport(utf16LittleEndianWithBOM(text))
        #expect(export.format.id == "exo-historical-summary")
        #expect(export.events.count == 1)
        #expect(export.text(.event, 0) == "Send")
    }
}
