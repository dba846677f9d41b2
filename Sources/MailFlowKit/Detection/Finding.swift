/// A connector anti-pattern, or mail it hurt, with the evidence and the fix.
///
/// Pattern ids and the JSON field names are part of mailflow's interface: scripts match on them.
public struct Finding: Sendable, Codable {
    public enum Pattern: String, Sendable, Codable, CaseIterable {
        case certDomainNotAccepted = "cert-domain-not-accepted"
        case sharedSenderIP = "shared-sender-ip"
        case sharedCertificate = "shared-certificate"
        case thirdPartyRelay = "third-party-relay"
        case attributionRejected = "attribution-rejected"
        case misattributed = "misattributed"
        case fallbackAttribution = "fallback-attribution"
        case certificateMismatch = "certificate-mismatch"

        /// Patterns about mail that was hurt or is at risk, as opposed to the configuration causing it.
        public var isImpact: Bool { self == .attributionRejected || self == .misattributed || self == .fallbackAttribution }
    }

    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        case low, medium, high

        var rank: Int { self == .high ? 2 : self == .medium ? 1 : 0 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public struct ConnectorRef: Sendable, Codable, Hashable {
        public var tenant: String
        public var name: String
    }

    public struct MessageRef: Sendable, Codable, Hashable {
        public var messageId: String
        public var outcome: String
        public var ownerTenant: String?
        public var observedTenant: String?
        public var decidedBy: String
        public var time: String
    }

    /// Since when a path fails: the first permanent attribution refusal, the last delivery before
    /// it, and how many deliveries still succeeded after it (a partial outage, not a total one).
    public struct Onset: Sendable, Codable, Hashable {
        public var time: String
        public var lastDeliveryBefore: String?
        public var deliveredAfter: Int
        public var isPartial: Bool
    }

    public struct Remediation: Sendable, Codable {
        /// The PowerShell a tenant (or Exchange Server) administrator would run, in order.
        public var commands: [String]
        public var why: String
        /// The same fix as configuration changes `whatif` can replay (`set TENANT/CONNECTOR:Property=Value`, …).
        public var changes: [String] = []
        /// What replaying the changes on every stored message does.
        public var simulated: SimulatedEffect? = nil

        public init(commands: [String], why: String) {
            self.commands = commands
            self.why = why
        }
    }

    /// The effect of a remediation in simulation: messages it fixes, and messages it would break.
    public struct SimulatedEffect: Sendable, Codable {
        public var fixes: Int
        public var newlyBroken: Int
        /// When it breaks mail: the narrower change to make instead.
        public var advice: String?
    }

    public var id: String
    public var pattern: Pattern
    public var severity: Severity
    public var title: String
    public var summary: String
    public var connectors: [ConnectorRef]
    public var certificate: String?
    public var ip: String?
    public var domain: String?
    public var path: String?
    public var firstSeen: String?
    public var lastSeen: String?
    /// For `attribution-rejected` (and `certificate-mismatch`): since when.
    public var onset: Onset? = nil
    public var messageCount: Int
    public var messages: [MessageRef]
    public var evidence: [Evidence]
    public var remediation: Remediation
    /// Other findings that explain this one (an anti-pattern behind rejected mail).
    public var explainedBy: [String]
    /// Lower when a tenant's configuration was missing and the finding rests on traffic alone.
    public var confidence: String

    /// A stable id from the pattern and what the finding is about, so reruns name it the same.
    static func makeId(_ pattern: Pattern, key: String) -> String {
        var hasher = ContentHasher()
        hasher.combine(pattern.rawValue)
        hasher.combine(key.lowercased())
        let hash = hasher.finalize()
        let hex = String(hash, radix: 16, uppercase: true)
        return pattern.rawValue + "-" + String(String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(6)
    }
}

extension Finding.MessageRef {
    /// A message as findings list it: with the one outcome its verdict has everywhere.
    init(_ verdict: MessageVerdict) {
        self.init(messageId: verdict.messageId, outcome: verdict.outcome.rawValue, ownerTenant: verdict.ownerTenant,
                  observedTenant: verdict.observedTenant, decidedBy: verdict.decidedBy.rawValue, time: Timestamp.iso8601(verdict.timeMs))
    }
}
