/// One row per message with its verdict, for `mailflow messages`: what a help desk looks up.
package struct MessageExportRow: Sendable, FetchableRecord {
    package var time: String
    package var messageId: String
    package var sender: String
    package var fromAddress: String
    package var recipients: [String]
    package var subject: String
    package var finalReply: String
    package var outcome: String
    package var ownerTenant: String
    package var observedTenant: String
    package var path: String
    package var findingId: String

    package init(row: Row) {
        time = Timestamp.iso8601(row.int64("time_ms") ?? 0)
        messageId = row.string("message_id") ?? ""
        sender = row.string("mail_from") ?? ""
        fromAddress = row.string("from_address") ?? ""
        recipients = row.list("recipients")
        subject = row.string("subject") ?? ""
        finalReply = row.string("final_reply") ?? ""
        outcome = row.string("outcome") ?? ""
        ownerTenant = row.string("owner_tenant") ?? ""
        observedTenant = row.string("observed_tenant") ?? ""
        path = row.string("path") ?? ""
        findingId = row.string("finding_id") ?? ""
    }

    /// Every message's verdict in time order, only those with `outcome` when given.
    package static func all(in database: Database, outcome: VerdictOutcome? = nil) throws -> [MessageExportRow] {
        try database.fetchAll(MessageExportRow.self, """
            SELECT time_ms, message_id, mail_from, from_address, recipients, subject, final_reply, outcome, owner_tenant, observed_tenant,
                path, finding_id
            FROM verdicts WHERE ?1 IS NULL OR outcome = ?1 ORDER BY time_ms, message_id
            """, [outcome.map { .text($0.rawValue) } ?? .null])
    }
}
