/// Decodes JSON string literals from bytes (`"a\"b\u00e9"` → `a"bé`), for line-oriented readers.
enum JSONStringLiteral {
    /// Decodes the literal that starts at `start` (the opening quote) into `output` (UTF-8).
    /// - Returns: the index just past the closing quote, or `nil` when the literal is not closed.
    static func decode(_ bytes: UnsafeRawBufferPointer, from start: Int, into output: inout [UInt8]) -> Int? {
        output.removeAll(keepingCapacity: true)
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var index = start + 1
        var pendingHigh: UInt32?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count else { return nil }
                var value: UInt32 = 0
                for offset in 0..<4 {
                    let digit = bytes[index + offset]
                    guard ByteText.isHexDigit(digit) else { return nil }
                    value = value << 4 | UInt32(digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x61 + 10)
                }
                index += 4
                if (0xD800...0xDBFF).contains(value) {
                    pendingHigh = value
                    continue
                }
                if (0xDC00...0xDFFF).contains(value), let high = pendingHigh {
                    value = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
                }
                pendingHigh = nil
                appendScalar(value, to: &output)
            default: output.append(escape)  // \" \\ \/
            }
        }
        return nil
    }

    static func appendScalar(_ scalar: UInt32, to output: inout [UInt8]) {
        let scalar = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        var buffer: [UInt8] = []
        UTF8.encode(scalar) { buffer.append($0) }
        output.append(contentsOf: buffer)
    }
}
