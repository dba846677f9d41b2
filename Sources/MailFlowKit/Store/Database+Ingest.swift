/// The connection-level steps an ingest takes, named by intent so the ingest holds no SQL.
extension Database {
    /// Checkpoints the write-ahead log rarely during a load (each checkpoint syncs the disk); the
    /// log is folded into the database once at the end (``foldWriteAheadLog()``).
    func checkpointRarely() throws {
        try execute("PRAGMA wal_autocheckpoint = 32768")
    }

    /// Folds the write-ahead log into the database file and truncates it.
    func foldWriteAheadLog() throws {
        try execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Starts a write transaction now (not at the first write), so a busy store is waited for up front.
    func beginImmediate() throws {
        try execute("BEGIN IMMEDIATE")
    }

    func commit() throws {
        try execute("COMMIT")
    }

    /// Rolls back the open transaction, if any; for error paths, where a second error adds nothing.
    func rollbackIfNeeded() {
        if isInTransaction { try? execute("ROLLBACK") }
    }
}
