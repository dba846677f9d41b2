import Foundation

/// The thread that owns the store's connection during an ingest and writes what the parser sends.
///
/// Parsing and writing each keep one core busy; a ``BoundedQueue`` of batches between them keeps
/// memory flat. If a write fails the queue is abandoned, the parser stops at its next push, and
/// the error is reported once the thread has ended.
///
/// Why `@unchecked Sendable` is true here: what both threads touch is behind a lock — the queue
/// (its condition), the spare batches (`spareLock`), the failure, counts and checkpoint note
/// (`stateLock`) — and the rest (`writer`, its connection, `current`) is handed to the writer
/// thread by ``init(writer:)`` and used only there.
final class WriterThread: @unchecked Sendable {
    enum Message {
        case begin(input: Int, plan: FilePlan, format: String)
        case batch(input: Int, RecordBatch)
        case end(input: Int, status: String, damage: String?, notes: [String], encoding: String?)
        /// After the last input: attribute rows to tenants from what the whole run taught.
        case resolveTenants(firstNewEventId: Int64)
        /// After the last input: build the indexes a bulk load dropped, and fold the log into the file.
        case finishStore(rebuildIndexes: Bool)
    }

    let queue = BoundedQueue<Message>(capacity: 2)
    private let writer: StoreWriter
    private let finished = DispatchSemaphore(value: 0)
    /// What each input added, by input index: written on the writer thread, read by the parser.
    var counts: [Int: StoreWriter.Counts] { stateLock.withLock { storedCounts } }
    private var storedCounts: [Int: StoreWriter.Counts] = [:]
    /// Written batches, emptied, for the parser to fill again: big buffers are allocated once per
    /// run instead of once per batch (fresh pages from the kernel cost more than the parsing).
    private var spare: [RecordBatch] = []
    private let spareLock = NSLock()
    /// The write error that stopped the thread: set on the writer thread, read by the parsing
    /// thread after every batch.
    var failure: Error? { stateLock.withLock { storedFailure } }
    private var storedFailure: Error?
    /// Set when the final checkpoint could not copy the whole log because a reader held it; read after ``finish()``.
    var checkpointNote: String? { stateLock.withLock { storedCheckpointNote } }
    private var storedCheckpointNote: String?
    /// Guards what the writer thread reports to the parsing thread.
    private let stateLock = NSLock()
    private var current: (input: Int, fileId: Int64, plan: FilePlan, format: String)?

    /// Takes `writer` (and its connection) for the thread; the caller must not use it meanwhile.
    init(writer: sending StoreWriter) {
        self.writer = writer
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "mailflow-writer"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// An empty batch, recycled when one is available.
    func emptyBatch() -> RecordBatch {
        spareLock.withLock { spare.popLast() } ?? RecordBatch()
    }

    /// Closes the queue and waits for everything queued to be written.
    func finish() -> Error? {
        queue.close()
        finished.wait()
        return failure
    }

    private func run() {
        while let message = queue.pop() {
            do {
                try handle(message)
            } catch {
                writer.database.rollbackIfNeeded()
                stateLock.withLock { storedFailure = error }
                queue.abandon()
                return
            }
        }
        // A failure above returned already; here every message was handled.
        do { try commitGroup() } catch { stateLock.withLock { storedFailure = error } }
    }

    // Batches are committed in groups: each commit rewrites the leaf pages its rows touched in the
    // random-keyed content-key index, so fewer, larger commits write far less. A group still
    // holds every batch's rows together with its file checkpoint, so a crash loses at most the
    // last second of work and the next run resumes from the last committed checkpoint.
    static let groupRecords = 200_000
    static let groupDuration = Duration.seconds(1)
    private var groupStart: ContinuousClock.Instant?
    private var groupRecords = 0

    private func joinGroup() throws {
        guard groupStart == nil else { return }
        try writer.database.beginImmediate()
        groupStart = .now
        groupRecords = 0
    }

    private func commitGroup() throws {
        guard groupStart != nil else { return }
        groupStart = nil
        try writer.database.commit()
    }

    private func handle(_ message: Message) throws {
        let now = Clock.nowISO8601()
        switch message {
        case .begin(let input, var plan, let format):
            let fileId = try writer.beginFile(&plan, format: format, encoding: nil, now: now)
            current = (input, fileId, plan, format)
            stateLock.withLock { storedCounts[input] = StoreWriter.Counts() }
        case .batch(let input, let batch):
            guard let current, current.input == input else { return }
            let windowHash = current.plan.isGzip || current.plan.path == FileByteSource.standardInputPath
                ? nil : FileCatalog.windowHash(path: current.plan.path, checkpoint: batch.checkpoint.offset)
            try joinGroup()
            let added = try writer.write(batch, fileId: current.fileId, plan: current.plan, windowHash: windowHash, now: now)
            groupRecords += batch.recordCount
            if groupRecords >= Self.groupRecords || ContinuousClock.now - groupStart! >= Self.groupDuration { try commitGroup() }
            stateLock.withLock { storedCounts[input, default: StoreWriter.Counts()] += added }
            var emptied = batch
            emptied.reset()
            spareLock.withLock { if spare.count < 2 { spare.append(emptied) } }
        case .end(let input, let status, let damage, let notes, let encoding):
            guard let current, current.input == input else { return }
            try commitGroup()
            try writer.endFile(current.fileId, status: status, damage: damage, notes: notes, format: current.format, encoding: encoding, now: now)
            self.current = nil
        case .resolveTenants(let firstNewEventId):
            try commitGroup()
            try TenantResolver(database: writer.database).resolve(firstNewEventId: firstNewEventId)
        case .finishStore(let rebuildIndexes):
            try commitGroup()
            // One sorter thread: a second one was ~7 % faster but raised peak memory by ~55 MiB.
            if rebuildIndexes { try Schema.ensureEventIndexes(writer.database) }
            // PASSIVE: a reader holding a transaction (a `detect` running beside the ingest) would
            // make TRUNCATE wait the whole 30 s busy timeout in silence. What it cannot copy now
            // stays in the log, still committed, and the next checkpoint folds it in.
            if let (log, copied) = try writer.database.foldWriteAheadLog(), copied < log {
                let note = "the write-ahead log was not folded into the database yet (\(log - copied) of \(log) pages) because another process is reading it; it stays committed and is folded in later"
                stateLock.withLock { storedCheckpointNote = note }
            }
        }
    }
}

/// Wall-clock helpers (UTC) for timestamps the store records.
enum Clock {
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    static func nowISO8601() -> String { Timestamp.iso8601(nowMilliseconds()) }
}
