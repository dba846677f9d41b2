import ArgumentParser
import MailFlowKit

extension MailFlowCommand {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read log files into the database.",
            discussion: """
                Reads files, folders (recursively) or - (standard input). The format of each file is
                recognised from its content; gzip is recognised by its magic bytes, whatever the name.
                Run 'mailflow formats' for the list.

                Re-running is safe: files already read are skipped, files that grew are read from where
                the last run stopped, and an interrupted run continues. Lines that cannot be read are
                kept in the quarantine with their file, line and byte offset ('mailflow quarantine').

                Exit status: 0 when every input was read, 3 when some input could not be read in full
                (unreadable, unrecognised, or damaged gzip: rows before the damage are kept), 1 on other
                errors, 64 on usage errors.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Flag(name: .customLong("no-wait"), help: "Fail at once if another ingest is writing to the same database.")
        var noWait = false

        @Argument(help: ArgumentHelp("Files or folders to read, or - for standard input.", valueName: "path"))
        var paths: [String]

        func run() throws {
            var options = Ingestor.Options(databasePath: database.path)
            options.waitForLock = !noWait
            let showProgress = Terminal.isStandardErrorTTY
            let summary = try Ingestor(options: options).run(
                paths: paths,
                progress: showProgress ? { Terminal.writeError("\r\u{1B}[K" + IngestReport.progressLine($0)) } : nil,
                onLockWait: { Terminal.writeError("waiting for another mailflow ingest to finish writing '\(database.path)'...\n") }
            )
            if showProgress { Terminal.writeError("\r\u{1B}[K") }
            print(json ? IngestReport.json(summary) : IngestReport.text(summary))
            if !summary.isComplete { throw ExitCode(IngestSummary.incompleteExitCode) }
        }
    }

    struct Formats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the input formats mailflow recognises.")

        func run() {
            for format in FormatRegistry.standard.formats {
                print("\(format.id.padding(to: 30))\(format.title)")
            }
        }
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
