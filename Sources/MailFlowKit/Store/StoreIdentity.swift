#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a SQLite file is mailflow's, decided before anything writes to it.
///
/// `--db` may name another program's database by mistake; switching it to WAL or adding
/// mailflow's tables would change a file that is not ours. So the file is read first:
/// mailflow's own stores carry ``applicationId`` (stores from before it was set are known by their
/// `files` and `message_events` tables), an empty file is a new store, anything else is refused.
package enum StoreIdentity {
    /// `PRAGMA application_id` of a mailflow store: "MFlw".
    package static let applicationId: Int64 = 0x4D46_6C77

    package enum Kind: Equatable {
        /// No tables yet: a file mailflow may initialise.
        case empty
        /// A mailflow store at this schema version.
        case mailflow(version: Int)
    }

    /// What the file behind `database` is, without writing to it.
    ///
    /// - Throws: ``StoreError`` saying "not a mailflow database" for another program's file, and
    ///   "upgrade mailflow" for a store written by a newer mailflow.
    package static func check(_ database: Database) throws(StoreError) -> Kind {
        let path = database.path
        let tables: [String]
        let version: Int
        let application: Int64
        do {
            tables = try database.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0.first?.string }
            version = Int(try database.scalar("PRAGMA user_version") ?? 0)
            application = try database.scalar("PRAGMA application_id") ?? 0
        } catch {
            if error.code == 26 {  // SQLITE_NOTADB
                throw StoreError(code: 26, message: "'\(path)' is not a mailflow database (it is not an SQLite file at all); give mailflow its own file with --db", path: path)
            }
            throw error
        }
        let isOurs = application == applicationId || (application == 0 && tables.contains("files") && tables.contains("message_events"))
        if !isOurs {
            if tables.isEmpty, application == 0, version == 0 { return .empty }
            var what = tables.isEmpty ? "it carries another program's identity" : "it holds \(tables.count) table(s) of another program: \(tables.prefix(5).joined(separator: ", "))"
            if application != 0 { what += " (application id \(application))" } else if version != 0 { what += " (user_version \(version))" }
            throw StoreError(code: 0, message: "'\(path)' is not a mailflow database: \(what); mailflow left it unchanged, give it its own file with --db", path: path)
        }
        if version > Schema.currentVersion {
            throw StoreError(code: 0, message: "'\(path)' was written by a newer mailflow (schema version \(version); this one knows up to \(Schema.currentVersion)); upgrade mailflow to read it", path: path)
        }
        return .mailflow(version: version)
    }

    /// Creates the database file owner-only (0600) when it does not exist yet.
    ///
    /// Logs hold addresses and subjects, personal data. SQLite gives the `-wal` and `-shm` files
    /// the mode of the database file, so creating the database 0600 makes all three owner-only.
    package static func createOwnerOnly(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        if errno == EEXIST { return }
        throw StoreError(code: 14, message: "cannot create the database '\(path)': \(String(cString: strerror(errno)))", path: path)
    }

    /// The lock file beside the database (`mailflow.db.lock`): ingests lock it, never the database.
    package static func lockPath(forDatabase path: String) -> String { path + ".lock" }

    /// The store's own files for a database path: never inputs, even when a folder holding them is ingested.
    package static func ownFiles(forDatabase path: String) -> [String] {
        [path, path + "-wal", path + "-shm", path + "-journal", lockPath(forDatabase: path)]
    }
}
