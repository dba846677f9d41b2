import ArgumentParser
import MailFlowKit

extension MailFlowCommand {
    struct Quarantine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the lines that could not be read, with file, line, byte offset and reason."
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Show at most this many lines.")
        var limit = 50

        func run() throws {
            let store = try Store.open(path: try database.existingPath(), mode: .readOnly)
            if let warning = StoreActivity.partialResultsWarning(databasePath: database.path, database: store) { Terminal.writeError(warning + "\n") }
            let rows = try QuarantineReport.rows(in: store, limit: limit)
            if rows.isEmpty {
                print("no quarantined lines in '\(database.path)'")
                return
            }
            for row in rows {
                // The quarantined text is whatever the file held: never let it drive the terminal.
                print(TerminalText.sanitized("\(row.path):\(row.line) (byte \(row.offset)) \(row.reason): \(row.detail)"))
                print("    " + TerminalText.sanitized(String(row.text.prefix(160))))
            }
        }
    }
}
