/// Reads Exchange Server message tracking logs (`MSGTRK*.LOG`) into message events.
///
/// The column order comes from the `#Fields` line (26 fields on Exchange 2010, 30 on 2013+, any
/// order), which may be repeated mid-file after a service restart, or from a plain CSV header line
/// that some exports put first. A file with no header at all is read with the default schema of
/// its field count, and says so. Each line with several recipients becomes one event per
/// recipient, each with its own status.
public final class TrackingLogParser: LineParser {
    private var header = ExchangeLogHeader()
    private var schema: TrackingLogSchema?
    private var scanner = CSVScanner()
    private var recipients: [UnsafeRawBufferPointer] = []
    private var statuses: [UnsafeRawBufferPointer] = []
    public private(set) var notes: [String] = []
    private var assumedSchemaNoted = false

    public init() {}

    deinit { scanner.deallocate() }

    public func parse(_ line: Line, into batch: inout RecordBatch) {
        let bytes = line.bytes
        if bytes.count == 0 { return }
        if header.read(bytes) {
            if let fields = header.fields, let schema = TrackingLogSchema(fields: fields) {
                self.schema = schema
            }
            return
        }
        guard scanner.scan(bytes) == .complete else {
            batch.quarantine(line, .unterminatedQuote, "line \(line.number) ends inside a quoted field")
            return
        }
        let fields = scanner.fields
        if ByteText.equals(ByteText.trimmed(fields[0]), "date-time", ignoringCase: true) {
            // A plain CSV header line (no `#Fields:` prefix), as some exports and copies carry.
            schema = TrackingLogSchema(fields: fields.map { ByteText.string(ByteText.trimmed($0)).lowercased() })
            return
        }
        if schema == nil { schema = assumedSchema(fieldCount: fields.count) }
        guard let schema else {
            batch.quarantine(line, .missingHeader, "line \(line.number) comes before any #Fields header and its \(fields.count) fields match no known tracking-log schema")
            return
        }
        guard fields.count == schema.fieldCount else {
            batch.quarantine(line, .fieldCountMismatch, "line \(line.number) has \(fields.count) fields where the header declares \(schema.fieldCount)")
            return
        }
        guard let dateIndex = schema.dateTime, let time = Timestamp.parseISO8601(fields[dateIndex]) else {
            batch.quarantine(line, .badTimestamp, "line \(line.number) has no readable date-time")
            return
        }
        emit(fields, schema: schema, time: time, line: line, into: &batch.events)
    }

    private func assumedSchema(fieldCount: Int) -> TrackingLogSchema? {
        let names: [String]
        switch fieldCount {
        case TrackingLogSchema.exchange2013Fields.count: names = TrackingLogSchema.exchange2013Fields
        case TrackingLogSchema.exchange2010Fields.count: names = TrackingLogSchema.exchange2010Fields
        default: return nil
        }
        if !assumedSchemaNoted {
            assumedSchemaNoted = true
            notes.append("no #Fields header: read with the default \(fieldCount)-field schema of Exchange \(fieldCount == 30 ? "2013 and later" : "2010")")
        }
        return TrackingLogSchema(fields: names)
    }

    private func emit(_ fields: [UnsafeRawBufferPointer], schema: TrackingLogSchema, time: Int64, line: Line, into events: inout EventBatch) {
        @inline(__always) func field(_ index: Int?) -> UnsafeRawBufferPointer {
            guard let index else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return fields[index]
        }
        let recipientField = field(schema.recipientAddress)
        recipients.removeAll(keepingCapacity: true)
        if recipientField.count > 0 {
            var start = 0
            for index in 0...recipientField.count where index == recipientField.count || recipientField[index] == UInt8(ascii: ";") {
                let piece = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: recipientField[start..<index]))
                if piece.count > 0 { recipients.append(piece) }
                start = index + 1
            }
        }
        RecipientStatusSplitter.split(field(schema.recipientStatus), into: &statuses)
        let rowCount = max(1, recipients.count)
        let sourceContext = field(schema.sourceContext)
        let source = field(schema.source)
        let isSMTP = ByteText.equals(source, "SMTP")
        let returnPath = field(schema.returnPath)
        let size = ByteText.integer(field(schema.totalBytes))
        for row in 0..<rowCount {
            events.beginRow(kind: .trackingLog, line: line.number, offset: line.offset)
            events.current.timeMs = time
            events.current.size = size
            events.set(.timeText, field(schema.dateTime))
            events.set(.event, field(schema.eventId))
            events.set(.source, source)
            events.set(.messageId, field(schema.messageId))
            events.set(.networkMessageId, field(schema.networkMessageId))
            events.set(.internalMessageId, field(schema.internalMessageId))
            events.set(.sender, returnPath)
            events.setLowercased(.senderDomain, ByteText.domain(ofAddress: returnPath))
            events.set(.fromAddress, field(schema.senderAddress))
            if row < recipients.count {
                events.set(.recipient, recipients[row])
                events.setLowercased(.recipientDomain, ByteText.domain(ofAddress: recipients[row]))
            }
            let status = statuses.count == 1 ? statuses[0] : (row < statuses.count ? statuses[row] : UnsafeRawBufferPointer(start: nil, count: 0))
            if status.count > 0 {
                let trimmed = ByteText.trimmed(status)
                events.set(.recipientStatus, trimmed)
                if let parsed = SMTPStatus.parse(trimmed) {
                    events.current.smtpCode = Int64(parsed.code)
                    if let enhanced = parsed.enhanced { events.set(.enhancedCode, enhanced) }
                }
            }
            events.set(.clientIP, field(schema.clientIP))
            events.set(.clientHostname, field(schema.clientHostname))
            events.set(.serverIP, field(schema.serverIP))
            events.set(.serverHostname, field(schema.serverHostname))
            events.set(.originalClientIP, field(schema.originalClientIP))
            events.set(.connector, field(schema.connectorId))
            if isSMTP {
                if let sessionId = Self.sessionId(inSourceContext: sourceContext) {
                    events.set(.sessionId, sessionId)
                } else {
                    events.set(.details, sourceContext)
                }
            }
            events.set(.directionality, field(schema.directionality))
            events.set(.subject, field(schema.messageSubject))
            events.set(.tenantHint, field(schema.tenantId))
            events.finishRow()
        }
    }

    /// The protocol-log session id at the start of an SMTP RECEIVE source-context
    /// (`08DC1DB12C345BE5;2024-01-25T15:16:09.544Z;0`).
    static func sessionId(inSourceContext context: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard context.count > 17, context[16] == UInt8(ascii: ";") else { return nil }
        for index in 0..<16 where !ByteText.isHexDigit(context[index]) { return nil }
        return UnsafeRawBufferPointer(rebasing: context[0..<16])
    }
}
