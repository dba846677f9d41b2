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
        RecipientStatusSplitter.splitRecipients(field(schema.recipientAddress), into: &recipients)
        RecipientStatusSplitter.split(field(schema.recipientStatus), into: &statuses)
        var values = TrackingLogFields(fields, columns: schema, trimming: false)
        let sourceContext = field(schema.sourceContext)
        let isSMTP = ByteText.equals(field(schema.source), "SMTP")
        if isSMTP { values.sessionId = Self.sessionId(inSourceContext: sourceContext) }
        for row in 0..<max(1, recipients.count) {
            events.beginRow(kind: .trackingLog, line: line.number, offset: line.offset)
            events.current.timeMs = time
            values.fill(&events, row: row, recipients: recipients, statuses: statuses)
            // Without a session id to join the protocol log on, the context (the remote server's
            // reply on a SEND) is kept up to the bracket naming the server; the rest is throughput.
            if isSMTP, values.sessionId == nil { events.set(.details, Self.essentialReply(sourceContext)) }
            events.finishRow()
        }
    }

    /// `;250 2.6.0 <id> [InternalId=…, Hostname=AM0PR01.prod.outlook.com] 141301 bytes in 0.101, …`
    /// up to and including the first `]`.
    static func essentialReply(_ context: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let close = ByteText.index(of: UInt8(ascii: "]"), in: context) else { return context }
        return UnsafeRawBufferPointer(rebasing: context[...close])
    }

    /// The protocol-log session id at the start of an SMTP RECEIVE source-context
    /// (`08DC1DB12C345BE5;2024-01-25T15:16:09.544Z;0`).
    static func sessionId(inSourceContext context: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard context.count > 17, context[16] == UInt8(ascii: ";") else { return nil }
        for index in 0..<16 where !ByteText.isHexDigit(context[index]) { return nil }
        return UnsafeRawBufferPointer(rebasing: context[0..<16])
    }
}

/// Where the message-tracking fields are: ``TrackingLogSchema`` from a `#Fields` line, or the
/// columns of an Exchange Online Extended report, which writes the same schema with underscores.
protocol TrackingLogColumns {
    var dateTime: Int? { get }
    var eventId: Int? { get }
    var source: Int? { get }
    var messageId: Int? { get }
    var networkMessageId: Int? { get }
    var internalMessageId: Int? { get }
    var returnPath: Int? { get }
    var senderAddress: Int? { get }
    var clientIP: Int? { get }
    var clientHostname: Int? { get }
    var serverIP: Int? { get }
    var serverHostname: Int? { get }
    var originalClientIP: Int? { get }
    var connectorId: Int? { get }
    var directionality: Int? { get }
    var messageSubject: Int? { get }
    var tenantId: Int? { get }
    var totalBytes: Int? { get }
}

extension TrackingLogSchema: TrackingLogColumns {}

/// The message-tracking fields of one line, read into one event per recipient.
///
/// On-premises tracking logs and Exchange Online Extended reports fill the same event columns
/// through this, so an event reads the same whichever of the two it came from.
struct TrackingLogFields<Columns: TrackingLogColumns> {
    let fields: [UnsafeRawBufferPointer]
    let columns: Columns
    /// Whether values are trimmed of spaces and tabs (Extended reports) or taken as written (tracking logs).
    let trimming: Bool
    let size: Int64?
    /// The protocol-log session the line belongs to; set by the parser, which knows when the
    /// source context holds one.
    var sessionId: UnsafeRawBufferPointer?
    /// The connector when the line's `connector-id` is empty.
    var fallbackConnector = UnsafeRawBufferPointer(start: nil, count: 0)

    init(_ fields: [UnsafeRawBufferPointer], columns: Columns, trimming: Bool) {
        self.fields = fields
        self.columns = columns
        self.trimming = trimming
        size = columns.totalBytes.flatMap { ByteText.integer(fields[$0]) }
    }

    /// The value at `index`; empty when the column is missing.
    subscript(_ index: Int?) -> UnsafeRawBufferPointer {
        guard let index else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return trimming ? ByteText.trimmed(fields[index]) : fields[index]
    }

    /// Sets the fields of the current row of `events` for the `row`th recipient of the line.
    ///
    /// `recipients` and `statuses` are the line's lists, split by ``RecipientStatusSplitter``; a
    /// single status applies to every recipient.
    func fill(_ events: inout EventBatch, row: Int, recipients: [UnsafeRawBufferPointer], statuses: [UnsafeRawBufferPointer]) {
        events.current.size = size
        // The text is stored only when it is not the canonical rendering of time_ms, which
        // Exchange's own `2026-11-24T09:03:12.345Z` always is: 24 bytes a row saved, nothing lost.
        let dateTime = self[columns.dateTime]
        if !Timestamp.isCanonicalISO8601(dateTime) { events.set(.timeText, dateTime) }
        events.set(.event, self[columns.eventId])
        events.set(.source, self[columns.source])
        events.set(.messageId, self[columns.messageId])
        events.set(.networkMessageId, self[columns.networkMessageId])
        events.set(.internalMessageId, self[columns.internalMessageId])
        let returnPath = self[columns.returnPath]
        events.set(.sender, returnPath)
        events.setLowercased(.senderDomain, ByteText.domain(ofAddress: returnPath))
        events.set(.fromAddress, self[columns.senderAddress])
        if row < recipients.count {
            events.set(.recipient, recipients[row])
            events.setLowercased(.recipientDomain, ByteText.domain(ofAddress: recipients[row]))
        }
        let status = statuses.count == 1 ? statuses[0] : (row < statuses.count ? statuses[row] : UnsafeRawBufferPointer(start: nil, count: 0))
        let trimmed = ByteText.trimmed(status)
        if trimmed.count > 0 {
            events.set(.recipientStatus, trimmed)
            if let parsed = SMTPStatus.parse(trimmed) {
                events.current.smtpCode = Int64(parsed.code)
                if let enhanced = parsed.enhanced { events.set(.enhancedCode, enhanced) }
            }
        }
        events.set(.clientIP, self[columns.clientIP])
        events.set(.clientHostname, self[columns.clientHostname])
        events.set(.serverIP, self[columns.serverIP])
        events.set(.serverHostname, self[columns.serverHostname])
        events.set(.originalClientIP, self[columns.originalClientIP])
        let connector = self[columns.connectorId]
        events.set(.connector, connector.count > 0 ? connector : fallbackConnector)
        if let sessionId { events.set(.sessionId, sessionId) }
        events.set(.directionality, self[columns.directionality])
        events.set(.subject, self[columns.messageSubject])
        events.set(.tenantHint, self[columns.tenantId])
    }
}
