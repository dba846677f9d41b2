import CMailFlowZlib

/// Inflates gzip data, including several concatenated members, as a stream.
///
/// `gzip` writes one member per invocation, and log shippers append members to one file, so the
/// stream keeps inflating after each member's end while input remains. Output is delivered in
/// chunks through a callback, so memory does not grow with the file.
///
/// zlib reports a damaged member (a bad CRC) only at the member's end, after its bytes were
/// inflated. So a member's output is held back until its trailer checks out, up to
/// ``memberBufferLimit`` (larger members are delivered as they inflate, as before). A damaged
/// member's held-back bytes are dropped, the stream resynchronises at the next member's magic, and
/// the intact members after it are still delivered; ``finish()`` then reports the first damage.
public final class GzipStream {
    // zlib keeps a pointer back to its z_stream, so the stream must never move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var isInsideMember = false
    /// Total decoded bytes delivered so far.
    public private(set) var decodedCount: Int64 = 0
    /// Total compressed bytes consumed so far.
    public private(set) var compressedCount: Int64 = 0
    /// Members that ended cleanly.
    public private(set) var membersDecoded = 0
    /// Members dropped because they were damaged.
    public private(set) var membersDamaged = 0
    /// How much of one member's output is held back until its CRC is checked.
    public let memberBufferLimit: Int
    private var memberBuffer: [UInt8] = []
    /// True once the current member outgrew the buffer and its bytes are delivered as they come.
    private var isStreamingMember = false
    /// After damage: skipping input up to the next member's magic.
    private var isResynchronising = false
    /// The first damage seen, thrown by ``finish()``.
    private var firstDamage: Failure?

    /// The two magic bytes every gzip member starts with.
    public static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    public init(outputCapacity: Int = 1 << 20, memberBufferLimit: Int = 64 << 20) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: outputCapacity, alignment: 16)
        self.memberBufferLimit = memberBufferLimit
        // 15: the largest window; +16: gzip framing only.
        let code = cmailflowzlib_inflateInit2(stream, 15 + 16)
        precondition(code == Z_OK, "inflateInit2 failed with zlib code \(code)")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    public enum Failure: Error, Equatable {
        case corrupt(message: String, compressedOffset: Int64)
        case truncated(compressedOffset: Int64)
    }

    /// Decoded offset (in delivered bytes) at the first damage.
    public private(set) var decodedAtDamage: Int64?

    private func deliver(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard bytes.count > 0 else { return }
        decodedCount += Int64(bytes.count)
        try body(bytes)
    }

    private func flushMember(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !memberBuffer.isEmpty else { return }
        let held = memberBuffer
        memberBuffer.removeAll(keepingCapacity: true)
        try held.withUnsafeBytes { try deliver($0, body) }
    }

    /// Inflates one chunk of compressed input, handing each piece of output to `body`.
    public func feed(
        _ input: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard input.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let startCompressed = compressedCount
        defer { compressedCount = startCompressed + Int64(input.count) - Int64(stream.pointee.avail_in) }
        repeat {
            if isResynchronising {
                let remaining = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                var skip = remaining.count
                if remaining.count >= 3 {
                    for index in 0..<(remaining.count - 2) where remaining[index] == 0x1F && remaining[index + 1] == 0x8B && remaining[index + 2] == 0x08 {
                        skip = index
                        break
                    }
                }
                stream.pointee.next_in += skip
                stream.pointee.avail_in -= uInt(skip)
                if stream.pointee.avail_in == 0 { return }
                isResynchronising = false
            }
            // Bytes after the last member that are not a new gzip member (zero padding from
            // tape-style writers) end the stream; anything else is damage.
            if !isInsideMember {
                let remaining = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if membersDecoded + membersDamaged > 0, remaining.allSatisfy({ $0 == 0 }) {
                    stream.pointee.avail_in = 0
                    return
                }
                isInsideMember = true
                isStreamingMember = false
            }
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                let piece = UnsafeRawBufferPointer(rebasing: output[..<produced])
                if isStreamingMember {
                    try deliver(piece, body)
                } else {
                    memberBuffer.append(contentsOf: piece)
                    if memberBuffer.count > memberBufferLimit {
                        isStreamingMember = true
                        try flushMember(body)
                    }
                }
            }
            switch code {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                membersDecoded += 1
                isInsideMember = false
                try flushMember(body)
                inflateReset(stream)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                let consumed = Int64(input.count) - Int64(stream.pointee.avail_in)
                if firstDamage == nil {
                    firstDamage = .corrupt(message: message, compressedOffset: startCompressed + consumed)
                    decodedAtDamage = decodedCount
                }
                // The member's held-back bytes are not trusted; look for the next member.
                memberBuffer.removeAll(keepingCapacity: true)
                membersDamaged += 1
                isInsideMember = false
                isResynchronising = true
                inflateReset(stream)
            }
        } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
    }

    /// Checks, at the end of the input, that no member was damaged and the last one was complete.
    ///
    /// A last member cut short (a file copied while it was written) has its bytes delivered
    /// before the error: they inflated cleanly, only its trailer is missing.
    public func finish(_ body: (UnsafeRawBufferPointer) throws -> Void = { _ in }) throws {
        if let firstDamage { throw firstDamage }
        if isInsideMember {
            try flushMember(body)
            throw Failure.truncated(compressedOffset: compressedCount)
        }
    }
}
