/// The reads behind `mailflow trace` and `mailflow quarantine`: one message's records from every
/// table, and the quarantined lines with their files.
extension Database {
    /// Events, SMTP transactions with their recipients, and the verdict of a Message-ID, each
    /// matched with or without brackets.
    func history(ofMessage messageId: String) throws -> [MessageHistory.Entry] {
        let bare = messageId.hasPrefix("<") ? String(messageId.dropFirst().dropLast()) : messageId
        let ids: [SQLValue] = [.text("<\(bare)>"), .text(bare)]
        var entries = try fetchAll("""
            SELECT e.time_ms, e.source_kind, coalesce(t.name, o.name, '') AS scope, e.event, e.recipient, coalesce(e.recipient_status, '') AS status,
                coalesce(e.connector, '') AS connector, f.path, e.line
            FROM message_events e JOIN files f ON f.id = e.file_id LEFT JOIN tenants t ON t.id = e.tenant_id LEFT JOIN origins o ON o.id = e.origin_id
            WHERE e.message_id IN (?, ?) ORDER BY e.time_ms, e.id
            """, ids) { row in
            let connector = row.string("connector") ?? ""
            return MessageHistory.Entry(
                timeMs: row.int64("time_ms") ?? 0, source: row.string("source_kind") ?? "", scope: row.string("scope") ?? "",
                what: [row.string("event"), row.string("recipient").map { "→ \($0)" }, row.string("status"), connector.isEmpty ? nil : "via \(connector)"]
                    .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "),
                evidence: "\(row.string("path") ?? ""):\(row.int64("line") ?? 0)")
        }
        entries += try fetchAll("""
            SELECT tr.time_ms, coalesce(o.name, '') AS origin, s.connector, tr.mail_from, r.address, coalesce(r.reply, '') AS reply, f.path, r.line
            FROM smtp_transactions tr JOIN smtp_sessions s ON s.id = tr.session_id JOIN files f ON f.id = s.file_id
            LEFT JOIN origins o ON o.id = s.origin_id LEFT JOIN smtp_recipients r ON r.transaction_id = tr.id
            WHERE tr.message_id IN (?, ?) ORDER BY tr.time_ms, r.ordinal
            """, ids) { row in
            MessageHistory.Entry(
                timeMs: row.int64("time_ms") ?? 0, source: "smtp-session", scope: row.string("origin") ?? "",
                what: "MAIL FROM:<\(row.string("mail_from") ?? "")> RCPT TO:<\(row.string("address") ?? "")> \(row.string("reply") ?? "") via \(row.string("connector") ?? "")",
                evidence: "\(row.string("path") ?? ""):\(row.int64("line") ?? 0)")
        }
        entries += try fetchAll("SELECT time_ms, path, outcome, decided_by, reason, coalesce(finding_id, '') AS finding FROM verdicts WHERE message_id IN (?, ?)", ids) { row in
            MessageHistory.Entry(
                timeMs: row.int64("time_ms") ?? 0, source: "verdict", scope: row.string("path") ?? "",
                what: "\(row.string("outcome") ?? "") (decided by \(row.string("decided_by") ?? "")): \(row.string("reason") ?? "")",
                evidence: row.string("finding") ?? "")
        }
        return entries
    }

    /// The first `limit` quarantined lines, by file and line.
    func quarantinedLines(limit: Int) throws -> [QuarantineReport.Row] {
        try fetchAll("""
            SELECT f.path, q.line, q.byte_offset, q.reason, q.detail, q.text
            FROM quarantine q JOIN files f ON f.id = q.file_id ORDER BY f.path, q.line LIMIT ?
            """, [.integer(Int64(limit))]) { row in
            QuarantineReport.Row(path: row.string("path") ?? "", line: row.int("line") ?? 0, offset: row.int64("byte_offset") ?? 0,
                                 reason: row.string("reason") ?? "", detail: row.string("detail") ?? "", text: row.string("text") ?? "")
        }
    }
}
