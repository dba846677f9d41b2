import Foundation
import Testing

@testable import MailFlowKit

/// Reads Postfix fixtures through the registry, the way ingest does.
enum PostfixTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func sample(_ bytes: [UInt8], path: String, options: ParseOptions) -> SniffSample {
        var sample = bytes.withUnsafeBytes { SniffSample(path: path, head: UnsafeRawBufferPointer(rebasing: $0.prefix(SniffSample.maxBytes))) }
        sample.options = options
        return sample
    }

    /// Detects the format of `bytes`, then feeds them to its parser in `chunkSize` pieces.
    static func read(_ bytes: [UInt8], path: String = "mail.log", options: ParseOptions = ParseOptions(fileModifiedMs: modified2026),
                     chunkSize: Int = 1 << 16) throws -> (format: InputFormat?, batch: RecordBatch, parser: (any RecordParser)?) {
        let sample = sample(bytes, path: path, options: options)
        guard let format = FormatRegistry.standard.detect(sample) else { return (nil, RecordBatch(), nil) }
        let parser = format.parser(for: sample)
        return (format, try parse(bytes, with: parser, chunkSize: chunkSize), parser)
    }

    static func read(_ text: String, options: ParseOptions) throws -> RecordBatch {
        try read(Array(text.utf8), options: options).batch
    }

    /// 2026-11-25T12:00:00Z, a day after the fixture's lines.
    static let modified2026 = Timestamp.epochMilliseconds(year: 2026, month: 11, day: 25, hour: 12, minute: 0, second: 0)!

    /// The text fields of each event row.
    static func rows(_ events: EventBatch) -> [[EventField: String]] {
        (0..<events.count).map { row in
            var fields: [EventField: String] = [:]
            for field in EventField.allCases {
                if let value = events.string(field, row: row) { fields[field] = value }
            }
            return fields
        }
    }

    static func row(_ events: EventBatch, recipient: String) -> Int? {
        (0..<events.count).first { events.string(.recipient, row: $0) == recipient }
    }
}

@Suite("Postfix relay log")
struct PostfixLogParserTests {
    @Test("classic and RFC 3339 Postfix logs are detected as postfix-log", arguments: ["relay-mail.log", "relay-rfc3339.log"])
    func detectsPostfixLogs(fixture: String) throws {
        let bytes = try PostfixTestSupport.fixture(fixture)
        let sample = PostfixTestSupport.sample(bytes, path: fixture, options: ParseOptions())
        #expect(FormatRegistry.standard.detect(sample)?.id == "postfix-log")
    }

    @Test("a 550 5.7.64 TenantAttribution bounce keeps code, relay, and the message id and sender of its queue id")
    func tenantAttributionBounce() throws {
        let (_, batch, _) = try PostfixTestSupport.read(try PostfixTestSupport.fixture("relay-mail.log"))
        let events = batch.events
        let row = try #require(PostfixTestSupport.row(events, recipient: "bob@external.example"))
        let fields = PostfixTestSupport.rows(events)[row]
        #expect(events.kinds[row] == .relayLog)
        #expect(fields[.event] == "bounced")
        #expect(events.numbers[row].smtpCode == 550)
        #expect(fields[.enhancedCode] == "5.7.64")
        #expect(fields[.serverHostname] == "contoso-com.mail.protection.outlook.com")
        #expect(fields[.serverIP] == "52.101.42.7")
        #expect(fields[.recipientStatus] == "host contoso-com.mail.protection.outlook.com[52.101.42.7] said: 550 5.7.64 TenantAttribution; Relay Access Denied [SN1PEPF000252A1.namprd05.prod.outlook.com] (in reply to RCPT TO command)")
        #expect(fields[.messageId] == "<ticket-88172@scanner.contoso.com>")
        #expect(fields[.sender] == "Scanner@Contoso.com")
        #expect(fields[.senderDomain] == "contoso.com")
        #expect(fields[.recipientDomain] == "external.example")
        #expect(fields[.internalMessageId] == "7F3A2C40E1")
        #expect(fields[.connector] == "postfix/smtp")
        #expect(fields[.clientHostname] == "relay1")
        #expect(fields[.details] == "dsn=5.7.64;delay=5.5;delays=0.09/0/0.43/5;port=25")
        #expect(fields[.timeText] == "Nov 24 09:05:06")
        #expect(events.numbers[row].size == 120334)
        #expect(events.numbers[row].timeMs == Timestamp.parseISO8601("2026-11-24T09:05:06Z"))
    }

    @Test("each delivery line is one event; other lines are skipped and only a broken delivery line is quarantined")
    func deliveriesOnly() throws {
        let bytes = try PostfixTestSupport.fixture("relay-mail.log")
        let (_, batch, _) = try PostfixTestSupport.read(bytes)
        let recipients = PostfixTestSupport.rows(batch.events).map { $0[.recipient] }
        #expect(recipients == ["ann@fabrikam.com", "bob@external.example", "carol@Fabrikam.com", "dan@litware.com.br", "erin@fabrikam.com", "frank@fabrikam.com"])
        let brokenLine = try #require(String(decoding: bytes, as: UTF8.self).split(separator: "\n").firstIndex { $0.contains("gina@") }) + 1
        #expect(batch.quarantined.map(\.line) == [brokenLine])
        #expect(batch.quarantined.first?.reason == .malformedLine)
    }

    @Test("sent, 5.4.1, 5.7.57 and deferred lines get their status, codes and relay")
    func otherStatuses() throws {
        let (_, batch, _) = try PostfixTestSupport.read(try PostfixTestSupport.fixture("relay-mail.log"))
        let events = batch.events
        let rows = PostfixTestSupport.rows(events)

        let sent = try #require(PostfixTestSupport.row(events, recipient: "ann@fabrikam.com"))
        #expect(rows[sent][.event] == "sent")
        #expect(events.numbers[sent].smtpCode == 250)
        #expect(rows[sent][.enhancedCode] == "2.6.0")
        #expect(rows[sent][.serverHostname] == "fabrikam-com.mail.protection.outlook.com")
        #expect(rows[sent][.messageId] == "<20261124090310.5BBB918C6@relay1.contoso.com>")
        #expect(rows[sent][.recipientStatus]?.hasPrefix("250 2.6.0 <20261124090310.5BBB918C6@relay1.contoso.com> [InternalId=") == true)

        let carol = try #require(PostfixTestSupport.row(events, recipient: "carol@Fabrikam.com"))
        #expect(rows[carol][.recipientDomain] == "fabrikam.com")

        let rejected = try #require(PostfixTestSupport.row(events, recipient: "dan@litware.com.br"))
        #expect(events.numbers[rejected].smtpCode == 550)
        #expect(rows[rejected][.enhancedCode] == "5.4.1")
        #expect(rows[rejected][.serverIP] == "207.46.163.74")

        let unauthenticated = try #require(PostfixTestSupport.row(events, recipient: "erin@fabrikam.com"))
        #expect(events.numbers[unauthenticated].smtpCode == 530)
        #expect(rows[unauthenticated][.enhancedCode] == "5.7.57")
        #expect(rows[unauthenticated][.serverHostname] == "smtp-mail.outlook.com")
        #expect(rows[unauthenticated][.details]?.hasSuffix(";port=587") == true)

        let deferred = try #require(PostfixTestSupport.row(events, recipient: "frank@fabrikam.com"))
        #expect(rows[deferred][.event] == "deferred")
        #expect(events.numbers[deferred].smtpCode == nil)
        #expect(rows[deferred][.enhancedCode] == "4.4.1")
        #expect(rows[deferred][.serverHostname] == nil)
        #expect(rows[deferred][.recipientStatus] == "connect to fabrikam-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out")
    }

    @Test("an RFC 3339 timestamp with an offset is converted to UTC")
    func rfc3339() throws {
        let (_, batch, parser) = try PostfixTestSupport.read(try PostfixTestSupport.fixture("relay-rfc3339.log"), options: ParseOptions())
        #expect(batch.events.count == 1)
        let fields = PostfixTestSupport.rows(batch.events)[0]
        #expect(batch.events.numbers[0].timeMs == Timestamp.parseISO8601("2026-11-24T08:03:12.123Z"))
        #expect(fields[.timeText] == "2026-11-24T09:03:12.123456+01:00")
        #expect(fields[.enhancedCode] == "5.7.64")
        #expect(fields[.messageId] == "<invoice-1182@erp.contoso.com>")
        #expect(fields[.sender] == "billing@contoso.com")
        #expect(fields[.clientHostname] == "relay2")
        #expect(parser?.notes.contains { $0.contains("no year") } == false)
    }

    struct YearCase: Sendable, CustomTestStringConvertible {
        var line: String
        var options: ParseOptions
        var expected: String
        var noteYear: String
        var testDescription: String { "\(line.prefix(15)) → \(expected)" }
    }

    static let yearCases = [
        // The file was written the day after: same year.
        YearCase(line: "Nov 24 09:03:12", options: ParseOptions(fileModifiedMs: PostfixTestSupport.modified2026), expected: "2026-11-24T09:03:12Z", noteYear: "2026"),
        // Modified just after New Year: December lines belong to the year before.
        YearCase(line: "Dec 31 23:59:58", options: ParseOptions(fileModifiedMs: Timestamp.parseISO8601("2027-01-01T00:10:00Z")), expected: "2026-12-31T23:59:58Z", noteYear: "2026"),
        YearCase(line: "Jan  1 00:00:04", options: ParseOptions(fileModifiedMs: Timestamp.parseISO8601("2027-01-01T00:10:00Z")), expected: "2027-01-01T00:00:04Z", noteYear: "2027"),
        // --year wins over the file's time.
        YearCase(line: "Nov 24 09:03:12", options: ParseOptions(year: 2024, fileModifiedMs: PostfixTestSupport.modified2026), expected: "2024-11-24T09:03:12Z", noteYear: "2024"),
    ]

    @Test("classic syslog timestamps take their year from --year or the file's modification time", arguments: yearCases)
    func classicYear(_ yearCase: YearCase) throws {
        let text = "\(yearCase.line) relay1 postfix/smtp[4377]: 5BBB918C6: to=<ann@fabrikam.com>, relay=fabrikam-com.mail.protection.outlook.com[52.101.68.10]:25, delay=1.3, delays=0.01/0/0.24/1.1, dsn=2.6.0, status=sent (250 2.6.0 Queued mail for delivery)\n"
        let (_, batch, parser) = try PostfixTestSupport.read(Array(text.utf8), options: yearCase.options)
        #expect(batch.events.count == 1)
        #expect(batch.events.numbers.first?.timeMs == Timestamp.parseISO8601(yearCase.expected))
        let note = try #require(parser?.notes.first { $0.contains("no year") })
        #expect(note.contains(yearCase.noteYear))
    }

    @Test("the same events come out whatever the chunk size", arguments: [1, 7, 4096])
    func chunkSizes(chunkSize: Int) throws {
        let bytes = try PostfixTestSupport.fixture("relay-mail.log")
        let whole = try PostfixTestSupport.read(bytes).batch
        let chunked = try PostfixTestSupport.read(bytes, chunkSize: chunkSize).batch
        #expect(PostfixTestSupport.rows(chunked.events) == PostfixTestSupport.rows(whole.events))
        #expect(chunked.events.numbers.map(\.key) == whole.events.numbers.map(\.key))
    }

    @Test("a message still queued at the end holds the checkpoint back to its first line, so a resumed read can join it again")
    func heldBackForOpenMessage() throws {
        let bytes = try PostfixTestSupport.fixture("relay-mail.log")
        let (_, _, parser) = try PostfixTestSupport.read(bytes)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains("9A1B2C3D4E: message-id=") })
        let offset = lines[..<index].reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(parser?.checkpoint == Checkpoint(offset: Int64(offset), line: index))
    }

    @Test("queue ids are forgotten after 'removed' and beyond the capacity, which the notes report")
    func boundedQueueTable() {
        let parser = PostfixLogParser(options: ParseOptions(year: 2026), queueCapacity: 2)
        var batch = RecordBatch()
        let lines = [
            "Nov 24 10:00:00 r postfix/cleanup[1]: AAAAA1: message-id=<a@contoso.com>",
            "Nov 24 10:00:00 r postfix/cleanup[1]: BBBBB2: message-id=<b@contoso.com>",
            "Nov 24 10:00:01 r postfix/qmgr[2]: BBBBB2: removed",
            "Nov 24 10:00:02 r postfix/cleanup[1]: CCCCC3: message-id=<c@contoso.com>",
            "Nov 24 10:00:02 r postfix/cleanup[1]: DDDDD4: message-id=<d@contoso.com>",
            "Nov 24 10:00:03 r postfix/smtp[3]: AAAAA1: to=<x@fabrikam.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to fabrikam.com[192.0.2.1]:25: Connection refused)",
            "Nov 24 10:00:03 r postfix/smtp[3]: DDDDD4: to=<y@fabrikam.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to fabrikam.com[192.0.2.1]:25: Connection refused)",
        ]
        for (index, text) in lines.enumerated() {
            var text = text
            text.withUTF8 { parser.parse(Line(bytes: UnsafeRawBufferPointer($0), number: index + 1, offset: Int64(index * 100)), into: &batch) }
        }
        #expect(batch.events.string(.messageId, row: 0) == nil)
        #expect(batch.events.string(.messageId, row: 1) == "<d@contoso.com>")
        #expect(parser.notes.contains { $0.contains("1 queued message(s) were forgotten") })
        #expect(parser.heldBack == Checkpoint(offset: 300, line: 3))
    }

    @Test("a Postfix delivery line without a syslog timestamp is quarantined, other programs' lines are not")
    func quarantineOnlyDeliveryShapes() throws {
        let text = """
            Nov 24 09:00:00 relay1 postfix/smtp[1]: 5BBB918C6: to=<ann@fabrikam.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection refused)
            Nov 24 09:00:01 relay1 postfix/smtpd[2]: connect from unknown[192.0.2.7]
            Nov 24 09:00:02 relay1 postfix/smtpd[2]: NOQUEUE: reject: RCPT from unknown[192.0.2.7]: 554 5.7.1 <x@contoso.com>: Relay access denied; from=<a@b.example> to=<x@contoso.com> proto=ESMTP helo=<b.example>
            Nov 24 09:00:03 relay1 opendkim[3]: 5BBB918C6: DKIM-Signature field added (s=sel1, d=contoso.com)
            yesterday relay1 postfix/smtp[1]: 5BBB918C7: to=<bob@fabrikam.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection refused)
            Nov 24 09:00:04 relay1 postfix/smtp[1]: 5BBB918C8: to=<carol@fabrikam.com>, relay=fabrikam-com.mail.protection.outlook.com[52.101.68.10]:25, delay=1
            """
        let batch = try PostfixTestSupport.read(text, options: ParseOptions(year: 2026))
        #expect(batch.events.count == 1)
        #expect(batch.quarantined.map(\.line) == [5, 6])
        #expect(batch.quarantined.map(\.reason) == [.badTimestamp, .malformedLine])
    }
}
