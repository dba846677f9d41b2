/// Whether the store is complete enough to report on, said before a read command prints results.
///
/// `detect` run beside an ingest once reported 3 findings over 1 tenant where the finished store
/// held 17 over 4, with no word that it was looking at half the data.
package enum StoreActivity {
    /// A sentence for standard error when results would be partial, or nil when the store is at rest.
    ///
    /// - Parameters:
    ///   - databasePath: the store's path, whose lock file tells whether an ingest runs now.
    ///   - database: an open connection, for the files still marked `reading`.
    package static func partialResultsWarning(databasePath: String, database: Database) -> String? {
        let reading = try? database.fetchOne("SELECT count(*) AS n FROM files WHERE status = ?", [.text(FileStatus.reading)]) { $0.int64("n") }
        let readingCount = (reading ?? nil).flatMap { $0 } ?? 0
        if DatabaseLock.isHeld(forDatabase: databasePath) {
            return "warning: an ingest is still writing to '\(databasePath)'"
                + (readingCount > 0 ? " (\(readingCount) file(s) being read)" : "") + "; these results are partial, run again when it has finished"
        }
        if readingCount > 0 {
            return "warning: \(readingCount) file(s) in '\(databasePath)' were left half-read by an interrupted ingest; these results are partial, run 'mailflow ingest' again on the same paths to finish them"
        }
        return nil
    }
}

/// The `files.status` values the store writes.
package enum FileStatus {
    package static let reading = "reading"
}
