/// The text columns of a normalised message event, in the order the store writes them.
///
/// Every input format (tracking logs, message traces, relay logs) is reduced to this one shape:
/// one event per recipient, with the ids, addresses, endpoints, connector and status that
/// attribution needs. Format-specific extras go into ``details`` as `key=value;` pairs.
public enum EventField: Int, CaseIterable, Sendable {
    case timeText
    case event
    case source
    case messageId
    case networkMessageId
    case internalMessageId
    case traceId
    case sender
    case senderDomain
    case fromAddress
    case recipient
    case recipientDomain
    case recipientStatus
    case enhancedCode
    case clientIP
    case clientHostname
    case serverIP
    case serverHostname
    case originalClientIP
    case connector
    case sessionId
    case directionality
    case subject
    case tenantHint
    case details

    /// The column name in the `message_events` table.
    public var column: String {
        switch self {
        case .timeText: return "time_text"
        case .event: return "event"
        case .source: return "source"
        case .messageId: return "message_id"
        case .networkMessageId: return "network_message_id"
        case .internalMessageId: return "internal_message_id"
        case .traceId: return "trace_id"
        case .sender: return "sender"
        case .senderDomain: return "sender_domain"
        case .fromAddress: return "from_address"
        case .recipient: return "recipient"
        case .recipientDomain: return "recipient_domain"
        case .recipientStatus: return "recipient_status"
        case .enhancedCode: return "enhanced_code"
        case .clientIP: return "client_ip"
        case .clientHostname: return "client_hostname"
        case .serverIP: return "server_ip"
        case .serverHostname: return "server_hostname"
        case .originalClientIP: return "original_client_ip"
        case .connector: return "connector"
        case .sessionId: return "session_id"
        case .directionality: return "directionality"
        case .subject: return "subject"
        case .tenantHint: return "tenant_hint"
        case .details: return "details"
        }
    }
}

/// A set of event fields as a bit mask: checked once per field per row on the hot path, where a
/// `Set<EventField>` would hash each time.
public struct EventFieldSet: Sendable, Equatable, ExpressibleByArrayLiteral {
    public private(set) var bits: UInt64

    public init(bits: UInt64) {
        self.bits = bits
    }

    public init(arrayLiteral fields: EventField...) {
        self.init(fields)
    }

    public init(_ fields: some Sequence<EventField>) {
        bits = fields.reduce(0) { $0 | 1 << UInt64($1.rawValue) }
    }

    public static var all: EventFieldSet { EventFieldSet(EventField.allCases) }

    @inline(__always)
    public func contains(_ field: EventField) -> Bool { bits & (1 << UInt64(field.rawValue)) != 0 }

    public func subtracting(_ other: EventFieldSet) -> EventFieldSet { EventFieldSet(bits: bits & ~other.bits) }
}

/// Where a message event came from; stored as text in `message_events.source_kind`.
public enum EventSourceKind: String, Sendable, CaseIterable {
    /// Exchange Server message tracking log (MSGTRK*.LOG).
    case trackingLog = "tracking-log"
    /// Exchange Online Get-MessageTrace(V2) or Graph message trace.
    case messageTrace = "message-trace"
    /// Exchange Online Get-MessageTraceDetail(V2).
    case traceDetail = "trace-detail"
    /// Exchange Online historical search report (Enhanced summary or Extended).
    case historicalReport = "historical-report"
    /// A Postfix (or compatible) relay's delivery log.
    case relayLog = "relay-log"

    /// The raw value as static bytes, bound into SQLite without a copy per row.
    var staticText: StaticString {
        switch self {
        case .trackingLog: return "tracking-log"
        case .messageTrace: return "message-trace"
        case .traceDetail: return "trace-detail"
        case .historicalReport: return "historical-report"
        case .relayLog: return "relay-log"
        }
    }
}
