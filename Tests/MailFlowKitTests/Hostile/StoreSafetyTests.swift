import Foundation
import Testing

@testable import MailFlowKit

/// The store as an attacker or a mistyped `--db` meets it: another program's file, a newer
/// mailflow's, a read-only folder, and the store's own files inside an ingested folder.
@Suite("Hostile input: the store", .serialized)
struct StoreSafetyTests {
    static func storeError(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int).flatMap { $0 }
    }

    @Test("another program's SQLite file is refused as 'not a mailflow database' and left unchanged: no tables added, no WAL switch")
    func foreignDatabaseIsRefusedUntouched() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("other.sqlite").path
            let other = try Database(path: db)
            try other.execute("CREATE TABLE contacts (name TEXT); PRAGMA user_version = 42")
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            for mode in [Database.Mode.readWrite, .readOnly] {
                let message = Self.storeError { _ = try Store.open(path: db, mode: mode) }
                #expect(message?.contains("'\(db)' is not a mailflow database") == true)
                #expect(message?.contains("contacts") == true)
                #expect(message?.contains("upgrade") == false)
            }
            let message = Self.storeError { _ = try ingest([Package.sampleLogs], db: db) }
            #expect(message?.contains("not a mailflow database") == true)
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
            #expect(!FileManager.default.fileExists(atPath: db + "-wal"))
            #expect(!FileManager.default.fileExists(atPath: db + ".lock"))
            #expect(try other.scalar("SELECT count(*) FROM sqlite_master") == 1)
        }
    }

    @Test("a file that is not SQLite at all is refused as not a mailflow database")
    func textFileAsDatabaseIsRefused() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("notes.db").path
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: db))
            let message = Self.storeError { _ = try Store.open(path: db) }
            #expect(message?.contains("is not a mailflow database") == true)
        }
    }

    @Test("a database from a newer mailflow is refused with 'upgrade mailflow' on read-write and read-only opens")
    func newerStoreRefusedEverywhere() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("store.db").path
            _ = try Store.open(path: db)
            try Database(path: db).execute("PRAGMA user_version = 999")
            for mode in [Database.Mode.readWrite, .readOnly] {
                let message = Self.storeError { _ = try Store.open(path: db, mode: mode) }
                #expect(message?.contains("newer mailflow") == true)
                #expect(message?.contains("upgrade mailflow") == true)
            }
        }
    }

    @Test("the database and its -wal and -shm files are created owner-only (0600), and so is the lock file")
    func storeFilesAreOwnerOnly() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("store.db").path
            let log = directory.appendingPathComponent("in/MSGTRK.LOG")
            try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
            try TrackingLogBuilder.log(rows: 5).write(to: log, atomically: true, encoding: .utf8)
            let database = try Store.open(path: db)
            try database.execute("CREATE TABLE IF NOT EXISTS probe(x); INSERT INTO probe VALUES (1)")
            #expect(Self.mode(db) == 0o600)
            #expect(Self.mode(db + "-wal") == 0o600)
            #expect(Self.mode(db + "-shm") == 0o600)
            _ = try ingest([log.path], db: db)
            #expect(Self.mode(db + ".lock") == 0o600)
            #expect(try Database(path: db, mode: .readOnly).scalar("PRAGMA application_id") == StoreIdentity.applicationId)
        }
    }

    @Test("an ingest locks a separate lock file, never the database itself")
    func lockIsASeparateFile() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("store.db").path
            let lock = try DatabaseLock(path: db, wait: false)
            #expect(lock.path == db + ".lock")
            #expect(!FileManager.default.fileExists(atPath: db))
            #expect(DatabaseLock.isHeld(forDatabase: db))
            #expect(throws: DatabaseLock.Failure.self) { _ = try DatabaseLock(path: db, wait: false) }
            withExtendedLifetime(lock) {}
        }
    }

    @Test("ingesting the folder that holds the store never reads the store's own files as inputs")
    func storeFilesAreNotInputs() throws {
        try withTemporaryDirectory { directory in
            try TrackingLogBuilder.log(rows: 5).write(to: directory.appendingPathComponent("MSGTRK.LOG"), atomically: true, encoding: .utf8)
            let db = directory.appendingPathComponent("mailflow.db").path
            _ = try ingest([directory.path], db: db)
            let second = try ingest([directory.path], db: db)
            #expect(second.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["MSGTRK.LOG"])
            let explicit = try ingest([db], db: db)
            #expect(explicit.files.first?.problem?.contains("this mailflow store's own file") == true)
        }
    }

    @Test("read commands work on a store in a folder the user cannot write",
          .enabled(if: getuid() != 0, "root writes to any folder, so a read-only folder cannot be tested as root"))
    func readOnlyFolderStoreIsReadable() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("ro")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let db = folder.appendingPathComponent("store.db").path
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try TrackingLogBuilder.log(rows: 5).write(to: log, atomically: true, encoding: .utf8)
            _ = try ingest([log.path], db: db)
            try? FileManager.default.removeItem(atPath: db + "-shm")
            chmod(folder.path, 0o555)
            defer { chmod(folder.path, 0o755) }
            let store = try Store.open(path: db, mode: .readOnly)
            #expect(try store.scalar("SELECT count(*) FROM message_events") == 5)
            _ = try QuarantineReport.rows(in: store, limit: 10)
        }
    }
}
