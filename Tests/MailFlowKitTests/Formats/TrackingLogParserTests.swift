import Foundation
import Testing

@testable import MailFlowKit

@Suite("Message tracking logs")
struct TrackingLogParserTests {
    private func parseTracking(_ text: String, chunkSize: Int = 1 << 20) throws -> RecordBatch {
        try parse(text, with: LineRecordParser(TrackingLogParser()), chunkSize: chunkSize)
    }

    @Test("the Exchange 2010 corpus file with BOM and CRLF reads with its 26-field header and nothing quarantined",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"))
    func exchange2010Corpus() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.path("elastic-beats/bom8_MSGTRK_Exchange2010.log"))))
        let parser = LineRecordParser(TrackingLogParser())
        let batch = try parse(bytes, with: parser)
        #expect(parser.encoding == .utf8BOM)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.events.count == 2)
        #expect(batch.events.string(.event, row: 0) == "NOTIFYMAPI")
        #expect(batch.events.string(.source, row: 1) == "STOREDRIVER")
        #expect(batch.events.numbers[0].timeMs == Timestamp.parseISO8601("2016-04-05T00:00:02.052Z"))
        #expect(batch.events.numbers[1].line == 7)
    }

    @Test("the headerless 30-field corpus file reads with the default schema, saying so",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"))
    func headerlessCorpus() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.path("elastic-integrations/microsoft_exchange_server__messagetracking__test-messagetracking.log"))))
        let parser = LineRecordParser(TrackingLogParser())
        let batch = try parse(bytes, with: parser)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.events.count == 6)
        #expect(parser.notes.contains { $0.contains("default 30-field schema") })
        // The RECEIVE row carries its protocol-log session id; the SENDEXTERNAL row the EXO reply.
        #expect(batch.events.string(.sessionId, row: 1) == "08DC1DB12C345BE5")
        #expect(batch.events.string(.event, row: 4) == "SENDEXTERNAL")
        #expect(batch.events.string(.connector, row: 4) == "Outbound to Office 365 - cb1ce4e7-cbb6-46e8-8a4c-e1f2efbdd202")
        #expect(batch.events.string(.details, row: 4) == ";250 2.6.0 <1736846922.907742.2942@foo.bar.local> [InternalId=5450313518243, Hostname=AAAAAAAAAAAAA.bbbbbbbb.prod.outlook.com]")
        #expect(batch.events.string(.sender, row: 4) == "<>")
        #expect(batch.events.string(.senderDomain, row: 4) == nil)
        #expect(batch.events.string(.clientIP, row: 5) == "2a02:cf40::0000:1234:5678:9abc")
    }

    @Test("columns are found by name from #Fields, in any order")
    func fieldOrderFromHeader() throws {
        let text = "#Log-type: Message Tracking Log\n#Fields: event-id,recipient-address,date-time,message-id,return-path\n"
            + "RECEIVE,Bob@Fabrikam.COM,2026-11-24T09:00:00.000Z,<a@b>,alice@Contoso.com\n"
        let batch = try parseTracking(text)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.events.string(.event, row: 0) == "RECEIVE")
        #expect(batch.events.string(.recipient, row: 0) == "Bob@Fabrikam.COM")
        #expect(batch.events.string(.recipientDomain, row: 0) == "fabrikam.com")
        #expect(batch.events.string(.senderDomain, row: 0) == "contoso.com")
    }

    @Test("a header repeated mid-file after a restart can change the schema")
    func repeatedHeader() throws {
        let text = "#Fields: date-time,event-id\n2026-11-24T09:00:00Z,RECEIVE\n"
            + "#Software: Microsoft Exchange Server\n#Fields: event-id,date-time,message-id\nDELIVER,2026-11-24T09:00:01Z,<x@y>\n"
        let batch = try parseTracking(text)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.events.count == 2)
        #expect(batch.events.string(.event, row: 1) == "DELIVER")
        #expect(batch.events.string(.messageId, row: 1) == "<x@y>")
    }

    @Test("a plain CSV header line before the # header is understood")
    func csvHeaderLine() throws {
        let text = TrackingLogBuilder.fields + "\n" + TrackingLogBuilder.header() + TrackingLogBuilder.sendRow(second: 1, id: 1)
        let batch = try parseTracking(text)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.events.count == 1)
    }

    @Test("several recipients become one row each, each with its own status, even when a status contains ';'")
    func recipientsAndStatuses() throws {
        let text = "#Fields: date-time,event-id,recipient-address,recipient-status\n"
            + "2026-11-24T09:00:00Z,FAIL,a@x.com;b@y.com;c@z.com,550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found;550 5.7.64 TenantAttribution; Relay Access Denied [AM5EUR02FT025.eop-EUR02.prod.protection.outlook.com];250 2.1.5 Recipient OK\n"
        let batch = try parseTracking(text)
        #expect(batch.events.count == 3)
        #expect(batch.events.string(.recipientStatus, row: 0) == "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found")
        #expect(batch.events.string(.enhancedCode, row: 1) == "5.7.64")
        #expect(batch.events.numbers[1].smtpCode == 550)
        #expect(batch.events.string(.recipient, row: 2) == "c@z.com")
        #expect(batch.events.numbers[2].smtpCode == 250)
    }

    @Test("quoted subjects with commas, doubled quotes and non-ASCII text are stored whole", arguments: [3, 4096])
    func quotedSubjects(chunkSize: Int) throws {
        let subject = #"Réunion, "Q4" budget, 组织"#
        let text = TrackingLogBuilder.header() + TrackingLogBuilder.sendRow(second: 1, id: 7, subject: subject)
        let batch = try parseTracking(text, chunkSize: chunkSize)
        #expect(batch.quarantined.isEmpty)
        #expect(batch.events.string(.subject, row: 0) == subject)
        #expect(batch.events.string(.messageId, row: 0) == "<m7@contoso.com>")
    }

    @Test("bad lines are quarantined with their line number and reason, and good lines around them are kept")
    func quarantine() throws {
        let text = TrackingLogBuilder.header()
            + TrackingLogBuilder.sendRow(second: 1, id: 1)
            + "2026-11-24T09:00:02.000Z,only,three\r\n"
            + "yesterday-ish\(String(repeating: ",", count: 29))\r\n"
            + "2026-11-24T09:00:03.000Z,\"unterminated\r\n"
            + TrackingLogBuilder.sendRow(second: 4, id: 4)
        let batch = try parseTracking(text)
        #expect(batch.events.count == 2)
        #expect(batch.quarantined.map(\.line) == [7, 8, 9])
        #expect(batch.quarantined.map(\.reason) == [.fieldCountMismatch, .badTimestamp, .unterminatedQuote])
        #expect(batch.quarantined[0].detail == "line 7 has 3 fields where the header declares 30")
        #expect(batch.quarantined[0].offset > 0)
    }

    @Test("the original time text is kept only when it differs from the canonical form of the stored milliseconds")
    func originalTimeText() throws {
        let batch = try parseTracking("#Fields: date-time,event-id\n2026-11-24T09:00:00.123Z,RECEIVE\n2026-11-24T09:00:01Z,SEND\n")
        #expect(batch.events.string(.timeText, row: 0) == nil)
        #expect(Timestamp.iso8601(batch.events.numbers[0].timeMs) == "2026-11-24T09:00:00.123Z")
        #expect(batch.events.string(.timeText, row: 1) == "2026-11-24T09:00:01Z")
    }

    @Test("the remote reply of an SMTP send is kept up to the bracket that names the server")
    func essentialReply() throws {
        let batch = try parseTracking(TrackingLogBuilder.header() + TrackingLogBuilder.sendRow(second: 1, id: 1))
        #expect(batch.events.string(.details, row: 0) == ";250 2.6.0 <m1@contoso.com> [InternalId=1, Hostname=AM0PR01.prod.outlook.com]")
    }

    @Test("lines before any header with an unknown field count are quarantined as missing a header")
    func missingHeader() throws {
        let batch = try parseTracking("2026-11-24T09:00:00Z,a,b\n")
        #expect(batch.quarantined.first?.reason == .missingHeader)
    }

    @Test("the same event gets the same key, a different recipient a different one")
    func contentKeys() throws {
        let text = TrackingLogBuilder.header() + TrackingLogBuilder.sendRow(second: 1, id: 1, recipients: ["a@x.com", "b@x.com"])
        let first = try parseTracking(text)
        let second = try parseTracking(text)
        #expect(first.events.numbers.map(\.key) == second.events.numbers.map(\.key))
        #expect(first.events.numbers[0].key != first.events.numbers[1].key)
    }
}
