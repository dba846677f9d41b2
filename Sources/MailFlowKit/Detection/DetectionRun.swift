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
        /// Evidence that would raise the findings' confidence, in words with the command that exports it.
        public var evidenceGaps: [String]
    }

    public static let detectors: [any Detector] = [
        AttributionRejectionDetector(), MisattributionDetector(), SharedCertificateDetector(), CertificateDomainDetector(),
        CertificateMismatchDetector(), SharedSenderIPDetector(), ThirdPartyRelayDetector(), FallbackAttributionDetector(),
    ]

    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func run(_ options: Options = Options()) throws -> Result {
        let (findings, context) = try analyse(options)
        try FindingStore(database: database).replace(findings: findings, verdicts: context.verdicts)
        let directory = context.directory
        let missing = directory.tenantsMissingConfiguration.map(\.name)
        return Result(findings: findings, verdictCount: context.verdicts.count, tenants: directory.tenants.map(\.name), missingConfiguration: missing,
                      evidenceGaps: Self.evidenceGaps(verdicts: context.verdicts, directory: directory))
    }

    /// The verdicts and findings, without writing them: what `detect` stores and `whatif` replays.
    public func analyse(_ options: Options = Options()) throws -> (findings: [Finding], context: DetectionContext) {
        let loader = EvidenceLoader(database: database)
        let directory = try loader.directory()
        let verdicts = Self.verdicts(messages: try loader.messages(directory: directory, window: .init(since: options.since, until: options.until)),
                                     engine: AttributionEngine(directory: directory))
        let context = DetectionContext(directory: directory, verdicts: verdicts, exchangeCertificates: try loader.exchangeCertificates())
        var findings = Self.detectors.flatMap { $0.findings(in: context) }
        Self.linkExplanations(&findings)
        Self.planRemediations(&findings, context: context)
        if let tenant = options.tenant?.lowercased() {
            findings = findings.filter { finding in
                finding.connectors.contains { $0.tenant == tenant } || finding.messages.contains { $0.ownerTenant == tenant || $0.observedTenant == tenant }
            }
        }
        findings = findings.filter { $0.severity >= options.minimumSeverity }
        // Most severe first; within a severity, the mail that was hurt before the causes, then by impact.
        findings.sort { ($0.severity, $0.pattern.isImpact ? 1 : 0, $0.messageCount, $1.id) > ($1.severity, $1.pattern.isImpact ? 1 : 0, $1.messageCount, $0.id) }
        return (findings, context)
    }

    /// `whatif`: every message replayed on the configuration `changes` make, plus the changes of
    /// the findings named in `remediations` (ids, or `all`). The database is not changed.
    public func whatIf(_ changes: [ConfigurationChange], remediations: [String] = []) throws -> Simulation.Result {
        let (findings, context) = try analyse()
        var applied = changes
        if !remediations.isEmpty {
            let chosen = remediations.contains { $0.caseInsensitiveEquals("all") } ? findings : try remediations.map { id in
                guard let finding = findings.first(where: { $0.id.caseInsensitiveEquals(id) }) else {
                    throw ConfigurationChangeError(description: "no finding '\(id)' (findings: \(findings.map(\.id).joined(separator: ", ")))")
                }
                return finding
            }
            applied += try RemediationPlan.combined(chosen)
        }
        return try Simulation(directory: context.directory, verdicts: context.verdicts).run(applied)
    }

    /// One verdict per message. Before replaying, each sending-side attempt learns the IP Exchange
    /// Online saw from a tenant's record of the same message (else the IP most often seen on its
    /// path); afterwards, a message only the receiving side saw is filed under the sending path
    /// that the same IP belongs to, so both sides' mail of one path is judged together.
    static func verdicts(messages: [[DeliveryAttempt]], engine: AttributionEngine) -> [MessageVerdict] {
        var messages = messages
        var ipsByPath: [String: [String: Int]] = [:]
        for index in messages.indices {
            guard let ip = messages[index].first(where: { $0.side == .receiving && $0.sendingIP.flatMap(AddressRange.address) != nil })?.sendingIP else { continue }
            for attempt in messages[index].indices where messages[index][attempt].side == .sending && messages[index][attempt].sendingIP == nil {
                messages[index][attempt].sendingIP = ip
                ipsByPath[messages[index][attempt].path, default: [:]][ip, default: 0] += 1
            }
        }
        let usualIP = ipsByPath.mapValues { counts in counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }
        for index in messages.indices {
            for attempt in messages[index].indices where messages[index][attempt].sendingIP == nil && messages[index][attempt].side == .sending {
                messages[index][attempt].sendingIP = usualIP[messages[index][attempt].path]
            }
        }
        var verdicts = messages.filter { !$0.isEmpty }.map(engine.verdict(for:))
        var pathByIP: [String: [String: Int]] = [:]
        for verdict in verdicts where verdict.sides.contains(.sending) {
            if let ip = verdict.sendingIP { pathByIP[ip, default: [:]][verdict.path, default: 0] += 1 }
        }
        let sendingPath = pathByIP.mapValues { counts in counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }
        for index in verdicts.indices where verdicts[index].sides == [.receiving] {
            if let ip = verdicts[index].sendingIP, let path = sendingPath[ip] { verdicts[index] = verdicts[index].filed(under: path) }
        }
        return verdicts.sorted { ($0.timeMs, $0.messageId) < ($1.timeMs, $1.messageId) }
    }

    /// What evidence would make the findings surer: the sending side's logs where only tenants'
    /// records were read, a tenant's traces where only the sending side was, missing exports.
    static func evidenceGaps(verdicts: [MessageVerdict], directory: TenantDirectory) -> [String] {
        var gaps: [String] = []
        let receivingOnly = Set(verdicts.filter { $0.sides == [.receiving] && $0.outcome != .ok }.map(\.path)).sorted()
        if !receivingOnly.isEmpty {
            gaps.append("the sending side's logs (relay or platform delivery logs, Exchange Server protocol logs) for \(receivingOnly.prefix(3).joined(separator: "; "))"
                        + (receivingOnly.count > 3 ? " and \(receivingOnly.count - 3) more path(s)" : "") + ": today those verdicts rest on the tenants' records alone")
        }
        if verdicts.contains(where: { $0.sides == [.sending] }) {
            gaps.append("each tenant's message trace (Get-MessageTraceV2 … | Export-Csv) to confirm where mail sent from on-premises landed")
        }
        for tenant in directory.tenants {
            if !tenant.hasConnectorSnapshot {
                gaps.append("\(tenant.name)'s Inbound connectors (Get-InboundConnector | ConvertTo-Json -Depth 5)")
            }
            if !tenant.hasDomainSnapshot {
                gaps.append("\(tenant.name)'s accepted domains (Get-AcceptedDomain | ConvertTo-Json -Depth 5)")
            }
        }
        return gaps
    }

    /// Gives every finding's remediation its changes and replays them on every message: what the
    /// fix would mend and what it would break, with the narrower change when it breaks mail.
    static func planRemediations(_ findings: inout [Finding], context: DetectionContext) {
        let simulation = Simulation(directory: context.directory, verdicts: context.verdicts)
        let byId = Dictionary(context.verdicts.map { ($0.messageId, $0) }, uniquingKeysWith: { first, _ in first })
        for index in findings.indices {
            let changes = RemediationPlan.changes(for: findings[index], context: context, byId: byId)
            findings[index].remediation.changes = changes.map(\.argument)
            guard !changes.isEmpty, let result = try? simulation.run(changes) else { continue }
            let fixes = result.changed.filter { change in
                let from = VerdictOutcome(rawValue: change.from), to = VerdictOutcome(rawValue: change.to)
                return (from?.isHurt ?? false || from == .atRisk) && !(to?.isHurt ?? true) && to != from
            }.count
            findings[index].remediation.simulated = Finding.SimulatedEffect(
                fixes: fixes, newlyBroken: result.newlyBroken,
                advice: result.newlyBroken == 0 ? nil
                    : "this change alone would break \(result.newlyBroken) message(s) that work today (\(Set(result.changed.filter(\.isNewlyBroken).map(\.path)).sorted().joined(separator: "; "))): "
                        + "present the new certificate only on a Send connector dedicated to the tenant, and change the connector when every path of that tenant presents it")
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
