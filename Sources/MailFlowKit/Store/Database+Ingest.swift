/// The connection-level steps an ingest takes, named by intent so the ingest holds no SQL.
extension Database {
    /// Checkpoints the write-ahead log rarely during a load (each checkpoint syncs the disk); the
    /// log is folded into the database once at the end (``foldWriteAheadLog()``).
    func checkpointRarely() throws {
        try execute("PRAGMA wal_autocheckpoint = 32768")
    }

    /// Folds what it can of the write-ahead log into the database file without waiting for
    /// readers: the log's size and the pages copied, in pages.
    func foldWriteAheadLog() throws -> (log: Int64, copied: Int64)? {
        try fetchOne("PRAGMA wal_checkpoint(PASSIVE)") { row in
            (row.int64("log") ?? 0, row.int64("checkpointed") ?? 0)
        }
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
