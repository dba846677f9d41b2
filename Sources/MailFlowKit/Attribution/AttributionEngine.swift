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
///
/// ``replay(_:)`` judges one attempt; ``verdict(for:)`` merges every attempt of one message, from
/// either side, into the message's single verdict.
public struct AttributionEngine: Sendable {
    public let directory: TenantDirectory

    public init(directory: TenantDirectory) {
        self.directory = directory
    }

    /// The one verdict of a message, from every attempt any source recorded of it.
    public func verdict(for attempts: [DeliveryAttempt]) -> MessageVerdict {
        MessageVerdict(replays: attempts.sorted { $0.timeMs < $1.timeMs }.map(replay), directory: directory)
    }

    /// Replays the attribution order for one attempt.
    public func replay(_ attempt: DeliveryAttempt) -> Verdict {
        var steps: [AttributionStep] = []
        let matched = matches(attempt)
        var names = attempt.certificate?.names ?? []

        // Step 1: certificate.
        var decided: (DecidingStep, String)?
        if !attempt.isCertificateVisible {
            // The receiving side does not log the certificate; a certificate-based connector that
            // the tenant's record names tells which name the sender presented.
            let named = matched.first { $0.basis == .named }
            let connector = named.flatMap { directory.tenant(named: $0.tenant)?.connector(named: $0.name) }
            if let named, let pattern = connector?.connector.tlsSenderCertificateName, connector?.ranges.isEmpty ?? true {
                names = [pattern]
                let tenant = directory.tenant(named: named.tenant)
                if tenant?.acceptsCertificateName(pattern) ?? false {
                    decided = (.certificate, named.tenant)
                }
                steps.append(AttributionStep(step: .certificate, candidates: decided.map { [$0.1] } ?? [], note:
                    "certificate not visible in \(named.tenant)'s records; the connector named, '\(named.name)', is certificate-based, so the sender presented a certificate matching \(pattern)"
                    + (decided == nil ? ", a domain \(named.tenant) does not accept: it cannot decide" : ", which decides for \(named.tenant)")))
            } else if let connector, !(connector.ranges.isEmpty) {
                steps.append(AttributionStep(step: .certificate, candidates: [], note:
                    "certificate not visible in the receiving tenant's records; the connector named, '\(connector.connector.name)', is IP-based, so no certificate decided"))
            } else {
                steps.append(AttributionStep(step: .certificate, candidates: [], note: "certificate not visible in the receiving tenant's records"))
            }
        } else if names.isEmpty {
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
                steps.append(AttributionStep(step: .mailFrom, candidates: [], note: attempt.mailFrom.isEmpty && attempt.side == .sending
                    ? "null sender <>: no MAIL FROM domain" : "no MAIL FROM domain recorded"))
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

        var attempt = attempt
        if !attempt.isCertificateVisible, attempt.certificate == nil, let pattern = names.first {
            attempt.certificate = CertificateRecord(subject: "CN=\(pattern)")
        }
        return Verdict(attempt: attempt, steps: steps, decidedBy: decided?.0 ?? .none, predictedTenant: decided?.1, matchedConnectors: matched)
    }

    /// Connectors that recognise the sender: by certificate, by IP, or named by the receiving record.
    func matches(_ attempt: DeliveryAttempt) -> [ConnectorMatch] {
        var matched: [ConnectorMatch] = []
        if let tenantName = attempt.receivingTenant, let name = attempt.connector,
            let connector = directory.tenant(named: tenantName)?.connector(named: name) {
            matched.append(ConnectorMatch(tenant: tenantName, name: connector.connector.name, basis: .named, detail: "named in \(tenantName)'s record"))
        }
        let names = attempt.isCertificateVisible ? (attempt.certificate?.names ?? []) : []
        for tenant in directory.tenants {
            for connector in tenant.attributingConnectors where !matched.contains(where: { $0.tenant == tenant.name && $0.name == connector.connector.name }) {
                if let pattern = connector.connector.tlsSenderCertificateName, names.contains(where: { CertificateName.matches($0, pattern) }) {
                    matched.append(ConnectorMatch(tenant: tenant.name, name: connector.connector.name, basis: .certificate, detail: "certificate \(pattern)"))
                } else if connector.connector.tlsSenderCertificateName == nil, let ip = attempt.sendingIP,
                    let range = connector.ranges.first(where: { $0.contains(ip) }) {
                    matched.append(ConnectorMatch(tenant: tenant.name, name: connector.connector.name, basis: .ip, detail: "IP \(ip) in \(range)"))
                }
            }
        }
        return matched
    }
}

extension Array {
    /// The single element, or `nil` when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
