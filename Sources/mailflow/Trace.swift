import ArgumentParser
import MailFlowKit

extension TraceReport.Format: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension MailFlowCommand {
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything known about one message: events from every log, SMTP replies, and its verdict.",
            discussion: """
                The message can be named by its Internet Message-ID (any case, with or without \
                angle brackets), Exchange Online's network message id, a message trace's \
                MessageTraceId, or the SMTP session id of a protocol log (every message of the \
                session). Run 'mailflow detect' first to include the verdict.

                Exit status: 0 found, 2 no record of it, 1 error.

                  mailflow trace '<C0FFEE070007@EX01.contoso.local>'
                  mailflow trace --format json 9d1c0007-0000-4000-8000-08dc00000000
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Output: text or json.")
        var format: TraceReport.Format = .text

        @Argument(help: ArgumentHelp("Message-ID, network message id, MessageTraceId or SMTP session id.", valueName: "id"))
        var messageId: String

        static let notFoundExitCode: Int32 = 2

        func run() throws {
            let store = try Store.open(path: try database.existingPath(), mode: .readOnly)
            if let warning = StoreActivity.partialResultsWarning(databasePath: database.path, database: store) { Terminal.writeError(warning + "\n") }
            guard let match = try MessageLookup.find(messageId, in: store) else {
                Terminal.writeError("no record of \(TerminalText.sanitized(messageId)) in '\(database.path)' "
                    + "(tried Message-ID in any case, network message id, SMTP session id and MessageTraceId)\n")
                throw ExitCode(Self.notFoundExitCode)
            }
            let messages = try match.messageIds.map { id in
                TraceReport.Message(header: try MessageLookup.header(messageId: id, in: store),
                                    entries: try MessageHistory.entries(messageId: id, in: store))
            }
            print(TraceReport.render(query: messageId, match: match, messages: messages, format: format))
        }
    }
}
