import Foundation

/// Renders findings for people (a short table, Markdown) and machines (JSON, CSV).
public enum FindingReport {
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv, markdown
    }

    public static func render(_ result: DetectionRun.Result, format: Format) -> String {
        switch format {
        case .table: return table(result)
        case .json: return json(result.findings, pretty: true)
        case .csv: return csv(result.findings)
        case .markdown: return markdown(result)
        }
    }

    /// The short view: one block per finding, most severe first, pointing to JSON for the rest.
    public static func table(_ result: DetectionRun.Result) -> String {
        guard !result.findings.isEmpty else {
            return "No findings in \(result.verdictCount) message(s) sent to Exchange Online across \(result.tenants.count) tenant(s)."
                + missingNote(result)
        }
        var lines: [String] = []
        let counts = Dictionary(grouping: result.findings, by: \.severity).mapValues(\.count)
        lines.append("\(result.findings.count) finding(s): \(counts[.high] ?? 0) high, \(counts[.medium] ?? 0) medium, \(counts[.low] ?? 0) low "
            + "— from \(result.verdictCount) message(s) sent to Exchange Online, \(result.tenants.count) tenant(s)")
        lines.append("")
        lines.append("SEVERITY  PATTERN                   MESSAGES  FINDING")
        for finding in result.findings {
            lines.append(finding.severity.rawValue.uppercased().padding(toLength: 9) + " " + finding.pattern.rawValue.padding(toLength: 25) + " "
                         + String(finding.messageCount).padding(toLength: 9) + " " + finding.title)
            lines.append(String(repeating: " ", count: 46) + "id \(finding.id)"
                         + (finding.firstSeen.map { "  seen \($0) – \(finding.lastSeen ?? $0)" } ?? "")
                         + (finding.explainedBy.isEmpty ? "" : "  explained by \(finding.explainedBy.joined(separator: ", "))"))
            let commands = finding.remediation.commands.filter { !$0.hasPrefix("#") }
            if let fix = commands.first {
                // The first command alone reads as the whole fix: say how many follow.
                lines.append(String(repeating: " ", count: 46) + "fix: " + fix + (commands.count > 1 ? "  (+\(commands.count - 1) more)" : ""))
            }
        }
        lines.append("")
        lines.append("Full evidence (files, lines, byte offsets), every message and the complete fix: mailflow detect --format json")
        if !result.evidenceGaps.isEmpty {
            lines.append("")
            lines.append("Confidence would rise with:")
            lines += result.evidenceGaps.map { "  - " + $0 }
        }
        // Titles, ids and commands quote log content (connector names, certificate subjects): no escapes reach the terminal.
        return lines.map(TerminalText.sanitized).joined(separator: "\n") + missingNote(result)
    }

    private static func missingNote(_ result: DetectionRun.Result) -> String {
        result.missingConfiguration.isEmpty ? "" : "\nNote: no accepted-domain or Inbound connector export for \(result.missingConfiguration.joined(separator: ", ")): "
            + "findings about them rest on traffic alone (lower confidence). Export with: Get-AcceptedDomain | ConvertTo-Json -Depth 5; Get-InboundConnector | ConvertTo-Json -Depth 5"
    }

    public static func json(_ findings: [Finding], pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        if !pretty, findings.count == 1 {
            return String(decoding: (try? encoder.encode(findings[0])) ?? Data(), as: UTF8.self)
        }
        return String(decoding: (try? encoder.encode(findings)) ?? Data(), as: UTF8.self)
    }

    /// One row per finding and message, for spreadsheets.
    public static func csv(_ findings: [Finding]) -> String {
        var rows = ["finding_id,pattern,severity,message_id,outcome,owner_tenant,observed_tenant,decided_by,time,title"]
        for finding in findings {
            let messages = finding.messages.isEmpty ? [nil] : finding.messages.map { Optional($0) }
            for message in messages {
                rows.append([finding.id, finding.pattern.rawValue, finding.severity.rawValue, message?.messageId ?? "", message?.outcome ?? "",
                             message?.ownerTenant ?? "", message?.observedTenant ?? "", message?.decidedBy ?? "", message?.time ?? "", finding.title]
                    .map { SpreadsheetCell.encoded($0) }.joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n")
    }

    public static func markdown(_ result: DetectionRun.Result) -> String {
        var lines = ["# mailflow findings", "", "\(result.findings.count) finding(s) from \(result.verdictCount) message(s) sent to Exchange Online.", ""]
        for finding in result.findings {
            lines.append("## \(finding.severity.rawValue.uppercased()) · \(finding.pattern.rawValue) · \(finding.title)")
            lines.append("")
            lines.append(finding.summary)
            lines.append("")
            if !finding.connectors.isEmpty {
                lines.append("Connectors: " + finding.connectors.map { "\($0.tenant) / \($0.name)" }.joined(separator: "; "))
            }
            if let first = finding.firstSeen { lines.append("Seen: \(first) – \(finding.lastSeen ?? first), \(finding.messageCount) message(s)") }
            if !finding.explainedBy.isEmpty { lines.append("Explained by: \(finding.explainedBy.joined(separator: ", "))") }
            lines.append("")
            lines.append("Fix — \(finding.remediation.why)")
            lines.append("")
            lines.append("```powershell")
            lines += finding.remediation.commands
            lines.append("```")
            if !finding.evidence.isEmpty {
                lines.append("")
                lines.append("Evidence:")
                for item in finding.evidence.prefix(10) { lines.append("- `\(item.file):\(item.line)` (byte \(item.offset)): \(item.what)") }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
