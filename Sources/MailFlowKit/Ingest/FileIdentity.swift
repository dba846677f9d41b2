/// What tells one input from another by content: its size, the hash of its first KiB and the hash
/// of its last KiB, and, only when those agree with another file's, the hash of all of it.
///
/// Head and tail alone are cheap (two reads of a KiB) and tell apart nearly every pair of
/// different files; but two exports of one organisation can share long prefixes and, with the
/// same size, could still differ in the middle, so a match on all three is confirmed by hashing
/// the whole content before one input is taken for another.
struct FileIdentity: Equatable, Hashable {
    static let tailLength = 1024

    var size: Int64
    var head: Int64
    var tail: Int64

    /// The identity of the plain bytes at `path`, or `nil` when they cannot be read.
    init?(path: String, size: Int64, head: [UInt8]) {
        self.size = size
        self.head = head.withUnsafeBytes { Fingerprint(head: $0).hash }
        let start = max(0, size - Int64(Self.tailLength))
        guard let tail = InputDiscovery.readBytes(path: path, offset: start, count: Int(size - start)) else { return nil }
        self.tail = tail.withUnsafeBytes { Int64(bitPattern: ContentHasher.hash($0)) }
    }

    /// The hash of the whole file at `path`, read in 1 MiB pieces, or `nil` when it cannot be read.
    static func contentHash(path: String) -> Int64? {
        guard let source = try? FileByteSource(path: path) else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = ContentHasher()
        var total: UInt64 = 0
        while true {
            guard let count = try? source.read(into: buffer) else { return nil }
            if count == 0 { break }
            // Pieces are multiples of 8 bytes except the last, so the hash does not depend on how
            // the reads were cut.
            hasher.combine(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            total += UInt64(count)
        }
        hasher.combine(total)
        return Int64(bitPattern: hasher.finalize())
    }
}
