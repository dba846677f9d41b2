/// JSON text written in a given key order (Foundation's encoder sorts or shuffles keys).
///
/// Strings are escaped exactly (RFC 8259): quote, backslash and every control character; the rest
/// of the text, escapes from logs included, is kept as it was, so JSON stays byte-exact data.
package enum JSONText {
    package static func string(_ value: String) -> String {
        var output = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// A SQLite value as JSON: NULL as null, numbers as numbers, text as a string.
    package static func value(_ value: SQLValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let integer): return String(integer)
        case .real(let real): return real.isFinite ? String(real) : "null"
        case .text(let text): return string(text)
        }
    }

    /// An object with `pairs` in order.
    package static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
