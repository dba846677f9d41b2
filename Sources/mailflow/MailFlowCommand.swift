import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import MailFlowKit

struct MailFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailflow",
        abstract: "Find mail that Exchange Online rejected or attributed to the wrong tenant, and why.",
        discussion: """
            mailflow reads the logs an Exchange administrator has after a mail-flow \
            incident (Exchange Server message tracking and SMTP protocol logs, Exchange \
            Online message traces and reports, relay logs, connector and accepted-domain \
            exports; plain or gzip), indexes them in a SQLite database, replays Exchange \
            Online's tenant attribution for every message, and reports what broke, since \
            when, which connector, certificate or IP is to blame, and what to change.

              mailflow analyze sample-logs/      ingest and report, in one command
              mailflow detect --format json      every message, evidence and fix
              mailflow trace '<message-id>'      one message across every log
              mailflow quarantine                lines that could not be read
            """,
        version: "0.1.0",
        subcommands: [Analyze.self, Ingest.self, Detect.self, WhatIf.self, Trace.self, Query.self, Messages.self, Files.self, Report.self, Quarantine.self, Formats.self]
    )
}

/// The `--db` option every command that touches the store shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database to use.", discussion: "Defaults to $MAILFLOW_DB, else ./mailflow.db.", valueName: "path"))
    var db: String?

    var path: String { db ?? Store.defaultPath(environment: ProcessInfoEnvironment.current) }

    /// The path of a database that must already exist (commands that only read or analyse).
    func existingPath() throws -> String {
        guard access(path, F_OK) == 0 else {
            throw CommandError("no database at '\(path)': run 'mailflow ingest PATH...' (or 'mailflow analyze PATH...') first, or give --db")
        }
        return path
    }
}

/// A failure the command explains in one sentence (printed as `Error: …`, exit status 1).
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
