/// Writes verdicts and findings into their derived tables, replacing the previous run's.
struct FindingStore {
    let database: Database

    func replace(findings: [Finding], verdicts: [Verdict]) throws {
        // A message's finding is the impact it suffered (rejected, misattributed) before the cause.
        let impactFirst = findings.filter { [.attributionRejected, .misattributed].contains($0.pattern) } + findings
        let findingByMessage = Dictionary(impactFirst.flatMap { finding in finding.messages.map { ($0.messageId, finding.id) } }, uniquingKeysWith: { first, _ in first })
        try database.transaction {
            try database.execute("DELETE FROM finding_evidence; DELETE FROM finding_messages; DELETE FROM findings; DELETE FROM verdicts;")
            let insertVerdict = try database.prepare("""
                INSERT INTO verdicts (message_id, time_ms, path, origin, connector, mail_from, certificate, sending_ip, owner_tenant, observed_tenant,
                    predicted_tenant, decided_by, outcome, finding_id, reason, steps)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for verdict in verdicts {
                let steps = verdict.steps.map { "\($0.step.rawValue): \($0.candidates.isEmpty ? "-" : $0.candidates.joined(separator: ",")) (\($0.note))" }.joined(separator: "; ")
                try insertVerdict.bindAndRun([
                    SQLValue(verdict.attempt.messageId), .integer(verdict.attempt.timeMs), .text(verdict.attempt.path), SQLValue(verdict.attempt.origin),
                    SQLValue(verdict.attempt.connector), .text(verdict.attempt.mailFrom), SQLValue(verdict.attempt.certificate?.names.first),
                    SQLValue(verdict.attempt.sendingIP), SQLValue(verdict.ownerTenant), SQLValue(verdict.observedTenant), SQLValue(verdict.predictedTenant),
                    .text(verdict.decidedBy.rawValue), .text(verdict.outcome.rawValue), SQLValue(verdict.attempt.messageId.flatMap { findingByMessage[$0] }),
                    .text(verdict.reason), .text(steps),
                ])
            }
            let insertFinding = try database.prepare("""
                INSERT INTO findings (id, pattern, severity, title, summary, certificate, ip, domain, path, first_seen, last_seen, message_count, explained_by, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertMessage = try database.prepare("INSERT INTO finding_messages (finding_id, message_id, outcome, owner_tenant, observed_tenant, decided_by, time) VALUES (?, ?, ?, ?, ?, ?, ?)")
            let insertEvidence = try database.prepare("INSERT INTO finding_evidence (finding_id, file, line, byte_offset, what) VALUES (?, ?, ?, ?, ?)")
            for finding in findings {
                try insertFinding.bindAndRun([
                    .text(finding.id), .text(finding.pattern.rawValue), .text(finding.severity.rawValue), .text(finding.title), .text(finding.summary),
                    SQLValue(finding.certificate), SQLValue(finding.ip), SQLValue(finding.domain), SQLValue(finding.path), SQLValue(finding.firstSeen),
                    SQLValue(finding.lastSeen), .integer(Int64(finding.messageCount)), .text(finding.explainedBy.joined(separator: ",")),
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
