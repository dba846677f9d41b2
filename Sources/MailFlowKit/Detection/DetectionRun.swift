/// Runs attribution over the store and every detector over the verdicts: the library entry point
/// behind `mailflow detect`.
///
/// Derived tables (`verdicts`, `findings`, `finding_messages`, `finding_evidence`) are rebuilt on
/// each run; the ingested rows are never rewritten.
public struct DetectionRun {
    public struct Options: Sendable {
        public var tenant: String?
        public var since: Int64?
        public var until: Int64?
        public var minimumSeverity: Finding.Severity = .low

        public init() {}
    }

    public struct Result: Sendable {
        public var findings: [Finding]
        public var verdictCount: Int
        public var tenants: [String]
        public var missingConfiguration: [String]
    }

    public static let detectors: [any Detector] = [
        AttributionRejectionDetector(), MisattributionDetector(), SharedCertificateDetector(), CertificateDomainDetector(),
        SharedSenderIPDetector(), ThirdPartyRelayDetector(), FallbackAttributionDetector(),
    ]

    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func run(_ options: Options = Options()) throws -> Result {
        let loader = EvidenceLoader(database: database)
        let directory = try loader.directory()
        let observations = try loader.observations()
        var attempts = try loader.attempts(window: .init(since: options.since, until: options.until))
        Self.fillSendingIPs(&attempts, observations: observations)
        let engine = AttributionEngine(directory: directory)
        let verdicts = attempts.map { attempt in
            engine.verdict(for: attempt, observations: attempt.messageId.flatMap { observations[$0] } ?? [])
        }
        let context = DetectionContext(directory: directory, verdicts: verdicts)
        var findings = Self.detectors.flatMap { $0.findings(in: context) }
        Self.linkExplanations(&findings)
        if let tenant = options.tenant?.lowercased() {
            findings = findings.filter { finding in
                finding.connectors.contains { $0.tenant == tenant } || finding.messages.contains { $0.ownerTenant == tenant || $0.observedTenant == tenant }
            }
        }
        findings = findings.filter { $0.severity >= options.minimumSeverity }
        // Most severe first; within a severity, the mail that was hurt before the causes, then by impact.
        findings.sort { ($0.severity, $0.pattern.isImpact ? 1 : 0, $0.messageCount, $1.id) > ($1.severity, $1.pattern.isImpact ? 1 : 0, $1.messageCount, $0.id) }
        try FindingStore(database: database).replace(findings: findings, verdicts: verdicts)
        let missing = directory.tenants.filter { !$0.hasDomainSnapshot || !$0.hasConnectorSnapshot }.map(\.name)
        return Result(findings: findings, verdictCount: verdicts.count, tenants: directory.tenants.map(\.name), missingConfiguration: missing)
    }

    /// The IP Exchange Online saw for each attempt: from a tenant's record of the same message,
    /// else the IP most often seen for the same sending path.
    static func fillSendingIPs(_ attempts: inout [DeliveryAttempt], observations: [String: [TenantObservation]]) {
        var byPath: [String: [String: Int]] = [:]
        for index in attempts.indices {
            guard let id = attempts[index].messageId, let ip = observations[id]?.compactMap(\.clientIP).first(where: { AddressRange.address($0) != nil }) else { continue }
            attempts[index].sendingIP = ip
            byPath[attempts[index].path, default: [:]][ip, default: 0] += 1
        }
        for index in attempts.indices where attempts[index].sendingIP == nil {
            attempts[index].sendingIP = byPath[attempts[index].path]?.max { $0.value < $1.value }?.key
        }
    }

    /// Ties rejected and misattributed mail to the anti-patterns on the same path, certificate or IP.
    static func linkExplanations(_ findings: inout [Finding]) {
        let causes = findings.filter { !$0.pattern.isImpact }
        for index in findings.indices where findings[index].pattern.isImpact {
            let impact = findings[index]
            let ids = Set(impact.messages.map(\.messageId))
            findings[index].explainedBy = causes.filter { cause in
                !ids.isDisjoint(with: cause.messages.map(\.messageId))
                    || (cause.path.map { $0.split(separator: ";").map { $0.trimmingCharacters(in: " ") }.contains(impact.path ?? "") } ?? false)
            }.map(\.id).sorted()
        }
    }
}
