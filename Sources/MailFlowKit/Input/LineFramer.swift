#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Frames a stream of decoded bytes into lines that know their number and byte offset.
///
/// The framer recognises the encoding from the first bytes (UTF-8 with or without BOM, UTF-16LE/BE),
/// hands UTF-8 to its caller whatever the input was, strips `\r\n` or `\n`, and keeps lines that
/// straddle two chunks in a carry buffer. Lines wholly inside a chunk are passed without copying.
/// A line that is not valid UTF-8 is read as Windows-1252, the encoding Windows tools fall back to.
public final class LineFramer {
    public private(set) var encoding: TextEncoding?
    /// Lines that were not valid UTF-8 and were read as Windows-1252.
    public private(set) var reencodedLines = 0
    /// Lines longer than `maxLineLength`, delivered cut.
    public private(set) var truncatedLines = 0
    /// Offset just past the last complete (newline-terminated) line delivered.
    public private(set) var consumedOffset: Int64 = 0
    /// Number of complete lines delivered; a last line without a newline is not counted, since
    /// the writer of a growing log may still be in the middle of it.
    public private(set) var consumedLines = 0

    private let maxLineLength: Int
    private var lineNumber = 0
    private var streamOffset: Int64 = 0
    private var carry: [UInt8] = []
    private var carryOffset: Int64 = 0
    private var isDiscardingOverlongTail = false
    private var head: [UInt8] = []
    private var transcoder: UTF16Transcoder?
    private var scratch: [UInt8] = []
    /// The byte that ends a line: `\n`, or `\r` for a log written with classic Mac OS line ends
    /// (CR only), decided from the first chunk: such a file would otherwise be one long line.
    public private(set) var lineBreak: UInt8 = 0x0A
    private var isLineBreakDecided = false

    public init(maxLineLength: Int = 4 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// Frames one chunk of the stream; `body` sees each line completed by it.
    public func consume(_ chunk: UnsafeRawBufferPointer, _ body: (Line) throws -> Void) throws {
        if encoding == nil {
            head.append(contentsOf: chunk)
            guard head.count >= 4 else { return }
            try startWithHead(body)
            return
        }
        try frame(chunk, body)
    }

    /// Delivers the last line when the stream does not end with a newline.
    public func finish(_ body: (Line) throws -> Void) throws {
        if encoding == nil { try startWithHead(body) }
        if !carry.isEmpty || isDiscardingOverlongTail {
            let cut = isDiscardingOverlongTail
            isDiscardingOverlongTail = false
            try emitCarry(endOffset: streamEnd, cut: cut, body)
        }
    }

    /// Continues framing at `offset` of the stream, as line `line + 1`, dropping any partial line
    /// held from before: for reading a grown file from its checkpoint instead of from byte 0.
    ///
    /// - Returns: false (and changes nothing) unless the input is UTF-8 and `offset` lies ahead of
    ///   what was framed; UTF-16 input cannot be entered mid-way without its transcoder's state.
    public func skip(to offset: Int64, line: Int) -> Bool {
        guard encoding != nil, transcoder == nil, offset >= streamOffset else { return false }
        carry.removeAll(keepingCapacity: true)
        isDiscardingOverlongTail = false
        streamOffset = offset
        pendingLineStart = offset
        consumedOffset = offset
        lineNumber = line
        consumedLines = line
        return true
    }

    private var streamEnd: Int64 { transcoder?.rawOffset ?? streamOffset }

    private func startWithHead(_ body: (Line) throws -> Void) throws {
        let bytes = head
        head = []
        let detected = bytes.withUnsafeBytes { TextEncoding.detect($0) }
        encoding = detected
        if detected.isUTF16 { transcoder = UTF16Transcoder(isLittleEndian: detected == .utf16LE) }
        try bytes.withUnsafeBytes { try frame($0, body) }
    }

    private func frame(_ chunk: UnsafeRawBufferPointer, _ body: (Line) throws -> Void) throws {
        if let transcoder {
            transcoder.transcode(chunk)
            try frameUTF8(transcoder.output, newlineEnds: transcoder.newlineEnds, body)
            streamOffset = transcoder.rawOffset
        } else {
            try frameUTF8(chunk, newlineEnds: nil, body)
            streamOffset += Int64(chunk.count)
        }
    }

    /// Splits UTF-8 bytes on `\n`. `newlineEnds` maps each newline to its original offset (UTF-16).
    private func frameUTF8(
        _ chunk: UnsafeRawBufferPointer, newlineEnds: [Int64]?, _ body: (Line) throws -> Void
    ) throws {
        var start = 0
        var newlineIndex = 0
        let count = chunk.count
        guard let base = chunk.baseAddress else { return }
        if !isLineBreakDecided, count > 0 {
            isLineBreakDecided = true
            if newlineEnds == nil, memchr(base, 0x0A, count) == nil, memchr(base, 0x0D, count) != nil { lineBreak = 0x0D }
        }
        while start < count {
            guard let hit = memchr(base + start, Int32(lineBreak), count - start) else {
                appendToCarry(UnsafeRawBufferPointer(start: base + start, count: count - start), at: offset(ofChunkIndex: start))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(hit))
            let nextLineOffset: Int64
            if let newlineEnds {
                nextLineOffset = newlineEnds[newlineIndex]
                newlineIndex += 1
            } else {
                nextLineOffset = streamOffset + Int64(end + 1)
            }
            if carry.isEmpty && !isDiscardingOverlongTail {
                let lineOffset = offset(ofChunkIndex: start)
                try emit(UnsafeRawBufferPointer(start: base + start, count: end - start), offset: lineOffset, cut: false, body)
            } else {
                appendToCarry(UnsafeRawBufferPointer(start: base + start, count: end - start), at: offset(ofChunkIndex: start))
                let cut = isDiscardingOverlongTail
                isDiscardingOverlongTail = false
                try emitCarry(endOffset: nextLineOffset, cut: cut, body)
            }
            consumedOffset = nextLineOffset
            consumedLines = lineNumber
            pendingLineStart = nextLineOffset
            start = end + 1
        }
    }

    /// Offset in the original stream of the line that starts at `index` of the current chunk.
    private var pendingLineStart: Int64 = 0
    private func offset(ofChunkIndex index: Int) -> Int64 {
        transcoder == nil ? streamOffset + Int64(index) : pendingLineStart
    }

    private func appendToCarry(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        if carry.isEmpty && !isDiscardingOverlongTail { carryOffset = offset }
        if isDiscardingOverlongTail { return }
        let room = maxLineLength - carry.count
        if bytes.count > room {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<room]))
            isDiscardingOverlongTail = true
        } else {
            carry.append(contentsOf: bytes)
        }
    }

    private func emitCarry(endOffset: Int64, cut: Bool, _ body: (Line) throws -> Void) throws {
        let bytes = carry
        carry.removeAll(keepingCapacity: carry.capacity <= 1 << 16)
        try bytes.withUnsafeBytes { try emit($0, offset: carryOffset, cut: cut, body) }
    }

    private func emit(_ raw: UnsafeRawBufferPointer, offset: Int64, cut: Bool, _ body: (Line) throws -> Void) throws {
        lineNumber += 1
        var bytes = raw
        if lineNumber == 1, encoding == .utf8BOM, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
        }
        if lineNumber == 1, transcoder != nil, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            // U+FEFF transcoded from a UTF-16 BOM.
            bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
        }
        if let last = bytes.last, last == 0x0D {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 1)])
        }
        if cut { truncatedLines += 1 }
        if UTF8Validation.isValid(bytes) {
            try body(Line(bytes: bytes, number: lineNumber, offset: offset, isTruncated: cut))
            return
        }
        reencodedLines += 1
        Windows1252.transcode(bytes, into: &scratch)
        try scratch.withUnsafeBytes {
            try body(Line(bytes: $0, number: lineNumber, offset: offset, isTruncated: cut))
        }
    }
}
