/// `mailflow report`: one self-contained HTML page (inline CSS, SVG and a few lines of script, no
/// network) with the findings and their evidence and fix, a delivered-vs-refused timeline per sending
/// path with each onset marked, and a sortable message table. Every value from the logs goes through
/// ``HTMLText/escaped(_:)``.
package enum HTMLReport {
    /// - Parameter redactor: when given, addresses' local parts and subjects are replaced by keyed hashes, and the page says so.
    package static func render(result: DetectionRun.Result, messages: [MessageExportRow], generatedAt: String, redactor: Redactor? = nil) -> String {
        var result = result
        var messages = messages
        if let redactor {
            result.findings = result.findings.map(redactor.finding)
            messages = messages.map(redactor.message)
        }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mailflow report</title>
            <style>\(style)</style></head><body>
            <header><h1>mailflow report</h1>
            <p class="meta">Generated \(HTMLText.escaped(generatedAt)) · \(result.verdictCount) message(s) sent to Exchange Online · \
            \(result.tenants.count) tenant(s): \(HTMLText.escaped(result.tenants.joined(separator: ", ")))</p>\(redactor == nil ? "" : """
            <p class="redacted" id="redacted">Redacted: the local parts of addresses and the subjects are keyed hashes; domains, IPs and codes are as logged.</p>
            """)</header>
            <section id="summary"><h2>Findings</h2><p><span id="finding-count">\(result.findings.count)</span> finding(s): \
            \(result.findings.filter { $0.severity == .high }.count) high, \(result.findings.filter { $0.severity == .medium }.count) medium, \
            \(result.findings.filter { $0.severity == .low }.count) low.</p></section>

            """
        html += timelines(result: result, messages: messages)
        html += "<section id=\"findings\">\n"
        for finding in result.findings { html += findingBlock(finding) }
        html += "</section>\n"
        html += messageTable(messages)
        html += "<script>\(sortScript)</script>\n</body></html>\n"
        return html
    }

    static func findingBlock(_ finding: Finding) -> String {
        var block = "<article class=\"finding \(finding.severity.rawValue)\" id=\"\(HTMLText.escaped(finding.id))\">\n"
        block += "<h3><span class=\"badge\">\(finding.severity.rawValue.uppercased())</span> \(HTMLText.escaped(finding.pattern.rawValue)) · \(HTMLText.escaped(finding.title))</h3>\n"
        block += "<p>\(HTMLText.escaped(finding.summary))</p>\n"
        var facts: [String] = ["\(finding.messageCount) message(s)"]
        if let first = finding.firstSeen { facts.append("seen \(first) – \(finding.lastSeen ?? first)") }
        if let onset = finding.onset { facts.append("onset \(onset.time)" + (onset.lastDeliveryBefore.map { ", last delivered before: \($0)" } ?? "")) }
        if !finding.connectors.isEmpty { facts.append("connectors " + finding.connectors.map { "\($0.tenant) / \($0.name)" }.joined(separator: "; ")) }
        if !finding.explainedBy.isEmpty { facts.append("explained by " + finding.explainedBy.joined(separator: ", ")) }
        block += "<p class=\"facts\">\(HTMLText.escaped(facts.joined(separator: " · ")))</p>\n"
        block += "<h4>Fix</h4><p>\(HTMLText.escaped(finding.remediation.why))</p>\n"
        block += "<pre>\(HTMLText.escaped(finding.remediation.commands.joined(separator: "\n")))</pre>\n"
        if !finding.evidence.isEmpty {
            block += "<h4>Evidence</h4><ul class=\"evidence\">\n"
            for item in finding.evidence.prefix(10) {
                block += "<li><code>\(HTMLText.escaped("\(item.file):\(item.line)"))</code> (byte \(item.offset)) \(HTMLText.escaped(item.what))</li>\n"
            }
            if finding.evidence.count > 10 { block += "<li>+\(finding.evidence.count - 10) more (mailflow detect --format json)</li>\n" }
            block += "</ul>\n"
        }
        return block + "</article>\n"
    }

    /// One SVG per sending path: a dot per message (green delivered, red refused, amber misattributed or at risk), onsets as a dashed line.
    static func timelines(result: DetectionRun.Result, messages: [MessageExportRow]) -> String {
        let byPath = Dictionary(grouping: messages, by: \.path)
        let times = messages.compactMap { Timestamp.parseISO8601($0.time) }
        guard let start = times.min(), let end = times.max() else { return "" }
        let span = Double(max(end - start, 60_000))
        let width = 900.0, height = 60.0, margin = 10.0
        func x(_ ms: Int64) -> Double { margin + (width - 2 * margin) * Double(ms - start) / span }
        var html = "<section id=\"timelines\"><h2>Timeline per sending path</h2>\n"
        html += "<p class=\"legend\"><span class=\"ok\">●</span> delivered <span class=\"bad\">●</span> refused <span class=\"warn\">●</span> misattributed or at risk "
            + "<span class=\"onset\">┆</span> onset · \(HTMLText.escaped(Timestamp.iso8601(start))) – \(HTMLText.escaped(Timestamp.iso8601(end)))</p>\n"
        for path in byPath.keys.sorted() {
            let rows = byPath[path] ?? []
            html += "<figure class=\"timeline\"><figcaption>\(HTMLText.escaped(path)) · \(rows.count) message(s)</figcaption>\n"
            html += "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(HTMLText.escaped(path))\">\n"
            html += "<line x1=\"\(margin)\" y1=\"\(height / 2)\" x2=\"\(width - margin)\" y2=\"\(height / 2)\" class=\"axis\"/>\n"
            for finding in result.findings where finding.path == path {
                if let onset = finding.onset, let ms = Timestamp.parseISO8601(onset.time) {
                    html += "<line class=\"onset\" x1=\"\(x(ms))\" y1=\"4\" x2=\"\(x(ms))\" y2=\"\(height - 4)\"><title>onset \(HTMLText.escaped(onset.time))</title></line>\n"
                }
            }
            for row in rows {
                guard let ms = Timestamp.parseISO8601(row.time) else { continue }
                let kind = row.outcome == "ok" ? "ok" : row.outcome == "rejected" ? "bad" : "warn"
                let y = kind == "ok" ? height / 2 - 12 : kind == "bad" ? height / 2 + 12 : height / 2
                html += "<circle class=\"\(kind)\" cx=\"\(x(ms))\" cy=\"\(y)\" r=\"4\"><title>\(HTMLText.escaped("\(row.time) \(row.outcome) \(row.messageId)"))</title></circle>\n"
            }
            html += "</svg></figure>\n"
        }
        return html + "</section>\n"
    }

    static func messageTable(_ messages: [MessageExportRow]) -> String {
        let columns = ["time", "sender", "recipients", "subject", "outcome", "final reply", "finding"]
        var html = "<section id=\"messages\"><h2>Messages</h2><p>Click a column to sort.</p><table class=\"sortable\"><thead><tr>"
        html += columns.map { "<th>\(HTMLText.escaped($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in messages {
            let cells = [row.time, row.sender, row.recipients.joined(separator: ", "), row.subject, row.outcome, row.finalReply, row.findingId]
            html += "<tr class=\"\(HTMLText.escaped(row.outcome))\">" + cells.map { "<td>\(HTMLText.escaped($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1100px;padding:0 20px 40px;color:#1d232b}\
        h1{margin:24px 0 4px}.meta{color:#5b6470}h2{border-bottom:1px solid #d8dde3;padding-bottom:4px;margin-top:32px}\
        .finding{border:1px solid #d8dde3;border-left:6px solid #9aa4b0;border-radius:6px;padding:8px 16px;margin:14px 0}\
        .finding.high{border-left-color:#c62828}.finding.medium{border-left-color:#ef8f00}.finding.low{border-left-color:#5c8fd6}\
        .badge{font-size:11px;padding:2px 6px;border-radius:4px;background:#eef1f4}.facts{color:#5b6470}\
        pre{background:#f5f7f9;padding:8px;overflow:auto;white-space:pre-wrap}\
        table{border-collapse:collapse;width:100%;font-size:12px}th,td{border-bottom:1px solid #e4e8ec;padding:4px 6px;text-align:left;vertical-align:top}\
        th{cursor:pointer;background:#f5f7f9;position:sticky;top:0}tr.rejected td{background:#fdecec}tr.misattributed td,tr.at-risk td{background:#fff6e5}\
        .chart{background:#fafbfc;border:1px solid #e4e8ec;border-radius:4px}.axis{stroke:#c5ccd3}\
        circle.ok,.legend .ok{fill:#2e7d32;color:#2e7d32}circle.bad,.legend .bad{fill:#c62828;color:#c62828}circle.warn,.legend .warn{fill:#ef8f00;color:#ef8f00}\
        line.onset{stroke:#6a1b9a;stroke-width:2;stroke-dasharray:4 3}.legend .onset{color:#6a1b9a}.redacted{background:#fff6e5;padding:6px 10px;border-radius:4px}figure{margin:10px 0}figcaption{font-weight:600}
        """

    static let sortScript = """
        document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){\
        var t=th.closest('table'),b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d===1?'asc':'desc';\
        rows.sort(function(a,c){return a.cells[i].textContent.localeCompare(c.cells[i].textContent)*d;});rows.forEach(function(r){b.appendChild(r);});});});
        """
}
