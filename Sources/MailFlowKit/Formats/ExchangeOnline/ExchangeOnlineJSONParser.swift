/// Reads JSON exports of Exchange Online message traces and trace details into events.
///
/// Every shape these come in is framed by ``JSONRecordFramer``: `ConvertTo-Json` arrays
/// (pretty-printed over many lines) or single objects, NDJSON, Reporting Web Service OData light
/// and verbose pages, and Microsoft Graph `messageTraces` / `getDetailsByRecipient` pages. Each
/// record is recognised by its members, so one file may even mix traces and details:
///
/// * a message trace has `Received` or `receivedDateTime` (`/Date(ms)/`, ISO 8601 with or
///   without `Z`; no zone means UTC) and the V1/V2/Graph properties, matched case-insensitively;
/// * a trace detail has `Event` and `Detail`/`description`, `Data` or `Action`.
///
/// A record without any of these (and not only OData metadata) is quarantined with its keys.
public final class ExchangeOnlineJSONParser: LineParser {
    private var framer = JSONRecordFramer()
    private let traces: CultureTimeline
    private let details: CultureTimeline

    public init(options: ParseOptions = ParseOptions()) {
        traces = CultureTimeline(kind: .messageTrace, options: options, keyExclusions: MessageTraceRow.keyExclusions, keyToTheSecond: true)
        details = CultureTimeline(kind: .traceDetail, options: options, keyExclusions: TraceDetailRow.keyExclusions, keyToTheSecond: true)
    }

    public var notes: [String] { traces.notes + details.notes }

    public var heldBack: Checkpoint? {
        [framer.pendingStart, traces.heldBack, details.heldBack].compactMap { $0 }.min { $0.offset < $1.offset }
    }

    public func parse(_ line: Line, into batch: inout RecordBatch) {
        framer.feed(line) { piece in handle(piece, into: &batch) }
    }

    public func finish(into batch: inout RecordBatch) {
        framer.finish { piece in handle(piece, into: &batch) }
        traces.finish(into: &batch.events)
        details.finish(into: &batch.events)
    }

    private func handle(_ piece: JSONRecordFramer.Piece, into batch: inout RecordBatch) {
        switch piece {
        case .malformed(let line, let reason):
            batch.quarantine(line, .badJSON, reason)
        case .record(let record):
            read(record, into: &batch)
        }
    }

    private func read(_ record: Line, into batch: inout RecordBatch) {
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: record.bytes)
        } catch {
            batch.quarantine(record, .badJSON, "the JSON object that starts on line \(record.number) is not valid: \(error)")
            return
        }
        let root = document.root
        func has(_ key: StaticString) -> Bool { document.member(key, of: root) != nil }
        if has("event"), has("detail") || has("description") || has("data") || has("action") {
            readDetail(document, record: record, into: &batch)
        } else if has("received") || has("receiveddatetime") || has("recipientaddress") {
            readTrace(document, record: record, into: &batch)
        } else {
            let keys = document.keys(of: root)
            let isMetadata = keys.allSatisfy { $0.hasPrefix("odata.") || $0.hasPrefix("@odata.") || $0.hasPrefix("__") }
            if isMetadata { return }
            let shown = keys.prefix(8).joined(separator: ", ")
            batch.quarantine(record, .malformedLine,
                             "the JSON object on line \(record.number) has neither message trace members (Received or receivedDateTime, RecipientAddress) nor trace detail members (Date, Event, Detail); its members are \(shown.isEmpty ? "none" : shown)")
        }
    }

    private func readTrace(_ document: JSONDocument, record: Line, into batch: inout RecordBatch) {
        let root = document.root
        document.withBytes { bytes in
            func text(_ key: StaticString) -> UnsafeRawBufferPointer { document.text(of: document.member(key, of: root), in: bytes) }
            var row = MessageTraceRow()
            let isGraph = document.member("receiveddatetime", of: root) != nil
            row.received = isGraph ? text("receiveddatetime") : text("received")
            row.messageId = text("messageid")
            row.sender = text("senderaddress")
            row.recipient = text("recipientaddress")
            row.status = text("status")
            row.capitalizesStatus = true
            row.fromIP = text("fromip")
            row.toIP = text("toip")
            row.subject = text("subject")
            row.size = text("size")
            row.traceId = text("messagetraceid")
            if row.traceId.count == 0, isGraph { row.traceId = text("id") }
            row.organization = text("organization")
            let column = isGraph ? "receivedDateTime" : "Received"
            guard let stamp = traces.readableStamp(row.received, column: column, record: record, into: &batch) else { return }
            traces.emit(stamp, line: record, into: &batch.events) { row.fill(&$0) }
        }
    }

    private func readDetail(_ document: JSONDocument, record: Line, into batch: inout RecordBatch) {
        let root = document.root
        document.withBytes { bytes in
            func text(_ key: StaticString) -> UnsafeRawBufferPointer { document.text(of: document.member(key, of: root), in: bytes) }
            var row = TraceDetailRow()
            let isGraph = document.member("datetime", of: root) != nil
            row.date = isGraph ? text("datetime") : text("date")
            row.event = text("event")
            row.action = text("action")
            row.detail = document.member("detail", of: root) != nil ? text("detail") : text("description")
            row.data = text("data")
            row.messageId = text("messageid")
            row.traceId = text("messagetraceid")
            row.organization = text("organization")
            row.recipient = text("recipientaddress")
            row.sender = text("senderaddress")
            let column = isGraph ? "dateTime" : "Date"
            guard let stamp = details.readableStamp(row.date, column: column, record: record, into: &batch) else { return }
            details.emit(stamp, line: record, into: &batch.events) { row.fill(&$0) }
        }
    }
}
