/// One attempt to hand a message to Exchange Online, seen from the sending side (what the sender
/// presented and what Exchange Online answered) or from the receiving side (what a tenant's own
/// records say arrived through an Inbound connector).
///
/// Both sides are replayed through the same ``AttributionEngine``; a fact one side cannot see (the
/// receiving side rarely sees the certificate) is marked as not visible, never guessed.
public struct DeliveryAttempt: Sendable {
    public struct Recipient: Sendable {
        public var address: String
        public var domain: String?
        /// The SMTP reply to this recipient, when a log has it (a Send session, a relay's
        /// `status=`, a trace detail's FAIL reason).
        public var reply: SMTPReply?
        /// What happened to the recipient on this attempt: its last state.
        public var state: RecipientState
        /// Every state the attempt's records show for the recipient, oldest first (a receiving
        /// tenant's trace detail can show a deferral before the delivery).
        public var history: [RecipientEvent]

        public init(address: String, domain: String?, reply: SMTPReply?, state: RecipientState? = nil, history: [RecipientEvent] = []) {
            self.address = address
            self.domain = domain
            self.reply = reply
            self.state = state ?? RecipientState(reply: reply)
            self.history = history
        }
    }

    /// One state of one recipient at one time.
    public struct RecipientEvent: Sendable {
        public var timeMs: Int64
        public var state: RecipientState
        public var reply: SMTPReply?

        public init(timeMs: Int64, state: RecipientState, reply: SMTPReply?) {
            self.timeMs = timeMs
            self.state = state
            self.reply = reply
        }
    }

    /// Each recipient's states on this attempt, the attempt's own time standing for a recipient
    /// with no history of its own.
    func events(of recipient: Recipient) -> [RecipientEvent] {
        recipient.history.isEmpty ? [RecipientEvent(timeMs: timeMs, state: recipient.state, reply: recipient.reply)] : recipient.history
    }

    public enum Source: String, Sendable, CaseIterable {
        case protocolLog = "protocol-log"
        case trackingLog = "tracking-log"
        case relayLog = "relay-log"
        case messageTrace = "message-trace"
        case traceDetail = "trace-detail"
        case historicalReport = "historical-report"

        public var side: Side {
            switch self {
            case .protocolLog, .trackingLog, .relayLog: return .sending
            case .messageTrace, .traceDetail, .historicalReport: return .receiving
            }
        }

        /// Exchange Server logs: a path through one of its Send connectors names its smart host.
        var isExchangeServer: Bool { self == .protocolLog || self == .trackingLog }
    }

    /// Whose logs an attempt comes from.
    public enum Side: String, Sendable, Codable {
        case sending
        case receiving
    }

    public var messageId: String?
    public var timeMs: Int64
    public var source: Source
    /// The server or relay that sent it (sending side), or the sending host as Exchange Online saw it.
    public var origin: String?
    /// The Send connector (Exchange) or delivery agent (relay) used; on the receiving side, the
    /// Inbound connector the tenant's record names.
    public var connector: String?
    /// The Exchange Online host it was sent to (`fabrikam-com.mail.protection.outlook.com`), when known.
    public var smartHost: String?
    /// The P1 sender; empty for the null sender `<>`.
    public var mailFrom: String
    public var xoorg: String?
    /// The P2 `From:` address, where a source has it.
    public var fromAddress: String?
    public var subject: String?
    public var certificate: CertificateRecord?
    /// False on the receiving side: the tenant's records do not show the certificate presented.
    public var isCertificateVisible: Bool = true
    /// The public IP Exchange Online saw, when a trace shows it.
    public var sendingIP: String?
    /// On the receiving side: the tenant whose records these are (Exchange Online attributed the
    /// message to it when it accepted the message).
    public var receivingTenant: String?
    public var recipients: [Recipient]
    public var evidence: [Evidence]

    public init(messageId: String?, timeMs: Int64, source: Source, origin: String?, connector: String?, smartHost: String?,
                mailFrom: String, xoorg: String? = nil, fromAddress: String? = nil, certificate: CertificateRecord? = nil,
                sendingIP: String? = nil, recipients: [Recipient], evidence: [Evidence] = []) {
        self.messageId = messageId
        self.timeMs = timeMs
        self.source = source
        self.origin = origin
        self.connector = connector
        self.smartHost = smartHost
        self.mailFrom = mailFrom
        self.xoorg = xoorg
        self.fromAddress = fromAddress
        self.certificate = certificate
        self.sendingIP = sendingIP
        self.recipients = recipients
        self.evidence = evidence
        self.isCertificateVisible = source.side == .sending
    }

    public var side: Side { source.side }

    /// The lower-cased domain of the P1 sender, `nil` for the null sender.
    public var mailFromDomain: String? { EmailAddress.domain(of: mailFrom) }

    public var fromDomain: String? { fromAddress.flatMap(EmailAddress.domain(of:)) }

    /// The sending path: server or relay and connector, the unit findings group by. A
    /// receiving-side attempt's path is the sending host as Exchange Online saw it.
    public var path: String {
        // By IP, not host name: some of a tenant's records (V1/V2 traces) carry no host name.
        if side == .receiving { return "\(sendingIP ?? origin ?? "unknown sender") › Exchange Online" }
        return [origin, connector].compactMap { $0 }.joined(separator: " › ")
    }
}

/// What one attempt did for one recipient.
public enum RecipientState: String, Sendable, Codable {
    /// Accepted by Exchange Online (delivered, or handed on: quarantine and spam filtering happen after attribution).
    case accepted
    /// Received by Exchange Online's front end (a trace detail's Receive, an Extended report's
    /// RECEIVE): accepted unless a later record of the same recipient refuses it.
    case received
    /// Refused with a permanent (5xx) reply.
    case refused
    /// Refused with a temporary (4xx) reply: the sender retries.
    case deferred
    /// No reply logged, or a status that says nothing yet (Pending, GettingStatus).
    case unknown

    init(reply: SMTPReply?) {
        guard let reply else { self = .unknown; return }
        self = reply.isSuccess ? .accepted : reply.code >= 500 ? .refused : .deferred
    }
}

/// Reply codes that mean Exchange Online (or the on-premises relay check) refused to attribute or
/// relay: the family the `attribution-rejected` finding is about.
public enum AttributionFailure {
    static let enhancedCodes: Set<String> = ["5.7.64", "4.4.62", "5.7.750", "5.7.51", "5.7.68", "5.7.54"]

    public static func isAttributionFailure(_ reply: SMTPReply) -> Bool {
        guard reply.code >= 400 else { return false }
        if let enhanced = reply.enhancedCode, enhancedCodes.contains(enhanced) { return true }
        let text = reply.text
        if text.contains("TenantAttribution") || text.contains("TenantInboundAttribution") { return true }
        // `ATTR35`, `ATTR5` …: Exchange Online's attribution error tags.
        var rest = Substring(text)
        while let range = rest.range(ofLiteral: "ATTR") {
            let after = rest[range.upperBound...]
            if let first = after.first, first.isNumber { return true }
            rest = after
        }
        return false
    }

    /// A short label for a refusal: `4.4.62 ATTR35`, `5.7.64`.
    static func label(_ reply: SMTPReply) -> String {
        var label = reply.enhancedCode ?? String(reply.code)
        if let range = reply.text.range(ofLiteral: "ATTR") {
            var tag = reply.text[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "." }
            while tag.hasSuffix(".") { tag = tag.dropLast() }
            if !label.contains(tag) { label += " " + tag }
        }
        return label
    }
}
