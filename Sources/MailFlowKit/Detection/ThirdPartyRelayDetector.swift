/// `third-party-relay`: an OnPremises connector, matched by IP, relaying mail whose MAIL FROM
/// domain its tenant does not accept — a relay service, CRM or marketing platform sending on
/// behalf of others, attributed by luck rather than by the documented rules.
public struct ThirdPartyRelayDetector: Detector {
    public init() {}

    private func isIPBased(_ match: ConnectorMatch, _ context: DetectionContext) -> Bool {
        context.directory.tenant(named: match.tenant)?.connector(named: match.name)?.isIPBased ?? false
    }

    public func findings(in context: DetectionContext) -> [Finding] {
        var groups: [String: (tenant: String, connector: String, verdicts: [MessageVerdict])] = [:]
        for verdict in context.verdicts {
            guard let domain = verdict.attempt.mailFromDomain else { continue }
            for match in verdict.matchedConnectors where match.basis == .ip || (match.basis == .named && isIPBased(match, context)) {
                guard let tenant = context.directory.tenant(named: match.tenant), !tenant.accepts(domain),
                    // The connector carried the tenant's own mail, or (owner unknown) mail it accepted.
                    verdict.ownerTenant == tenant.name || (verdict.ownerTenant == nil && verdict.observedTenant == tenant.name)
                else { continue }
                let key = tenant.name + "|" + match.name
                if groups[key]?.verdicts.last?.messageId == verdict.messageId { continue }
                groups[key, default: (tenant.name, match.name, [])].verdicts.append(verdict)
            }
        }
        return groups.filter { !$0.value.verdicts.isEmpty }.sorted { $0.key < $1.key }.map { key, group in
            let domains = Set(group.verdicts.compactMap(\.attempt.mailFromDomain)).sorted()
            let hurt = group.verdicts.filter { $0.outcome == .rejected }
            let (first, last) = context.span(group.verdicts)
            let connector = context.directory.tenant(named: group.tenant)?.connectors.first { $0.connector.name == group.connector }
            return Finding(
                id: Finding.makeId(.thirdPartyRelay, key: key), pattern: .thirdPartyRelay, severity: hurt.isEmpty ? .medium : .high,
                title: "\(group.tenant): OnPremises connector '\(group.connector)' relays mail from \(domains.joined(separator: ", ")), not an accepted domain",
                summary: "\(group.verdicts.count) message(s) between \(first ?? "?") and \(last ?? "?") came through '\(group.connector)' of \(group.tenant) by IP "
                    + "with MAIL FROM in \(domains.joined(separator: ", ")), which \(group.tenant) does not accept"
                    + (hurt.isEmpty ? "." : "; \(hurt.count) of them were rejected."),
                connectors: [.init(tenant: group.tenant, name: group.connector)], certificate: nil,
                ip: group.verdicts.compactMap(\.sendingIP).first, domain: domains.joined(separator: ", "),
                path: Set(group.verdicts.map(\.path)).sorted().joined(separator: "; "), firstSeen: first, lastSeen: last,
                messageCount: group.verdicts.count, messages: context.messages(group.verdicts),
                evidence: [connector?.evidence].compactMap { $0 } + context.evidence(group.verdicts),
                remediation: Remediation.moveRelayToPartner(tenant: group.tenant, connector: group.connector, senderDomains: domains, directory: context.directory),
                explainedBy: [], confidence: context.confidence(group.verdicts))
        }
    }
}
