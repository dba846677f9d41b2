import Foundation
import Testing

@testable import MailFlowKit

@Suite("Exchange Online message trace CSV exports")
struct ExchangeOnlineMessageTraceCSVTests {
    @Test("a Windows PowerShell 5.1 export with #TYPE, all fields quoted and en-US AM/PM dates reads every row",
          arguments: [5, 97, 1 << 20])
    func powerShell51EnglishUS(chunkSize: Int) throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v1-ps51-en-US.csv"), chunkSize: chunkSize)
        #expect(export.format.id == "exo-message-trace-csv")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 4)
        #expect(export.parser.notes == ["dates read as month/day/year (a day of 24 appears on line 3)"])

        #expect(export.time(0) == "2026-11-24T09:03:12.000Z")
        #expect(export.text(.timeText, 0) == "11/24/2026 9:03:12 AM")
        #expect(export.text(.event, 0) == "Failed")
        #expect(export.text(.messageId, 0) == "<PH0PR11MB4968A1B2C3D4E5F6@PH0PR11MB4968.namprd11.prod.outlook.com>")
        #expect(export.text(.sender, 0) == "scanner@contoso.com")
        #expect(export.text(.senderDomain, 0) == "contoso.com")
        #expect(export.text(.recipient, 0) == "alice@fabrikam.com")
        #expect(export.text(.recipientDomain, 0) == "fabrikam.com")
        #expect(export.text(.clientIP, 0) == "203.0.113.25")
        #expect(export.text(.serverIP, 0) == nil)
        #expect(export.text(.traceId, 0) == "7f3c2a1e-9b8d-4e6f-a5c4-08de2b1f0a11")
        #expect(export.text(.tenantHint, 0) == "contoso.onmicrosoft.com")
        #expect(export.events.numbers[0].size == 48213)
        #expect(export.events.kinds[0] == .messageTrace)
        #expect(export.events.numbers[0].line == 3)

        #expect(export.time(1) == "2026-11-24T13:15:40.000Z")  // 1:15:40 PM
        #expect(export.text(.recipientDomain, 1) == "fabrikam.com")  // from Bob.Smith@Fabrikam.COM
        #expect(export.time(3) == "2026-11-30T00:05:09.000Z")  // 12:05:09 AM
        #expect(export.text(.event, 3) == "FilteredAsSpam")
        #expect(export.text(.subject, 3) == "Nightly \"backup\" summary")
    }

    @Test("a quoted subject with a line break spans two lines and keeps the first line's number", arguments: [3, 1 << 20])
    func embeddedNewline(chunkSize: Int) throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v1-ps51-en-US.csv"), chunkSize: chunkSize)
        #expect(export.text(.subject, 2) == "Invoice 4471\nPayment reminder")
        #expect(export.events.numbers[2].line == 5)
        #expect(export.text(.serverIP, 2) == "52.101.11.4")
        #expect(export.events.numbers[3].line == 7)
    }

    @Test("a de-DE -UseCulture export is split on ';' and its dotted dates are read day first")
    func germanSemicolonExport() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v2-de-DE-semicolon.csv"))
        #expect(export.format.id == "exo-message-trace-csv")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.time(0) == "2026-11-24T09:03:12.000Z")
        #expect(export.time(1) == "2026-12-03T17:45:59.000Z")
        #expect(export.text(.subject, 0) == "Rechnung; Mahnung, 2. Stufe")
        #expect(export.text(.event, 0) == "Failed")
        #expect(export.text(.tenantHint, 0) == nil)  // V2 has no Organization
        #expect(export.text(.traceId, 1) == "0a1b2c3d-4e5f-4061-8273-08de2c0a1f66")
        #expect(export.parser.notes.count == 1)
        #expect(export.parser.notes[0].hasPrefix("dates read as day/month/year (dates are written with dots"))
    }

    @Test("en-GB 24-hour dates are held back until a day above 12 decides, then read day first", arguments: [11, 1 << 20])
    func englishGBResolvedByLaterDay(chunkSize: Int) throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v2-en-GB-pwsh7.csv"), chunkSize: chunkSize)
        #expect(export.format.id == "exo-message-trace-csv")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.parser.notes == ["dates read as day/month/year (a day of 24 appears on line 4)"])
        #expect(export.events.count == 3)
        #expect(export.time(0) == "2026-11-05T08:15:02.000Z")
        #expect(export.time(1) == "2026-11-07T14:30:00.000Z")
        #expect(export.time(2) == "2026-11-24T23:59:59.000Z")
        #expect(export.events.numbers[0].line == 2)
        #expect(export.parser.encoding == .utf8)
    }

    @Test("held-back rows keep the checkpoint at the first of them until they are released")
    func heldBackRowsHoldTheCheckpoint() throws {
        let bytes = try ExchangeOnlineFixture.bytes("message-trace-v2-en-GB-pwsh7.csv")
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let firstThree = lines[0..<3].reduce(into: [UInt8]()) { $0 += $1 + [0x0A] }
        let parser = LineRecordParser(MessageTraceCSVParser())
        var batch = RecordBatch()
        try firstThree.withUnsafeBytes { try parser.consume($0, into: &batch) }
        #expect(batch.events.count == 0)
        #expect(parser.checkpoint == Checkpoint(offset: Int64(lines[0].count + 1), line: 1))
        try Array(bytes[firstThree.count...]).withUnsafeBytes { try parser.consume($0, into: &batch) }
        #expect(batch.events.count == 3)
        #expect(parser.checkpoint.offset == Int64(bytes.count))
    }

    @Test("with no day above 12 anywhere, 24-hour slash dates default to day first and say so")
    func ambiguousTwentyFourHourDefault() throws {
        let text = "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Status\"\n\"05/11/2026 08:15:02\",\"a@contoso.com\",\"b@fabrikam.com\",\"Delivered\"\n"
        let export = try parseExport(text)
        #expect(export.time(0) == "2026-11-05T08:15:02.000Z")
        #expect(export.parser.notes.count == 1)
        #expect(export.parser.notes[0].hasPrefix("dates read as day/month/year (no date in the file has a day above 12; 24-hour slash dates are read day first"))
    }

    @Test("with no day above 12 anywhere, AM/PM dates default to month first (en-US) and say so")
    func ambiguousTwelveHourDefault() throws {
        let text = "Received,SenderAddress,RecipientAddress,Status\n5/11/2026 8:15:02 PM,a@contoso.com,b@fabrikam.com,Delivered\n"
        let export = try parseExport(text)
        #expect(export.time(0) == "2026-05-11T20:15:02.000Z")
        #expect(export.parser.notes.count == 1)
        #expect(export.parser.notes[0].hasPrefix("dates read as month/day/year (no date in the file has a day above 12; AM/PM times are read the en-US way"))
    }

    @Test("--date-format decides the order up front; a date that does not fit it is quarantined with the reason")
    func forcedDateOrder() throws {
        let text = "Received,SenderAddress,RecipientAddress,Status\n05/11/2026 08:15:02,a@contoso.com,b@fabrikam.com,Delivered\n24/11/2026 08:15:02,a@contoso.com,c@fabrikam.com,Delivered\n"
        let export = try parseExport(text, options: ParseOptions(dateOrder: .monthFirst))
        #expect(export.parser.notes == ["dates read as month/day/year (as asked with --date-format mdy)"])
        #expect(export.events.count == 1)
        #expect(export.time(0) == "2026-05-11T08:15:02.000Z")
        #expect(export.batch.quarantined.count == 1)
        #expect(export.batch.quarantined[0].line == 3)
        #expect(export.batch.quarantined[0].reason == .badTimestamp)
        #expect(export.batch.quarantined[0].detail.contains("is not a valid date when read as month/day/year"))
    }

    @Test("ISO dates from PowerShell 7 need no order and add no note")
    func isoDatesAddNoNote() throws {
        let text = "MessageTraceId,MessageId,Received,SenderAddress,RecipientAddress,Status\nab,<m@x>,2026-11-24T09:03:12.4570000Z,a@contoso.com,b@fabrikam.com,Delivered\n"
        let export = try parseExport(text)
        #expect(export.parser.notes.isEmpty)
        #expect(export.events.numbers[0].timeMs == 1_795_510_992_457)
    }

    @Test("header names are matched case-insensitively and in any order, new-EAC names included")
    func adminCenterExportAliases() throws {
        let text = "Status,To IP,recipient,Message ID,Date (UTC),Sender,Subject,From IP,Message trace ID,Size\r\n"
            + "Delivered,,bob@fabrikam.com,<m1@contoso.com>,2026-11-24T09:03:12Z,alice@contoso.com,Hello,203.0.113.5,7f3c2a1e-0000-4000-8000-000000000001,512\r\n"
        let export = try parseExport(text)
        #expect(export.format.id == "exo-message-trace-csv")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.text(.event, 0) == "Delivered")
        #expect(export.text(.recipient, 0) == "bob@fabrikam.com")
        #expect(export.text(.sender, 0) == "alice@contoso.com")
        #expect(export.text(.messageId, 0) == "<m1@contoso.com>")
        #expect(export.text(.clientIP, 0) == "203.0.113.5")
        #expect(export.text(.traceId, 0) == "7f3c2a1e-0000-4000-8000-000000000001")
        #expect(export.events.numbers[0].size == 512)
    }

    @Test("bad rows are quarantined with their line and what was expected, and the good rows around them are kept")
    func badRowsAreQuarantined() throws {
        let text = "Received,SenderAddress,RecipientAddress,Status\n"
            + "2026-11-24T09:00:00Z,a@contoso.com,b@fabrikam.com,Delivered\n"
            + "yesterday,a@contoso.com,c@fabrikam.com,Delivered\n"
            + "2026-11-24T09:00:01Z,a@contoso.com,d@fabrikam.com\n"
            + "2026-11-24T09:00:02Z,a@contoso.com,e@fabrikam.com,Failed\n"
        let export = try parseExport(text)
        #expect(export.events.count == 2)
        #expect(export.text(.recipient, 1) == "e@fabrikam.com")
        #expect(export.batch.quarantined.map(\.line) == [3, 4])
        #expect(export.batch.quarantined[0].detail.hasPrefix("line 3: Received is 'yesterday', expected a date such as"))
        #expect(export.batch.quarantined[1].detail == "line 4 has 3 fields where the header on line 1 names 4")
    }

    @Test("a stray quote that never closes sets aside only its own line after 64 lines")
    func strayQuoteIsBounded() throws {
        var text = "Received,SenderAddress,RecipientAddress,Subject,Status\n"
        text += "2026-11-24T09:00:00Z,a@contoso.com,b@fabrikam.com,\"broken,Delivered\n"
        for index in 0..<70 {
            text += "2026-11-24T09:01:\(String(format: "%02d", index % 60))Z,a@contoso.com,r\(index)@fabrikam.com,ok,Delivered\n"
        }
        let export = try parseExport(text)
        #expect(export.batch.quarantined.count == 1)
        #expect(export.batch.quarantined[0].line == 2)
        #expect(export.batch.quarantined[0].reason == .unterminatedQuote)
        #expect(export.events.count == 70)
        #expect(export.events.numbers[0].line == 3)
    }

    @Test("a second header from concatenated exports is skipped")
    func concatenatedExports() throws {
        let row = "\"2026-11-24T09:00:00Z\",\"a@contoso.com\",\"b@fabrikam.com\",\"Delivered\"\r\n"
        let part = "#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTrace\r\n\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Status\"\r\n" + row
        let export = try parseExport(part + part)
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
    }
}
