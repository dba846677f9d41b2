/// Decides, from the `files` table, what an ingest does with each input: read it anew, continue
/// it from its checkpoint, or skip it because nothing changed.
///
/// Identity is by content (a hash of the first KiB), never by name. For a plain file that grew,
/// the bytes just before the stored checkpoint must still hash the same, which tells a log that
/// was appended to from one that was rewritten.
struct FileCatalog {
    let database: Database

    enum Decision {
        case read(FilePlan)
        case unchanged(fileId: Int64, status: String)
    }

    func decide(for input: InputFile, head: [UInt8], isGzip: Bool) throws -> Decision {
        let fingerprint = head.withUnsafeBytes { Fingerprint(head: $0) }
        let size = input.size ?? -1
        let newPlan = FilePlan(path: input.path, existingFileId: nil, fingerprint: fingerprint, size: size, isGzip: isGzip, resumeFrom: Checkpoint())
        for candidate in try candidates(head: head, fingerprint: fingerprint) {
            if candidate.isGzip != isGzip { continue }
            if !isGzip, !input.isStandardInput {
                guard size >= candidate.checkpoint.offset, windowMatches(candidate, path: input.path) else { continue }
            }
            if size == candidate.size, candidate.status != "reading" {
                return .unchanged(fileId: candidate.id, status: candidate.status)
            }
            var plan = newPlan
            plan.existingFileId = candidate.id
            plan.resumeFrom = candidate.checkpoint
            return .read(plan)
        }
        return .read(newPlan)
    }

    private struct Candidate {
        var id: Int64
        var size: Int64
        var isGzip: Bool
        var checkpoint: Checkpoint
        var windowHash: Int64?
        var status: String
    }

    private func candidates(head: [UInt8], fingerprint: Fingerprint) throws -> [Candidate] {
        var keys = [(fingerprint.hash, fingerprint.length)]
        // A file smaller than a KiB when it was first read has a shorter fingerprint; it may have grown.
        for row in try database.rows("SELECT DISTINCT fingerprint_length FROM files WHERE fingerprint_length < ?", [.integer(Int64(fingerprint.length))]) {
            guard let length = row[0].int64.map(Int.init) else { continue }
            let hash = head.withUnsafeBytes { Fingerprint(head: UnsafeRawBufferPointer(rebasing: $0[..<length])).hash }
            keys.append((hash, length))
        }
        var result: [Candidate] = []
        for (hash, length) in keys {
            let rows = try database.rows("""
                SELECT id, size, is_gzip, checkpoint_offset, checkpoint_line, window_hash, status FROM files
                WHERE fingerprint = ? AND fingerprint_length = ? ORDER BY id DESC
                """, [.integer(hash), .integer(Int64(length))])
            for row in rows {
                result.append(Candidate(
                    id: row[0].int64 ?? 0, size: row[1].int64 ?? -1, isGzip: row[2].int64 == 1,
                    checkpoint: Checkpoint(offset: row[3].int64 ?? 0, line: Int(row[4].int64 ?? 0)),
                    windowHash: row[5].int64, status: row[6].string ?? "reading"))
            }
        }
        return result
    }

    private func windowMatches(_ candidate: Candidate, path: String) -> Bool {
        guard let stored = candidate.windowHash else { return true }
        return Self.windowHash(path: path, checkpoint: candidate.checkpoint.offset) == stored
    }

    static let windowLength = 1024

    /// The hash of the KiB just before `checkpoint` in a plain file.
    static func windowHash(path: String, checkpoint: Int64) -> Int64? {
        let start = max(0, checkpoint - Int64(windowLength))
        guard let bytes = InputDiscovery.readBytes(path: path, offset: start, count: Int(checkpoint - start)),
            bytes.count == Int(checkpoint - start)
        else { return nil }
        return bytes.withUnsafeBytes { Int64(bitPattern: ContentHasher.hash($0)) }
    }
}
