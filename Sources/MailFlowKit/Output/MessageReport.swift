/// Renders per-message verdicts: CSV for Excel (UTF-8 BOM, formula-safe), NDJSON for SIEMs, JSON, a table.
package enum MessageReport {
    package enum Format: String, Sendable, CaseIterable {
        case csv, ndjson, json, table
    }

    static let columns = ["time", "message_id", "sender", "from", "recipients", "subject", "final_reply", "outcome", "owner_tenant",
                          "observed_tenant", "path", "finding_id"]

    static func values(_ row: MessageExportRow) -> [String] {
        [row.time, row.messageId, row.sender, row.fromAddress, row.recipients.joined(separator: "; "), row.subject, row.finalReply, row.outcome,
         row.ownerTenant, row.observedTenant, row.path, row.findingId]
    }

    package static func render(_ rows: [MessageExportRow], format: Format, width: Int?) -> String {
        switch format {
        case .csv:
            // The byte order mark makes Excel read UTF-8 (subjects in any language) instead of the ANSI code page.
            return SpreadsheetCell.byteOrderMark + ([SpreadsheetCell.line(columns)] + rows.map { SpreadsheetCell.line(values($0)) }).joined(separator: "\r\n")
        case .ndjson: return rows.map(object).joined(separator: "\n")
        case .json: return "[" + rows.map(object).joined(separator: ",\n") + "]"
        case .table:
            let shown = ["time", "sender", "recipients", "subject", "outcome", "final_reply"]
            let indexes = shown.compactMap { columns.firstIndex(of: $0) }
            let result = ReadOnlyQuery.Result(columns: shown, rows: rows.map { row in
                let all = values(row)
                return indexes.map { .text(all[$0]) }
            })
            return QueryReport.table(result, width: width)
        }
    }

    private static func object(_ row: MessageExportRow) -> String {
        let strings = zip(columns, values(row)).map { ($0, JSONText.string($1)) }
        // Recipients as an array for machines.
        return JSONText.object(strings.map { $0.0 == "recipients" ? ($0.0, "[" + row.recipients.map(JSONText.string).joined(separator: ",") + "]") : $0 })
    }
}
