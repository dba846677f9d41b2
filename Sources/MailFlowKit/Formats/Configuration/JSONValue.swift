/// A JSON value, parsed whole from bytes.
///
/// Made for documents small enough to hold in memory (configuration exports of a few hundred
/// objects): every string becomes a `String`, objects keep their members in document order.
///
/// ```swift
/// let value = try bytes.withUnsafeBytes { try JSONValue.parse($0) }
/// if case .string(let name)? = value["Name"] { print(name) }
/// ```
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits (`-3`, `1700000000000`).
    case integer(Int64)
    /// Any other number (`1.5`, `2e3`, integers beyond 64 bits).
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order; a repeated key keeps every occurrence, lookups find the first.
    case object([JSONMember])

    /// The value of the first member named exactly `key`, when this is an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Parses `bytes`, which must hold exactly one value (white space around it is allowed).
    ///
    /// - Throws: ``JSONSyntaxError`` with the byte offset of the first thing that is not JSON.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONValueParser(bytes: bytes)
        parser.skipWhiteSpace()
        let value = try parser.value(depth: 0)
        parser.skipWhiteSpace()
        guard parser.index == bytes.count else { throw parser.error("end of the document") }
        return value
    }

    /// Parses a sequence of values separated only by white space, as a loop of
    /// `ConvertTo-Json` calls writes them (`{…}` `{…}`); an empty document gives no values.
    static func parseSequence(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> [JSONValue] {
        var parser = JSONValueParser(bytes: bytes)
        var values: [JSONValue] = []
        parser.skipWhiteSpace()
        while parser.index < bytes.count {
            values.append(try parser.value(depth: 0))
            parser.skipWhiteSpace()
        }
        return values
    }
}

/// One `"key": value` pair of a JSON object.
struct JSONMember: Equatable, Sendable {
    var key: String
    var value: JSONValue
}

/// Why bytes are not JSON: what was expected, and where.
struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    /// Byte offset of the offending byte (or of the end of the text).
    var offset: Int
    var expected: String

    var description: String { "expected \(expected) at byte \(offset)" }
}

/// A recursive-descent JSON reader over bytes (RFC 8259; a leading byte-order mark is skipped).
struct JSONValueParser {
    /// Deeper nesting is refused rather than risking the stack (PowerShell's own limit is 100).
    static let maxDepth = 256

    let bytes: UnsafeRawBufferPointer
    var index = 0
    private var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    func error(_ expected: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index, expected: expected)
    }

    mutating func skipWhiteSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maxDepth else { throw error("at most \(Self.maxDepth) levels of nesting") }
        guard index < bytes.count else { throw error("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), 0x30...0x39: return try number()
        default: throw error("a value")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [JSONMember] = []
        skipWhiteSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhiteSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("a member name in quotes") }
            let key = try string()
            skipWhiteSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("':' after a member name") }
            index += 1
            skipWhiteSpace()
            members.append(JSONMember(key: key, value: try value(depth: depth + 1)))
            skipWhiteSpace()
            guard index < bytes.count else { throw error("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("',' or '}'") }
            index += 1
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhiteSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhiteSpace()
            elements.append(try value(depth: depth + 1))
            skipWhiteSpace()
            guard index < bytes.count else { throw error("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw error("',' or ']'") }
            index += 1
            return .array(elements)
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        guard let end = JSONStringLiteral.decode(bytes, from: index, into: &scratch) else {
            throw error("a closed string with valid escapes")
        }
        index = end
        return String(decoding: scratch, as: UTF8.self)
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        guard ByteText.hasPrefix(UnsafeRawBufferPointer(rebasing: bytes[index...]), word) else { throw error("'\(word)'") }
        index += word.utf8CodeUnitCount
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isIntegral = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            // No leading zeros: `0` stands alone before a fraction or exponent.
            index += 1
        } else {
            guard digits() > 0 else { throw error("a digit") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isIntegral = false
            index += 1
            guard digits() > 0 else { throw error("a digit after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isIntegral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("a digit in the exponent") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isIntegral, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text) else { throw JSONSyntaxError(offset: start, expected: "a number") }
        return .double(double)
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        return index - start
    }
}
