import Foundation
import Testing

@testable import MailFlowKit

/// `mailflow analyze sample-logs/` must tell the incident described in sample-logs/README.md:
/// exactly these findings, and exactly these rejected and misattributed messages.
@Suite("The bundled sample incident", .serialized)
struct SampleIncidentTests {
    static func analyze(_ db: String) throws -> (IngestSummary, DetectionRun.Result) {
        let summary = try ingest([Package.sampleLogs], db: db)
        let result = try DetectionRun(database: try Store.open(path: db)).run()
        return (summary, result)
    }

    /// A finding as the scorers match it: pattern, tenant and connector (or path), message count.
    static func key(_ finding: Finding) -> String {
        let about = finding.pattern.isImpact ? (finding.path ?? "") : finding.connectors.map { "\($0.tenant.prefix { $0 != "." })/\($0.name)" }.joined(separator: "+")
        return "\(finding.pattern.rawValue) \(finding.severity.rawValue) \(about) \(finding.messageCount)"
    }

    static func ids(_ finding: Finding?) -> Set<String> { Set(finding?.messages.map(\.messageId) ?? []) }

    @Test("ingest reads every sample file, quarantines exactly the two damaged tracking-log lines, and detect finds exactly the expected findings")
    func expectedFindings() throws {
        try withTemporaryDirectory { directory in
            let (summary, result) = try Self.analyze(directory.appendingPathComponent("s.db").path)
            #expect(summary.isComplete)
            #expect(summary.files.filter { $0.status == .ingested }.count == 17)
            #expect(summary.quarantined == 2)
            #expect(summary.quarantinedByReason == ["field-count-mismatch": 1, "unterminated-quote": 1])

            let ex01Contoso = "EX01 › Outbound to Office 365 - 6f1d4c2a-8b3e-4f5a-9c7d-2e1b0a9f8c7d"
            #expect(Set(result.findings.map(Self.key)) == [
                "attribution-rejected high tailspin-crm-relay › postfix/smtp 7",
                "attribution-rejected high 192.0.2.77 › Exchange Online 3",
                "attribution-rejected high \(ex01Contoso) 2",
                "misattributed high EX01 › Outbound to Fabrikam 6",
                "misattributed high 192.0.2.77 › Exchange Online 4",
                "third-party-relay high fabrikam/Inbound from CRM relay 12",
                "third-party-relay high fabrikam/Inbound from ESP 8",
                "third-party-relay medium contoso/Inbound from Northwind Mailer 4",
                "shared-sender-ip high contoso/Inbound from Tailspin CRM+fabrikam/Inbound from CRM relay 7",
                "shared-sender-ip high contoso/Inbound from Northwind Mailer+fabrikam/Inbound from ESP 7",
                "cert-domain-not-accepted high fabrikam/Inbound from Contoso EX01 6",
                "shared-certificate high contoso/Inbound from Contoso on-premises+fabrikam/Inbound from Contoso EX01 6",
                "certificate-mismatch high contoso/Inbound from Contoso on-premises 2",
                "fallback-attribution medium fab-smtp01 › postfix/smtp 5",
            ])
            #expect(result.findings.count == 14)

            func finding(_ pattern: Finding.Pattern, _ path: String) -> Finding? { result.findings.first { $0.pattern == pattern && $0.path == path } }
            // The relay's newsletters: refused since 10:02 (total outage), owner by the P2 From its header_checks logged.
            let relay = finding(.attributionRejected, "tailspin-crm-relay › postfix/smtp")
            #expect(Self.ids(relay) == Set([
                "<20261124100200.31005.FABNEWS@crm.tailspin-mail.com>", "<20261124101700.31006.FABNEWS@crm.tailspin-mail.com>",
                "<20261124103100.31007.FABNEWS@crm.tailspin-mail.com>", "<20261124104800.31008.FABNEWS@crm.tailspin-mail.com>",
                "<20261124110500.31009.FABNEWS@crm.tailspin-mail.com>", "<20261124112600.31010.FABNEWS@crm.tailspin-mail.com>",
                "<20261124115000.31011.FABNEWS@crm.tailspin-mail.com>",
            ]))
            #expect(relay?.onset == Finding.Onset(time: "2026-11-24T10:02:12.600Z", lastDeliveryBefore: "2026-11-24T09:55:11.480Z", deliveredAfter: 0, isPartial: false))
            #expect(relay?.messages.allSatisfy { $0.ownerTenant == "fabrikam.onmicrosoft.com" && $0.outcome == "rejected" } ?? false)
            #expect(relay?.title.contains("since 2026-11-24T10:02:12.600Z") ?? false)

            // The mailing platform, seen only in the tenants' Extended reports: Fabrikam's newsletters land in
            // Contoso until 09:45; one is deferred (ATTR35) and delivered on retry; from 10:42 they are refused.
            let platform = "192.0.2.77 › Exchange Online"
            #expect(Self.ids(finding(.misattributed, platform)) == Set(["20261124081503.7110", "20261124084503.7111", "20261124091503.7112", "20261124094503.7113"]
                .map { "<\($0).campaign@mailer.nwmailer.example>" }))
            #expect(finding(.misattributed, platform)?.messages.allSatisfy { $0.ownerTenant == "fabrikam.onmicrosoft.com" && $0.observedTenant == "contoso.onmicrosoft.com" } ?? false)
            let refused = finding(.attributionRejected, platform)
            #expect(Self.ids(refused) == Set(["20261124104205.7130", "20261124111205.7131", "20261124114205.7132"].map { "<\($0).campaign@mailer.nwmailer.example>" }))
            #expect(refused?.onset == Finding.Onset(time: "2026-11-24T10:42:05.000Z", lastDeliveryBefore: "2026-11-24T10:36:00.000Z", deliveredAfter: 1, isPartial: true))
            #expect(refused?.confidence.contains("own records only") ?? false)
            #expect(!Self.ids(refused).contains("<20261124103600.7120.campaign@mailer.nwmailer.example>"))

            // The certificate renewal on EX01: Contoso's mail to the internet refused from 11:20.
            let renewal = try #require(result.findings.first { $0.pattern == .certificateMismatch })
            #expect(renewal.onset?.time == "2026-11-24T11:20:04.781Z")
            #expect(Self.ids(renewal) == ["<C0FFEE060006@EX01.contoso.local>", "<C0FFEE070007@EX01.contoso.local>"])
            #expect(Self.ids(finding(.attributionRejected, ex01Contoso)) == Self.ids(renewal))
            #expect(renewal.evidence.contains { $0.file.hasSuffix("exchange-certificates.xml") })
            #expect(renewal.remediation.commands.contains("Set-InboundConnector -Identity 'Inbound from Contoso on-premises' -TlsSenderCertificateName 'ex01.contoso.com'"))
            #expect(finding(.attributionRejected, ex01Contoso)?.explainedBy.contains(renewal.id) ?? false)

            let misattributed = try #require(finding(.misattributed, "EX01 › Outbound to Fabrikam"))
            #expect(Self.ids(misattributed) == [
                "<C0FFEE080008@EX01.contoso.local>", "<C0FFEE090009@EX01.contoso.local>", "<C0FFEE0A0010@EX01.contoso.local>",
                "<C0FFEE0B0011@EX01.contoso.local>", "<C0FFEE0C0012@EX01.contoso.local>", "<C0FFEE0D0013@EX01.contoso.local>",
            ])
            #expect(misattributed.messages.allSatisfy { $0.ownerTenant == "fabrikam.onmicrosoft.com" && $0.observedTenant == "contoso.onmicrosoft.com" && $0.decidedBy == "certificate" })
            let certificate = try #require(result.findings.first { $0.pattern == .certDomainNotAccepted })
            #expect(certificate.remediation.commands.contains("Set-InboundConnector -Identity 'Inbound from Contoso EX01' -TlsSenderCertificateName 'mail.fabrikam.com'"))

            // Healthy connectors and unrelated failures are never linked to a finding.
            let flaggedConnectors = Set(result.findings.flatMap(\.connectors).map(\.name))
            #expect(!flaggedConnectors.contains("Partner: Litware"))
            let flaggedMessages = Set(result.findings.flatMap(\.messages).map(\.messageId))
            #expect(!flaggedMessages.contains("<C0FFEE030003@EX01.contoso.local>"))  // 550 5.1.10 ghost@contoso.com
            #expect(!flaggedMessages.contains("<C0FFEE010001@EX01.contoso.local>"))  // Contoso's own, healthy
            #expect(!flaggedMessages.contains { $0.contains("9F04@fab-smtp01") })  // 550 5.4.1 nobody@fabrikam.com
        }
    }

    @Test("one outcome per message: findings, verdicts and the view agree, and a deferral delivered on retry is at-risk, not rejected")
    func oneOutcomePerMessage() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            let (_, result) = try Self.analyze(db)
            let database = try Database(path: db, mode: .readOnly)
            let outcomes = Dictionary(try database.fetchAll("SELECT message_id, outcome FROM verdicts") { ($0.string("message_id")!, $0.string("outcome")!) },
                                      uniquingKeysWith: { first, second in first == second ? first : "CONFLICT" })
            #expect(try database.scalar("SELECT count(*) FROM verdicts") == Int64(outcomes.count))
            for finding in result.findings {
                for message in finding.messages { #expect(outcomes[message.messageId] == message.outcome, "\(message.messageId) in \(finding.id)") }
            }
            let deferred = try #require(try database.fetchOne("SELECT outcome, deferrals, reason FROM verdicts WHERE message_id = ?",
                                                             [.text("<20261124103600.7120.campaign@mailer.nwmailer.example>")]) { ($0.string("outcome"), $0.int("deferrals"), $0.string("reason")) })
            #expect(deferred.0 == "at-risk" && deferred.1 == 1)
            #expect(deferred.2?.contains("deferred 1× (4.4.62 ATTR35)") ?? false)
        }
    }

    @Test("every finding carries evidence that points at real lines of the sample files")
    func evidencePointsAtFiles() throws {
        try withTemporaryDirectory { directory in
            let (_, result) = try Self.analyze(directory.appendingPathComponent("s.db").path)
            for finding in result.findings {
                #expect(!finding.evidence.isEmpty, "finding \(finding.id) has no evidence")
                #expect(!finding.remediation.commands.isEmpty)
                for item in finding.evidence where !item.file.hasSuffix(".gz") {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: item.file))
                    #expect(item.offset < Int64(bytes.count), "\(item.file):\(item.line) offset \(item.offset) is past the end")
                    let before = bytes.prefix(Int(item.offset))
                    #expect(before.filter { $0 == 0x0A }.count == item.line - 1, "\(item.file): byte \(item.offset) is not the start of line \(item.line)")
                }
            }
        }
    }

    @Test("the per-message verdicts are queryable as the message_verdicts view")
    func verdictView() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            _ = try Self.analyze(db)
            let database = try Database(path: db, mode: .readOnly)
            let rows = try database.rows("SELECT outcome, count(*) FROM message_verdicts GROUP BY outcome ORDER BY outcome")
            #expect(rows.map { "\($0[0]):\($0[1])" } == ["at-risk:15", "misattributed:10", "ok:4", "rejected:12", "unrelated-failure:2"])
            let linked = try database.scalar("SELECT count(*) FROM message_verdicts WHERE outcome = 'misattributed' AND finding_id LIKE 'misattributed-%'")
            #expect(linked == 10)
        }
    }

    @Test("re-running analyze on the same folder adds no rows and reports the same findings")
    func idempotent() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            let (_, first) = try Self.analyze(db)
            let events = try count("message_events", in: db)
            let (second, again) = try Self.analyze(db)
            #expect(second.events == 0)
            #expect(try count("message_events", in: db) == events)
            #expect(again.findings.map(\.id) == first.findings.map(\.id))
        }
    }
}

@Suite("What-if on the bundled sample incident", .serialized)
struct SampleWhatIfTests {
    @Test("applying every finding's remediation in simulation leaves no rejected or misattributed message and breaks none")
    func applyAllRemediations() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            let run = DetectionRun(database: try Store.open(path: db))
            let result = try run.whatIf([], remediations: ["all"])
            #expect(result.before.rejected == 12 && result.before.misattributed == 10)
            #expect(result.after.rejected == 0 && result.after.misattributed == 0)
            #expect(result.newlyBroken == 0)
            let findings = try run.run().findings
            #expect(findings.allSatisfy { !$0.remediation.changes.isEmpty })
            #expect(findings.allSatisfy { $0.remediation.simulated?.newlyBroken == 0 })
            let relay = try #require(findings.first { $0.pattern == .attributionRejected && $0.path == "tailspin-crm-relay › postfix/smtp" })
            #expect(relay.remediation.simulated?.fixes == 7 + 5)  // its 7 refusals, and the path's 5 at-risk deliveries
        }
    }
}
