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

    @Test("ingest reads every sample file, quarantines exactly the two damaged tracking-log lines, and detect finds exactly the seven expected findings")
    func expectedFindings() throws {
        try withTemporaryDirectory { directory in
            let (summary, result) = try Self.analyze(directory.appendingPathComponent("s.db").path)
            #expect(summary.isComplete)
            #expect(summary.files.filter { $0.status == .ingested }.count == 14)
            #expect(summary.quarantined == 2)
            #expect(summary.quarantinedByReason == ["field-count-mismatch": 1, "unterminated-quote": 1])

            let patterns = result.findings.map(\.pattern.rawValue).sorted()
            #expect(patterns == ["attribution-rejected", "cert-domain-not-accepted", "fallback-attribution", "misattributed",
                                 "shared-certificate", "shared-sender-ip", "third-party-relay"])
            #expect(result.findings.filter { $0.severity == .high }.count == 6)

            let rejected = try #require(result.findings.first { $0.pattern == .attributionRejected })
            #expect(Set(rejected.messages.map(\.messageId)) == Set([
                "<20261124100200.31005.FABNEWS@crm.tailspin-mail.com>", "<20261124101700.31006.FABNEWS@crm.tailspin-mail.com>",
                "<20261124103100.31007.FABNEWS@crm.tailspin-mail.com>", "<20261124104800.31008.FABNEWS@crm.tailspin-mail.com>",
                "<20261124110500.31009.FABNEWS@crm.tailspin-mail.com>", "<20261124112600.31010.FABNEWS@crm.tailspin-mail.com>",
                "<20261124115000.31011.FABNEWS@crm.tailspin-mail.com>",
            ]))
            #expect(rejected.firstSeen == "2026-11-24T10:02:12.600Z")
            #expect(rejected.summary.contains("the last message delivered on this path was at 2026-11-24T09:55:11.480Z"))
            let sharedIP = try #require(result.findings.first { $0.pattern == .sharedSenderIP })
            let thirdParty = try #require(result.findings.first { $0.pattern == .thirdPartyRelay })
            #expect(Set(rejected.explainedBy) == [sharedIP.id, thirdParty.id])
            #expect(Set(sharedIP.connectors.map(\.name)) == ["Inbound from CRM relay", "Inbound from Tailspin CRM"])

            let misattributed = try #require(result.findings.first { $0.pattern == .misattributed })
            #expect(Set(misattributed.messages.map(\.messageId)) == Set([
                "<C0FFEE070007@EX01.contoso.local>", "<C0FFEE080008@EX01.contoso.local>", "<C0FFEE090009@EX01.contoso.local>",
                "<C0FFEE0A0010@EX01.contoso.local>", "<C0FFEE0B0011@EX01.contoso.local>", "<C0FFEE0C0012@EX01.contoso.local>",
            ]))
            #expect(misattributed.messages.allSatisfy { $0.ownerTenant == "fabrikam.onmicrosoft.com" && $0.observedTenant == "contoso.onmicrosoft.com" && $0.decidedBy == "certificate" })

            let certificate = try #require(result.findings.first { $0.pattern == .certDomainNotAccepted })
            #expect(certificate.connectors == [.init(tenant: "fabrikam.onmicrosoft.com", name: "Inbound from Contoso EX01")])
            #expect(certificate.remediation.commands.contains("Set-InboundConnector -Identity 'Inbound from Contoso EX01' -TlsSenderCertificateName 'mail.fabrikam.com'"))
            let fallback = try #require(result.findings.first { $0.pattern == .fallbackAttribution })
            #expect(fallback.path == "fab-smtp01 › postfix/smtp")

            // Healthy connectors and unrelated failures are never linked to a finding.
            let flaggedConnectors = Set(result.findings.flatMap(\.connectors).map(\.name))
            #expect(!flaggedConnectors.contains("Partner: Litware"))
            let flaggedMessages = Set(result.findings.flatMap(\.messages).map(\.messageId))
            #expect(!flaggedMessages.contains("<C0FFEE030003@EX01.contoso.local>"))  // 550 5.1.10 ghost@contoso.com
            #expect(!flaggedMessages.contains("<C0FFEE010001@EX01.contoso.local>"))  // Contoso's own, healthy
            #expect(!flaggedMessages.contains { $0.contains("9F04@fab-smtp01") })  // 550 5.4.1 nobody@fabrikam.com
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
            #expect(rows.map { "\($0[0]):\($0[1])" } == ["at-risk:10", "misattributed:6", "ok:5", "rejected:7", "unrelated-failure:2"])
            let linked = try database.scalar("SELECT count(*) FROM message_verdicts WHERE outcome = 'misattributed' AND finding_id LIKE 'misattributed-%'")
            #expect(linked == 6)
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
