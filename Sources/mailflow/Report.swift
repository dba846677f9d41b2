import ArgumentParser
import Foundation
import MailFlowKit

extension MailFlowCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one self-contained HTML report: findings, evidence, fixes, a timeline per sending path, every message.",
            discussion: "Runs detect on the database, then writes FILE.html (no network access needed to open it). Example: mailflow report --output incident.html"
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file"))
        var output: String

        @Flag(help: ArgumentHelp("Replace addresses' local parts and subjects with keyed hashes (domains, IPs and codes stay).",
                                 discussion: "Set $MAILFLOW_REDACT_KEY for hashes that match across reports; else the key is random for this run."))
        var redact = false

        func run() throws {
            let store = try Store.open(path: try database.existingPath())
            let result = try DetectionRun(database: store).run()
            let html = HTMLReport.render(result: result, messages: try MessageExportRow.all(in: store),
                                         generatedAt: Timestamp.iso8601(Int64(time(nil)) * 1000),
                                         redactor: redact ? Redactor(key: ProcessInfoEnvironment.current["MAILFLOW_REDACT_KEY"]) : nil)
            do {
                try html.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CommandError("cannot write '\(output)': \(error.localizedDescription); give a writable path with --output")
            }
            print("wrote \(output): \(result.findings.count) finding(s), \(result.verdictCount) message(s)" + (redact ? ", redacted" : ""))
        }
    }
}
