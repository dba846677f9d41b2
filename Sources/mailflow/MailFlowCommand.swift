import ArgumentParser
import MailFlowKit

struct MailFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailflow",
        abstract: "Find mail that Exchange Online rejected or attributed to the wrong tenant, and why.",
        discussion: """
            mailflow reads Exchange message tracking and SMTP protocol logs (plain or gzip), indexes them
            in a SQLite database, and lets you query what happened to each message.

            Start with:  mailflow ingest sample-logs/
            Then:        mailflow quarantine        (lines that could not be read, with file:line)
            """,
        version: "0.1.0",
        subcommands: [Analyze.self, Ingest.self, Detect.self, Trace.self, Quarantine.self, Formats.self]
    )
}

/// The `--db` option every command that touches the store shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database to use.", discussion: "Defaults to $MAILFLOW_DB, else ./mailflow.db.", valueName: "path"))
    var db: String?

    var path: String { db ?? Store.defaultPath(environment: ProcessInfoEnvironment.current) }
}
