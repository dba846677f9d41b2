/// Decides, from the `files` table, what an ingest does with each input: read it anew, continue
/// it from its checkpoint, or skip it because nothing changed.
///
/// Identity is by content, never by name (see ``FileIdentity``). A stored file is the same file
/// when its size, head and tail agree and, if it was stored under another path, its whole-content
/// hash too. For a plain file that grew, the head and the KiB just before the stored checkpoint
/// must still hash the same, which tells a log that was appended to from one that was rewritten.
///
/// The catalogue is read once per ingest, so 10,000 small inputs cost one query, not 10,000.
struct FileCatalog {
    private var byFingerprint: [Int64: [StoredFile]] = [:]
    /// Fingerprint lengths shorter than a KiB (files that were tiny when first read; they may have grown).
    private var shortLengths: [Int] = []
    /// The newest stored file by path, to estimate how much of an input is new before reading it.
    private var byPath: [String: StoredFile] = [:]

    init(database: Database) throws {
        var lengths = Set<Int>()
        for file in try database.storedFiles() {
            byFingerprint[file.fingerprint.hash, default: []].append(file)
            if byPath[file.path] == nil { byPath[file.path] = file }
            if file.fingerprint.length < Fingerprint.length { lengths.insert(file.fingerprint.length) }
        }
        shortLengths = lengths.sorted()
    }

    /// About how many bytes of `input` an ingest will read: all of it, unless a file at the same
    /// path was stored before and the input is no smaller (unchanged, or grown past the checkpoint).
    ///
    /// An estimate for the bulk-load choice only (whether to drop and rebuild the indexes): taking
    /// a grown file's whole size made 2,000 appended rows rebuild every index of the store.
    func estimatedBytesToRead(_ input: InputFile) -> Int64 {
        guard let size = input.size else { return 0 }
        guard let stored = byPath[input.path], !stored.isGzip, size >= stored.size else { return size }
        return size - stored.checkpoint.offset
    }

    enum Decision {
        case read(FilePlan)
        case unchanged(fileId: Int64, status: String)
    }

    func decide(for input: InputFile, head: [UInt8], identity: FileIdentity?, isGzip: Bool) -> Decision {
        let fingerprint = head.withUnsafeBytes { Fingerprint(head: $0) }
        let size = input.size ?? -1
        var newPlan = FilePlan(path: input.path, existingFileId: nil, fingerprint: fingerprint, size: size, isGzip: isGzip, resumeFrom: Checkpoint())
        newPlan.tailHash = identity?.tail
        var contentHash: Int64??
        /// Computed at most once per input, and only when a candidate agrees on size, head and tail.
        func inputContentHash() -> Int64? {
            if let contentHash { return contentHash }
            let hash = FileIdentity.contentHash(path: input.path)
            contentHash = .some(hash)
            return hash
        }
        for candidate in candidates(head: head, fingerprint: fingerprint) {
            if candidate.isGzip != isGzip { continue }
            if !isGzip, !input.isStandardInput {
                guard size >= candidate.checkpoint.offset, windowMatches(candidate, path: input.path) else { continue }
            }
            if size == candidate.size, candidate.status != "reading" {
                if let stored = candidate.tailHash, let identity, stored != identity.tail { continue }
                if candidate.path != input.path, !input.isStandardInput, !sameContent(candidate, inputContentHash) { continue }
                return .unchanged(fileId: candidate.id, status: candidate.status)
            }
            var plan = newPlan
            plan.existingFileId = candidate.id
            plan.resumeFrom = candidate.checkpoint
            return .read(plan)
        }
        return .read(newPlan)
    }

    /// Whether a stored file that agrees on size, head and tail but was stored under another path
    /// has the same content: by its stored content hash, else by hashing the file still at that
    /// path. When neither is possible (the old path is gone: a rotated or renamed log) the
    /// agreement of size, head and tail is taken as enough.
    private func sameContent(_ candidate: StoredFile, _ inputHash: () -> Int64?) -> Bool {
        let stored = candidate.contentHash ?? FileIdentity.contentHash(path: candidate.path)
        guard let stored, let hash = inputHash() else { return true }
        return stored == hash
    }

    private func candidates(head: [UInt8], fingerprint: Fingerprint) -> [StoredFile] {
        var result = (byFingerprint[fingerprint.hash] ?? []).filter { $0.fingerprint.length == fingerprint.length }
        // A file smaller than a KiB when it was first read has a shorter fingerprint; it may have grown.
        for length in shortLengths where length < fingerprint.length {
            let hash = head.withUnsafeBytes { Fingerprint(head: UnsafeRawBufferPointer(rebasing: $0[..<length])).hash }
            result += (byFingerprint[hash] ?? []).filter { $0.fingerprint.length == length }
        }
        return result
    }

    private func windowMatches(_ candidate: StoredFile, path: String) -> Bool {
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
