/// X.500 distinguished names as Exchange prints them (`CN=mail.contoso.com, O=Contoso, C=US`).
public enum DistinguishedName {
    /// The first `CN=` value, without quotes or surrounding spaces.
    public static func commonName(in name: String) -> String? {
        attribute("CN", in: name)
    }

    /// The value of the first attribute named `key` (case-insensitive).
    public static func attribute(_ key: String, in name: String) -> String? {
        for part in split(name) {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let partKey = part[..<equals].trimmingCharacters(in: " ")
            if partKey.caseInsensitiveEquals(key) {
                var value = part[part.index(after: equals)...].trimmingCharacters(in: " ")
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = String(value.dropFirst().dropLast())
                }
                return value
            }
        }
        return nil
    }

    /// Splits at `,` (or `;`) outside quotes.
    static func split(_ name: String) -> [Substring] {
        var parts: [Substring] = []
        var start = name.startIndex
        var isQuoted = false
        var index = name.startIndex
        while index < name.endIndex {
            let character = name[index]
            if character == "\"" { isQuoted.toggle() }
            if !isQuoted, character == "," || character == ";" {
                parts.append(name[start..<index])
                start = name.index(after: index)
            }
            index = name.index(after: index)
        }
        parts.append(name[start...])
        return parts
    }
}

extension StringProtocol {
    /// The string without leading and trailing occurrences of `character`.
    func trimmingCharacters(in character: Character) -> String {
        var slice = self[...]
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }

    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        lowercased() == other.lowercased()
    }
}
