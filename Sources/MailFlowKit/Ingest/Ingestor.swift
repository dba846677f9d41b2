#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        // The store's own files (database, -wal, -shm, lock) are never inputs, even inside an ingested folder.
        let (inputs, problems) = InputDiscovery.expand(paths, excluding: StoreIdentity.ownFiles(forDatabase: options.databasePath))
        for problem in problems {
            summary.files.append(.init(path: problem.path, status: .unreadable, problem: "cannot open '\(problem.path)': \(problem.reason)"))
        }
        // Another program's database is refused before even a lock file is made beside it.
        if access(options.databasePath, F_OK) == 0 {
            _ = try StoreIdentity.check(Database(path: options.databasePath, mode: .readOnly))
        }
        // Lock first: migrating and writing are then one process's job at a time.
        let lock = try DatabaseLock(path: options.databasePath, wait: options.waitForLock, onWait: onLockWait)
        let database = try Store.open(path: options.databasePath)
        // Opened before a bulk load drops the indexes: opening a store recreates missing ones.
        let writerDatabase = try Self.openForWriting(path: options.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let catalog = try FileCatalog(database: try Store.open(path: options.databasePath, mode: .readOnly))
        let bytesIncoming = inputs.reduce(Int64(0)) { $0 + catalog.estimatedBytesToRead($1) }
        let isBulkLoad = try Self.isBulkLoad(database, bytesIncoming: bytesIncoming)
        if isBulkLoad { try Schema.dropEventIndexes(database) }
        let firstNewEventId = try database.maxEventId() + 1
        // The writer thread gets a connection of its own, handed over and never touched here; this
        // thread keeps `database` for what it does before and after.
        let writerThread = WriterThread(writer: try StoreWriter(database: writerDatabase))
        writerThread.start()

        var tracker = ProgressTracker(fileCount: inputs.count, bytesTotal: inputs.reduce(0) { $0 + ($1.size ?? 0) }, started: started, report: progress)
        var seenInRun = SeenInRun()
        var outcomes: [Int: IngestSummary.FileOutcome] = [:]
        for (index, input) in inputs.enumerated() {
            tracker.startFile(index: index, path: input.path)
            let outcome = ingest(input, index: index, catalog: catalog, writer: writerThread, seenInRun: &seenInRun, tracker: &tracker)
            outcomes[index] = outcome
            tracker.finishFile(bytes: input.size ?? outcome.bytes)
            if writerThread.failure != nil { break }
        }
        // Nothing read, nothing to attribute: the tenant pass and the coverage check run over the
        // whole store, which made a re-run over unchanged inputs cost half the first ingest.
        let wroteAnything = seenInRun.begunInputs > 0
        if wroteAnything { writerThread.queue.push(.resolveTenants(firstNewEventId: firstNewEventId)) }
        writerThread.queue.push(.finishStore(rebuildIndexes: isBulkLoad))
        if let failure = writerThread.finish() { throw failure }
        for index in inputs.indices {
            guard var outcome = outcomes[index] else { continue }
            if let counts = writerThread.counts[index] {
                outcome.events = counts.events
                outcome.duplicateEvents = counts.duplicateEvents
                outcome.sessions = counts.sessions
                outcome.quarantined = counts.quarantined
                if counts.quarantineNotStored > 0 {
                    outcome.notes.append("quarantine kept the first \(StoreWriter.quarantineLinesKept) lines per reason in full; \(counts.quarantineNotStored) more were counted but not stored")
                }
                if counts.variantEvents > 0 {
                    outcome.notes.append("\(counts.variantEvents) row(s) were the same event as a row already stored but gave some fields "
                        + "other values; both values are kept (table event_variants)")
                }
            }
            summary.files.append(outcome)
        }
        for counts in writerThread.counts.values {
            summary.quarantinedByReason.merge(counts.quarantinedByReason, uniquingKeysWith: +)
        }
        if wroteAnything { summary.warnings = try TraceCoverage(database: database).gaps() }
        if let note = writerThread.checkpointNote { summary.warnings.append(note) }
        summary.elapsedSeconds = (ContinuousClock.now - started).seconds
        return summary
    }

    /// The writer thread's connection.
    private static func openForWriting(path: String) throws -> sending Database {
        let database = try Store.open(path: path)
        try database.checkpointRarely()
        return database
    }

    /// True when the inputs would add more rows than the table holds (about 400 bytes of log a row):
    /// then indexes are cheaper built once at the end than maintained row by row.
    static func isBulkLoad(_ database: Database, bytesIncoming: Int64) throws -> Bool {
        let estimatedRows = bytesIncoming / 400
        guard estimatedRows > 50_000 else { return false }
        // The largest row id bounds the row count without counting (a count scanned the table on every run).
        return try database.maxEventId() < estimatedRows
    }

    private func ingest(
        _ input: InputFile, index: Int, catalog: FileCatalog, writer: WriterThread,
        seenInRun: inout SeenInRun, tracker: inout ProgressTracker
    ) -> IngestSummary.FileOutcome {
        var outcome = IngestSummary.FileOutcome(path: input.path, status: .ingested)
        let stream = InputReader(path: input.path)
        var head: [UInt8] = []
        var parser: (any RecordParser)?
        var plan: FilePlan?
        var batch = RecordBatch()
        var skipped = false
        var rawHead: [UInt8]?
        var identity: FileIdentity?
        /// Set when a grown plain file continues at its checkpoint: reading stops after the head and
        /// starts again from there.
        var resumeAt: Checkpoint?
        if !input.isStandardInput {
            switch InputDiscovery.readBytesOrReason(path: input.path, offset: 0, count: Fingerprint.length) {
            case .success(let bytes):
                rawHead = bytes
                identity = FileIdentity(path: input.path, size: input.size ?? 0, head: bytes)
                if identity == nil {
                    outcome.status = .unreadable
                    outcome.problem = "cannot read the end of '\(input.path)' to identify it"
                    return outcome
                }
            case .failure(let failure):
                outcome.status = .unreadable
                outcome.problem = "cannot read '\(input.path)': \(failure.reason)"
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
            let headBytes = rawHead ?? Array(head.prefix(Fingerprint.length))
            switch catalog.decide(for: input, head: headBytes, identity: identity, isGzip: isGzip) {
            case .unchanged(_, let status):
                outcome.status = .unchanged
                if status == "damaged" { outcome.notes.append("read before up to its damage; unchanged since") }
                return false
            case .read(let decided):
                var decided = decided
                if decided.existingFileId == nil, let identity {
                    switch seenInRun.check(identity, path: input.path) {
                    case .duplicate(of: let earlier):
                        outcome.status = .duplicate
                        outcome.notes.append("same content as '\(earlier)', read earlier in this run")
                        return false
                    case .distinct(let contentHash):
                        decided.contentHash = contentHash
                    }
                }
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
            seenInRun.begunInputs += 1
            try head.withUnsafeBytes { try parser!.consume($0, into: &batch) }
            let consumed = Int64(head.count)
            head = []
            if let plan, plan.existingFileId != nil, isGzip, plan.resumeFrom.offset > 0 {
                // gzip output arrives a whole checked member at a time, so the head may already hold
                // everything up to the checkpoint: the stream was read again either way.
                outcome.notes.append("compressed input grew: read again from the start (a gzip stream cannot be entered mid-way); "
                    + "rows before the last checkpoint were already stored and are skipped")
            } else if let plan, plan.existingFileId != nil, plan.resumeFrom.offset > consumed {
                if !input.isStandardInput, parser!.skip(to: plan.resumeFrom) {
                    resumeAt = plan.resumeFrom
                } else {
                    outcome.notes.append("grown input read again from the start (its reader cannot continue mid-way); "
                        + "rows before the last checkpoint were already stored and are skipped")
                }
            }
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

        func consume(_ chunk: UnsafeRawBufferPointer) throws {
            if parser == nil {
                head.append(contentsOf: chunk)
                guard head.count >= SniffSample.maxBytes else { return }
                if try !start() { skipped = true; throw StopReading() }
                if resumeAt != nil { throw StopReading() }
                return
            }
            try parser!.consume(chunk, into: &batch)
            if batch.recordCount >= options.batchRecords { ship() }
            if writer.failure != nil { throw StopReading() }
        }

        var damage: InputError?
        do {
            do {
                let info = try stream.read(progress: { tracker.update(fileBytes: $0) }, consume)
                outcome.bytes = info.rawBytes
            } catch is StopReading where resumeAt != nil {
                // A grown plain file: the head gave the parser its header; the rest is read from
                // the checkpoint, so only the appended bytes are read and parsed.
                let offset = resumeAt!.offset
                resumeAt = nil
                let info = try stream.read(from: offset, progress: { tracker.update(fileBytes: offset + $0) }, consume)
                outcome.bytes = info.rawBytes
            }
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

/// The inputs an ingest has read so far, by identity, so that a second copy of one in the same run
/// is read once; a match on size, head and tail is confirmed by hashing both whole files.
struct SeenInRun {
    private var paths: [FileIdentity: [(path: String, contentHash: Int64?)]] = [:]
    /// Inputs the writer was told to store (read anew or continued).
    var begunInputs = 0

    enum Verdict {
        case duplicate(of: String)
        /// A new input; the content hash when one had to be computed.
        case distinct(contentHash: Int64?)
    }

    mutating func check(_ identity: FileIdentity, path: String) -> Verdict {
        guard var earlier = paths[identity] else {
            paths[identity] = [(path, nil)]
            return .distinct(contentHash: nil)
        }
        let hash = FileIdentity.contentHash(path: path)
        for index in earlier.indices {
            if earlier[index].contentHash == nil { earlier[index].contentHash = FileIdentity.contentHash(path: earlier[index].path) }
            if let hash, earlier[index].contentHash == hash {
                paths[identity] = earlier
                return .duplicate(of: earlier[index].path)
            }
        }
        earlier.append((path, hash))
        paths[identity] = earlier
        return .distinct(contentHash: hash)
    }
}
