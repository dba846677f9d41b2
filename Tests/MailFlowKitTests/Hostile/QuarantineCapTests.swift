import Foundation
import Testing

@testable import MailFlowKit

@Suite("Hostile input: quarantine cap")
struct QuarantineCapTests {
    @Test("junk lines past the cap are counted, not stored, and the summary says so; good rows are kept")
    func quarantineKeepsFirstLinesAndCountsTheRest() throws {
        try withTemporaryDirectory { directory in
            let junk = String(repeating: "this,is,not,a,tracking,row\r\n", count: StoreWriter.quarantineLinesKept + 500)
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try (TrackingLogBuilder.log(rows: 3) + junk).write(to: log, atomically: true, encoding: .utf8)
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([log.path], db: db)
            let file = try #require(summary.files.first)
            #expect(file.events == 3)
            #expect(file.quarantined == StoreWriter.quarantineLinesKept + 500)
            #expect(file.notes.contains { $0.contains("500 more were counted but not stored") })
            #expect(try count("quarantine", in: db) == StoreWriter.quarantineLinesKept)
            #expect(try count("files", in: db, where: "quarantined = \(StoreWriter.quarantineLinesKept + 500)") == 1)
        }
    }
}
