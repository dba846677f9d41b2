/// Where the columns of one kind of CSV export are, found by name in its header.
protocol ExportedCSVColumns {
    /// The columns of a header whose names are ``ExportedCSVReader/normalizedName(_:)``; `nil`
    /// when the header is not this kind of export.
    init?(names: [String])
    /// The index of the column whose timestamp stamps each row.
    var time: Int { get }
    /// The time column's name, for messages: normalised by `init(names:)`, then replaced by the
    /// file's own spelling.
    var timeName: String { get set }
}

/// A ``LineParser`` for one kind of Exchange Online CSV export whose rows are stamped with a
/// culture-formatted time.
///
/// The parts every such export shares live here: an ``ExportedCSVReader`` turns lines into rows
/// and finds the header, a ``CultureTimeline`` reads the time column and holds rows back until
/// the day/month order is known. A conforming parser supplies only its ``Columns`` and
/// ``emitRows(_:columns:stamp:record:into:)``; a row whose time cannot be read is quarantined
/// before it gets there.
protocol ExportedCSVParser: LineParser, ExportedCSVTable {
    associatedtype Columns: ExportedCSVColumns

    var reader: ExportedCSVReader { get }
    var timeline: CultureTimeline { get }
    /// The columns of the header in force; `nil` until one is read.
    var columns: Columns? { get set }

    /// Emits the events of one data row through ``timeline`` (with ``CultureTimeline/emit(_:line:into:_:)``).
    ///
    /// - Parameter stamp: the row's time, never `.unreadable`.
    func emitRows(_ fields: [UnsafeRawBufferPointer], columns: Columns, stamp: CultureTimeline.Stamp, record: Line,
                  into events: inout EventBatch)
}

extension ExportedCSVParser {
    public var notes: [String] { timeline.notes }

    public var heldBack: Checkpoint? {
        [reader.heldBack, timeline.heldBack].compactMap { $0 }.min { $0.offset < $1.offset }
    }

    public func parse(_ line: Line, into batch: inout RecordBatch) {
        reader.read(line, table: self, into: &batch)
    }

    public func finish(into batch: inout RecordBatch) {
        reader.finish(table: self, into: &batch)
        timeline.finish(into: &batch.events)
    }

    func adoptHeader(_ names: [String], titles: [String]) -> Bool {
        guard var columns = Columns(names: names) else { return false }
        columns.timeName = titles[columns.time]
        self.columns = columns
        return true
    }

    func readRow(_ fields: [UnsafeRawBufferPointer], record: Line, into batch: inout RecordBatch) {
        guard let columns,
            let stamp = timeline.readableStamp(fields[columns.time], column: columns.timeName, record: record, into: &batch)
        else { return }
        emitRows(fields, columns: columns, stamp: stamp, record: record, into: &batch.events)
    }
}
