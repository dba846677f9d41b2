/// Reads Exchange Server SMTP Send and Receive protocol logs into SMTP sessions.
///
/// Lines of many sessions interleave; each session is assembled from its lines (keyed by the
/// 16-hex-digit session id) and emitted when its disconnect line arrives, or when it has been
/// silent for ``idleLimitMs`` of log time, or at the end of the input. Commands and replies are
/// paired in order, as SMTP pipelining requires, so every `RCPT TO` keeps its own reply
/// (`550 5.7.64 TenantAttribution; Relay Access Denied …`).
public final class ProtocolLogParser: LineParser {
    /// Sessions silent this long (in log time) are closed as incomplete, keeping memory flat.
    public static let idleLimitMs: Int64 = 15 * 60_000

    private var header = ExchangeLogHeader()
    private var direction: SMTPSession.Direction?
    private let directionHint: SMTPSession.Direction?
    private var scanner = CSVScanner()
    private var columns = ProtocolLogColumns.standard
    private var open: [UInt64: SessionBuilder] = [:]
    private var lastSweepMs: Int64 = 0
    public private(set) var notes: [String] = []
    private var guessedDirectionNoted = false

    /// - Parameter direction: which side wrote the log when it has no `#Log-type` header
    ///   (from the file's folder or name); guessed from the connector name otherwise.
    public init(direction: SMTPSession.Direction? = nil) {
        self.directionHint = direction
    }

    deinit { scanner.deallocate() }

    public var heldBack: Checkpoint? {
        open.values.min(by: { $0.session.offset < $1.session.offset }).map {
            Checkpoint(offset: $0.session.offset, line: $0.session.line - 1)
        }
    }

    public func parse(_ line: Line, into batch: inout RecordBatch) {
        let bytes = line.bytes
        if bytes.count == 0 { return }
        if header.read(bytes) {
            if let logType = header.logType?.lowercased() {
                if logType.contains("send") { direction = .send } else if logType.contains("receive") { direction = .receive }
            }
            if let fields = header.fields, let columns = ProtocolLogColumns(fields: fields) { self.columns = columns }
            return
        }
        guard scanner.scan(bytes) == .complete else {
            batch.quarantine(line, .unterminatedQuote, "line \(line.number) ends inside a quoted field")
            return
        }
        let fields = scanner.fields
        guard fields.count == columns.count else {
            batch.quarantine(line, .fieldCountMismatch, "line \(line.number) has \(fields.count) fields where a protocol log has \(columns.count)")
            return
        }
        guard let time = Timestamp.parseISO8601(fields[columns.dateTime]) else {
            batch.quarantine(line, .badTimestamp, "line \(line.number) has no readable date-time")
            return
        }
        let eventField = fields[columns.event]
        guard eventField.count == 1, let event = ProtocolEvent(rawValue: eventField[0]) else {
            batch.quarantine(line, .malformedLine, "line \(line.number) has event '\(ByteText.string(eventField))' where one of + - < > * was expected")
            return
        }
        let sessionField = fields[columns.sessionId]
        guard let key = Self.sessionKey(sessionField) else {
            batch.quarantine(line, .malformedLine, "line \(line.number) has session id '\(ByteText.string(sessionField))', not a hexadecimal number")
            return
        }
        let direction = resolvedDirection(connector: fields[columns.connectorId])
        if time - lastSweepMs > 60_000 {
            lastSweepMs = time
            closeIdleSessions(before: time - Self.idleLimitMs, into: &batch)
        }
        let builder: SessionBuilder
        if let existing = open[key] {
            builder = existing
        } else {
            builder = SessionBuilder(SMTPSession(
                direction: direction, connector: ByteText.string(fields[columns.connectorId]),
                sessionId: ByteText.string(sessionField), startMs: time, startText: ByteText.string(fields[columns.dateTime]),
                line: line.number, offset: line.offset))
            open[key] = builder
        }
        builder.session.endMs = max(builder.session.endMs, time)
        if builder.session.localEndpoint == nil, fields[columns.localEndpoint].count > 0 {
            builder.session.localEndpoint = ByteText.string(fields[columns.localEndpoint])
        }
        if builder.session.remoteEndpoint == nil, fields[columns.remoteEndpoint].count > 0 {
            builder.session.remoteEndpoint = ByteText.string(fields[columns.remoteEndpoint])
        }
        let data = fields[columns.data]
        let context = fields[columns.context]
        switch event {
        case .connect:
            break
        case .disconnect:
            builder.session.endReason = context.count > 0 ? ByteText.string(context) : builder.session.endReason
            builder.flushCertificate()
            batch.sessions.append(builder.session)
            open[key] = nil
        case .sent, .received:
            // A Send log's `>` lines are our commands; a Receive log's `<` lines are the client's.
            let isCommand = (event == .sent) == (direction == .send)
            if isCommand {
                builder.command(data, time: time, line: line)
            } else {
                builder.reply(data)
            }
        case .information:
            builder.information(data: data, context: context, line: line)
        }
    }

    public func finish(into batch: inout RecordBatch) {
        for builder in open.values.sorted(by: { $0.session.offset < $1.session.offset }) {
            builder.flushCertificate()
            builder.session.isIncomplete = true
            batch.sessions.append(builder.session)
        }
        open.removeAll()
    }

    private func closeIdleSessions(before limit: Int64, into batch: inout RecordBatch) {
        let idle = open.filter { $0.value.session.endMs < limit }
        for (key, builder) in idle.sorted(by: { $0.value.session.offset < $1.value.session.offset }) {
            builder.flushCertificate()
            builder.session.isIncomplete = true
            batch.sessions.append(builder.session)
            open[key] = nil
        }
    }

    private func resolvedDirection(connector: UnsafeRawBufferPointer) -> SMTPSession.Direction {
        if let direction { return direction }
        if let directionHint {
            direction = directionHint
            return directionHint
        }
        // Receive connectors are named `SERVER\Connector`; Send connectors have no server part.
        let guess: SMTPSession.Direction = ByteText.index(of: UInt8(ascii: "\\"), in: connector) != nil ? .receive : .send
        direction = guess
        if !guessedDirectionNoted {
            guessedDirectionNoted = true
            notes.append("no #Log-type header: read as an SMTP \(guess == .send ? "Send" : "Receive") protocol log, judged from the connector name")
        }
        return guess
    }

    /// The session id as a number: 16 hex digits fit 64 bits exactly.
    static func sessionKey(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count > 0, bytes.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}

/// Column positions of a protocol log (`date-time,connector-id,session-id,sequence-number,
/// local-endpoint,remote-endpoint,event,data,context`).
struct ProtocolLogColumns {
    let count: Int
    let dateTime: Int, connectorId: Int, sessionId: Int, localEndpoint: Int, remoteEndpoint: Int
    let event: Int, data: Int, context: Int

    static let standardFields = ["date-time", "connector-id", "session-id", "sequence-number", "local-endpoint",
                                 "remote-endpoint", "event", "data", "context"]
    static let standard = ProtocolLogColumns(fields: standardFields)!

    init?(fields: [String]) {
        func index(_ name: String) -> Int? { fields.firstIndex(of: name) }
        guard let dateTime = index("date-time"), let connectorId = index("connector-id"), let sessionId = index("session-id"),
            let localEndpoint = index("local-endpoint"), let remoteEndpoint = index("remote-endpoint"),
            let event = index("event"), let data = index("data"), let context = index("context")
        else { return nil }
        self.count = fields.count
        self.dateTime = dateTime
        self.connectorId = connectorId
        self.sessionId = sessionId
        self.localEndpoint = localEndpoint
        self.remoteEndpoint = remoteEndpoint
        self.event = event
        self.data = data
        self.context = context
    }
}

/// The `event` column of a protocol log.
enum ProtocolEvent: UInt8 {
    case connect = 0x2B  // +
    case disconnect = 0x2D  // -
    case sent = 0x3E  // >
    case received = 0x3C  // <
    case information = 0x2A  // *
}
