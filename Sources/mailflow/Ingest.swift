import ArgumentParser
import MailFlowKit

extension MailFlowCommand {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read log files into the database.",
            discussion: """
                Reads files, folders (recursively) or - (standard input). The format of \
                each file is recognised from its content, gzip by its magic bytes, whatever \
                the name; run 'mailflow formats' for the list.

                Re-running is safe: files already read are skipped, files that grew are read \
                from where the last run stopped, and an interrupted run continues. Lines that \
                cannot be read are kept in the quarantine with their file, line and byte \
                offset ('mailflow quarantine').

                Exit status: 0 when every input was read; 3 when some input could not be \
                read in full (unreadable, unrecognised, refused, or damaged gzip: the rows \
                before the damage are kept); 1 on other errors; 64 on usage errors.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Flag(name: .customLong("no-wait"), help: "Fail at once if another ingest is writing to the same database.")
        var noWait = false

        @Option(help: ArgumentHelp("Exchange Online tenant of inputs whose data does not name it.",
                                   discussion: "Otherwise taken from the data (Organization, tenant_id, the InitialDomain of an accepted-domain export in the same folder) or from a folder named like a tenant (contoso.onmicrosoft.com).",
                                   valueName: "name"))
        var tenant: String?

        @Option(help: ArgumentHelp("Name of the server or relay that wrote on-premises or relay logs.",
                                   discussion: "Otherwise the nearest folder name that is not a generic log folder (MessageTracking, SmtpSend, ...).",
                                   valueName: "name"))
        var source: String?

        @Option(name: .customLong("date-format"), help: ArgumentHelp("Day/month order of culture-formatted dates in CSV exports: dmy or mdy.",
                                                                     discussion: "By default it is resolved from the whole file (a day above 12 decides) and the summary says which reading was used."))
        var dateFormat: ParseOptions.DateOrder?

        @Option(help: "Year of syslog timestamps that carry none (default: the file's modification year).")
        var year: Int?

        @Argument(help: ArgumentHelp("Files or folders to read, or - for standard input.", valueName: "path"))
        var paths: [String]

        func validate() throws {
            if let year, !Timestamp.supportedYears.contains(year) {
                throw ValidationError("--year \(year) is outside the years mailflow reads (\(Timestamp.supportedYears.lowerBound)–\(Timestamp.supportedYears.upperBound))")
            }
        }

        func run() throws {
            var options = Ingestor.Options(databasePath: database.path)
            options.waitForLock = !noWait
            options.tenant = tenant
            options.source = source
            options.parseOptions.dateOrder = dateFormat
            options.parseOptions.year = year
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

extension ParseOptions.DateOrder: ExpressibleByArgument {}
