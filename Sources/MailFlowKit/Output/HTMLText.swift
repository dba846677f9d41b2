/// Text made safe inside HTML: every `&`, `<`, `>`, `"` and `'` escaped, so a subject such as
/// `<script>alert(1)</script>` is shown as text, in element content and in quoted attributes alike.
package enum HTMLText {
    package static func escaped(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}
