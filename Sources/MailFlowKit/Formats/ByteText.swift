/// Small byte-level helpers shared by the parsers, so hot paths never build a `String` to look.
enum ByteText {
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// True when `bytes` starts with the ASCII `prefix`, ignoring case.
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString, ignoringCase: Bool = false) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let pointer = prefix.utf8Start
        for index in 0..<count {
            let expected = pointer[index]
            let actual = bytes[index]
            if ignoringCase ? lowercased(actual) != lowercased(expected) : actual != expected { return false }
        }
        return true
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString, ignoringCase: Bool = false) -> Bool {
        bytes.count == literal.utf8CodeUnitCount && hasPrefix(bytes, literal, ignoringCase: ignoringCase)
    }

    /// The bytes without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// An address without the angle brackets SMTP puts around it (`<a@b>` → `a@b`, `<>` → empty).
    static func unbracketed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let trimmed = trimmed(bytes)
        if trimmed.count >= 2, trimmed[0] == UInt8(ascii: "<"), trimmed[trimmed.count - 1] == UInt8(ascii: ">") {
            return UnsafeRawBufferPointer(rebasing: trimmed[1..<(trimmed.count - 1)])
        }
        return trimmed
    }

    /// The domain of an e-mail address (after the last `@`), or empty.
    static func domain(ofAddress bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let address = unbracketed(bytes)
        var index = address.count - 1
        while index >= 0 {
            if address[index] == UInt8(ascii: "@") {
                return UnsafeRawBufferPointer(rebasing: address[(index + 1)...])
            }
            index -= 1
        }
        return UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// A non-negative decimal integer, or `nil`.
    static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let bytes = trimmed(bytes)
        guard bytes.count > 0, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Finds `byte` from `start`; returns its index or `nil`.
    static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}

/// The SMTP status at the start of a reply or recipient-status text: `550 5.7.64 …` → (550, "5.7.64").
public enum SMTPStatus {
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> (code: Int, enhanced: UnsafeRawBufferPointer?)? {
        let text = ByteText.trimmed(bytes)
        guard text.count >= 3 else { return nil }
        var code = 0
        for index in 0..<3 {
            let byte = text[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            code = code * 10 + Int(byte - 0x30)
        }
        guard code >= 200, code < 600 else { return nil }
        if text.count > 3, text[3] != 0x20, text[3] != UInt8(ascii: "-") { return nil }
        // Enhanced code: class.subject.detail right after the reply code.
        var index = 4
        while index < text.count, text[index] == 0x20 { index += 1 }
        let start = index
        var dots = 0
        while index < text.count, (text[index] >= 0x30 && text[index] <= 0x39) || text[index] == UInt8(ascii: ".") {
            if text[index] == UInt8(ascii: ".") { dots += 1 }
            index += 1
        }
        let isEnhanced = dots == 2 && index > start + 4 && (index == text.count || text[index] == 0x20 || text[index] == UInt8(ascii: ";"))
            && (text[start] == UInt8(ascii: "2") || text[start] == UInt8(ascii: "4") || text[start] == UInt8(ascii: "5"))
        return (code, isEnhanced ? UnsafeRawBufferPointer(rebasing: text[start..<index]) : nil)
    }

    public static func reply(_ text: String) -> SMTPReply? {
        var text = text
        return text.withUTF8 { raw in
            let bytes = UnsafeRawBufferPointer(raw)
            guard let status = parse(bytes) else { return nil }
            return SMTPReply(code: status.code, enhancedCode: status.enhanced.map(ByteText.string), text: ByteText.string(ByteText.trimmed(bytes)))
        }
    }
}
