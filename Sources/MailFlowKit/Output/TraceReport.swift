/// Renders `mailflow trace`: a header per message (sender, subject, recipients, verdict), then its history.
package enum TraceReport {
    package enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    package struct Message: Sendable {
        package var header: MessageLookup.Header
        package var entries: [MessageHistory.Entry]

        package init(header: MessageLookup.Header, entries: [MessageHistory.Entry]) {
            self.header = header
            self.entries = entries
        }
    }

    package static func render(query: String, match: MessageLookup.Match, messages: [Message], format: Format) -> String {
        switch format {
        case .text: return text(match: match, messages: messages)
        case .json: return json(query: query, match: match, messages: messages)
        }
    }

    static func text(match: MessageLookup.Match, messages: [Message]) -> String {
        var lines: [String] = []
        if messages.count > 1 { lines.append("\(messages.count) messages match this \(match.matchedBy.rawValue)") }
        for message in messages {
            let header = message.header
            if !lines.isEmpty { lines.append("") }
            lines.append("Message-ID  \(header.messageId)" + (match.matchedBy == .messageId ? "" : "   (found by \(match.matchedBy.rawValue))"))
            lines.append("From        \(header.sender ?? "-")")
            lines.append("Subject     \(header.subject ?? "-")")
            lines.append("To          " + (header.recipients.isEmpty ? "-" : header.recipients.prefix(5).joined(separator: ", ")
                + (header.recipients.count > 5 ? " +\(header.recipients.count - 5) more" : "")))
            lines.append("Verdict     " + (header.outcome.map { $0 + (header.finalReply.map { " — \($0)" } ?? "") + (header.findingId.map { " [\($0)]" } ?? "") }
                ?? "none yet: run 'mailflow detect'"))
            lines.append("")
            for entry in message.entries {
                lines.append("\(Timestamp.iso8601(entry.timeMs))  \(entry.source.padding(toLength: 18))\(entry.scope.padding(toLength: 26))\(entry.what)")
                lines.append(String(repeating: " ", count: 70) + entry.evidence)
            }
        }
        // Every field here is log content: no escapes reach the terminal.
        return lines.map(TerminalText.sanitized).joined(separator: "\n")
    }

    static func json(query: String, match: MessageLookup.Match, messages: [Message]) -> String {
        func optional(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        let objects = messages.map { message in
            let header = message.header
            return JSONText.object([
                ("message_id", JSONText.string(header.messageId)), ("sender", optional(header.sender)), ("subject", optional(header.subject)),
                ("recipients", "[" + header.recipients.map(JSONText.string).joined(separator: ",") + "]"),
                ("outcome", optional(header.outcome)), ("final_reply", optional(header.finalReply)), ("finding_id", optional(header.findingId)),
                ("events", "[" + message.entries.map { entry in
                    JSONText.object([("time", JSONText.string(Timestamp.iso8601(entry.timeMs))), ("source", JSONText.string(entry.source)),
                                     ("scope", JSONText.string(entry.scope)), ("what", JSONText.string(entry.what)), ("evidence", JSONText.string(entry.evidence))])
                }.joined(separator: ",") + "]"),
            ])
        }
        return JSONText.object([("query", JSONText.string(query)), ("matched_by", JSONText.string(match.matchedBy.rawValue)),
                                ("messages", "[" + objects.joined(separator: ",") + "]")])
    }
}
