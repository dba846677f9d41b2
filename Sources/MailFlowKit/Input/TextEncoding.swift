/// The character encoding of an input, as recognised from its first bytes.
///
/// Exchange Server writes its logs as UTF-8 with a byte-order mark; Exchange Online's historical
/// search reports and Windows PowerShell 5.1's `Out-File` write UTF-16LE with a BOM; PowerShell 7
/// writes UTF-8 without one. Everything is turned into UTF-8 before parsing.
public enum TextEncoding: String, Sendable, Codable {
    case utf8
    case utf8BOM = "utf8-bom"
    case utf16LE = "utf16le"
    case utf16BE = "utf16be"

    /// Recognises the encoding from the first bytes of the (decompressed) stream.
    ///
    /// Without a BOM, a stream whose first bytes alternate ASCII and zero is taken as UTF-16 of
    /// that byte order; anything else is UTF-8.
    public static func detect(_ head: UnsafeRawBufferPointer) -> TextEncoding {
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { return .utf8BOM }
        if head.count >= 2, head[0] == 0xFF, head[1] == 0xFE { return .utf16LE }
        if head.count >= 2, head[0] == 0xFE, head[1] == 0xFF { return .utf16BE }
        if head.count >= 4 {
            if head[0] != 0, head[1] == 0, head[2] != 0, head[3] == 0 { return .utf16LE }
            if head[0] == 0, head[1] != 0, head[2] == 0, head[3] != 0 { return .utf16BE }
        }
        return .utf8
    }

    /// Length of the byte-order mark this encoding starts with, when present.
    public var bomLength: Int {
        switch self {
        case .utf8: return 0
        case .utf8BOM: return 3
        case .utf16LE, .utf16BE: return 2
        }
    }

    public var isUTF16: Bool { self == .utf16LE || self == .utf16BE }
}
