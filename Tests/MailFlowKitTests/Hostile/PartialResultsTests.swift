import Foundation
import Testing

@testable import MailFlowKit

@Suite("Partial results are said aloud", .serialized)
struct PartialResultsTests {
    @Test("read commands are warned that results are partial while an ingest holds the lock or files are still 'reading'")
    func partialResultsWarning() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("store.db").path
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try TrackingLogBuilder.log(rows: 5).write(to: log, atomically: true, encoding: .utf8)
            _ = try ingest([log.path], db: db)
            let store = try Store.open(path: db, mode: .readOnly)
            #expect(StoreActivity.partialResultsWarning(databasePath: db, database: store) == nil)
            let lock = try DatabaseLock(path: db, wait: false)
            let writing = StoreActivity.partialResultsWarning(databasePath: db, database: store)
            #expect(writing?.contains("an ingest is still writing") == true)
            #expect(writing?.contains("partial") == true)
            withExtendedLifetime(lock) {}
        }
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("store.db").path
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try TrackingLogBuilder.log(rows: 5).write(to: log, atomically: true, encoding: .utf8)
            _ = try ingest([log.path], db: db)
            try Store.open(path: db).execute("UPDATE files SET status = 'reading'")
            let warning = StoreActivity.partialResultsWarning(databasePath: db, database: try Store.open(path: db, mode: .readOnly))
            #expect(warning?.contains("1 file(s)") == true)
            #expect(warning?.contains("partial") == true)
        }
    }
}
