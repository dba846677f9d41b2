/// What the ingest will do with one input, decided before reading it.
public struct FilePlan: Sendable {
    public var path: String
    /// The row of `files` this input continues, or `nil` for an input never seen before.
    public var existingFileId: Int64?
    public var fingerprint: Fingerprint
    public var size: Int64
    public var isGzip: Bool
    /// Records from bytes before this point are already stored: they are parsed again (parsers
    /// need the state) but not written.
    public var resumeFrom: Checkpoint
    /// Hash of the input's last KiB when it was checked (see ``FileIdentity``).
    public var tailHash: Int64?
    /// Hash of the whole input, when a doubt made the ingest compute it.
    public var contentHash: Int64?
    /// The tenant the input belongs to, when known before reading (`--tenant`, a `*.onmicrosoft.com` folder).
    public var tenantName: String?
    /// The sending server or relay the input comes from (`--source`, else its folder).
    public var originName: String?
    /// How the names above were chosen: `flag` or `folder` (``TenantAssignment``); the data may overrule them later.
    public var assignedBy: String?
    /// Resolved by the writer from the names above.
    public var tenantId: Int64?
    public var originId: Int64?

    public init(path: String, existingFileId: Int64?, fingerprint: Fingerprint, size: Int64, isGzip: Bool,
                resumeFrom: Checkpoint, tenantId: Int64? = nil, originId: Int64? = nil) {
        self.path = path
        self.existingFileId = existingFileId
        self.fingerprint = fingerprint
        self.size = size
        self.isGzip = isGzip
        self.resumeFrom = resumeFrom
        self.tenantId = tenantId
        self.originId = originId
    }
}

/// A file's identity by content: the hash of its first bytes, not its name, so a renamed or
/// rotated log is recognised and a log that grew is continued.
public struct Fingerprint: Sendable, Equatable {
    public static let length = 1024
    public var hash: Int64
    /// How many bytes the hash covers (fewer than ``length`` only for tiny files).
    public var length: Int

    public init(hash: Int64, length: Int) {
        self.hash = hash
        self.length = length
    }

    public init(head: UnsafeRawBufferPointer) {
        let covered = UnsafeRawBufferPointer(rebasing: head[..<min(head.count, Self.length)])
        self.init(hash: Int64(bitPattern: ContentHasher.hash(covered)), length: covered.count)
    }
}
