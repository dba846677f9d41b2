/// A small parsed JSON value whose strings, keys and numbers live in one byte store.
///
/// Made for one record at a time (a message trace object of a few hundred bytes): parsing
/// allocates the store and the tree once, and field values are read as byte slices of the store,
/// so they can go into an ``EventBatch`` without building `String`s.
struct JSONDocument {
    indirect enum Value {
        case null
        case bool(Bool)
        /// The number's text, as written.
        case number(Range<Int>)
        /// The decoded string (UTF-8).
        case string(Range<Int>)
        case array([Value])
        case object([Member])
    }

    struct Member {
        /// The decoded key.
        var key: Range<Int>
        var value: Value
    }

    /// Why a text is not one JSON value.
    struct SyntaxError: Error, CustomStringConvertible {
        /// Byte offset in the text.
        var offset: Int
        var expected: String

        var description: String { "expected \(expected) at byte \(offset + 1) of the object" }
    }

    static let maxDepth = 64

    private(set) var store: [UInt8] = []
    private(set) var root: Value = .null

    /// Parses `text`, which must hold one JSON value and nothing else but white space.
    init(parsing text: UnsafeRawBufferPointer) throws(SyntaxError) {
        var parser = Parser(text: text, store: [])
        parser.store.reserveCapacity(text.count)
        parser.skipSpace()
        root = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == text.count else { throw SyntaxError(offset: parser.index, expected: "the end of the value") }
        store = parser.store
    }

    /// Calls `body` with the store's bytes, from which ranges of values are sliced.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try store.withUnsafeBytes(body)
    }

    /// The value of `key` in `object` (ASCII case-insensitive), or `nil`.
    func member(_ key: StaticString, of object: Value) -> Value? {
        guard case .object(let members) = object else { return nil }
        return store.withUnsafeBytes { bytes in
            for member in members where ByteText.equals(UnsafeRawBufferPointer(rebasing: bytes[member.key]), key, ignoringCase: true) {
                return member.value
            }
            return nil
        }
    }

    /// The keys of an object, decoded, for classification and messages.
    func keys(of object: Value) -> [String] {
        guard case .object(let members) = object else { return [] }
        return store.withUnsafeBytes { bytes in members.map { ByteText.string(UnsafeRawBufferPointer(rebasing: bytes[$0.key])) } }
    }

    /// The bytes of a string or number value within `bytes` (the store); empty for anything else.
    ///
    /// PowerShell 5.1 sometimes writes a date as `{"value":"\/Date(…)\/","DisplayHint":2,…}`:
    /// such a wrapper yields its `value`.
    func text(of value: Value?, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        switch value {
        case .string(let range)?, .number(let range)?:
            return UnsafeRawBufferPointer(rebasing: bytes[range])
        case .bool(let flag)?:
            let word: StaticString = flag ? "True" : "False"
            return UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        case .object?:
            let inner = member("value", of: value!)
            if case .object? = inner { return MessageTraceRow.empty }
            return text(of: inner, in: bytes)
        default:
            return MessageTraceRow.empty
        }
    }

    private struct Parser {
        let text: UnsafeRawBufferPointer
        var store: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < text.count {
                switch text[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> Value {
            guard depth < JSONDocument.maxDepth else { throw SyntaxError(offset: index, expected: "at most \(JSONDocument.maxDepth) levels of nesting") }
            guard index < text.count else { throw SyntaxError(offset: index, expected: "a value") }
            switch text[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [Member] = []
                skipSpace()
                if index < text.count, text[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    guard index < text.count, text[index] == UInt8(ascii: "\"") else { throw SyntaxError(offset: index, expected: "a quoted key") }
                    let key = try string()
                    skipSpace()
                    guard index < text.count, text[index] == UInt8(ascii: ":") else { throw SyntaxError(offset: index, expected: "':' after a key") }
                    index += 1
                    skipSpace()
                    members.append(Member(key: key, value: try value(depth: depth + 1)))
                    skipSpace()
                    guard index < text.count else { throw SyntaxError(offset: index, expected: "',' or '}'") }
                    if text[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard text[index] == UInt8(ascii: "}") else { throw SyntaxError(offset: index, expected: "',' or '}'") }
                    index += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var elements: [Value] = []
                skipSpace()
                if index < text.count, text[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                }
                while true {
                    skipSpace()
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < text.count else { throw SyntaxError(offset: index, expected: "',' or ']'") }
                    if text[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard text[index] == UInt8(ascii: "]") else { throw SyntaxError(offset: index, expected: "',' or ']'") }
                    index += 1
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default:
                let start = index
                while index < text.count {
                    let byte = text[index]
                    guard (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                    else { break }
                    index += 1
                }
                guard index > start else { throw SyntaxError(offset: index, expected: "a value") }
                let range = store.count..<store.count + (index - start)
                store.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[start..<index]))
                return .number(range)
            }
        }

        mutating func literal(_ word: StaticString) throws(SyntaxError) {
            guard ByteText.hasPrefix(UnsafeRawBufferPointer(rebasing: text[index...]), word) else {
                throw SyntaxError(offset: index, expected: "'\(word)'")
            }
            index += word.utf8CodeUnitCount
        }

        /// Decodes the string literal at `index` into the store.
        mutating func string() throws(SyntaxError) -> Range<Int> {
            var decoded: [UInt8] = []
            guard let end = JSONStringLiteral.decode(text, from: index, into: &decoded) else {
                throw SyntaxError(offset: index, expected: "a closed string")
            }
            index = end
            let range = store.count..<store.count + decoded.count
            store.append(contentsOf: decoded)
            return range
        }
    }
}
