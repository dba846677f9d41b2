import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import MailFlowKit

// `--format JSON` and `--min-severity High` work as well as their lowercase spelling.
extension Finding.Severity: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension FindingReport.Format: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// Options shared by `detect` and `analyze`.
struct DetectOptions: ParsableArguments {
    @Option(help: "Output: table (for people), json (everything, for scripts), csv (one row per message) or markdown.")
    var format: FindingReport.Format = .table

    @Option(help: ArgumentHelp("Only findings that involve this tenant: its name, prefix, tenant id or any accepted domain.", valueName: "tenant"))
    var tenant: String?

    @Option(help: ArgumentHelp("Only delivery attempts at or after this time: 2026-11-24, 2026-11-24 09:00 (UTC), 2026-11-24T10:00+01:00, or 24h, 7d back from now.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only delivery attempts before this time (same forms as --since).", valueName: "time"))
    var until: String?

    @Option(name: .customLong("min-severity"), help: "Hide findings below this severity: low, medium or high.")
    var minSeverity: Finding.Severity = .low

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit with status 4 when a finding of this severity or higher is reported (for scheduled runs).", valueName: "severity"))
    var failOn: Finding.Severity?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeBound.parse(value, now: 0) == nil {
                throw ValidationError("\(name) '\(value)' is not \(TimeBound.accepted)")
            }
        }
    }

    /// The detection options, with `--tenant` resolved to the stored tenant it names (an unknown one is an error listing the tenants).
    func runOptions(in database: Database) throws -> DetectionRun.Options {
        var options = DetectionRun.Options()
        do {
            options.tenant = try tenant.map { try TenantMatcher.resolve($0, in: database) }
        } catch let unknown as TenantMatcher.Unknown {
            throw CommandError(unknown.description)
        }
        let now = Int64(time(nil)) * 1000
        options.since = since.flatMap { TimeBound.parse($0, now: now) }
        options.until = until.flatMap { TimeBound.parse($0, now: now) }
        options.minimumSeverity = minSeverity
        return options
    }

    /// Prints the findings and turns `--fail-on` into the exit status.
    func report(_ result: DetectionRun.Result) throws {
        print(FindingReport.render(result, format: format))
        if let failOn, result.findings.contains(where: { $0.severity >= failOn }) {
            throw ExitCode(DetectOptions.findingsExitCode)
        }
    }

    static let findingsExitCode: Int32 = 4
}

extension MailFlowCommand {
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find connector anti-patterns and the mail they rejected or misattributed.",
            discussion: """
                Attributes every delivery attempt to Exchange Online found in the database \
                the way Exchange Online does (certificate domain, then MAIL FROM domain, then \
                RCPT TO domain), compares it with each message's owner and with what the \
                tenants' traces show, and reports:

                  attribution-rejected      refused: 5.7.64 TenantAttribution, ATTRnn, ...
                  misattributed             attributed to a tenant that is not its owner
                  fallback-attribution      works only because MAIL FROM or RCPT TO decided
                  cert-domain-not-accepted  certificate name outside the tenant's domains
                  shared-certificate        one certificate used toward several tenants
                  shared-sender-ip          overlapping IP-based connectors of tenants
                  third-party-relay         OnPremises connector relaying others' domains

                The per-message verdicts are in the SQL view message_verdicts. Exit status: \
                0, or 4 with --fail-on when a finding at or above that severity is reported.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: DetectOptions

        func run() throws {
            let store = try Store.open(path: try database.existingPath())
            if let warning = StoreActivity.partialResultsWarning(databasePath: database.path, database: store) { Terminal.writeError(warning + "\n") }
            try options.report(try DetectionRun(database: store).run(try options.runOptions(in: store)))
        }
    }

    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest logs and exports, then detect: the whole investigation in one command.",
            discussion: "Equivalent to 'mailflow ingest PATH...' followed by 'mailflow detect'. Try: mailflow analyze sample-logs/"
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: DetectOptions

        @Option(help: ArgumentHelp("Exchange Online tenant of inputs whose data does not name it.", valueName: "name"))
        var inputTenant: String?

        @Option(help: ArgumentHelp("Name of the server or relay that wrote on-premises or relay logs.", valueName: "name"))
        var source: String?

        @Argument(help: ArgumentHelp("Files or folders to read, or - for standard input.", valueName: "path"))
        var paths: [String]

        func run() throws {
            var ingestOptions = Ingestor.Options(databasePath: database.path)
            ingestOptions.tenant = inputTenant
            ingestOptions.source = source
            let showProgress = Terminal.isStandardErrorTTY
            let summary = try Ingestor(options: ingestOptions).run(
                paths: paths,
                progress: showProgress ? { Terminal.writeError("\r\u{1B}[K" + IngestReport.progressLine($0)) } : nil)
            if showProgress { Terminal.writeError("\r\u{1B}[K") }
            if !summary.readAnything {
                // A mistyped path or a folder of unrelated files is not "no findings".
                Terminal.writeError(IngestReport.text(summary) + "\n\nError: nothing was read: " + IngestReport.nothingReadReason(summary) + "\n")
                throw ExitCode(IngestSummary.incompleteExitCode)
            }
            // Machine formats keep standard output clean; people read both in order.
            if options.format == .table || options.format == .markdown {
                print(IngestReport.text(summary) + "\n")
            } else {
                Terminal.writeError(IngestReport.text(summary) + "\n\n")
            }
            let store = try Store.open(path: try database.existingPath())
            try options.report(try DetectionRun(database: store).run(try options.runOptions(in: store)))
            if !summary.isComplete { throw ExitCode(IngestSummary.incompleteExitCode) }
        }
    }
}
