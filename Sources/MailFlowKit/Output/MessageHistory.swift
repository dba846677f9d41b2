/// Everything the store knows about one message, in time order: what `mailflow trace` prints.
public enum MessageHistory {
    public struct Entry: Sendable {
        public var timeMs: Int64
        public var source: String
        public var scope: String
        public var what: String
        public var evidence: String
    }

    /// Events, SMTP transactions and recipients, and the verdict of a Message-ID (with or without brackets).
    public static func entries(messageId: String, in database: Database) throws -> [Entry] {
        let bare = messageId.hasPrefix("<") ? String(messageId.dropFirst().dropLast()) : messageId
        let ids: [SQLValue] = [.text("<\(bare)>"), .text(bare)]
        var entries: [Entry] = []
        for row in try database.rows("""
            SELECT e.time_ms, e.source_kind, coalesce(t.name, o.name, ''), e.event, e.recipient, coalesce(e.recipient_status, ''), coalesce(e.connector, ''),
                f.path, e.line, e.byte_offset
            FROM message_events e JOIN files f ON f.id = e.file_id LEFT JOIN tenants t ON t.id = e.tenant_id LEFT JOIN origins o ON o.id = e.origin_id
            WHERE e.message_id IN (?, ?) ORDER BY e.time_ms, e.id
            """, ids) {
            entries.append(Entry(timeMs: row[0].int64 ?? 0, source: row[1].string ?? "", scope: row[2].string ?? "",
                                 what: [row[3].string, row[4].string.map { "→ \($0)" }, row[5].string, row[6].string.flatMap { $0.isEmpty ? nil : "via \($0)" }]
                                    .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "),
                                 evidence: "\(row[7].string ?? ""):\(row[8].int64 ?? 0)"))
        }
        for row in try database.rows("""
            SELECT tr.time_ms, coalesce(o.name, ''), s.connector, tr.mail_from, r.address, coalesce(r.reply, ''), f.path, r.line
            FROM smtp_transactions tr JOIN smtp_sessions s ON s.id = tr.session_id JOIN files f ON f.id = s.file_id
            LEFT JOIN origins o ON o.id = s.origin_id LEFT JOIN smtp_recipients r ON r.transaction_id = tr.id
            WHERE tr.message_id IN (?, ?) ORDER BY tr.time_ms, r.ordinal
            """, ids) {
            entries.append(Entry(timeMs: row[0].int64 ?? 0, source: "smtp-session", scope: row[1].string ?? "",
                                 what: "MAIL FROM:<\(row[3].string ?? "")> RCPT TO:<\(row[4].string ?? "")> \(row[5].string ?? "") via \(row[2].string ?? "")",
                                 evidence: "\(row[6].string ?? ""):\(row[7].int64 ?? 0)"))
        }
        for row in try database.rows("SELECT time_ms, path, outcome, decided_by, reason, coalesce(finding_id, '') FROM verdicts WHERE message_id IN (?, ?)", ids) {
            entries.append(Entry(timeMs: row[0].int64 ?? 0, source: "verdict", scope: row[1].string ?? "",
                                 what: "\(row[2].string ?? "") (decided by \(row[3].string ?? "")): \(row[4].string ?? "")",
                                 evidence: row[5].string ?? ""))
        }
        return entries.sorted { $0.timeMs < $1.timeMs }
    }
}
