import Foundation

/// Finds the Message-IDs an administrator means by whatever identifier they pasted.
///
/// Tried in order, fastest first: the Internet Message-ID as given, with and without angle
/// brackets (indexed); Exchange Online's network message id (indexed); an SMTP session id
/// (indexed in the protocol logs); then, by scanning, the Message-ID in any case and a message
/// trace's MessageTraceId.
package enum MessageLookup {
    package enum MatchedBy: String, Sendable {
        case messageId = "message-id"
        case messageIdAnyCase = "message-id (any case)"
        case networkMessageId = "network-message-id"
        case sessionId = "session-id"
        case messageTraceId = "message-trace-id"
    }

    package struct Match: Sendable {
        package var matchedBy: MatchedBy
        package var messageIds: [String]
    }

    /// The stored Message-IDs `identifier` names, or `nil` when it names none.
    package static func find(_ identifier: String, in database: Database) throws -> Match? {
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        let bare = trimmed.hasPrefix("<") && trimmed.hasSuffix(">") ? String(trimmed.dropFirst().dropLast()) : trimmed
        guard !bare.isEmpty else { return nil }
        let forms: [SQLValue] = [.text("<\(bare)>"), .text(bare)]
        let guids: [SQLValue] = [.text(bare), .text(bare.lowercased()), .text(bare.uppercased())]
        let attempts: [(MatchedBy, String, [SQLValue])] = [
            (.messageId, """
                SELECT message_id FROM message_events WHERE message_id IN (?1, ?2)
                UNION SELECT message_id FROM smtp_transactions WHERE message_id IN (?1, ?2)
                UNION SELECT message_id FROM verdicts WHERE message_id IN (?1, ?2)
                """, forms),
            (.networkMessageId, "SELECT DISTINCT message_id FROM message_events WHERE network_message_id IN (?, ?, ?) AND message_id IS NOT NULL", guids),
            (.sessionId, """
                SELECT DISTINCT t.message_id FROM smtp_sessions s JOIN smtp_transactions t ON t.session_id = s.id
                WHERE s.session_id IN (?1, ?2, ?3) AND t.message_id IS NOT NULL
                UNION SELECT message_id FROM message_events WHERE session_id IN (?1, ?2, ?3) AND message_id IS NOT NULL
                """, guids),
            (.messageIdAnyCase, "SELECT DISTINCT message_id FROM message_events WHERE message_id COLLATE NOCASE IN (?1, ?2)", forms),
            (.messageTraceId, "SELECT DISTINCT message_id FROM message_events WHERE trace_id IN (?, ?, ?) AND message_id IS NOT NULL", guids),
        ]
        for (kind, sql, arguments) in attempts {
            let ids = try database.fetchAll(sql, arguments) { $0.string("message_id") }.compactMap { $0 }
            if !ids.isEmpty { return Match(matchedBy: kind, messageIds: Array(Set(ids)).sorted()) }
        }
        return nil
    }

    /// What a trace prints above the events: sender, subject, recipients and verdict of one message.
    package struct Header: Sendable {
        package var messageId: String
        package var sender: String?
        package var subject: String?
        package var recipients: [String]
        package var outcome: String?
        package var finalReply: String?
        package var findingId: String?
    }

    /// The verdict's view of the message when detect has run, else what its events say.
    package static func header(messageId: String, in database: Database) throws -> Header {
        if let header = try database.fetchOne(
            "SELECT mail_from, subject, recipients, outcome, final_reply, finding_id FROM verdicts WHERE message_id = ? LIMIT 1", [.text(messageId)], { row in
                Header(messageId: messageId, sender: row.string("mail_from"), subject: row.string("subject"), recipients: row.list("recipients"),
                       outcome: row.string("outcome"), finalReply: row.string("final_reply"), findingId: row.string("finding_id"))
            }) {
            return header
        }
        var header = Header(messageId: messageId, recipients: [])
        var recipients: [String] = []
        try database.forEach("SELECT sender, subject, recipient FROM message_events WHERE message_id = ? ORDER BY time_ms, id", [.text(messageId)]) { row in
            if header.sender == nil { header.sender = row.string("sender") }
            if header.subject == nil { header.subject = row.string("subject") }
            if let recipient = row.string("recipient"), !recipients.contains(recipient) { recipients.append(recipient) }
        }
        header.recipients = recipients
        return header
    }
}
