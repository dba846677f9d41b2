/// Values from logs and exports, made safe to place in a PowerShell command an administrator pastes.
///
/// Every subject, address, domain and connector name in the input was written by someone else
/// (`from=<bounces@crm.example';Start-Process calc;'>` is a valid relay-log line). A command is
/// built from fixed code and values that pass through here, nothing else:
/// - ``quoted(_:)`` makes any value one single-quoted literal, with every quote character PowerShell
///   recognises (`'` and the typographic ‘ ’ ‚ ‛) doubled, so nothing in it runs;
/// - ``domain(_:)`` accepts only domain-shaped values where a value is also spliced into a host name,
///   a file path or a shell argument; the caller writes a placeholder and says why when it refuses;
/// - ``comment(_:)`` keeps a comment on its one line (a line break would end it and start a command).
package enum PowerShellLiteral {
    /// The characters PowerShell's tokenizer treats as a single quote.
    static let quoteCharacters: Set<Character> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

    /// `O'Brien` → `'O''Brien'`; control characters become spaces so the literal stays on one line.
    package static func quoted(_ value: String) -> String {
        var result = "'"
        for character in oneLine(value) {
            result.append(character)
            if quoteCharacters.contains(character) { result.append(character) }
        }
        result.append("'")
        return result
    }

    /// The value when it is shaped like a DNS name (`contoso.com`, `*.contoso.com`, `mail-1.contoso.com`),
    /// nil otherwise: letters, digits, `-`, `_`, `.` and a leading `*.`, at most 253 characters.
    package static func domain(_ value: String) -> String? {
        var body = Substring(value)
        if body.hasPrefix("*.") { body = body.dropFirst(2) }
        guard !body.isEmpty, value.utf8.count <= 253, !body.hasPrefix("-"), !body.hasPrefix("."), !body.hasSuffix("-"),
            !body.contains("..")
        else { return nil }
        for byte in body.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                continue
            default:
                return nil
            }
        }
        return value
    }

    /// A `# …` comment line with the value kept on it.
    package static func comment(_ text: String) -> String { "# " + oneLine(text) }

    /// Why a value was not filled in, as a comment line the administrator reads above the command.
    package static func refusal(_ value: String, placeholder: String) -> String {
        comment("\(quoted(value)) from the logs is not a domain name, so it is not filled in: replace \(placeholder)")
    }

    /// C0 and C1 controls (line breaks, ESC) and Unicode line/paragraph separators as spaces.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: return " "
            default: return scalar
            }
        }))
    }
}
