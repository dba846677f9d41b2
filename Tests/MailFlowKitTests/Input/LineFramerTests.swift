import Testing

@testable import MailFlowKit

@Suite("Line framing")
struct LineFramerTests {
    private func frame(_ bytes: [UInt8], chunkSize: Int) throws -> [(text: String, number: Int, offset: Int64)] {
        let framer = LineFramer()
        var lines: [(String, Int, Int64)] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + chunkSize)
            try bytes[index..<end].withUnsafeBytes { chunk in
                try framer.consume(chunk) { lines.append(($0.text, $0.number, $0.offset)) }
            }
            index = end
        }
        try framer.finish { lines.append(($0.text, $0.number, $0.offset)) }
        return lines
    }

    @Test("CRLF lines with a UTF-8 BOM keep their numbers and file offsets, whatever the chunk size", arguments: [1, 2, 3, 7, 64, 4096])
    func crlfAndBOM(chunkSize: Int) throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("#Software: X\r\nsecond,line\r\n\r\nlast".utf8)
        let lines = try frame(bytes, chunkSize: chunkSize)
        #expect(lines.map(\.text) == ["#Software: X", "second,line", "", "last"])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map(\.offset) == [0, 17, 30, 32])
    }

    @Test("UTF-16LE with BOM is transcoded to UTF-8 and offsets point into the original bytes", arguments: [1, 3, 5, 1024])
    func utf16LittleEndian(chunkSize: Int) throws {
        let text = "a,é\r\n€uro\n𝄞"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let framer = LineFramer()
        var lines: [(String, Int64)] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + chunkSize)
            try bytes[index..<end].withUnsafeBytes { try framer.consume($0) { lines.append(($0.text, $0.offset)) } }
            index = end
        }
        try framer.finish { lines.append(($0.text, $0.offset)) }
        #expect(framer.encoding == .utf16LE)
        #expect(lines.map(\.0) == ["a,é", "€uro", "𝄞"])
        #expect(lines.map(\.1) == [0, 12, 22])
    }

    @Test("UTF-16BE without a BOM is recognised from its zero bytes")
    func utf16BigEndianWithoutBOM() throws {
        var bytes: [UInt8] = []
        for unit in "ab\ncd".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let lines = try frame(bytes, chunkSize: 3)
        #expect(lines.map(\.text) == ["ab", "cd"])
    }

    @Test("a line that is not valid UTF-8 is read as Windows-1252 and counted")
    func windows1252Fallback() throws {
        let framer = LineFramer()
        var texts: [String] = []
        try [UInt8]([0x43, 0x61, 0x66, 0xE9, 0x0A, 0x80, 0x0A]).withUnsafeBytes { try framer.consume($0) { texts.append($0.text) } }
        #expect(texts == ["Café", "€"])
        #expect(framer.reencodedLines == 2)
    }

    @Test("the last line without a newline is delivered but not counted as consumed")
    func unterminatedLastLine() throws {
        let framer = LineFramer()
        var texts: [String] = []
        try Array("one\ntwo".utf8).withUnsafeBytes { try framer.consume($0) { texts.append($0.text) } }
        try framer.finish { texts.append($0.text) }
        #expect(texts == ["one", "two"])
        #expect(framer.consumedOffset == 4)
        #expect(framer.consumedLines == 1)
    }

    @Test("an overlong line is cut at the limit and flagged")
    func overlongLine() throws {
        let framer = LineFramer(maxLineLength: 8)
        var lines: [Line] = []
        var flags: [Bool] = []
        try Array("0123456789abcdef\nok\n".utf8).withUnsafeBytes { chunk in
            try framer.consume(UnsafeRawBufferPointer(rebasing: chunk[0..<5])) { _ in }
            try framer.consume(UnsafeRawBufferPointer(rebasing: chunk[5...])) { line in
                lines.append(line)
                flags.append(line.isTruncated)
            }
        }
        #expect(flags == [true, false])
        #expect(framer.truncatedLines == 1)
        _ = lines
    }
}
