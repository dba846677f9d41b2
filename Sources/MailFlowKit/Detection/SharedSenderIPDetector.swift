/// `shared-sender-ip`: IP-based OnPremises connectors of two or more tenants whose address ranges
/// hold the same IP or overlap (by CIDR arithmetic, not string equality). An IP listed by several
/// tenants decides nothing. Disabled and Partner connectors never count, and one IP seen in
/// several tenants through certificate-based connectors is evidence for `shared-certificate`,
/// not a finding of its own.
public struct SharedSenderIPDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        let connectors = context.directory.tenants.flatMap { $0.attributingConnectors.filter(\.isIPBased) }
        var findings: [Finding] = []
        var reported = Set<String>()
        for (index, a) in connectors.enumerated() {
            for b in connectors[(index + 1)...] where a.tenant != b.tenant {
                let overlaps = a.ranges.flatMap { ra in b.ranges.filter { ra.overlaps($0) }.map { (ra, $0) } }
                guard let (ra, rb) = overlaps.first else { continue }
                let key = [a.tenant + "|" + a.connector.name, b.tenant + "|" + b.connector.name].sorted().joined(separator: "+")
                guard reported.insert(key).inserted else { continue }
                let affected = context.verdicts.filter { verdict in
                    guard let ip = verdict.sendingIP else { return false }
                    return ra.contains(ip) || rb.contains(ip)
                }
                let hurt = affected.filter { $0.outcome == .rejected || $0.outcome == .misattributed }
                let severity: Finding.Severity = !hurt.isEmpty ? .high : !affected.isEmpty ? .medium : .low
                let (first, last) = context.span(hurt.isEmpty ? affected : hurt)
                let newer = [a, b].max { ($0.connector.whenCreatedMs ?? 0) < ($1.connector.whenCreatedMs ?? 0) }!
                let created = newer.connector.whenCreatedMs.map { " ('\(newer.connector.name)' of \(newer.tenant) was created \(Timestamp.iso8601($0)))" } ?? ""
                findings.append(Finding(
                    id: Finding.makeId(.sharedSenderIP, key: key),
                    pattern: .sharedSenderIP, severity: severity,
                    title: "\(ra) (\(a.tenant)) overlaps \(rb) (\(b.tenant)): one sending IP, two tenants",
                    summary: "The OnPremises connectors '\(a.connector.name)' of \(a.tenant) and '\(b.connector.name)' of \(b.tenant) both list addresses in "
                        + "\(ra) ∩ \(rb)\(created). An IP listed by several tenants cannot attribute mail"
                        + (hurt.isEmpty ? (affected.isEmpty ? "." : "; \(affected.count) message(s) came from it.")
                           : "; \(hurt.count) message(s) from it were rejected or misattributed between \(first ?? "?") and \(last ?? "?")."),
                    connectors: [.init(tenant: a.tenant, name: a.connector.name), .init(tenant: b.tenant, name: b.connector.name)],
                    certificate: nil, ip: "\(ra) ∩ \(rb)", domain: nil, path: Set(affected.map(\.path)).sorted().joined(separator: "; "),
                    firstSeen: first, lastSeen: last, messageCount: hurt.count, messages: context.messages(hurt),
                    evidence: [a.evidence, b.evidence].compactMap { $0 } + context.evidence(hurt.isEmpty ? affected : hurt),
                    remediation: Remediation.stopSharingIP(a: a, b: b, directory: context.directory),
                    explainedBy: [], confidence: context.confidence(affected)))
            }
        }
        return findings
    }
}
