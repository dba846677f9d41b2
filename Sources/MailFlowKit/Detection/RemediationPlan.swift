/// The configuration changes a finding's printed remediation makes, in the form `whatif`
/// replays (``ConfigurationChange``): so every fix mailflow prints can be simulated before an
/// administrator runs it, and `whatif --apply-remediation` applies exactly these.
///
/// The certificate names follow the printed commands: `mail.<domain>` for an Exchange server's
/// dedicated Send connector, `relay.<domain>` for a relay or platform, `<domain>` being the
/// tenant's default accepted domain.
enum RemediationPlan {
    static func changes(for finding: Finding, context: DetectionContext, byId: [String: MessageVerdict]) -> [ConfigurationChange] {
        let verdicts = finding.messages.compactMap { byId[$0.messageId] }
        switch finding.pattern {
        case .attributionRejected, .misattributed, .fallbackAttribution:
            guard let path = finding.path else { return [] }
            let owners = Set(verdicts.compactMap { $0.ownerTenant ?? $0.observedTenant ?? $0.predictedTenant })
            return owners.sorted().flatMap { owner in
                pin(owner: owner, path: path, verdicts: context.verdicts.filter { $0.path == path && ($0.ownerTenant ?? owner) == owner }, context: context)
            }
        case .certDomainNotAccepted, .sharedCertificate:
            // Each tenant that does not accept the certificate's domain gets its own certificate,
            // presented on the paths of its own mail, and its connectors trust that name.
            guard let name = finding.certificate else { return [] }
            var changes: [ConfigurationChange] = []
            for reference in finding.connectors {
                guard let tenant = context.directory.tenant(named: reference.tenant), !tenant.acceptsCertificateName(name),
                    let host = tenant.primaryDomain.map({ "mail." + $0 })
                else { continue }
                changes.append(.set(tenant: tenant.name, connector: reference.name, property: .tlsSenderCertificateName, value: host))
                let paths = Set(context.verdicts.filter { $0.ownerTenant == tenant.name && ($0.certificate?.names.contains { CertificateName.matches($0, name) } ?? false) }.map(\.path))
                changes += paths.sorted().map { .presentCertificate(path: $0, owner: tenant.name, names: [host]) }
            }
            return changes
        case .sharedSenderIP, .thirdPartyRelay:
            // The IP stops deciding: each tenant's connector trusts a relay certificate of the
            // tenant's own, which the relay or platform presents for that tenant's mail.
            var changes: [ConfigurationChange] = []
            for reference in finding.connectors {
                guard let tenant = context.directory.tenant(named: reference.tenant), let host = tenant.primaryDomain.map({ "relay." + $0 }) else { continue }
                changes.append(.set(tenant: tenant.name, connector: reference.name, property: .tlsSenderCertificateName, value: host))
                changes.append(.set(tenant: tenant.name, connector: reference.name, property: .senderIPAddresses, value: ""))
                let ranges = tenant.connector(named: reference.name)?.ranges ?? []
                let paths = Set(context.verdicts.filter { verdict in
                    verdict.ownerTenant == tenant.name && (verdict.sendingIP.map { ip in ranges.contains { $0.contains(ip) } } ?? false)
                }.map(\.path))
                changes += paths.sorted().map { .presentCertificate(path: $0, owner: tenant.name, names: [host]) }
            }
            return changes
        case .certificateMismatch:
            // The renewal persists: the connector trusts the name the new certificate carries.
            guard let reference = finding.connectors.first, let tenant = context.directory.tenant(named: reference.tenant), let path = finding.path,
                let name = finding.certificate, tenant.acceptsCertificateName(name)
            else { return [] }
            return [.set(tenant: tenant.name, connector: reference.name, property: .tlsSenderCertificateName, value: name),
                    .presentCertificate(path: path, owner: nil, names: [name])]
        }
    }

    /// A certificate in the owner's domain on the path, trusted by the owner's connectors that
    /// took the path's mail (or a new certificate-based connector when none did).
    static func pin(owner: String, path: String, verdicts: [MessageVerdict], context: DetectionContext) -> [ConfigurationChange] {
        guard let tenant = context.directory.tenant(named: owner), let domain = tenant.primaryDomain else { return [] }
        let isRelay = verdicts.contains { $0.attempt.source == .relayLog || $0.sides == [.receiving] }
        let host = (isRelay ? "relay." : "mail.") + domain
        var seen = Set<String>()
        let connectors = verdicts.flatMap(\.matchedConnectors).filter { $0.tenant == owner }.map(\.name).filter { seen.insert($0.lowercased()).inserted }
        var changes: [ConfigurationChange] = [.presentCertificate(path: path, owner: owner, names: [host])]
        if connectors.isEmpty {
            changes.append(.addConnector(tenant: owner, name: "Inbound from \(path)", properties: [(.connectorType, "OnPremises"), (.tlsSenderCertificateName, host)]))
        } else {
            changes += connectors.sorted().map { .set(tenant: owner, connector: $0, property: .tlsSenderCertificateName, value: host) }
        }
        return changes
    }

    /// Every finding's changes in one list: impacts first, causes after them, so a cause's fix has
    /// the last word on a connector or path both touch; repeated changes once.
    static func combined(_ findings: [Finding]) throws -> [ConfigurationChange] {
        let ordered = findings.filter { $0.pattern.isImpact } + findings.filter { !$0.pattern.isImpact }
        var seen = Set<String>()
        return try ordered.flatMap(\.remediation.changes).filter { seen.insert($0).inserted }.map { try ConfigurationChange.parse(argument: $0) }
    }
}
