/// Replays every stored message against a changed configuration and says, message by message,
/// what a change would fix and what it would newly break — without touching the database.
///
/// Assumptions, stated in every result: Exchange Online applies the documented order (certificate,
/// MAIL FROM, RCPT TO) and the November 2023 relay rules; where no documented step decides, mail
/// goes to the one tenant whose IP-based OnPremises connector lists the sending IP (how such
/// connectors behave today), and keeps today's outcome when several do; a tenant move or a
/// renewal that made a path fail is assumed to persist.
public struct Simulation: Sendable {
    public struct Counts: Sendable, Codable, Equatable {
        public var rejected = 0
        public var misattributed = 0
        public var atRisk = 0
        public var ok = 0

        mutating func add(_ outcome: VerdictOutcome) {
            switch outcome {
            case .rejected: rejected += 1
            case .misattributed: misattributed += 1
            case .atRisk: atRisk += 1
            case .ok: ok += 1
            case .unrelatedFailure: break
            }
        }
    }

    public struct Change: Sendable, Codable {
        public var messageId: String
        public var path: String
        public var from: String
        public var to: String
        public var decidedBy: String
        public var tenant: String?
        /// Was ok or at risk, and would be rejected or misattributed.
        public var isNewlyBroken: Bool
    }

    public struct PathStep: Sendable, Codable {
        public var path: String
        public var before: String
        public var after: String
    }

    public struct Result: Sendable, Codable {
        public var before: Counts
        public var after: Counts
        public var changed: [Change]
        public var newlyBroken: Int
        public var paths: [PathStep]
        public var changes: [ChangeText]
        public var assumptions: [String]
    }

    public struct ChangeText: Sendable, Codable {
        public var words: String
        public var powerShell: String
    }

    public static let assumptions = [
        "Exchange Online applies the documented order: certificate, then MAIL FROM, then RCPT TO, and relays only mail whose certificate or MAIL FROM domain the tenant accepts, from an IP or certificate one of its OnPremises connectors lists",
        "where no documented step decides, mail goes to the one tenant whose IP-based OnPremises connector lists the sending IP; with several, today's outcome stays",
        "a tenant move or certificate renewal that made a path fail persists",
    ]

    public let directory: TenantDirectory
    public let verdicts: [MessageVerdict]

    public init(directory: TenantDirectory, verdicts: [MessageVerdict]) {
        self.directory = directory
        self.verdicts = verdicts
    }

    /// The outcome of every message after `changes`.
    public func run(_ changes: [ConfigurationChange]) throws(ConfigurationChangeError) -> Result {
        let changed = try directory.applying(changes)
        let scope = Scope(changes, directory: directory)
        let baselineEngine = AttributionEngine(directory: directory)
        let engine = AttributionEngine(directory: changed)
        var before = Counts(), after = Counts()
        var result: [Change] = []
        var paths: [String: (before: Set<String>, after: Set<String>)] = [:]
        for verdict in verdicts {
            before.add(verdict.outcome)
            // What the receiving side inferred (a certificate-based connector named) is a fact here:
            // the certificate presented then does not change with the connector's name.
            let factual = verdict.replays.map(\.attempt).map(Self.factual)
            let attempts = factual.map { Self.presenting(changes, on: $0, path: verdict.path, owner: verdict.ownerTenant) }
            let touched = verdict.outcome != .unrelatedFailure
                && (attempts.map(\.certificate) != factual.map(\.certificate) || scope.isAffected(verdict))
            guard touched else {
                after.add(verdict.outcome)
                continue
            }
            let baseline = Self.decision(baselineEngine.replay(Self.deciding(factual)), directory: directory)
            let replay = engine.replay(Self.deciding(attempts))
            let decision = Self.decision(replay, directory: changed)
            var outcome = verdict.outcome
            var decidedBy = verdict.decidedBy.rawValue
            if decision != baseline {
                if decision == nil {
                    // The rules used to decide and now decide nothing: Exchange Online cannot attribute it.
                    (outcome, decidedBy) = (.rejected, DecidingStep.none.rawValue)
                } else {
                    (outcome, decidedBy) = Self.outcome(of: replay, decision: decision, verdict: verdict, directory: changed)
                }
            }
            after.add(outcome)
            paths[verdict.path, default: ([], [])].before.insert(verdict.decidedBy.rawValue)
            paths[verdict.path, default: ([], [])].after.insert(decidedBy)
            if outcome != verdict.outcome {
                let broken = !verdict.outcome.isHurt && verdict.outcome != .unrelatedFailure && outcome.isHurt
                result.append(Change(messageId: verdict.messageId, path: verdict.path, from: verdict.outcome.rawValue, to: outcome.rawValue,
                                     decidedBy: decidedBy, tenant: decision?.tenant, isNewlyBroken: broken))
            }
        }
        result.sort { ($0.isNewlyBroken ? 0 : 1, $0.path, $0.messageId) < ($1.isNewlyBroken ? 0 : 1, $1.path, $1.messageId) }
        return Result(before: before, after: after, changed: result, newlyBroken: result.filter(\.isNewlyBroken).count,
                      paths: paths.keys.sorted().compactMap { path in
                          let steps = paths[path]!
                          guard steps.before != steps.after else { return nil }
                          return PathStep(path: path, before: steps.before.sorted().joined(separator: "/"), after: steps.after.sorted().joined(separator: "/"))
                      },
                      changes: changes.map { ChangeText(words: $0.description, powerShell: $0.powerShell) }, assumptions: Self.assumptions)
    }

    static func factual(_ attempt: DeliveryAttempt) -> DeliveryAttempt {
        var attempt = attempt
        if !attempt.isCertificateVisible, attempt.certificate != nil { attempt.isCertificateVisible = true }
        // The connector a tenant's record names is where the message went under today's
        // configuration; under another, the certificate and IP decide afresh.
        if attempt.side == .receiving { attempt.connector = nil }
        return attempt
    }

    /// Which messages a set of changes can affect: those involving a tenant whose configuration
    /// changes (as owner, observed or predicted tenant, or through a matched connector). An added
    /// accepted domain can move any message.
    struct Scope {
        var tenants: Set<String> = []
        var everything = false

        init(_ changes: [ConfigurationChange], directory: TenantDirectory) {
            for change in changes {
                switch change {
                case let .set(tenant, _, _, _), let .addConnector(tenant, _, _), let .removeConnector(tenant, _):
                    if let index = try? directory.index(of: tenant) { tenants.insert(directory.tenants[index].name) }
                case .addAcceptedDomain:
                    everything = true
                case .presentCertificate:
                    continue
                }
            }
        }

        func isAffected(_ verdict: MessageVerdict) -> Bool {
            if everything { return true }
            if tenants.isEmpty { return false }
            return [verdict.ownerTenant, verdict.observedTenant, verdict.predictedTenant].contains { $0.map(tenants.contains) ?? false }
                || verdict.matchedConnectors.contains { tenants.contains($0.tenant) }
                // Mail no connector recognised may be recognised by a changed one.
                || verdict.matchedConnectors.isEmpty && verdict.outcome != .ok
        }
    }

    /// Who decides, by which step: the documented steps, else the one IP-based connector.
    struct Decision: Equatable {
        var step: String
        var tenant: String
    }

    static func decision(_ replay: Verdict, directory: TenantDirectory) -> Decision? {
        if let tenant = replay.predictedTenant { return Decision(step: replay.decidedBy.rawValue, tenant: tenant) }
        let byIP = Set(replay.matchedConnectors.filter { $0.basis == .ip || $0.basis == .named && (directory.tenant(named: $0.tenant)?.connector(named: $0.name)?.isIPBased ?? false) }.map(\.tenant))
        if byIP.count == 1 { return Decision(step: "connector-ip", tenant: byIP.first!) }
        return nil
    }

    static func outcome(of replay: Verdict, decision: Decision?, verdict: MessageVerdict, directory: TenantDirectory) -> (VerdictOutcome, String) {
        guard let decision else { return (verdict.outcome == .rejected ? .rejected : verdict.outcome, "none") }
        let owner = verdict.ownerTenant
        let attempt = replay.attempt
        // The relay rule: mail for recipients the tenant does not accept needs the certificate or
        // MAIL FROM domain accepted, and the certificate or the IP known to one of its connectors.
        if let tenant = directory.tenant(named: decision.tenant), attempt.recipients.contains(where: { !tenant.accepts($0.domain) }) {
            let names = attempt.certificate?.names ?? []
            let domainOK = names.contains(where: tenant.acceptsCertificateName) || tenant.accepts(attempt.mailFromDomain) || attempt.mailFrom.isEmpty && !names.isEmpty
            let connectorOK = replay.matchedConnectors.contains { $0.tenant == tenant.name }
            if decision.step != "connector-ip", !(domainOK && connectorOK) { return (.rejected, decision.step) }
        }
        if let owner, owner != decision.tenant { return (.misattributed, decision.step) }
        return (decision.step == DecidingStep.certificate.rawValue ? .ok : .atRisk, decision.step)
    }

    /// The attempt whose replay decides: the first sending-side one (it sees the certificate).
    static func deciding(_ attempts: [DeliveryAttempt]) -> DeliveryAttempt {
        attempts.first { $0.side == .sending } ?? attempts.first { $0.isCertificateVisible } ?? attempts[0]
    }

    /// The attempt as it would look if its path presented the certificate a change names.
    static func presenting(_ changes: [ConfigurationChange], on attempt: DeliveryAttempt, path: String, owner: String?) -> DeliveryAttempt {
        var attempt = attempt
        for change in changes {
            guard case let .presentCertificate(changePath, changeOwner, names) = change, changePath == path else { continue }
            if let changeOwner, changeOwner.lowercased() != owner { continue }
            attempt.certificate = CertificateRecord(subject: "CN=\(names[0])", alternateNames: names)
            attempt.isCertificateVisible = true
        }
        return attempt
    }
}

extension TenantDirectory {
    /// This directory with `changes` made (tenants named by name, an accepted domain or the prefix).
    public func applying(_ changes: [ConfigurationChange]) throws(ConfigurationChangeError) -> TenantDirectory {
        var copy = self
        for change in changes {
            switch change {
            case let .set(tenant, name, property, value):
                let index = try copy.index(of: tenant)
                guard let connector = copy.tenants[index].connectors.firstIndex(where: { $0.connector.name.caseInsensitiveEquals(name) }) else {
                    throw ConfigurationChangeError(description: "\(copy.tenants[index].name) has no Inbound connector '\(name)' (it has: \(copy.tenants[index].connectors.map(\.connector.name).joined(separator: ", ")))")
                }
                copy.tenants[index].connectors[connector].set(property, value)
            case let .addConnector(tenant, name, properties):
                let index = try copy.index(of: tenant)
                let type = properties.first { $0.0 == .connectorType }?.1 ?? "OnPremises"
                var connector = Connector(tenant: copy.tenants[index].name, connector: InboundConnector(name: name, connectorType: type), ranges: [])
                for (property, value) in properties { connector.set(property, value) }
                copy.tenants[index].connectors.append(connector)
            case let .removeConnector(tenant, name):
                let index = try copy.index(of: tenant)
                copy.tenants[index].connectors.removeAll { $0.connector.name.caseInsensitiveEquals(name) }
            case let .addAcceptedDomain(tenant, domain):
                let index = try copy.index(of: tenant)
                copy.tenants[index].acceptedDomains.append(AcceptedDomain(domainName: domain, domainType: "InternalRelay"))
            case .presentCertificate:
                continue
            }
        }
        return copy
    }

    func index(of name: String) throws(ConfigurationChangeError) -> Int {
        let key = name.lowercased()
        if let index = tenants.firstIndex(where: { $0.name == key || $0.name.hasPrefix(key + ".") || $0.acceptedDomains.contains { $0.domainName == key } }) {
            return index
        }
        throw ConfigurationChangeError(description: "no tenant '\(name)' (tenants: \(tenants.map(\.name).joined(separator: ", ")))")
    }
}

extension TenantDirectory.Connector {
    mutating func set(_ property: ConfigurationChange.ConnectorProperty, _ value: String) {
        let list = value.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        switch property {
        case .tlsSenderCertificateName: connector.tlsSenderCertificateName = value.isEmpty ? nil : value.lowercased()
        case .senderIPAddresses:
            connector.senderIPAddresses = list
            ranges = list.compactMap(AddressRange.init)
        case .connectorType: connector.connectorType = value
        case .enabled: connector.enabled = value.caseInsensitiveEquals("true") || value == "1"
        case .restrictDomainsToCertificate: connector.restrictDomainsToCertificate = value.caseInsensitiveEquals("true")
        case .restrictDomainsToIPAddresses: connector.restrictDomainsToIPAddresses = value.caseInsensitiveEquals("true")
        case .senderDomains: connector.senderDomains = list
        }
    }
}
