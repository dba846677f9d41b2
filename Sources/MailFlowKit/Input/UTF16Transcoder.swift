/// Turns a UTF-16 byte stream into UTF-8, chunk by chunk, remembering where each line began.
///
/// Offsets reported for evidence must point into the file the user has, so for every newline it
/// writes, the transcoder records the offset in the original stream just past that newline.
struct UTF16Transcoder {
    let isLittleEndian: Bool
    private var pendingByte: UInt8?
    private var pendingHighSurrogate: UInt16?
    /// Offset in the original stream of the next input byte.
    private(set) var rawOffset: Int64 = 0
    var output: [UInt8] = []
    /// For each `\n` written to `output`, the original-stream offset just past it.
    var newlineEnds: [Int64] = []

    init(isLittleEndian: Bool) {
        self.isLittleEndian = isLittleEndian
        output.reserveCapacity(1 << 20)
    }

    /// Transcodes one chunk into `output`, which is cleared first.
    mutating func transcode(_ chunk: UnsafeRawBufferPointer) {
        output.removeAll(keepingCapacity: true)
        newlineEnds.removeAll(keepingCapacity: true)
        var index = 0
        if let first = pendingByte, chunk.count > 0 {
            pendingByte = nil
            let unit = isLittleEndian ? UInt16(first) | UInt16(chunk[0]) << 8 : UInt16(first) << 8 | UInt16(chunk[0])
            index = 1
            append(unit, endOffset: rawOffset + 1)
        }
        let base = rawOffset
        while index + 1 < chunk.count {
            let a = chunk[index], b = chunk[index + 1]
            let unit = isLittleEndian ? UInt16(a) | UInt16(b) << 8 : UInt16(a) << 8 | UInt16(b)
            index += 2
            append(unit, endOffset: base + Int64(index))
        }
        if index < chunk.count { pendingByte = chunk[index] }
        rawOffset += Int64(chunk.count)
    }

    private mutating func append(_ unit: UInt16, endOffset: Int64) {
        var scalar: UInt32
        if let high = pendingHighSurrogate {
            pendingHighSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                appendScalar(scalar)
                return
            }
            appendScalar(0xFFFD)
        }
        if unit >= 0xD800 && unit <= 0xDBFF {
            pendingHighSurrogate = unit
            return
        }
        scalar = (unit >= 0xDC00 && unit <= 0xDFFF) ? 0xFFFD : UInt32(unit)
        appendScalar(scalar)
        if unit == 0x0A { newlineEnds.append(endOffset) }
    }

    private mutating func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
