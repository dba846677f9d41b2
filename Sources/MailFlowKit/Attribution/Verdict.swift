/// The step of Exchange Online's attribution order that chose the tenant.
public enum DecidingStep: String, Sendable, Codable {
    case certificate
    case mailFrom = "mail-from"
    case rcptTo = "rcpt-to"
    case none
}

/// What happened to a message, all told.
public enum VerdictOutcome: String, Sendable, Codable {
    /// Refused with an attribution or relay code.
    case rejected
    /// Observed or predicted in a tenant that is not its owner.
    case misattributed
    /// Delivered, but only because MAIL FROM or RCPT TO decided (or no documented step did).
    case atRisk = "at-risk"
    /// Failed for a reason that has nothing to do with attribution (unknown recipient, spam, quota).
    case unrelatedFailure = "unrelated-failure"
    case ok
}

/// One step of the attribution order with the tenants it found.
public struct AttributionStep: Sendable, Codable {
    public var step: DecidingStep
    public var candidates: [String]
    public var note: String
}

/// The attribution engine's stated result for one delivery attempt.
public struct Verdict: Sendable {
    public var attempt: DeliveryAttempt
    public var steps: [AttributionStep]
    public var decidedBy: DecidingStep
    public var predictedTenant: String?
    public var ownerTenant: String?
    /// How the owner was known (`smart host fabrikam-com.mail.protection.outlook.com`, `XOORG`, …).
    public var ownerReason: String?
    public var observedTenant: String?
    public var observations: [TenantObservation]
    public var outcome: VerdictOutcome
    /// Inbound connectors that matched the attempt (by certificate or IP), per tenant.
    public var matchedConnectors: [(tenant: String, name: String, by: String)]
    /// The reason in words, for people.
    public var reason: String
    /// False when a tenant's configuration was missing, so the steps were judged on partial facts.
    public var hasFullConfiguration: Bool

    public var messageId: String { attempt.messageId ?? "(no Message-ID)" }
    public var isDelivered: Bool { attempt.recipients.allSatisfy { $0.reply.map(\.isSuccess) ?? true } }
    public var attributionFailures: [DeliveryAttempt.Recipient] {
        attempt.recipients.filter { $0.reply.map(AttributionFailure.isAttributionFailure) ?? false }
    }
}
