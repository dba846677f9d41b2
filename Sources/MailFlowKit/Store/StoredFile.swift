/// One row of `files` as the catalogue needs it to recognise an input: its identity (size, head,
/// tail and content hashes) and where the last run stopped.
struct StoredFile: FetchableRecord {
    var id: Int64
    var path: String
    var size: Int64
    var isGzip: Bool
    var fingerprint: Fingerprint
    var checkpoint: Checkpoint
    /// Hash of the KiB before the checkpoint (plain files only).
    var windowHash: Int64?
    /// Hash of the last KiB at ``size`` (NULL in stores written before schema 5).
    var tailHash: Int64?
    /// Hash of the whole file, computed only when size, head and tail left a doubt.
    var contentHash: Int64?
    var status: String

    init(row: Row) {
        id = row.int64("id") ?? 0
        path = row.string("path") ?? ""
        size = row.int64("size") ?? -1
        isGzip = row.bool("is_gzip")
        fingerprint = Fingerprint(hash: row.int64("fingerprint") ?? 0, length: row.int("fingerprint_length") ?? 0)
        checkpoint = Checkpoint(offset: row.int64("checkpoint_offset") ?? 0, line: row.int("checkpoint_line") ?? 0)
        windowHash = row.int64("window_hash")
        tailHash = row.int64("tail_hash")
        contentHash = row.int64("content_hash")
        status = row.string("status") ?? "reading"
    }
}

extension Database {
    /// Every stored file, newest first: one query per ingest however many inputs it checks.
    func storedFiles() throws -> [StoredFile] {
        try fetchAll(StoredFile.self, """
            SELECT id, path, size, is_gzip, fingerprint, fingerprint_length, checkpoint_offset, checkpoint_line,
                window_hash, tail_hash, content_hash, status
            FROM files ORDER BY id DESC
            """)
    }

}
