/// The step of Exchange Online's attribution order that chose the tenant.
public enum DecidingStep: String, Sendable, Codable, CaseIterable {
    case certificate
    case mailFrom = "mail-from"
    case rcptTo = "rcpt-to"
    case none
}

/// What happened to a message, all told.
public enum VerdictOutcome: String, Sendable, Codable, CaseIterable {
    /// A recipient's last attempt was refused with an attribution or relay code, and it was never delivered.
    case rejected
    /// Observed or predicted in a tenant that is not its owner.
    case misattributed
    /// Delivered, but only because MAIL FROM or RCPT TO decided (or no documented step did), or
    /// only after attribution deferrals.
    case atRisk = "at-risk"
    /// Failed for a reason that has nothing to do with attribution (unknown recipient, spam, quota).
    case unrelatedFailure = "unrelated-failure"
    case ok

    /// Mail that was hurt: refused, or filed in the wrong tenant.
    public var isHurt: Bool { self == .rejected || self == .misattributed }
}

/// One step of the attribution order with the tenants it found.
public struct AttributionStep: Sendable, Codable {
    public var step: DecidingStep
    public var candidates: [String]
    public var note: String
}

/// An Inbound connector that recognised an attempt, and how.
public struct ConnectorMatch: Sendable, Hashable {
    public enum Basis: String, Sendable {
        case certificate
        case ip
        /// The receiving tenant's record names the connector.
        case named
    }

    public var tenant: String
    public var name: String
    public var basis: Basis
    /// `certificate mail.contoso.com`, `IP 198.51.100.25 in 198.51.100.16/28`.
    public var detail: String
}

/// The attribution engine's replay of one delivery attempt: the steps, the tenant they decide,
/// and the connectors that recognised the sender. Whose message it is and where it landed are
/// properties of the whole message: see ``MessageVerdict``.
public struct Verdict: Sendable {
    public var attempt: DeliveryAttempt
    public var steps: [AttributionStep]
    public var decidedBy: DecidingStep
    public var predictedTenant: String?
    public var matchedConnectors: [ConnectorMatch]

    public var messageId: String { attempt.messageId ?? "(no Message-ID)" }
}
