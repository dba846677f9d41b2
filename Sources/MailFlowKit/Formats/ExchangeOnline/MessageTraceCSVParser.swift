/// Reads CSV exports of Exchange Online message traces into message events.
///
/// Accepts `Get-MessageTrace` (V1) and `Get-MessageTraceV2` output saved with `Export-Csv` from
/// Windows PowerShell 5.1 or PowerShell 7, and the new admin center's "Export results" file:
/// columns are found by name (see ``MessageTraceColumns``), never by position; `StartDate`,
/// `EndDate`, `Index` and the remote-PowerShell `PS*` columns are ignored. One row is one
/// message to one recipient. `Received` is UTC, written as ISO 8601 or in the exporting
/// machine's culture; see ``CultureTimeline`` for how the day/month order is decided.
public final class MessageTraceCSVParser: LineParser, ExportedCSVParser {
    let reader = ExportedCSVReader()
    let timeline: CultureTimeline
    var columns: MessageTraceColumns?

    public init(options: ParseOptions = ParseOptions()) {
        timeline = CultureTimeline(kind: .messageTrace, options: options, keyExclusions: MessageTraceRow.keyExclusions,
                                   keyToTheSecond: true)
    }

    var expectedColumns: String { "Received, SenderAddress, RecipientAddress, Status and others" }

    func emitRows(_ fields: [UnsafeRawBufferPointer], columns: MessageTraceColumns, stamp: CultureTimeline.Stamp, record: Line,
                  into events: inout EventBatch) {
        func field(_ index: Int?) -> UnsafeRawBufferPointer { index.map { fields[$0] } ?? MessageTraceRow.empty }
        var row = MessageTraceRow()
        row.received = fields[columns.time]
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
        timeline.emit(stamp, line: record, into: &events) { row.fill(&$0) }
    }
}
