import Foundation
import Testing

@testable import MailFlowKit

/// `mailflow messages`: one row per message a spreadsheet or a SIEM can take.
@Suite("Per-message export", .serialized)
struct MessageExportTests {
    @Test("the sample's messages export with their verdict: CSV starts with a UTF-8 BOM, NDJSON has one object per message, --outcome filters")
    func sampleExport() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            let result = try DetectionRun(database: try Store.open(path: db)).run()
            let store = try Store.open(path: db, mode: .readOnly)
            let rows = try MessageExportRow.all(in: store)
            #expect(rows.count == result.verdictCount)
            let rejected = try MessageExportRow.all(in: store, outcome: .rejected)
            #expect(!rejected.isEmpty && rejected.allSatisfy { $0.outcome == "rejected" && !$0.finalReply.isEmpty })
            #expect(rejected.count < rows.count)

            let csv = MessageReport.render(rows, format: .csv, width: nil)
            #expect(csv.hasPrefix("\u{FEFF}time,message_id,sender,"))
            #expect(csv.components(separatedBy: "\r\n").count == rows.count + 1)
            let ndjson = MessageReport.render(rows, format: .ndjson, width: nil).split(separator: "\n")
            #expect(ndjson.count == rows.count)
            let first = try #require(try JSONSerialization.jsonObject(with: Data(ndjson[0].utf8)) as? [String: Any])
            #expect(first["message_id"] as? String == rows[0].messageId)
            #expect((first["recipients"] as? [String])?.isEmpty == false)
        }
    }

    @Test("a subject that starts a formula is neutralised in the CSV and kept exactly in NDJSON")
    func formulaSubject() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            _ = try DetectionRun(database: try Store.open(path: db)).run()
            try Store.open(path: db).execute("UPDATE verdicts SET subject = '=HYPERLINK(\"http://evil\",\"open\")'")
            let rows = try MessageExportRow.all(in: try Store.open(path: db, mode: .readOnly))
            let csv = MessageReport.render(rows, format: .csv, width: nil)
            #expect(csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"open\"\")\","))
            #expect(!csv.contains(",=HYPERLINK"))
            #expect(MessageReport.render(rows, format: .ndjson, width: nil).contains("\"subject\":\"=HYPERLINK(\\\"http://evil\\\",\\\"open\\\")\""))
        }
    }
}
