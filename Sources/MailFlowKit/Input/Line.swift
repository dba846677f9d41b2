/// One line of text, framed from the input stream, valid only inside the callback that receives it.
public struct Line {
    /// The line's UTF-8 bytes, without the line terminator or byte-order mark.
    public let bytes: UnsafeRawBufferPointer
    /// 1-based line number in the file.
    public let number: Int
    /// Byte offset of the line's first byte in the (decompressed) input.
    public let offset: Int64
    /// True when the line was longer than the framer's limit and was cut.
    public let isTruncated: Bool

    public init(bytes: UnsafeRawBufferPointer, number: Int, offset: Int64, isTruncated: Bool = false) {
        self.bytes = bytes
        self.number = number
        self.offset = offset
        self.isTruncated = isTruncated
    }

    /// The line as a Swift string, for tests and messages (not for the hot path).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
