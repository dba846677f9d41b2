import Foundation

/// Renders a ``Simulation/Result`` for people (a table) or scripts (JSON with `before`, `after`,
/// `changed`, `newlyBroken`, `changes`).
public enum WhatIfReport {
    public enum Format: String, Sendable, CaseIterable {
        case table, json
    }

    public static func render(_ result: Simulation.Result, format: Format) -> String {
        switch format {
        case .json: return json(result)
        case .table: return table(result)
        }
    }

    static func json(_ result: Simulation.Result) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(result)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    static func table(_ result: Simulation.Result) -> String {
        var lines = ["What if — simulated on every stored message; the database is not changed.", ""]
        lines.append("Changes:")
        lines += result.changes.map { "  - \($0.words)\n      \($0.powerShell)" }
        lines.append("")
        lines.append("OUTCOME         BEFORE   AFTER")
        for (name, before, after) in [("rejected", result.before.rejected, result.after.rejected), ("misattributed", result.before.misattributed, result.after.misattributed),
                                      ("at-risk", result.before.atRisk, result.after.atRisk), ("ok", result.before.ok, result.after.ok)] {
            lines.append(name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(before).padding(toLength: 9, withPad: " ", startingAt: 0) + String(after))
        }
        if !result.paths.isEmpty {
            lines.append("")
            lines.append("Deciding step per path (before → after):")
            lines += result.paths.map { "  \($0.path): \($0.before) → \($0.after)" }
        }
        lines.append("")
        lines.append(result.newlyBroken == 0 ? "Newly broken: none." : "NEWLY BROKEN: \(result.newlyBroken) message(s) that work today would be rejected or misattributed:")
        for change in result.changed {
            lines.append("  \(change.isNewlyBroken ? "!" : " ") \(change.messageId)  \(change.from) → \(change.to)  (\(change.decidedBy)\(change.tenant.map { ", \($0)" } ?? ""))  \(change.path)")
        }
        lines.append("")
        lines.append("Assumptions: " + result.assumptions.joined(separator: "; ") + ".")
        // Connector, certificate and message names come from logs and exports: no escapes reach the terminal.
        return lines.map(TerminalText.sanitized).joined(separator: "\n")
    }
}
