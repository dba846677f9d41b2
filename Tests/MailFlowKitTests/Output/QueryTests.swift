import Foundation
import Testing

@testable import MailFlowKit

/// `mailflow query`: the administrator's own SQL, on a store it can read and never change.
@Suite("Read-only query", .serialized)
struct QueryTests {
    private func withSample<R>(_ body: (String, DetectionRun.Result) throws -> R) throws -> R {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            let result = try DetectionRun(database: try Store.open(path: db)).run()
            return try body(db, result)
        }
    }

    private func integer(_ sql: String, _ db: String) throws -> Int64? {
        try ReadOnlyQuery.run(sql, in: try ReadOnlyQuery.open(path: db)).rows.first?.first?.int64
    }

    @Test("query's views count the same messages, findings and outcomes as detect on the sample")
    func countsMatchDetect() throws {
        try withSample { db, result in
            #expect(try integer("SELECT count(*) FROM message_verdicts", db) == Int64(result.verdictCount))
            #expect(try integer("SELECT count(*) FROM finding_summary", db) == Int64(result.findings.count))
            #expect(try integer("SELECT count(*) FROM finding_summary WHERE severity = 'high'", db) == Int64(result.findings.filter { $0.severity == .high }.count))
            let rejected = result.findings.filter { $0.pattern == .attributionRejected }.reduce(0) { $0 + $1.messageCount }
            #expect(try integer("SELECT sum(message_count) FROM finding_summary WHERE pattern = 'attribution-rejected'", db) ?? 0 == Int64(rejected))
            #expect(try integer("SELECT count(*) FROM messages WHERE outcome IS NOT NULL", db) == Int64(result.verdictCount))
            for view in ReadOnlyQuery.views {
                let rows = try integer("SELECT count(*) FROM \(view.name)", db) ?? 0
                #expect(rows > 0, "view \(view.name) is empty on the sample")
            }
        }
    }

    @Test("a DELETE, an UPDATE or a second statement is refused with a sentence and changes nothing")
    func writesAreRefused() throws {
        try withSample { db, _ in
            let before = try count("message_events", in: db)
            let store = try ReadOnlyQuery.open(path: db)
            for sql in ["DELETE FROM message_events", "UPDATE files SET status = 'x'", "DROP VIEW messages", "SELECT 1; DELETE FROM message_events"] {
                #expect(throws: ReadOnlyQuery.Failure.self, "\(sql)") { _ = try ReadOnlyQuery.run(sql, in: store) }
            }
            do {
                _ = try ReadOnlyQuery.run("DELETE FROM message_events", in: store)
            } catch let failure as ReadOnlyQuery.Failure {
                #expect(failure.description.contains("nothing was changed"))
            }
            #expect(try count("message_events", in: db) == before)
        }
    }

    @Test("a terminal table fits the width by cutting its widest columns, and CSV and JSON keep every cell")
    func renderings() {
        let result = ReadOnlyQuery.Result(columns: ["id", "subject"], rows: [[.integer(1), .text(String(repeating: "x", count: 200))],
                                                                              [.integer(2), .text("=SUM(A1) \u{1B}[31mred")]])
        let table = QueryReport.render(result, format: .table, width: 80)
        #expect(table.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(table.contains("…"))
        #expect(!table.contains("\u{1B}"))
        #expect(QueryReport.render(result, format: .table, width: nil).contains(String(repeating: "x", count: 200)))
        #expect(QueryReport.render(result, format: .csv, width: 80).contains("\n2,'=SUM(A1) \u{1B}[31mred"))
        #expect(QueryReport.render(result, format: .ndjson, width: nil).split(separator: "\n").last == "{\"id\":2,\"subject\":\"=SUM(A1) \\u001b[31mred\"}")
        let json = QueryReport.render(result, format: .json, width: nil)
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
    }
}
