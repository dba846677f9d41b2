import Foundation
import Testing

@testable import MailFlowKit

@Suite("Row and file identity: nothing merged that is not the same, grown logs read from their checkpoint")
struct RowAndFileIdentityTests {
    private static let header = "\"Organization\",\"MessageId\",\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Subject\",\"Status\",\"ToIP\",\"FromIP\",\"Size\",\"MessageTraceId\"\r\n"

    private static func row(sender: String = "a@contoso.com", size: Int = 100, subject: String = "s") -> String {
        "\"contoso.onmicrosoft.com\",\"<m1@contoso.com>\",\"2026-11-24T10:00:00Z\",\"\(sender)\",\"b@fabrikam.example\",\"\(subject)\",\"Delivered\",\"\",\"203.0.113.10\",\"\(size)\",\"00000001-0000-4000-8000-000000000000\"\r\n"
    }

    @Test("two trace rows identical but for the sender are two events")
    func senderIsPartOfTheKey() throws {
        try withTemporaryDirectory { directory in
            let tenant = directory.appendingPathComponent("contoso.onmicrosoft.com")
            try FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
            try FileManager.default.write(Self.header + Self.row() + Self.row(sender: "mallory@contoso.com"), to: tenant.appendingPathComponent("trace.csv"))
            let db = directory.appendingPathComponent("s.db").path
            let summary = try ingest([directory.path], db: db)
            #expect(summary.events == 2)
            #expect(summary.duplicateEvents == 0)
            #expect(try count("message_events", in: db, where: "sender = 'mallory@contoso.com'") == 1)
        }
    }

    @Test("the same event from two exports that disagree on a field is stored once, the other value kept as a variant")
    func disagreeingFieldsAreKept() throws {
        try withTemporaryDirectory { directory in
            let tenant = directory.appendingPathComponent("contoso.onmicrosoft.com")
            try FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
            try FileManager.default.write(Self.header + Self.row(size: 100), to: tenant.appendingPathComponent("trace-a.csv"))
            try FileManager.default.write(Self.header + Self.row(size: 2048, subject: "s (export 2)"), to: tenant.appendingPathComponent("trace-b.csv"))
            let db = directory.appendingPathComponent("s.db").path
            let summary = try ingest([directory.path], db: db)
            #expect(summary.events == 1)
            #expect(summary.duplicateEvents == 1)
            #expect(try count("event_variants", in: db, where: "field = 'size' AND stored_value = '100' AND value = '2048'") == 1)
            #expect(try count("event_variants", in: db, where: "field = 'subject' AND stored_value = 's' AND value = 's (export 2)'") == 1)
            let second = try #require(summary.files.first { $0.path.hasSuffix("trace-b.csv") })
            #expect(second.notes.contains { $0.contains("event_variants") })
        }
    }

    /// Two logs of the same size whose first 15 KB and last KiB agree, different in the middle.
    private static func twins() -> (String, String) {
        let rows = (100..<400).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }
        var other = rows
        other[200] = TrackingLogBuilder.sendRow(second: 300, id: 999)
        return (TrackingLogBuilder.header() + rows.joined(), TrackingLogBuilder.header() + other.joined())
    }

    @Test("two files sharing their size, head and tail but not their middle are two files, in one run or two")
    func sharedPrefixIsNotOneFile() throws {
        try withTemporaryDirectory { directory in
            let (a, b) = Self.twins()
            #expect(a.utf8.count == b.utf8.count)
            #expect(Array(a.utf8.prefix(15_000)) == Array(b.utf8.prefix(15_000)))
            try FileManager.default.write(a, to: directory.appendingPathComponent("a.log"))
            try FileManager.default.write(b, to: directory.appendingPathComponent("b.log"))
            let db = directory.appendingPathComponent("one-run.db").path
            let summary = try ingest([directory.path], db: db)
            #expect(summary.files.map(\.status) == [.ingested, .ingested])
            #expect(try count("message_events", in: db) == 301)

            let twoRuns = directory.appendingPathComponent("two-runs.db").path
            try ingest([directory.appendingPathComponent("a.log").path], db: twoRuns)
            let second = try ingest([directory.appendingPathComponent("b.log").path], db: twoRuns)
            #expect(second.files.first?.status == .ingested)
            #expect(try count("files", in: twoRuns) == 2)
        }
    }

    @Test("an exact copy in the same run is still read once")
    func exactCopyIsADuplicate() throws {
        try withTemporaryDirectory { directory in
            let (a, _) = Self.twins()
            try FileManager.default.write(a, to: directory.appendingPathComponent("a.log"))
            try FileManager.default.write(a, to: directory.appendingPathComponent("b.log"))
            let summary = try ingest([directory.path], db: directory.appendingPathComponent("s.db").path)
            #expect(summary.files.map(\.status) == [.ingested, .duplicate])
        }
    }

    @Test("a grown plain log is read from its checkpoint, not from byte 0, with the right line numbers")
    func grownLogIsReadFromItsCheckpoint() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            let first = TrackingLogBuilder.log(rows: 3_000)
            try FileManager.default.write(first, to: log)
            let db = directory.appendingPathComponent("s.db").path
            try ingest([log.path], db: db)
            let appended = (3_000..<3_020).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }.joined()
            try FileManager.default.write(first + appended, to: log)
            let second = try ingest([log.path], db: db)
            let outcome = try #require(second.files.first)
            #expect(outcome.status == .resumed)
            #expect(outcome.bytes == Int64(appended.utf8.count))
            #expect(outcome.events == 20)
            #expect(outcome.duplicateEvents == 0)
            #expect(try count("message_events", in: db) == 3_020)
            // Five header lines, then one line a row: the last row is line 3,025.
            #expect(try count("message_events", in: db, where: "line = 3025 AND message_id = '<m3019@contoso.com>'") == 1)
            let third = try ingest([log.path], db: db)
            #expect(third.files.first?.status == .unchanged)
        }
    }

    @Test("a grown gzip log is read again from the start, says so, and adds only the new rows")
    func grownGzipIsReadAgain() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("MSGTRK.LOG.gz")
            let first = gzipMember(Array(TrackingLogBuilder.log(rows: 3_000).utf8))
            try Data(first).write(to: log)
            let db = directory.appendingPathComponent("s.db").path
            try ingest([log.path], db: db)
            let appended = (3_000..<3_020).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }.joined()
            try Data(first + gzipMember(Array(appended.utf8))).write(to: log)
            let second = try ingest([log.path], db: db)
            let outcome = try #require(second.files.first)
            #expect(outcome.status == .resumed)
            #expect(outcome.events == 20)
            #expect(outcome.notes.contains { $0.contains("read again from the start") })
            #expect(try count("message_events", in: db) == 3_020)
        }
    }
}
