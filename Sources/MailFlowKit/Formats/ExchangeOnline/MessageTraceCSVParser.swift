/// Reads CSV exports of Exchange Online message traces into message events.
///
/// Accepts `Get-MessageTrace` (V1) and `Get-MessageTraceV2` output saved with `Export-Csv` from
/// Windows PowerShell 5.1 or PowerShell 7, and the new admin center's "Export results" file:
/// columns are found by name (see ``MessageTraceColumns``), never by position; `StartDate`,
/// `EndDate`, `Index` and the remote-PowerShell `PS*` columns are ignored. One row is one
/// message to one recipient. `Received` is UTC, written as ISO 8601 or in the exporting
/// machine's culture; see ``CultureTimeline`` for how the day/month order is decided.
public final class MessageTraceCSVParser: LineParser, ExportedCSVTable {
    private let reader = ExportedCSVReader()
    private let timeline: CultureTimeline
    private var columns: MessageTraceColumns?

    public init(options: ParseOptions = ParseOptions()) {
        timeline = CultureTimeline(kind: .messageTrace, options: options, keyExclusions: MessageTraceRow.keyExclusions,
                                   keyToTheSecond: true)
    }

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

    var expectedColumns: String { "Received, SenderAddress, RecipientAddress, Status and others" }

    func adoptHeader(_ names: [String], titles: [String]) -> Bool {
        guard var columns = MessageTraceColumns(names: names) else { return false }
        columns.receivedName = titles[columns.received]
        self.columns = columns
        return true
    }

    func readRow(_ fields: [UnsafeRawBufferPointer], record: Line, into batch: inout RecordBatch) {
        guard let columns else { return }
        func field(_ index: Int?) -> UnsafeRawBufferPointer { index.map { fields[$0] } ?? MessageTraceRow.empty }
        var row = MessageTraceRow()
        row.received = fields[columns.received]
        row.messageId = field(columns.messageId)
        row.sender = field(columns.sender)
        row.recipient = field(columns.recipient)
        row.status = field(columns.status)
        row.fromIP = field(columns.fromIP)
        row.toIP = field(columns.toIP)
        row.subject = field(columns.subject)
        row.size = field(columns.size)
        row.traceId = field(columns.traceId)
        row.organization = field(columns.organization)
        let stamp = timeline.stamp(row.received, column: columns.receivedName, line: record.number, into: &batch.events)
        if case .unreadable(let detail) = stamp {
            batch.quarantine(record, .badTimestamp, detail)
            return
        }
        timeline.emit(stamp, line: record, into: &batch.events) { row.fill(&$0) }
    }
}
