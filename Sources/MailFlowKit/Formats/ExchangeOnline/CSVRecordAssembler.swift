#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Joins the lines of CSV records whose quoted fields contain line breaks.
///
/// `Export-Csv` writes a subject or a trace detail with a line break as it is, inside the quotes,
/// so one record can span several lines. The assembler follows the quoting state across lines and
/// hands out whole records that carry the number and offset of their first line. A record still
/// open after ``maxLines`` lines (a stray quote) is not allowed to swallow the rest of the file:
/// its first line is set aside and the lines after it are read again.
struct CSVRecordAssembler {
    /// What happened to a line given to ``feed(_:_:)``.
    enum Piece {
        /// A whole record (possibly the line itself, without copying).
        case record(Line)
        /// A line that opened a quoted field never closed within the bound, or before the end.
        case unterminated(Line, reason: String)
    }

    let maxLines: Int
    /// The field delimiter, once known; before that both `,` and `;` open a field.
    var delimiter: UInt8?

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    private var buffer: [UInt8] = []
    /// Start in ``buffer``, length, number and offset of each line of the pending record.
    private var lines: [(start: Int, count: Int, number: Int, offset: Int64)] = []
    private var state = State.fieldStart

    init(maxLines: Int = 64) {
        self.maxLines = maxLines
    }

    /// The first line of a record not yet complete.
    var pendingStart: Checkpoint? {
        guard let first = lines.first else { return nil }
        return Checkpoint(offset: first.offset, line: first.number - 1)
    }

    var isPending: Bool { !lines.isEmpty }

    /// Adds one line; `body` sees every record or set-aside line that it completes.
    mutating func feed(_ line: Line, _ body: (Piece) -> Void) {
        if lines.isEmpty {
            state = .fieldStart
            advance(over: line.bytes)
            if state != .quoted {
                body(.record(line))
                return
            }
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            append(line)
            return
        }
        buffer.append(0x0A)  // the line break inside the quoted field
        append(line)
        advance(over: line.bytes)
        if state != .quoted {
            let first = lines[0]
            lines.removeAll(keepingCapacity: true)
            buffer.withUnsafeBytes { raw in
                body(.record(Line(bytes: UnsafeRawBufferPointer(rebasing: raw[first.start...]), number: first.number, offset: first.offset)))
            }
            return
        }
        if lines.count >= maxLines {
            setAsideFirstLine(reason: "line \(lines[0].number) opens a quoted field that is still open \(maxLines) lines later; it was set aside and the lines after it were read again", body)
        }
    }

    /// Ends the input: a record still open is set aside line by line.
    mutating func finish(_ body: (Piece) -> Void) {
        while !lines.isEmpty {
            setAsideFirstLine(reason: "line \(lines[0].number) opens a quoted field that the file never closes; it was set aside and the lines after it were read again", body)
        }
    }

    private mutating func append(_ line: Line) {
        lines.append((buffer.count, line.bytes.count, line.number, line.offset))
        buffer.append(contentsOf: line.bytes)
    }

    private mutating func setAsideFirstLine(reason: String, _ body: (Piece) -> Void) {
        let saved = buffer
        let savedLines = lines
        lines.removeAll()
        buffer.removeAll(keepingCapacity: true)
        saved.withUnsafeBytes { raw in
            let first = savedLines[0]
            body(.unterminated(Line(bytes: UnsafeRawBufferPointer(rebasing: raw[first.start..<first.start + first.count]),
                                    number: first.number, offset: first.offset), reason: reason))
            for piece in savedLines.dropFirst() {
                feed(Line(bytes: UnsafeRawBufferPointer(rebasing: raw[piece.start..<piece.start + piece.count]),
                          number: piece.number, offset: piece.offset), body)
            }
        }
    }

    /// Runs the quoting state machine over one line (the same leniency as ``CSVScanner``: a quote
    /// opens a quoted field only at the start of a field).
    private mutating func advance(over bytes: UnsafeRawBufferPointer) {
        let quote = UInt8(ascii: "\"")
        if state != .quoted, ByteText.index(of: quote, in: bytes) == nil {
            state = .unquoted
            return
        }
        // Jump from quote to quote, and from delimiter to delimiter, with memchr: most bytes of an
        // all-quoted Export-Csv line are inside quotes, so this touches few of them one by one.
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var state = self.state
        var index = 0
        while index < count {
            switch state {
            case .fieldStart:
                let byte = bytes[index]
                if byte == quote { state = .quoted } else if !isDelimiter(byte) { state = .unquoted }
                index += 1
            case .unquoted:
                guard let next = nextDelimiter(in: base, from: index, count: count) else { index = count; break }
                state = .fieldStart
                index = next + 1
            case .quoted:
                guard let hit = memchr(base + index, Int32(quote), count - index) else { index = count; break }
                state = .quoteInQuoted
                index = base.distance(to: UnsafeRawPointer(hit)) + 1
            case .quoteInQuoted:
                let byte = bytes[index]
                if byte == quote { state = .quoted } else if isDelimiter(byte) { state = .fieldStart } else { state = .unquoted }
                index += 1
            }
        }
        self.state = state
    }

    /// The index of the next delimiter at or after `start`.
    private func nextDelimiter(in base: UnsafeRawPointer, from start: Int, count: Int) -> Int? {
        if let delimiter {
            return memchr(base + start, Int32(delimiter), count - start).map { base.distance(to: UnsafeRawPointer($0)) }
        }
        var index = start
        while index < count {
            if isDelimiter(base.load(fromByteOffset: index, as: UInt8.self)) { return index }
            index += 1
        }
        return nil
    }

    @inline(__always)
    private func isDelimiter(_ byte: UInt8) -> Bool {
        if let delimiter { return byte == delimiter }
        return byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
    }
}
