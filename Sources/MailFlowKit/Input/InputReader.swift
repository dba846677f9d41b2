/// Opens a path (or `-` for standard input) and delivers its decompressed bytes in chunks.
///
/// Compression is recognised by the gzip magic bytes, never by the file name. When the data is
/// damaged, every byte decoded before the damage is delivered first and the error is thrown after,
/// so callers keep what was good.
public struct InputReader {
    public let path: String
    public let chunkSize: Int

    /// What was learned about the input while reading it.
    public struct Info: Sendable {
        public var isGzip = false
        public var gzipMembers = 0
        /// Bytes read from the file itself.
        public var rawBytes: Int64 = 0
        /// Bytes after decompression.
        public var decodedBytes: Int64 = 0
    }

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = chunkSize
    }

    /// Reads the whole input, calling `body` for each decoded chunk.
    ///
    /// - Parameters:
    ///   - offset: where to start in a plain file (a grown log read from its checkpoint); the
    ///     bytes from there are delivered as they are, never taken for a gzip stream.
    ///   - progress: called after each raw read with the raw bytes read so far.
    /// - Throws: ``InputError`` after delivering everything before the damage; or whatever `body` throws.
    @discardableResult
    public func read(
        from offset: Int64 = 0,
        progress: (Int64) -> Void = { _ in },
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Info {
        let source = try FileByteSource(path: path)
        var info = Info()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var gzip: GzipStream?
        /// The first bytes, until there are enough to see the gzip magic: a pipe may return one byte per read.
        var prefix: [UInt8] = []
        var isDecided = offset > 0
        if offset > 0 { try source.skip(offset) }
        func consume(_ chunk: UnsafeRawBufferPointer) throws {
            if let gzip {
                do {
                    try gzip.feed(chunk, body)
                } catch let failure as GzipStream.Failure {
                    throw mapped(failure, decoded: gzip.decodedCount)
                }
                info.decodedBytes = gzip.decodedCount
                info.gzipMembers = gzip.membersDecoded
            } else {
                try body(chunk)
                info.decodedBytes += Int64(chunk.count)
            }
        }
        func decide(_ head: UnsafeRawBufferPointer) {
            isDecided = true
            if GzipStream.hasMagic(head) {
                gzip = GzipStream()
                info.isGzip = true
            }
        }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            info.rawBytes += Int64(count)
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            if !isDecided {
                if prefix.isEmpty, count >= 2 {
                    decide(chunk)
                } else {
                    prefix.append(contentsOf: chunk)
                    if prefix.count < 2 { continue }
                    let held = prefix
                    prefix = []
                    try held.withUnsafeBytes { head in
                        decide(head)
                        try consume(head)
                    }
                    progress(info.rawBytes)
                    continue
                }
            }
            try consume(chunk)
            progress(info.rawBytes)
        }
        if !prefix.isEmpty { try prefix.withUnsafeBytes { try consume($0) } }
        if let gzip {
            do { try gzip.finish(body) } catch let failure as GzipStream.Failure {
                info.decodedBytes = gzip.decodedCount
                throw mapped(failure, decoded: gzip.decodedAtDamage ?? gzip.decodedCount)
            }
            info.gzipMembers = gzip.membersDecoded
            info.decodedBytes = gzip.decodedCount
        }
        return info
    }

    private func mapped(_ failure: GzipStream.Failure, decoded: Int64) -> InputError {
        switch failure {
        case .corrupt(let message, let offset):
            return .corruptGzip(path: path, compressedOffset: offset, decodedOffset: decoded, message: message)
        case .truncated(let offset):
            return .truncatedGzip(path: path, compressedOffset: offset, decodedOffset: decoded)
        }
    }
}
