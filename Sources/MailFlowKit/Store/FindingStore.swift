/// Writes verdicts and findings into their derived tables, replacing the previous run's.
///
/// `verdicts` holds one row per message (its one outcome, whatever side saw it) and
/// `verdict_recipients` one per message and recipient; findings list their messages with the same
/// outcome.
struct FindingStore {
    let database: Database

    func replace(findings: [Finding], verdicts: [MessageVerdict]) throws {
        // A message's finding is the impact it suffered (rejected, misattributed) before the cause.
        let impactFirst = findings.filter { [.attributionRejected, .misattributed].contains($0.pattern) } + findings
        let findingByMessage = Dictionary(impactFirst.flatMap { finding in finding.messages.map { ($0.messageId, finding.id) } }, uniquingKeysWith: { first, _ in first })
        try database.transaction {
            try database.execute("DELETE FROM finding_evidence; DELETE FROM finding_messages; DELETE FROM findings; DELETE FROM verdict_recipients; DELETE FROM verdicts;")
            let insertVerdict = try database.prepare("""
                INSERT INTO verdicts (message_id, time_ms, last_time_ms, path, origin, connector, mail_from, from_address, subject, recipients,
                    sending_ip, certificate, owner_tenant, owner_reason, observed_tenant, predicted_tenant, decided_by, outcome, final_reply,
                    deferrals, sides, finding_id, reason, steps)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertRecipient = try database.prepare(
                "INSERT INTO verdict_recipients (message_id, recipient, delivered, final_state, final_reply, attribution_deferrals) VALUES (?, ?, ?, ?, ?, ?)")
            for verdict in verdicts {
                let steps = verdict.primary.steps.map { "\($0.step.rawValue): \($0.candidates.isEmpty ? "-" : $0.candidates.joined(separator: ",")) (\($0.note))" }.joined(separator: "; ")
                let attempt = verdict.attempt
                try insertVerdict.bindAndRun([
                    .text(verdict.messageId), .integer(verdict.timeMs), .integer(verdict.lastTimeMs), .text(verdict.path), SQLValue(attempt.origin),
                    SQLValue(attempt.connector), .text(verdict.mailFrom), SQLValue(verdict.fromAddress), SQLValue(verdict.subject),
                    .text(verdict.recipients.map(\.address).joined(separator: ";")), SQLValue(verdict.sendingIP), SQLValue(verdict.certificate?.names.first),
                    SQLValue(verdict.ownerTenant), SQLValue(verdict.ownerReason), SQLValue(verdict.observedTenant), SQLValue(verdict.predictedTenant),
                    .text(verdict.decidedBy.rawValue), .text(verdict.outcome.rawValue), SQLValue(verdict.finalReply?.text),
                    .integer(Int64(verdict.deferralCount)), .text(verdict.sides.map(\.rawValue).joined(separator: ",")),
                    SQLValue(findingByMessage[verdict.messageId]), .text(verdict.reason), .text(steps),
                ])
                for recipient in verdict.recipients {
                    try insertRecipient.bindAndRun([.text(verdict.messageId), .text(recipient.address), SQLValue(recipient.isDelivered),
                                                    .text(recipient.finalState.rawValue), SQLValue(recipient.finalReply?.text),
                                                    .integer(Int64(recipient.attributionDeferrals.count))])
                }
            }
            let insertFinding = try database.prepare("""
                INSERT INTO findings (id, pattern, severity, title, summary, certificate, ip, domain, path, first_seen, last_seen, onset, message_count, explained_by, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertMessage = try database.prepare("INSERT INTO finding_messages (finding_id, message_id, outcome, owner_tenant, observed_tenant, decided_by, time) VALUES (?, ?, ?, ?, ?, ?, ?)")
            let insertEvidence = try database.prepare("INSERT INTO finding_evidence (finding_id, file, line, byte_offset, what) VALUES (?, ?, ?, ?, ?)")
            for finding in findings {
                try insertFinding.bindAndRun([
                    .text(finding.id), .text(finding.pattern.rawValue), .text(finding.severity.rawValue), .text(finding.title), .text(finding.summary),
                    SQLValue(finding.certificate), SQLValue(finding.ip), SQLValue(finding.domain), SQLValue(finding.path), SQLValue(finding.firstSeen),
                    SQLValue(finding.lastSeen), SQLValue(finding.onset?.time), .integer(Int64(finding.messageCount)), .text(finding.explainedBy.joined(separator: ",")),
                    .text(FindingReport.json([finding], pretty: false)),
                ])
                for message in finding.messages {
                    try insertMessage.bindAndRun([.text(finding.id), .text(message.messageId), .text(message.outcome), SQLValue(message.ownerTenant),
                                                  SQLValue(message.observedTenant), .text(message.decidedBy), .text(message.time)])
                }
                for item in finding.evidence {
                    try insertEvidence.bindAndRun([.text(finding.id), .text(item.file), .integer(Int64(item.line)), .integer(item.offset), .text(item.what)])
                }
            }
        }
    }
}
