/// `shared-certificate`: one certificate used toward several tenants — one on-premises server
/// feeding several tenants through one certificate, or OnPremises connectors of several tenants
/// that trust the same certificate name. The certificate step then cannot tell the tenants apart.
public struct SharedCertificateDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        // Group by the certificate's first name (its subject CN, else first SAN).
        var groups: [String: (tenants: Set<String>, connectors: Set<Finding.ConnectorRef>, verdicts: [MessageVerdict], paths: Set<String>)] = [:]
        for verdict in context.verdicts {
            guard let certificate = verdict.certificate, let key = certificate.names.first,
                let tenant = verdict.ownerTenant ?? verdict.observedTenant ?? verdict.predictedTenant
            else { continue }
            groups[key, default: ([], [], [], [])].tenants.insert(tenant)
            groups[key]!.verdicts.append(verdict)
            groups[key]!.paths.insert(verdict.path)
        }
        for tenant in context.directory.tenants {
            for connector in tenant.attributingConnectors {
                guard let name = connector.connector.tlsSenderCertificateName else { continue }
                let key = groups.keys.first { CertificateName.matches($0, name) } ?? name
                groups[key, default: ([], [], [], [])].tenants.insert(tenant.name)
                groups[key]!.connectors.insert(.init(tenant: tenant.name, name: connector.connector.name))
            }
        }
        var findings: [Finding] = []
        for (name, group) in groups.sorted(by: { $0.key < $1.key }) where group.tenants.count >= 2 {
            let hurt = group.verdicts.filter { $0.outcome == .rejected || $0.outcome == .misattributed }
            let severity: Finding.Severity = !hurt.isEmpty ? .high : group.verdicts.isEmpty ? .low : .medium
            let (first, last) = context.span(hurt.isEmpty ? group.verdicts : hurt)
            let tenants = group.tenants.sorted()
            let paths = group.paths.sorted()
            findings.append(Finding(
                id: Finding.makeId(.sharedCertificate, key: name),
                pattern: .sharedCertificate, severity: severity,
                title: "Certificate \(name) is used toward \(tenants.count) tenants: \(tenants.joined(separator: ", "))",
                summary: "The same certificate (\(name)) authenticates mail for \(tenants.joined(separator: " and "))"
                    + (paths.isEmpty ? "" : " on \(paths.count) sending path(s) (\(paths.joined(separator: "; ")))")
                    + ". Exchange Online attributes by the certificate's domain, so every tenant's mail presenting it goes to the one tenant that accepts that domain"
                    + (hurt.isEmpty ? "." : "; \(hurt.count) message(s) since \(first ?? "?") were rejected or landed in the wrong tenant."),
                connectors: group.connectors.sorted { ($0.tenant, $0.name) < ($1.tenant, $1.name) }, certificate: name, ip: nil, domain: nil,
                path: paths.joined(separator: "; "), firstSeen: first, lastSeen: last, messageCount: hurt.count, messages: context.messages(hurt),
                evidence: context.evidence(hurt.isEmpty ? group.verdicts : hurt),
                remediation: Remediation.certificatePerTenant(sharedName: name, tenants: tenants, directory: context.directory,
                                                               connectors: group.connectors.sorted { $0.tenant < $1.tenant }),
                explainedBy: [], confidence: context.confidence(group.verdicts)))
        }
        return findings
    }
}
