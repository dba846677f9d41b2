import ArgumentParser
import MailFlowKit

extension MailFlowCommand {
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything known about one message: events from every log, SMTP replies, and its verdict.",
            discussion: "Run 'mailflow detect' first to include the attribution verdict. Example: mailflow trace '<C0FFEE070007@EX01.contoso.local>'"
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The Internet Message-ID, with or without angle brackets.", valueName: "message-id"))
        var messageId: String

        func run() throws {
            let store = try Store.open(path: try database.existingPath(), mode: .readOnly)
            if let warning = StoreActivity.partialResultsWarning(databasePath: database.path, database: store) { Terminal.writeError(warning + "\n") }
            let entries = try MessageHistory.entries(messageId: messageId, in: store)
            guard !entries.isEmpty else {
                print("no record of \(messageId) in '\(database.path)'")
                throw ExitCode(2)
            }
            for entry in entries {
                print("\(Timestamp.iso8601(entry.timeMs))  \(entry.source.padding(to: 18))\(entry.scope.padding(to: 26))\(entry.what)")
                print(String(repeating: " ", count: 70) + entry.evidence)
            }
        }
    }
}
