/// Reads inputs into the store: the library entry point behind `mailflow ingest`.
///
/// ```swift
/// let summary = try Ingestor(options: IngestOptions(databasePath: "mailflow.db"))
///     .run(paths: ["sample-logs"])
/// print(summary.events, summary.quarantined)
/// ```
///
/// The calling thread reads, decompresses, recognises and parses each input; a writer thread
/// stores the batches. Each input is checked against the store first: unchanged inputs are
/// skipped, grown or interrupted ones continue from their checkpoint.
public final class Ingestor {
    public struct Options: Sendable {
        public var databasePath: String
        /// Wait for another ingest on the same database instead of failing.
        public var waitForLock = true
        /// Records per batch (and per transaction).
        public var batchRecords = 8_000
        public var registry = FormatRegistry.standard
        /// How to read ambiguous values (date order, syslog year).
        public var parseOptions = ParseOptions()
        /// The Exchange Online tenant the inputs belong to when their data does not say (`--tenant`).
        public var tenant: String?
        /// The sending server or relay the inputs come from when their folder does not say (`--source`).
        public var source: String?

        public init(databasePath: String) {
            self.databasePath = databasePath
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Ingests every input under `paths`.
    ///
    /// - Parameters:
    ///   - progress: called from the ingesting thread a few times a second.
    ///   - onLockWait: called once if another ingest holds the database and this one waits.
    /// - Returns: per-input outcomes; inputs that could not be read are reported there, not thrown.
    /// - Throws: ``StoreError`` or ``DatabaseLock/Failure`` when the store itself cannot be used.
    public func run(paths: [String], progress: ((IngestProgress) -> Void)? = nil, onLockWait: () -> Void = {}) throws -> IngestSummary {
        let started = ContinuousClock.now
        var summary = IngestSummary(database: options.databasePath)
        let (inputs, problems) = InputDiscovery.expand(paths)
        for problem in problems {
            summary.files.append(.init(path: problem.path, status: .unreadable, problem: "cannot open '\(problem.path)': \(problem.reason)"))
        }
        // Lock first: migrating and writing are then one process's job at a time.
        let lock = try DatabaseLock(path: options.databasePath, wait: options.waitForLock, onWait: onLockWait)
        let database = try Store.open(path: options.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let catalog = FileCatalog(database: try Store.open(path: options.databasePath, mode: .readOnly))
        let bytesIncoming = inputs.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        let isBulkLoad = try Self.isBulkLoad(database, bytesIncoming: bytesIncoming)
        if isBulkLoad { try Schema.dropEventIndexes(database) }
        // Checkpoint the write-ahead log rarely during a load (each checkpoint syncs the disk), and
        // fold it into the database once at the end.
        try database.execute("PRAGMA wal_autocheckpoint = 32768")
        let writerThread = WriterThread(writer: try StoreWriter(database: database))
        writerThread.start()

        var tracker = ProgressTracker(fileCount: inputs.count, bytesTotal: inputs.reduce(0) { $0 + ($1.size ?? 0) }, started: started, report: progress)
        var seenInRun: [Int64: String] = [:]
        var outcomes: [Int: IngestSummary.FileOutcome] = [:]
        for (index, input) in inputs.enumerated() {
            tracker.startFile(index: index, path: input.path)
            let outcome = ingest(input, index: index, catalog: catalog, writer: writerThread, seenInRun: &seenInRun, tracker: &tracker)
            outcomes[index] = outcome
            tracker.finishFile(bytes: input.size ?? outcome.bytes)
            if writerThread.failure != nil { break }
        }
        writerThread.queue.push(.resolveTenants)
        writerThread.queue.push(.finishStore(rebuildIndexes: isBulkLoad))
        if let failure = writerThread.finish() { throw failure }
        for index in inputs.indices {
            guard var outcome = outcomes[index] else { continue }
            if let counts = writerThread.counts[index] {
                outcome.events = counts.events
                outcome.duplicateEvents = counts.duplicateEvents
                outcome.sessions = counts.sessions
                outcome.quarantined = counts.quarantined
            }
            summary.files.append(outcome)
        }
        for counts in writerThread.counts.values {
            summary.quarantinedByReason.merge(counts.quarantinedByReason, uniquingKeysWith: +)
        }
        summary.warnings = try TraceCoverage(database: database).gaps()
        summary.elapsedSeconds = (ContinuousClock.now - started).seconds
        return summary
    }

    /// True when the inputs would add more rows than the table holds (about 400 bytes of log a row):
    /// then indexes are cheaper built once at the end than maintained row by row.
    static func isBulkLoad(_ database: Database, bytesIncoming: Int64) throws -> Bool {
        let estimatedRows = bytesIncoming / 400
        guard estimatedRows > 50_000 else { return false }
        let existing = try database.scalar("SELECT count(*) FROM (SELECT 1 FROM message_events LIMIT ?)", [.integer(estimatedRows)]) ?? 0
        return existing < estimatedRows
    }

    private func ingest(
        _ input: InputFile, index: Int, catalog: FileCatalog, writer: WriterThread,
        seenInRun: inout [Int64: String], tracker: inout ProgressTracker
    ) -> IngestSummary.FileOutcome {
        var outcome = IngestSummary.FileOutcome(path: input.path, status: .ingested)
        let stream = InputReader(path: input.path)
        var head: [UInt8] = []
        var parser: (any RecordParser)?
        var plan: FilePlan?
        var batch = RecordBatch()
        var skipped = false
        var rawHead: [UInt8]?
        if !input.isStandardInput {
            rawHead = InputDiscovery.readBytes(path: input.path, offset: 0, count: Fingerprint.length)
            guard rawHead != nil else {
                outcome.status = .unreadable
                outcome.problem = "cannot read '\(input.path)'"
                return outcome
            }
        }

        /// Recognises the format from the decoded head and tells the writer what is coming.
        func start() throws -> Bool {
            var sample = head.withUnsafeBytes { SniffSample(path: input.path, head: $0) }
            sample.options = options.parseOptions
            if sample.options.fileModifiedMs == nil { sample.options.fileModifiedMs = input.modifiedMs }
            guard let format = options.registry.detect(sample) else {
                let first = sample.firstLine.map { "'\($0.prefix(80))'" } ?? "nothing"
                let problem = "'\(input.path)' is not in a format mailflow reads (it starts with \(first)); run 'mailflow formats' to see what is supported"
                if input.isExplicit {
                    outcome.status = .unrecognized
                    outcome.problem = problem
                } else {
                    outcome.status = .skipped
                    outcome.notes.append("skipped: not a format mailflow reads")
                }
                return false
            }
            outcome.format = format.id
            if let reason = format.refusalReason(for: sample) {
                outcome.status = .refused
                outcome.problem = "'\(input.path)': \(reason)"
                return false
            }
            let isGzip = rawHead.map { $0.withUnsafeBytes(GzipStream.hasMagic) } ?? false
            outcome.compressed = isGzip
            let identity = rawHead ?? Array(head.prefix(Fingerprint.length))
            switch try catalog.decide(for: input, head: identity, isGzip: isGzip) {
            case .unchanged(_, let status):
                outcome.status = .unchanged
                if status == "damaged" { outcome.notes.append("read before up to its damage; unchanged since") }
                return false
            case .read(let decided):
                if let earlier = seenInRun[decided.fingerprint.hash], decided.existingFileId == nil {
                    outcome.status = .duplicate
                    outcome.notes.append("same content as '\(earlier)', read earlier in this run")
                    return false
                }
                seenInRun[decided.fingerprint.hash] = input.path
                plan = decided
                let names = SourceNaming(tenant: options.tenant, source: options.source).names(forPath: input.path, formatId: format.id)
                plan!.tenantName = names.tenant
                plan!.originName = names.origin
                plan!.assignedBy = SourceNaming(tenant: options.tenant, source: options.source).assignment(forPath: input.path, formatId: format.id)
                if decided.existingFileId != nil, decided.resumeFrom.offset > 0 {
                    outcome.status = .resumed
                    outcome.resumedAt = decided.resumeFrom.offset
                }
            }
            parser = format.parser(for: sample)
            writer.queue.push(.begin(input: index, plan: plan!, format: format.id))
            try head.withUnsafeBytes { try parser!.consume($0, into: &batch) }
            head = []
            return true
        }

        func ship() {
            guard let parser else { return }
            batch.checkpoint = parser.checkpoint
            tracker.addRecords(batch.recordCount)
            var shipped = writer.emptyBatch()
            swap(&shipped, &batch)
            writer.queue.push(.batch(input: index, shipped))
        }

        var damage: InputError?
        do {
            let info = try stream.read(progress: { tracker.update(fileBytes: $0) }) { chunk in
                if parser == nil {
                    head.append(contentsOf: chunk)
                    guard head.count >= SniffSample.maxBytes else { return }
                    if try !start() { skipped = true; throw StopReading() }
                    return
                }
                try parser!.consume(chunk, into: &batch)
                if batch.recordCount >= options.batchRecords { ship() }
                if writer.failure != nil { throw StopReading() }
            }
            outcome.bytes = info.rawBytes
        } catch let error as InputError {
            if !error.isPartial {
                outcome.status = .unreadable
                outcome.problem = error.description
                return outcome
            }
            damage = error
        } catch is StopReading {
            // Skipped inputs (unchanged, duplicate, not a log) count no bytes read.
            if parser == nil { return outcome }
            outcome.bytes = input.size ?? 0
        } catch {
            outcome.status = .unreadable
            outcome.problem = "reading '\(input.path)' failed: \(error)"
            return outcome
        }
        do {
            if parser == nil, !skipped {
                guard try start() else { return outcome }
            }
            guard let parser else { return outcome }
            if let damage {
                try parser.finishAfterDamage(into: &batch)
                outcome.status = .damaged
                outcome.problem = damage.description
            } else {
                try parser.finish(into: &batch)
            }
            ship()
            outcome.encoding = parser.encoding?.rawValue
            outcome.notes += parser.notes
            writer.queue.push(.end(input: index, status: damage == nil ? "complete" : "damaged", damage: damage?.description,
                                   notes: parser.notes, encoding: parser.encoding?.rawValue))
        } catch {
            outcome.status = .unreadable
            outcome.problem = "reading '\(input.path)' failed: \(error)"
        }
        return outcome
    }
}

/// Thrown from a read callback to stop reading an input early (it was skipped or the writer failed).
private struct StopReading: Error {}

/// Rate-limits progress reports and keeps their running totals.
struct ProgressTracker {
    let fileCount: Int
    let bytesTotal: Int64
    let started: ContinuousClock.Instant
    let report: ((IngestProgress) -> Void)?
    private var bytesBeforeFile: Int64 = 0
    private var fileBytes: Int64 = 0
    private var records = 0
    private var fileIndex = 0
    private var path = ""
    private var lastReport: ContinuousClock.Instant

    init(fileCount: Int, bytesTotal: Int64, started: ContinuousClock.Instant, report: ((IngestProgress) -> Void)?) {
        self.fileCount = fileCount
        self.bytesTotal = bytesTotal
        self.started = started
        self.report = report
        self.lastReport = started
    }

    mutating func startFile(index: Int, path: String) {
        fileIndex = index
        self.path = path
        fileBytes = 0
        emit(force: true)
    }

    mutating func update(fileBytes: Int64) {
        self.fileBytes = fileBytes
        emit(force: false)
    }

    mutating func addRecords(_ count: Int) { records += count }

    mutating func finishFile(bytes: Int64) {
        bytesBeforeFile += bytes
        fileBytes = 0
    }

    private mutating func emit(force: Bool) {
        guard let report else { return }
        let now = ContinuousClock.now
        guard force || now - lastReport > .milliseconds(250) else { return }
        lastReport = now
        report(IngestProgress(fileIndex: fileIndex, fileCount: fileCount, currentPath: path, bytesRead: bytesBeforeFile + fileBytes,
                              bytesTotal: bytesTotal, records: records, elapsedSeconds: (now - started).seconds))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
