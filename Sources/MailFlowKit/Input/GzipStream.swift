import CMailFlowZlib

/// Inflates gzip data, including several concatenated members, as a stream.
///
/// `gzip` writes one member per invocation, and log shippers append members to one file, so the
/// stream keeps inflating after each member's end while input remains. Output is delivered in
/// chunks through a callback, so memory does not grow with the file; when the data is damaged or
/// cut short, every byte decoded before the damage has already been delivered.
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

    /// The two magic bytes every gzip member starts with.
    public static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    public init(outputCapacity: Int = 1 << 20) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: outputCapacity, alignment: 16)
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
            // Bytes after the last member that are not a new gzip member (zero padding from
            // tape-style writers) end the stream; anything else is damage.
            if !isInsideMember {
                let remaining = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if membersDecoded > 0, remaining.allSatisfy({ $0 == 0 }) {
                    stream.pointee.avail_in = 0
                    return
                }
                isInsideMember = true
            }
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                decodedCount += Int64(produced)
                try body(UnsafeRawBufferPointer(rebasing: output[..<produced]))
            }
            switch code {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                membersDecoded += 1
                isInsideMember = false
                inflateReset(stream)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                let consumed = Int64(input.count) - Int64(stream.pointee.avail_in)
                throw Failure.corrupt(message: message, compressedOffset: startCompressed + consumed)
            }
        } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
    }

    /// Checks, at the end of the input, that the last member was complete.
    public func finish() throws {
        if isInsideMember { throw Failure.truncated(compressedOffset: compressedCount) }
    }
}
