/// Everything parsed from one stretch of one input file, handed from the parser to the store.
///
/// A batch is the unit of commit: its rows and the file's new checkpoint are written in one
/// transaction, so after a crash the store holds either all of a batch or none of it.
public struct RecordBatch: Sendable {
    public var events = EventBatch()
    public var sessions: [SMTPSession] = []
    public var quarantined: [QuarantinedLine] = []
    /// Configuration exports read from the input (usually one per file).
    public var configurations: [ConfigurationSnapshot] = []
    /// Where to resume reading this file: all records from bytes before it are in this batch or earlier ones.
    public var checkpoint = Checkpoint()

    public init() {}

    /// Empties the batch but keeps its buffers' capacity, so a recycled batch costs no allocation.
    public mutating func reset() {
        events.removeAll()
        sessions.removeAll(keepingCapacity: true)
        quarantined.removeAll(keepingCapacity: true)
        configurations.removeAll(keepingCapacity: true)
        checkpoint = Checkpoint()
    }

    public var recordCount: Int { events.count + sessions.count + quarantined.count + configurations.count }

    public mutating func quarantine(_ line: Line, _ reason: QuarantinedLine.Reason, _ detail: String) {
        quarantined.append(QuarantinedLine(line: line.number, offset: line.offset, reason: reason, detail: detail, bytes: line.bytes))
    }
}

/// A resume position in a file: a byte offset at a line start, and that line's number.
public struct Checkpoint: Sendable, Equatable {
    public var offset: Int64
    /// Number of lines wholly before `offset`.
    public var line: Int

    public init(offset: Int64 = 0, line: Int = 0) {
        self.offset = offset
        self.line = line
    }
}
