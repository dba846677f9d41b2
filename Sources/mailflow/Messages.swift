import ArgumentParser
import MailFlowKit

extension MessageReport.Format: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension VerdictOutcome: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension MailFlowCommand {
    struct Messages: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export every message sent to Exchange Online with sender, recipients, subject, final reply and verdict.",
            discussion: """
                Run 'mailflow detect' first: the verdicts are its. CSV starts with a UTF-8 byte \
                order mark so Excel opens it cleanly, and a cell that would start a formula \
                (= + - @) is prefixed with '. NDJSON is one object per line, for a SIEM.

                  mailflow messages --format csv > messages.csv
                  mailflow messages --outcome rejected --format table
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Output: csv, ndjson, json or table.")
        var format: MessageReport.Format = .csv

        @Option(help: ArgumentHelp("Only messages with this outcome: \(VerdictOutcome.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "outcome"))
        var outcome: VerdictOutcome?

        func run() throws {
            let store = try Store.open(path: try database.existingPath(), mode: .readOnly)
            let rows = try MessageExportRow.all(in: store, outcome: outcome)
            if rows.isEmpty && outcome == nil {
                throw CommandError("no verdicts in '\(database.path)': run 'mailflow detect' first (or 'mailflow analyze PATH...')")
            }
            print(MessageReport.render(rows, format: format, width: Terminal.standardOutputWidth))
        }
    }
}
