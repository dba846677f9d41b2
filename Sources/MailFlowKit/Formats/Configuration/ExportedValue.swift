/// A property value of a PowerShell object as an export carries it, whichever serialiser wrote
/// it (`ConvertTo-Json` of PowerShell 7 or 5.1, `Export-Clixml`).
///
/// The shapes differ between serialisers (an enum is `"OnPremises"`, `1`, or a CliXml object
/// whose `<ToString>` is `OnPremises`; a list is an array, `{"value":[…]}`, or `<LST>`), so the
/// readers turn both into this one model and the accessors below hide the differences.
indirect enum ExportedValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    /// A CliXml `<DT>`, as UTC epoch milliseconds.
    case date(Int64)
    case list([ExportedValue])
    case object(ExportedObject)

    /// The value of a JSON document, unchanged in meaning (dates stay strings until asked for).
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .integer(let value): self = .integer(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let elements): self = .list(elements.map(ExportedValue.init(json:)))
        case .object(let members):
            var object = ExportedObject()
            for member in members { object.append(member.key, ExportedValue(json: member.value)) }
            self = .object(object)
        }
    }

    /// The display text: a string as is, a number in decimal, an object's `ToString()` (or the
    /// text of the primitive it wraps); `nil` for null, lists and objects without a text.
    var text: String? {
        switch self {
        case .null, .list: return nil
        case .bool(let value): return value ? "True" : "False"
        case .integer(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return value
        case .date(let milliseconds): return Timestamp.iso8601(milliseconds)
        case .object(let object): return object.text ?? object.primitive?.text
        }
    }

    /// The display text, or for an object without one the text of the first of `keys` it has
    /// (`{"Address":"*.contoso.com", …}` → `*.contoso.com`).
    func text(preferring keys: [String]) -> String? {
        if case .object(let object) = self, object.text == nil, object.primitive == nil {
            for key in keys {
                if let text = object[key]?.text(preferring: keys), !text.isEmpty { return text }
            }
            return nil
        }
        return text
    }

    var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .integer(let value): return value != 0
        case .string(let value):
            switch value.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        case .object(let object): return object.primitive?.bool
        default: return nil
        }
    }

    /// The elements of a multi-valued property, whatever shape the serialiser gave it: an array,
    /// a CliXml `<LST>`, the `{"value":[…],"Count":n}` wrapper Windows PowerShell writes for
    /// deserialised lists, or a single value standing for a list of one.
    var elements: [ExportedValue] {
        switch self {
        case .null: return []
        case .list(let elements): return elements
        case .object(let object): return object.wrappedList ?? [self]
        default: return [self]
        }
    }

    /// UTC epoch milliseconds of a date: a CliXml `<DT>`, an ISO 8601 string (PowerShell 7), or
    /// `/Date(1700000000000)/` (Windows PowerShell 5.1, an offset suffix ignored: the count is UTC).
    var epochMilliseconds: Int64? {
        switch self {
        case .date(let milliseconds): return milliseconds
        case .string(let text): return Self.epochMilliseconds(text)
        case .object(let object):
            // A DateTime that PowerShell 5.1 serialised with its extra members: {"value":"\/Date(…)\/","DateTime":"…"}.
            return object["value"]?.epochMilliseconds ?? object.primitive?.epochMilliseconds
        default: return nil
        }
    }

    static func epochMilliseconds(_ text: String) -> Int64? {
        let clean = Self.trimmed(text)
        if clean.hasPrefix("/Date(") {
            var digits = clean.dropFirst(6)
            let isNegative = digits.first == "-"
            if isNegative { digits = digits.dropFirst() }
            let number = digits.prefix { $0.isASCII && $0.isNumber }
            guard !number.isEmpty, let value = Int64(number) else { return nil }
            return isNegative ? -value : value
        }
        return Timestamp.parseISO8601(clean)
    }
}

/// An object of an export: its properties, and for CliXml its type names and `ToString()`.
struct ExportedObject: Equatable, Sendable {
    struct Property: Equatable, Sendable {
        var name: String
        var value: ExportedValue
    }

    /// The .NET type names, most derived first (CliXml `<TN>`; empty for JSON).
    var typeNames: [String] = []
    /// The object's `ToString()` (CliXml `<ToString>`): the text of an enum or an Exchange value type.
    var text: String?
    /// The primitive an enum or wrapper object holds (`<I32>2</I32>` beside `<ToString>CertificateValidation</ToString>`).
    var primitive: ExportedValue?
    private(set) var properties: [Property] = []
    /// Lower-cased name → position of its first occurrence.
    private var positions: [String: Int] = [:]

    init(typeNames: [String] = [], text: String? = nil, primitive: ExportedValue? = nil) {
        self.typeNames = typeNames
        self.text = text
        self.primitive = primitive
    }

    mutating func append(_ name: String, _ value: ExportedValue) {
        let key = name.lowercased()
        if positions[key] == nil { positions[key] = properties.count }
        properties.append(Property(name: name, value: value))
    }

    /// The property called `name`, ignoring case (PowerShell property names are case-insensitive).
    subscript(name: String) -> ExportedValue? {
        positions[name.lowercased()].map { properties[$0].value }
    }

    func has(_ name: String) -> Bool { positions[name.lowercased()] != nil }

    /// The elements of a list that Windows PowerShell wrapped as `{"value":[…],"Count":n}`, or
    /// `nil` when this is an ordinary object.
    var wrappedList: [ExportedValue]? {
        guard text == nil, case .list(let elements)? = self["value"],
            properties.allSatisfy({ ["value", "count"].contains($0.name.lowercased()) })
        else { return nil }
        return elements
    }

    /// The trimmed text of a property, `nil` when absent, null or empty.
    func string(_ name: String, preferring keys: [String] = []) -> String? {
        guard let raw = self[name]?.text(preferring: keys) else { return nil }
        let text = ExportedValue.trimmed(raw)
        guard !text.isEmpty else { return nil }
        return text
    }

    func bool(_ name: String) -> Bool? { self[name]?.bool }

    func elements(_ name: String) -> [ExportedValue] { self[name]?.elements ?? [] }

    func date(_ name: String) -> Int64? { self[name]?.epochMilliseconds }

    /// True when one of the type names ends with `suffix` (`…SystemConfiguration.ReceiveConnector`).
    func isType(endingWith suffix: String) -> Bool {
        typeNames.contains { $0.hasSuffix("." + suffix) || $0 == suffix }
    }
}

extension ExportedValue {
    /// `text` without leading and trailing white space (no Foundation needed).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
