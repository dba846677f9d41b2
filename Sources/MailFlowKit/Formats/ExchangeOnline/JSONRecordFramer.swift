/// Cuts a stream of JSON lines into record objects without holding more than one record.
///
/// Records are the objects that exports list: the elements of a top-level array
/// (`ConvertTo-Json`), top-level objects (one per line in NDJSON, or a single pretty-printed
/// object), and the elements of the `value`, `results` or `d` array of a wrapper object (OData
/// light `{"odata.metadata":…,"value":[…]}`, OData verbose `{"d":{"results":[…]}}`, Microsoft
/// Graph `{"@odata.context":…,"value":[…]}`). A top-level object is captured as a record until a
/// `value`/`results`/`d` member holding an array shows it to be a wrapper.
///
/// The framer only follows strings and brackets; each captured record is then parsed by
/// ``JSONDocument``. Memory stays bounded by the largest record (``maxRecordBytes``), however
/// long the array. A JSON string cannot hold a raw line break, so a line that ends inside a
/// string is broken, and so is a line of a one-object-per-line file that does not close its object:
/// both are set aside and reading resumes at the next line.
struct JSONRecordFramer {
    enum Piece {
        /// One record's text; the line number and offset are those of the line it starts on.
        case record(Line)
        /// Text that cannot be framed, with a sentence saying why.
        case malformed(Line, String)
    }

    let maxRecordBytes: Int

    private enum Role {
        /// A top-level (or `d`) object captured as a record unless it turns out to be a wrapper.
        case candidate
        /// An object whose `value`/`results`/`d` member holds the records.
        case wrapper
        /// An array whose object elements are records.
        case recordArray
        /// A captured record.
        case record
        /// Any value inside a captured record.
        case inside
        /// A value of a wrapper that holds no records.
        case skip
    }

    private enum Key {
        case other, value, results, d
    }

    private struct Frame {
        var isArray: Bool
        var role: Role
        var key: Key = .other
        var expectingKey: Bool
    }

    private var stack: [Frame] = []
    private var inString = false
    private var isEscaped = false
    private var isCollectingKey = false
    private var keyBytes: [UInt8] = []

    private var isCapturing = false
    private var captureDepth = 0
    private var capture: [UInt8] = []
    private var captureLine = 0
    private var captureOffset: Int64 = 0
    private var captureOverflowed = false
    /// Whether the file holds one value per line (NDJSON), judged from its first value.
    private var isLineDelimited: Bool?
    private var topLevelStartLine = 0

    init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// The line a record not yet complete starts on.
    var pendingStart: Checkpoint? {
        isCapturing ? Checkpoint(offset: captureOffset, line: captureLine - 1) : nil
    }

    mutating func feed(_ line: Line, _ body: (Piece) -> Void) {
        let bytes = line.bytes
        var segmentStart = 0
        if isCapturing, !captureOverflowed { capture.append(0x0A) }
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if inString {
                if isEscaped {
                    isEscaped = false
                } else if byte == UInt8(ascii: "\\") {
                    isEscaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if isCollectingKey {
                        isCollectingKey = false
                        stack[stack.count - 1].key = Self.classify(keyBytes)
                    }
                } else if isCollectingKey, keyBytes.count < 16 {
                    keyBytes.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0D:
                break
            case UInt8(ascii: "\""):
                inString = true
                if let top = stack.last, !top.isArray, top.expectingKey, top.role == .candidate || top.role == .wrapper {
                    isCollectingKey = true
                    keyBytes.removeAll(keepingCapacity: true)
                }
            case UInt8(ascii: ":"):
                if !stack.isEmpty, !stack[stack.count - 1].isArray { stack[stack.count - 1].expectingKey = false }
            case UInt8(ascii: ","):
                if !stack.isEmpty, !stack[stack.count - 1].isArray {
                    stack[stack.count - 1].expectingKey = true
                    stack[stack.count - 1].key = .other
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if stack.isEmpty { topLevelStartLine = line.number }
                if open(isArray: byte == UInt8(ascii: "["), line: line) { segmentStart = index }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard let top = stack.popLast(), top.isArray == (byte == UInt8(ascii: "]")) else {
                    let found = stack.isEmpty && !isCapturing ? "nothing open" : "a different bracket open"
                    reset()
                    body(.malformed(line, "line \(line.number) closes '\(Character(Unicode.Scalar(byte)))' at column \(index + 1) with \(found); the rest of the line was skipped"))
                    return
                }
                if isCapturing, stack.count + 1 == captureDepth {
                    appendToCapture(UnsafeRawBufferPointer(rebasing: bytes[segmentStart...index]))
                    isCapturing = false
                    deliverCapture(body)
                }
                if stack.isEmpty, isLineDelimited == nil { isLineDelimited = topLevelStartLine == line.number }
            default:
                if stack.isEmpty {
                    reset()
                    body(.malformed(line, "line \(line.number) has '\(Character(Unicode.Scalar(byte)))' at column \(index + 1) where a JSON object or array should start; the rest of the line was skipped"))
                    return
                }
            }
            index += 1
        }
        if isCapturing { appendToCapture(UnsafeRawBufferPointer(rebasing: bytes[segmentStart..<count])) }
        if inString {
            let start = isCapturing ? captureLine : line.number
            reset()
            body(.malformed(line, "line \(line.number) ends inside a JSON string (the value that starts on line \(start) is cut); reading resumes at the next line"))
            return
        }
        if isLineDelimited == true, !stack.isEmpty {
            let start = isCapturing ? captureLine : line.number
            let text = isCapturing ? capture : Array(bytes)
            let offset = isCapturing ? captureOffset : line.offset
            reset()
            text.withUnsafeBytes {
                body(.malformed(Line(bytes: $0, number: start, offset: offset),
                                "line \(start) does not close its JSON object, and every other object of this file is on one line; reading resumes at the next line"))
            }
        }
    }

    /// Ends the input: a record still open is reported as cut.
    mutating func finish(_ body: (Piece) -> Void) {
        guard isCapturing else {
            reset()
            return
        }
        let text = capture
        let number = captureLine
        let offset = captureOffset
        reset()
        text.withUnsafeBytes {
            body(.malformed(Line(bytes: $0, number: number, offset: offset),
                            "the JSON object that starts on line \(number) is not closed at the end of the input"))
        }
    }

    /// Pushes a frame; returns whether a capture starts at this bracket.
    private mutating func open(isArray: Bool, line: Line) -> Bool {
        let role: Role
        if let parent = stack.last {
            switch parent.role {
            case .recordArray:
                role = isArray ? .recordArray : .record
            case .candidate, .wrapper:
                let holdsRecords = (isArray && (parent.key == .value || parent.key == .results)) || parent.key == .d
                if holdsRecords {
                    if parent.role == .candidate {
                        // The object was a wrapper: what was captured of it was its metadata.
                        stack[stack.count - 1].role = .wrapper
                        isCapturing = false
                        capture.removeAll(keepingCapacity: capture.capacity <= 1 << 16)
                    }
                    role = isArray ? .recordArray : .candidate
                } else {
                    role = parent.role == .candidate ? .inside : .skip
                }
            case .record, .inside:
                role = .inside
            case .skip:
                role = .skip
            }
        } else {
            role = isArray ? .recordArray : .candidate
        }
        stack.append(Frame(isArray: isArray, role: role, expectingKey: !isArray))
        guard role == .candidate || role == .record else { return false }
        isCapturing = true
        captureDepth = stack.count
        captureLine = line.number
        captureOffset = line.offset
        captureOverflowed = false
        capture.removeAll(keepingCapacity: capture.capacity <= 1 << 16)
        return true
    }

    private mutating func appendToCapture(_ bytes: UnsafeRawBufferPointer) {
        guard !captureOverflowed else { return }
        if capture.count + bytes.count > maxRecordBytes {
            captureOverflowed = true
            return
        }
        capture.append(contentsOf: bytes)
    }

    private mutating func deliverCapture(_ body: (Piece) -> Void) {
        let overflowed = captureOverflowed
        captureOverflowed = false
        capture.withUnsafeBytes { text in
            let line = Line(bytes: text, number: captureLine, offset: captureOffset)
            if overflowed {
                body(.malformed(line, "the JSON object that starts on line \(captureLine) is larger than \(maxRecordBytes) bytes and was not read"))
            } else {
                body(.record(line))
            }
        }
    }

    private mutating func reset() {
        stack.removeAll(keepingCapacity: true)
        inString = false
        isEscaped = false
        isCollectingKey = false
        isCapturing = false
        captureOverflowed = false
        capture.removeAll(keepingCapacity: capture.capacity <= 1 << 16)
    }

    private static func classify(_ key: [UInt8]) -> Key {
        switch key {
        case Array("value".utf8), Array("Value".utf8): return .value
        case Array("results".utf8): return .results
        case Array("d".utf8): return .d
        default: return .other
        }
    }
}
