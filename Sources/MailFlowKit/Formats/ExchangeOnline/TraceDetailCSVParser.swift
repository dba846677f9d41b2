/// Reads CSV exports of `Get-MessageTraceDetail` / `Get-MessageTraceDetailV2` into events.
public final class TraceDetailCSVParser: LineParser, ExportedCSVParser {
    let reader = ExportedCSVReader()
    let timeline: CultureTimeline
    var columns: TraceDetailColumns?

    public init(options: ParseOptions = ParseOptions()) {
        timeline = CultureTimeline(kind: .traceDetail, options: options, keyExclusions: TraceDetailRow.keyExclusions,
                                   keyToTheSecond: true)
    }

    var expectedColumns: String { "Date, Event, Action, Detail, Data, MessageTraceId" }

    func emitRows(_ fields: [UnsafeRawBufferPointer], columns: TraceDetailColumns, stamp: CultureTimeline.Stamp, record: Line,
                  into events: inout EventBatch) {
        func field(_ index: Int?) -> UnsafeRawBufferPointer { index.map { fields[$0] } ?? MessageTraceRow.empty }
        var row = TraceDetailRow()
        row.date = fields[columns.time]
        row.event = fields[columns.event]
        row.action = field(columns.action)
        row.detail = field(columns.detail)
        row.data = field(columns.data)
        row.messageId = field(columns.messageId)
        row.traceId = field(columns.traceId)
        row.organization = field(columns.organization)
        row.recipient = field(columns.recipient)
        row.sender = field(columns.sender)
        timeline.emit(stamp, line: record, into: &events) { row.fill(&$0) }
    }
}
