/// Renders the rows of a `mailflow query`: a table for people, CSV for spreadsheets, JSON and NDJSON for scripts.
package enum QueryReport {
    package enum Format: String, Sendable, CaseIterable {
        case table, csv, json, ndjson
    }

    /// - Parameter width: the terminal's width: a table wider than that has its widest columns cut
    ///   (with `…`); `nil` prints every cell whole.
    package static func render(_ result: ReadOnlyQuery.Result, format: Format, width: Int?) -> String {
        switch format {
        case .table: return table(result, width: width)
        case .csv: return ([SpreadsheetCell.line(result.columns)] + result.rows.map { SpreadsheetCell.line($0.map(\.description)) }).joined(separator: "\n")
        case .json: return "[" + result.rows.map { object(result.columns, $0) }.joined(separator: ",\n") + "]"
        case .ndjson: return result.rows.map { object(result.columns, $0) }.joined(separator: "\n")
        }
    }

    private static func object(_ columns: [String], _ row: [SQLValue]) -> String {
        JSONText.object(zip(columns, row).map { ($0, JSONText.value($1)) })
    }

    /// Columns padded to their widest cell; cut to fit `width`, widest first, never below 8 characters.
    package static func table(_ result: ReadOnlyQuery.Result, width: Int?) -> String {
        let header = result.columns.map(TerminalText.sanitized)
        let cells = result.rows.map { $0.map { TerminalText.sanitized($0.description) } }
        var widths = header.map(\.count)
        for row in cells { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        if let width {
            let separators = 2 * max(0, widths.count - 1)
            while widths.reduce(0, +) + separators > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 8 {
                widths[widest] -= 1
            }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                let cell = value.count > widths[index] ? String(value.prefix(widths[index] - 1)) + "…" : value
                return index == values.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        lines += cells.map(line)
        lines.append("(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n")
    }

    /// `mailflow query --schema`: the convenience views with what their rows are, then every table.
    package static func schema(_ objects: [ReadOnlyQuery.SchemaObject]) -> String {
        var lines: [String] = []
        for object in objects {
            lines.append("\(object.kind) \(object.name)" + (object.about.map { ": " + $0 } ?? ""))
            lines.append("    " + object.columns.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
