/// Decides, for each delivery attempt, how Exchange Online attributes it to a tenant, and why.
///
/// The documented order for mail arriving through an Inbound connector of type OnPremises:
/// 1. the domain on the TLS certificate the sender presented (subject or SAN) — it decides when
///    exactly one tenant has an enabled OnPremises connector naming that certificate *and* accepts
///    the certificate's domain; several such tenants decide nothing;
/// 2. the P1 `MAIL FROM` domain, when exactly one tenant accepts it (the null sender has none);
/// 3. the P1 `RCPT TO` domains, when they all belong to exactly one tenant.
/// Relaying to domains the tenant does not accept additionally needs (since November 2023) the
/// certificate domain or the MAIL FROM domain to be accepted by it, and the sending IP or the
/// certificate to match one of its OnPremises connectors. Where these rules decide nothing, the
/// verdict says so instead of inventing a tenant.
public struct AttributionEngine: Sendable {
    public let directory: TenantDirectory

    public init(directory: TenantDirectory) {
        self.directory = directory
    }

    public func verdict(for attempt: DeliveryAttempt, observations: [TenantObservation]) -> Verdict {
        var steps: [AttributionStep] = []
        let names = attempt.certificate?.names ?? []
        var matched: [(tenant: String, name: String, by: String)] = []

        // Connectors that recognise the sender, by certificate or by IP.
        for tenant in directory.tenants {
            for connector in tenant.attributingConnectors {
                if let pattern = connector.connector.tlsSenderCertificateName, names.contains(where: { CertificateName.matches($0, pattern) }) {
                    matched.append((tenant.name, connector.connector.name, "certificate \(pattern)"))
                } else if let ip = attempt.sendingIP, let range = connector.ranges.first(where: { $0.contains(ip) }) {
                    matched.append((tenant.name, connector.connector.name, "IP \(ip) in \(range)"))
                }
            }
        }

        // Step 1: certificate.
        var decided: (DecidingStep, String)?
        if names.isEmpty {
            steps.append(AttributionStep(step: .certificate, candidates: [], note: "no certificate presented (or none logged)"))
        } else {
            let byConnector = directory.tenants.filter { tenant in
                tenant.attributingConnectors.contains { connector in
                    guard let pattern = connector.connector.tlsSenderCertificateName else { return false }
                    return names.contains { CertificateName.matches($0, pattern) }
                }
            }
            let candidates = byConnector.filter { tenant in names.contains(where: tenant.acceptsCertificateName) }
            let rejectedForDomain = byConnector.filter { tenant in !names.contains(where: tenant.acceptsCertificateName) }.map(\.name)
            var note: String
            switch candidates.count {
            case 1:
                decided = (.certificate, candidates[0].name)
                note = "certificate \(names.joined(separator: ", ")) matches a connector of \(candidates[0].name), which accepts its domain"
            case 0:
                note = byConnector.isEmpty
                    ? "certificate \(names.joined(separator: ", ")) matches no OnPremises connector"
                    : "certificate matches connectors of \(byConnector.map(\.name).joined(separator: ", ")) but no tenant accepts its domain"
            default:
                note = "certificate matches connectors of several tenants that accept its domain: decides nothing"
            }
            if !rejectedForDomain.isEmpty, candidates.count > 0 {
                note += "; \(rejectedForDomain.joined(separator: ", ")) also name it but do not accept its domain"
            }
            steps.append(AttributionStep(step: .certificate, candidates: candidates.map(\.name), note: note))
        }

        // Step 2: MAIL FROM.
        if decided == nil {
            if let domain = attempt.mailFromDomain {
                let candidates = directory.tenantsAccepting(domain).map(\.name)
                if candidates.count == 1 { decided = (.mailFrom, candidates[0]) }
                steps.append(AttributionStep(step: .mailFrom, candidates: candidates, note: candidates.isEmpty
                    ? "MAIL FROM domain \(domain) is an accepted domain of no tenant"
                    : candidates.count == 1 ? "MAIL FROM domain \(domain) is accepted by \(candidates[0])" : "MAIL FROM domain \(domain) is accepted by several tenants: decides nothing"))
            } else {
                steps.append(AttributionStep(step: .mailFrom, candidates: [], note: "null sender <>: no MAIL FROM domain"))
            }
        }

        // Step 3: RCPT TO.
        if decided == nil {
            let domains = Set(attempt.recipients.compactMap(\.domain))
            let tenantsPerDomain = domains.map { directory.tenantsAccepting($0).map(\.name) }
            let candidates = Array(Set(tenantsPerDomain.flatMap { $0 })).sorted()
            let allInOne = candidates.count == 1 && tenantsPerDomain.allSatisfy { $0 == candidates }
            if allInOne { decided = (.rcptTo, candidates[0]) }
            steps.append(AttributionStep(step: .rcptTo, candidates: candidates, note: allInOne
                ? "every RCPT TO domain is accepted by \(candidates[0])"
                : candidates.isEmpty ? "no RCPT TO domain is accepted by any tenant" : "RCPT TO domains belong to several tenants or none: decides nothing"))
        }

        let decidedBy = decided?.0 ?? .none
        let predicted = decided?.1
        let (owner, ownerReason) = owner(of: attempt)
        let observed = observedTenant(of: attempt, observations: observations)
        let outcome = self.outcome(attempt: attempt, decidedBy: decidedBy, predicted: predicted, owner: owner, observed: observed)
        let hasFullConfiguration = directory.tenants.allSatisfy { $0.hasDomainSnapshot && $0.hasConnectorSnapshot } && !directory.tenants.isEmpty
        var verdict = Verdict(attempt: attempt, steps: steps, decidedBy: decidedBy, predictedTenant: predicted, ownerTenant: owner,
                              ownerReason: ownerReason, observedTenant: observed, observations: observations, outcome: outcome,
                              matchedConnectors: matched, reason: "", hasFullConfiguration: hasFullConfiguration)
        verdict.reason = reason(for: verdict)
        return verdict
    }

    /// The tenant the message belongs to: the dedicated path's smart host, else the XOORG the
    /// server announced, else the sender domain when exactly one tenant accepts it.
    func owner(of attempt: DeliveryAttempt) -> (String?, String?) {
        if let tenant = directory.tenant(forMailHost: attempt.smartHost) {
            return (tenant.name, "sent through the smart host \(attempt.smartHost!)")
        }
        if let xoorg = attempt.xoorg, let tenant = directory.tenantsAccepting(xoorg).only {
            return (tenant.name, "XOORG=\(xoorg)")
        }
        for domain in [attempt.mailFromDomain, attempt.fromAddress.flatMap(EmailAddress.domain(of:))] {
            if let tenant = directory.tenantsAccepting(domain).only { return (tenant.name, "sender domain \(domain!)") }
        }
        return (nil, nil)
    }

    /// The tenant whose own records show the message arriving: one naming the Inbound connector
    /// first, then one that relayed it to recipients it does not accept, then any.
    func observedTenant(of attempt: DeliveryAttempt, observations: [TenantObservation]) -> String? {
        guard !observations.isEmpty else { return nil }
        if let withConnector = observations.first(where: { observation in
            guard let connector = observation.connector else { return false }
            return directory.tenant(named: observation.tenant)?.connectors.contains { $0.connector.name.caseInsensitiveEquals(connector) } ?? true
        }) {
            return withConnector.tenant
        }
        if let relayed = observations.first(where: { observation in
            let tenant = directory.tenant(named: observation.tenant)
            return tenant != nil && !(tenant!.accepts(observation.recipient.flatMap(EmailAddress.domain(of:))))
        }) {
            return relayed.tenant
        }
        return Set(observations.map(\.tenant)).count == 1 ? observations[0].tenant : nil
    }

    func outcome(attempt: DeliveryAttempt, decidedBy: DecidingStep, predicted: String?, owner: String?, observed: String?) -> VerdictOutcome {
        let replies = attempt.recipients.compactMap(\.reply)
        if replies.contains(where: AttributionFailure.isAttributionFailure) { return .rejected }
        if let owner, let landed = observed ?? predicted, landed != owner { return .misattributed }
        if let owner, let predicted, predicted != owner { return .misattributed }
        if replies.contains(where: { !$0.isSuccess }) { return .unrelatedFailure }
        if decidedBy != .certificate { return .atRisk }
        return .ok
    }

    func reason(for verdict: Verdict) -> String {
        let attempt = verdict.attempt
        let decided = verdict.decidedBy == .none
            ? "no documented attribution step decides a tenant"
            : "attributed to \(verdict.predictedTenant!) by \(verdict.decidedBy.rawValue)"
        var text: String
        switch verdict.outcome {
        case .rejected:
            let reply = verdict.attributionFailures.first?.reply?.text ?? ""
            text = "rejected (\(reply.prefix(80))): \(decided)"
        case .misattributed:
            text = "belongs to \(verdict.ownerTenant!) (\(verdict.ownerReason ?? "owner")) but \(verdict.observedTenant.map { "landed in \($0)" } ?? "is predicted in \(verdict.predictedTenant ?? "?")"): \(decided)"
        case .atRisk:
            text = verdict.decidedBy == .none
                ? "delivered although \(decided): it relies on behaviour Microsoft does not document and can break without notice"
                : "delivered only because \(verdict.decidedBy.rawValue) decided (\(decided)); the certificate does not"
        case .unrelatedFailure:
            text = "failed for a reason unrelated to attribution (\(attempt.recipients.compactMap(\.reply).first { !$0.isSuccess }?.text.prefix(60) ?? ""))"
        case .ok:
            text = decided
        }
        if !verdict.hasFullConfiguration { text += " (configuration of some tenant is missing: lower confidence)" }
        return text
    }
}

extension Array {
    /// The single element, or `nil` when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
