/// One attempt, seen from the sending side, to hand a message to Exchange Online: what the sender
/// presented (certificate, MAIL FROM, RCPT TO) and what Exchange Online answered, per recipient.
public struct DeliveryAttempt: Sendable {
    public struct Recipient: Sendable {
        public var address: String
        public var domain: String?
        public var reply: SMTPReply?
    }

    public enum Source: String, Sendable {
        case protocolLog = "protocol-log"
        case trackingLog = "tracking-log"
        case relayLog = "relay-log"
    }

    public var messageId: String?
    public var timeMs: Int64
    public var source: Source
    /// The server or relay that sent it.
    public var origin: String?
    /// The Send connector (Exchange) or delivery agent (relay) used.
    public var connector: String?
    /// The Exchange Online host it was sent to (`fabrikam-com.mail.protection.outlook.com`), when known.
    public var smartHost: String?
    /// The P1 sender; empty for the null sender `<>`.
    public var mailFrom: String
    public var xoorg: String?
    public var fromAddress: String?
    public var certificate: CertificateRecord?
    /// The public IP Exchange Online saw, when a trace shows it.
    public var sendingIP: String?
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
    }

    /// The lower-cased domain of the P1 sender, `nil` for the null sender.
    public var mailFromDomain: String? { EmailAddress.domain(of: mailFrom) }

    /// The sending path: server or relay and connector, the unit findings group by.
    public var path: String {
        [origin, connector].compactMap { $0 }.joined(separator: " › ")
    }
}

/// What an Exchange Online tenant's own records (message trace, trace detail, historical report)
/// say about a message.
public struct TenantObservation: Sendable {
    public var tenant: String
    public var messageId: String
    public var recipient: String?
    public var status: String?
    public var clientIP: String?
    /// The Inbound connector the tenant attributed it to, when the record names it.
    public var connector: String?
    public var timeMs: Int64
    public var evidence: Evidence
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
}
