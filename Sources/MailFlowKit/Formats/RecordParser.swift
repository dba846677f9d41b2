/// Turns the decoded bytes of one input into records.
///
/// The ingest loop feeds chunks in order, asks for ``checkpoint`` whenever it ships a batch, and
/// calls ``finish(into:)`` at the end of the input. A parser must be resumable by replay: fed
/// the same bytes again it produces the same records, so a run that stopped halfway can start
/// over and drop what was already stored.
public protocol RecordParser: AnyObject {
    func consume(_ chunk: UnsafeRawBufferPointer, into batch: inout RecordBatch) throws
    func finish(into batch: inout RecordBatch) throws
    /// Ends an input whose data broke off (damaged gzip): what was complete is kept, the broken
    /// tail is quarantined rather than parsed.
    func finishAfterDamage(into batch: inout RecordBatch) throws
    /// Everything derived from bytes before this point has been put into a batch.
    var checkpoint: Checkpoint { get }
    /// What the user should know about how the input was read (assumed schemas, re-encoded lines).
    var notes: [String] { get }
    /// The text encoding that was recognised.
    var encoding: TextEncoding? { get }
    /// Continues at `checkpoint` of the input instead of the next byte, after the head was
    /// consumed: the caller then feeds the bytes from `checkpoint.offset` on. Returns false when
    /// the parser cannot (it holds records back, or its state depends on every byte before).
    func skip(to checkpoint: Checkpoint) -> Bool
}

extension RecordParser {
    public func skip(to checkpoint: Checkpoint) -> Bool { false }
}

/// A format read line by line.
public protocol LineParser: AnyObject {
    func parse(_ line: Line, into batch: inout RecordBatch)
    func finish(into batch: inout RecordBatch)
    /// The first line whose records are still held back (an SMTP session not yet closed), if any.
    var heldBack: Checkpoint? { get }
    var notes: [String] { get }
}

extension LineParser {
    public var heldBack: Checkpoint? { nil }
    public func finish(into batch: inout RecordBatch) {}
}

/// Adapts a ``LineParser`` to a ``RecordParser`` through a ``LineFramer``.
public final class LineRecordParser: RecordParser {
    public let parser: any LineParser
    private let framer: LineFramer

    public init(_ parser: any LineParser, maxLineLength: Int = 4 << 20) {
        self.parser = parser
        self.framer = LineFramer(maxLineLength: maxLineLength)
    }

    public var encoding: TextEncoding? { framer.encoding }

    public func consume(_ chunk: UnsafeRawBufferPointer, into batch: inout RecordBatch) throws {
        try framer.consume(chunk) { line in
            deliver(line, into: &batch)
        }
    }

    public func finish(into batch: inout RecordBatch) throws {
        try framer.finish { line in
            deliver(line, into: &batch)
        }
        // Sessions still open are written now, but a later run on the grown file must replay them.
        finalCheckpoint = checkpoint
        parser.finish(into: &batch)
    }

    private var finalCheckpoint: Checkpoint?

    public func finishAfterDamage(into batch: inout RecordBatch) throws {
        try framer.finish { line in
            batch.quarantine(line, .truncatedByDamage, "line \(line.number) was cut off where the input is damaged")
        }
        finalCheckpoint = checkpoint
        parser.finish(into: &batch)
    }

    private func deliver(_ line: Line, into batch: inout RecordBatch) {
        if line.isTruncated {
            batch.quarantine(line, .lineTooLong, "line \(line.number) is longer than the limit and was cut")
            return
        }
        parser.parse(line, into: &batch)
    }

    /// Line formats whose lines are records in their own right continue at a checkpoint as long as
    /// nothing is held back; the header lines they need were in the head already consumed.
    public func skip(to checkpoint: Checkpoint) -> Bool {
        guard parser.heldBack == nil else { return false }
        return framer.skip(to: checkpoint.offset, line: checkpoint.line)
    }

    public var checkpoint: Checkpoint {
        if let finalCheckpoint { return finalCheckpoint }
        if let heldBack = parser.heldBack { return heldBack }
        return Checkpoint(offset: framer.consumedOffset, line: framer.consumedLines)
    }

    public var notes: [String] {
        var notes = parser.notes
        if framer.reencodedLines > 0 {
            notes.append("\(framer.reencodedLines) line(s) were not valid UTF-8 and were read as Windows-1252")
        }
        return notes
    }
}
