/// `cert-domain-not-accepted`: an OnPremises connector authenticating by a certificate name whose
/// domain the tenant does not accept, so the certificate step can never attribute to it; and
/// certificates presented on a tenant's paths that carry none of its accepted domains.
public struct CertificateDomainDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        var findings: [Finding] = []
        for tenant in context.directory.tenants where tenant.hasDomainSnapshot {
            for connector in tenant.attributingConnectors {
                guard let name = connector.connector.tlsSenderCertificateName, !tenant.acceptsCertificateName(name) else { continue }
                // Mail that belongs to this tenant and presented this certificate.
                let affected = context.verdicts.filter { verdict in
                    verdict.ownerTenant == tenant.name && (verdict.certificate?.names.contains { CertificateName.matches($0, name) } ?? false)
                }
                let hurt = affected.filter { $0.outcome == .rejected || $0.outcome == .misattributed }
                let severity: Finding.Severity = !hurt.isEmpty ? .high : !affected.isEmpty ? .medium : .low
                let (first, last) = context.span(affected)
                let domain = CertificateName.domain(of: name)
                let certificateDomain = domain.split(separator: ".").suffix(2).joined(separator: ".")
                findings.append(Finding(
                    id: Finding.makeId(.certDomainNotAccepted, key: tenant.name + "|" + connector.connector.name),
                    pattern: .certDomainNotAccepted, severity: severity,
                    title: "\(tenant.name): connector '\(connector.connector.name)' trusts certificate \(name), whose domain it does not accept",
                    summary: "The OnPremises connector '\(connector.connector.name)' of \(tenant.name) authenticates the sender by the certificate name \(name), "
                        + "but \(domain) is not an accepted domain of \(tenant.name), so the certificate cannot attribute mail to it"
                        + (affected.isEmpty ? "." : "; \(affected.count) message(s) sent for \(tenant.name) with this certificate since \(first ?? "?") were attributed elsewhere or by fallback."),
                    connectors: [.init(tenant: tenant.name, name: connector.connector.name)], certificate: name, ip: nil, domain: domain, path: nil,
                    firstSeen: first, lastSeen: last, messageCount: affected.count, messages: context.messages(affected),
                    evidence: [connector.evidence, tenant.domainEvidence].compactMap { $0 } + context.evidence(affected),
                    remediation: Remediation.uniqueCertificate(tenant: tenant.name, connector: connector.connector.name, currentName: name,
                                                                suggestedDomain: tenant.primaryDomain ?? certificateDomain),
                    explainedBy: [], confidence: context.confidence(affected)))
            }
        }
        return findings
    }
}
