import Foundation
import Testing

@testable import MailFlowKit

/// The JSON field names are part of mailflow's interface: scripts read them.
@Suite("Findings output", .serialized)
struct FindingReportTests {
    private static func sampleResult(_ body: (DetectionRun.Result, String) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            try body(try DetectionRun(database: try Store.open(path: db)).run(), db)
        }
    }

    @Test("JSON carries every documented field of a finding and of its messages")
    func jsonFields() throws {
        try Self.sampleResult { result, _ in
            let data = Data(FindingReport.render(result, format: .json).utf8)
            let findings = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            #expect(findings.count == 14)
            for finding in findings {
                for key in ["id", "pattern", "severity", "title", "summary", "connectors", "messageCount", "messages", "evidence", "remediation", "explainedBy", "confidence"] {
                    #expect(finding[key] != nil, "finding lacks '\(key)'")
                }
                let remediation = try #require(finding["remediation"] as? [String: Any])
                #expect((remediation["commands"] as? [String])?.isEmpty == false)
                #expect(remediation["why"] is String)
            }
            let misattributed = try #require(findings.first { $0["pattern"] as? String == "misattributed" })
            let message = try #require((misattributed["messages"] as? [[String: Any]])?.first)
            #expect(Set(message.keys) == ["messageId", "outcome", "ownerTenant", "observedTenant", "decidedBy", "time"])
            let connector = try #require((misattributed["connectors"] as? [[String: Any]])?.first)
            #expect(Set(connector.keys) == ["tenant", "name"])
            let evidence = try #require((misattributed["evidence"] as? [[String: Any]])?.first)
            #expect(Set(evidence.keys) == ["file", "line", "offset", "what"])
        }
    }

    @Test("CSV has one row per finding and message; Markdown has a section and a PowerShell block per finding")
    func csvAndMarkdown() throws {
        try Self.sampleResult { result, _ in
            let csv = FindingReport.render(result, format: .csv).split(separator: "\n")
            #expect(csv.first == "finding_id,pattern,severity,message_id,outcome,owner_tenant,observed_tenant,decided_by,time,title")
            #expect(csv.count == 1 + result.findings.reduce(0) { $0 + max(1, $1.messages.count) })
            let markdown = FindingReport.render(result, format: .markdown)
            #expect(markdown.components(separatedBy: "\n## ").count - 1 == 14)
            #expect(markdown.components(separatedBy: "```powershell").count - 1 == 14)
        }
    }

    @Test("trace shows a message's tracking-log events, its SMTP reply, its verdict and the tenant's trace, in time order")
    func messageHistory() throws {
        try Self.sampleResult { _, db in
            let entries = try MessageHistory.entries(messageId: "C0FFEE080008@EX01.contoso.local", in: Database(path: db, mode: .readOnly))
            #expect(entries.map(\.source) == ["tracking-log", "smtp-session", "verdict", "tracking-log", "message-trace"])
            #expect(entries[2].what.hasPrefix("misattributed (decided by certificate)"))
            #expect(entries[4].scope == "contoso.onmicrosoft.com")
            #expect(entries.map(\.timeMs) == entries.map(\.timeMs).sorted())
        }
    }
}
