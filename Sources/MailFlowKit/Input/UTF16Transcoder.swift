/// Turns a UTF-16 byte stream into UTF-8, chunk by chunk, remembering where each line began.
///
/// Offsets reported for evidence must point into the file the user has, so for every newline it
/// writes, the transcoder records the offset in the original stream just past that newline.
/// Historical search reports are UTF-16 and large, so ASCII code units (nearly all of them) take a
/// fast path that writes straight into a buffer reused from chunk to chunk.
final class UTF16Transcoder {
    let isLittleEndian: Bool
    private var pendingByte: UInt8?
    private var pendingHighSurrogate: UInt16?
    /// Offset in the original stream of the next input byte.
    private(set) var rawOffset: Int64 = 0
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// For each `\n` written to ``output``, the original-stream offset just past it.
    private(set) var newlineEnds: [Int64] = []

    init(isLittleEndian: Bool) {
        self.isLittleEndian = isLittleEndian
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
    }

    /// The UTF-8 written by the last ``transcode(_:)``; valid until the next call.
    var output: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer, count: count) }

    /// Transcodes one chunk into ``output``, which is emptied first.
    func transcode(_ chunk: UnsafeRawBufferPointer) {
        count = 0
        newlineEnds.removeAll(keepingCapacity: true)
        // At most 3 UTF-8 bytes per UTF-16 unit (4 per surrogate pair of 2 units), plus a pending unit.
        let needed = (chunk.count / 2 + 2) * 3
        if needed > capacity {
            buffer.deallocate()
            capacity = needed
            buffer = .allocate(capacity: capacity)
        }
        var index = 0
        if let first = pendingByte, chunk.count > 0 {
            pendingByte = nil
            let unit = isLittleEndian ? UInt16(first) | UInt16(chunk[0]) << 8 : UInt16(first) << 8 | UInt16(chunk[0])
            index = 1
            append(unit, endOffset: rawOffset + 1)
        }
        let base = rawOffset
        let littleEndian = isLittleEndian
        while index + 1 < chunk.count {
            let a = chunk[index], b = chunk[index + 1]
            let unit = littleEndian ? UInt16(a) | UInt16(b) << 8 : UInt16(a) << 8 | UInt16(b)
            index += 2
            if unit < 0x80, pendingHighSurrogate == nil {
                buffer[count] = UInt8(truncatingIfNeeded: unit)
                count += 1
                if unit == 0x0A { newlineEnds.append(base + Int64(index)) }
            } else {
                append(unit, endOffset: base + Int64(index))
            }
        }
        if index < chunk.count { pendingByte = chunk[index] }
        rawOffset += Int64(chunk.count)
    }

    private func append(_ unit: UInt16, endOffset: Int64) {
        if let high = pendingHighSurrogate {
            pendingHighSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                appendScalar(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00))
                return
            }
            appendScalar(0xFFFD)
        }
        if unit >= 0xD800 && unit <= 0xDBFF {
            pendingHighSurrogate = unit
            return
        }
        appendScalar((unit >= 0xDC00 && unit <= 0xDFFF) ? 0xFFFD : UInt32(unit))
        if unit == 0x0A { newlineEnds.append(endOffset) }
    }

    private func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            buffer[count] = UInt8(scalar)
            count += 1
        case 0x80..<0x800:
            buffer[count] = UInt8(0xC0 | (scalar >> 6))
            buffer[count + 1] = UInt8(0x80 | (scalar & 0x3F))
            count += 2
        case 0x800..<0x10000:
            buffer[count] = UInt8(0xE0 | (scalar >> 12))
            buffer[count + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            buffer[count + 2] = UInt8(0x80 | (scalar & 0x3F))
            count += 3
        default:
            buffer[count] = UInt8(0xF0 | (scalar >> 18))
            buffer[count + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            buffer[count + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            buffer[count + 3] = UInt8(0x80 | (scalar & 0x3F))
            count += 4
        }
    }
}
