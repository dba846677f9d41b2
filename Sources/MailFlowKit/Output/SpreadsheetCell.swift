import Foundation

/// One CSV cell that a spreadsheet opens as text, never as a formula.
///
/// Excel, LibreOffice and Google Sheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and,
/// after their own trimming, TAB or CR): a subject such as `=HYPERLINK("http://…")` or
/// `=cmd|' /C calc'!A0` would run when an administrator opens the export. OWASP's advice is to
/// prefix such a cell with `'`, which the spreadsheet shows as text and hides. Then the cell is
/// quoted as RFC 4180 wants when it holds a comma, a quote or a line break. Every CSV writer in
/// mailflow goes through `encoded`; JSON and NDJSON stay exact.
package enum SpreadsheetCell {
    static let formulaLeads: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `value` neutralised and quoted for a CSV with `separator` (`,` unless told).
    package static func encoded(_ value: String, separator: Character = ",") -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, formulaLeads.contains(Character(first)) { cell = "'" + cell }
        let separatorScalar = separator.unicodeScalars.first!
        // By scalar: "\r\n" is one Character, and would match neither "\r" nor "\n".
        guard cell.unicodeScalars.contains(where: { $0 == separatorScalar || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line from `values`.
    package static func line(_ values: [String]) -> String {
        values.map { encoded($0) }.joined(separator: ",")
    }

    /// The UTF-8 byte order mark Excel needs to read a CSV as UTF-8 rather than the ANSI code page.
    package static let byteOrderMark = "\u{FEFF}"
}
