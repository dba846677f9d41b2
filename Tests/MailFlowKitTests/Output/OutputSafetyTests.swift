import Foundation
import Testing

@testable import MailFlowKit

/// Log content is untrusted: what reaches a terminal carries no escapes, what reaches a spreadsheet no formulas.
@Suite("Output safety")
struct OutputSafetyTests {
    @Test("terminal text drops CSI and OSC sequences whole, C0 and C1 controls and DEL, and keeps one field on one line")
    func terminalTextStripsEscapes() {
        #expect(TerminalText.sanitized("Invoice \u{1B}[2J\u{1B}[31mpaid\u{1B}[0m") == "Invoice paid")
        #expect(TerminalText.sanitized("a\u{1B}]0;owned\u{07}b") == "ab")
        #expect(TerminalText.sanitized("a\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")
        #expect(TerminalText.sanitized("x\u{9B}1;1Hy\u{9D}title\u{9C}z") == "xyz")
        #expect(TerminalText.sanitized("bell\u{07}\u{08}\u{7F}\u{0} end") == "bell end")
        #expect(TerminalText.sanitized("two\r\nlines\ttab") == "two  lines tab")
        #expect(TerminalText.sanitized("Grüße ✉ <a@b.c>") == "Grüße ✉ <a@b.c>")
        #expect(TerminalText.sanitized("cut \u{1B}") == "cut ")
    }

    @Test("a spreadsheet cell that starts with = + - @ TAB or CR is prefixed with an apostrophe, and quoted when it must be")
    func spreadsheetCellNeutralisesFormulas() {
        #expect(SpreadsheetCell.encoded("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(SpreadsheetCell.encoded("+1") == "'+1")
        #expect(SpreadsheetCell.encoded("-2+3") == "'-2+3")
        #expect(SpreadsheetCell.encoded("@SUM(A1)") == "'@SUM(A1)")
        #expect(SpreadsheetCell.encoded("\tx") == "'\tx")
        #expect(SpreadsheetCell.encoded("\rx") == "\"'\rx\"")
        #expect(SpreadsheetCell.encoded("a,b") == "\"a,b\"")
        #expect(SpreadsheetCell.encoded("two\r\nlines") == "\"two\r\nlines\"")
        #expect(SpreadsheetCell.encoded("<m1@contoso.com>") == "<m1@contoso.com>")
        #expect(SpreadsheetCell.encoded("a=b") == "a=b")
    }

    @Test("the findings CSV neutralises a formula title and the table strips escapes, while JSON keeps them exactly")
    func findingRenderersApplyTheirRules() throws {
        let finding = try sampleFinding(title: "=cmd|' /C calc'!A0 \u{1B}]0;pwned\u{07}")
        let csv = FindingReport.csv([finding])
        #expect(csv.contains(",\"'=cmd|' /C calc'!A0 \u{1B}]0;pwned\u{07}\"") || csv.contains(",'=cmd|' /C calc'!A0"))
        #expect(!csv.contains(",=cmd"))
        let table = FindingReport.table(DetectionRun.Result(findings: [finding], verdictCount: 1, tenants: ["contoso.onmicrosoft.com"],
                                                            missingConfiguration: [], evidenceGaps: []))
        #expect(!table.contains("\u{1B}"))
        #expect(table.contains("=cmd|' /C calc'!A0"))
        #expect(FindingReport.json([finding], pretty: false).contains("\\u001b]0;pwned\\u0007"))
        let commands = finding.remediation.commands.filter { !$0.hasPrefix("#") }.count
        #expect(commands <= 1 || table.contains("(+\(commands - 1) more)"))
    }

    /// A real finding from the sample, retitled.
    private func sampleFinding(title: String) throws -> Finding {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            var finding = try #require(try DetectionRun(database: try Store.open(path: db)).run().findings.first)
            finding.title = title
            return finding
        }
    }
}
