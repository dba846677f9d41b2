/// `certificate-mismatch`: the most common real cause of `5.7.64` — the certificate a sending
/// server presents no longer matches the `TlsSenderCertificateName` of the OnPremises connector it
/// used to match (a renewal with a new subject or SANs, a new server).
///
/// Read from the sending side's sessions on one path in time order: a connector matched the
/// certificates presented until a session presented a different certificate that it does not
/// match. The finding's onset is that session; the refused mail after it is what it cost.
/// A `Get-ExchangeCertificate` export dates the new certificate and adds its full details.
public struct CertificateMismatchDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        var findings: [Finding] = []
        for (path, verdicts) in context.verdictsByPath {
            let presented = verdicts.flatMap { verdict in
                verdict.replays.filter { $0.attempt.side == .sending && $0.attempt.isCertificateVisible && $0.attempt.certificate != nil }
                    .map { (verdict: verdict, attempt: $0.attempt) }
            }.sorted { $0.attempt.timeMs < $1.attempt.timeMs }
            guard presented.count >= 2 else { continue }
            for tenant in context.directory.tenants {
                for connector in tenant.attributingConnectors {
                    guard let pattern = connector.connector.tlsSenderCertificateName else { continue }
                    let matches = { (certificate: CertificateRecord) in certificate.names.contains { CertificateName.matches($0, pattern) } }
                    guard let lastMatch = presented.lastIndex(where: { matches($0.attempt.certificate!) }),
                        let change = presented[(lastMatch + 1)...].firstIndex(where: { !matches($0.attempt.certificate!) })
                    else { continue }
                    let old = presented[lastMatch].attempt.certificate!
                    let new = presented[change].attempt.certificate!
                    // The connector matches nothing presented since: the change stuck.
                    guard old != new, !presented[change...].contains(where: { matches($0.attempt.certificate!) }) else { continue }
                    // Only the connector that attributed the path's mail before the change: another
                    // tenant's connector naming the same certificate is another finding's business.
                    let before = presented[lastMatch].verdict
                    guard (before.predictedTenant ?? before.ownerTenant) == tenant.name else { continue }
                    let changeTime = presented[change].attempt.timeMs
                    let after = verdicts.filter { $0.timeMs >= changeTime }
                    let hurt = after.filter { $0.outcome.isHurt && ($0.ownerTenant == nil || $0.ownerTenant == tenant.name) }
                    let stillDelivered = after.filter { $0.isDelivered && !$0.outcome.isHurt }.count
                    let exported = context.exchangeCertificates.filter { certificate in
                        [old.thumbprint, new.thumbprint].contains { $0?.uppercased() == certificate.thumbprint.uppercased() }
                    }
                    let newName = new.names.first ?? new.subject ?? "?"
                    let onset = Finding.Onset(time: Timestamp.iso8601(changeTime), lastDeliveryBefore: presented[lastMatch].verdict.isDelivered
                                                  ? Timestamp.iso8601(presented[lastMatch].attempt.timeMs) : nil,
                                              deliveredAfter: stillDelivered, isPartial: stillDelivered > 0)
                    var evidence = [connector.evidence].compactMap { $0 }
                    evidence += presented[lastMatch].attempt.evidence.prefix(1).map { Evidence(file: $0.file, line: $0.line, offset: $0.offset, what: "last session presenting the old certificate: \(Self.describe(old))") }
                    evidence += presented[change].attempt.evidence.prefix(1).map { Evidence(file: $0.file, line: $0.line, offset: $0.offset, what: "first session presenting the new certificate: \(Self.describe(new))") }
                    evidence += exported.compactMap(\.evidence)
                    evidence += context.evidence(hurt, limit: 30)
                    let renewal = exported.first { $0.thumbprint.uppercased() == new.thumbprint?.uppercased() }
                    findings.append(Finding(
                        id: Finding.makeId(.certificateMismatch, key: tenant.name + "|" + connector.connector.name + "|" + path),
                        pattern: .certificateMismatch, severity: hurt.isEmpty ? .medium : .high,
                        title: "\(tenant.name): connector '\(connector.connector.name)' trusts \(pattern), but \(path) presents \(newName) since \(Timestamp.iso8601(changeTime))",
                        summary: "Until \(Timestamp.iso8601(presented[lastMatch].attempt.timeMs)) \(path) presented \(Self.describe(old)), which the OnPremises connector "
                            + "'\(connector.connector.name)' of \(tenant.name) matches by its TlsSenderCertificateName \(pattern). From \(Timestamp.iso8601(changeTime)) it presents "
                            + "\(Self.describe(new))\(renewal?.notBefore.map { " (valid from \($0))" } ?? ""), which that name does not match, so the certificate step no longer attributes its mail to \(tenant.name)"
                            + (hurt.isEmpty ? "." : "; \(hurt.count) message(s) since were rejected or landed in another tenant."),
                        connectors: [.init(tenant: tenant.name, name: connector.connector.name)], certificate: newName, ip: nil, domain: nil, path: path,
                        firstSeen: Timestamp.iso8601(changeTime), lastSeen: (after.map(\.timeMs).max()).map(Timestamp.iso8601), onset: onset,
                        messageCount: hurt.count, messages: context.messages(hurt), evidence: evidence,
                        remediation: Remediation.matchRenewedCertificate(tenant: tenant, connector: connector.connector.name, pattern: pattern, presented: new),
                        explainedBy: [], confidence: context.confidence(after)))
                }
            }
        }
        return findings
    }

    static func describe(_ certificate: CertificateRecord) -> String {
        var parts = [certificate.subject ?? certificate.names.first ?? "a certificate"]
        if !certificate.alternateNames.isEmpty { parts.append("SANs \(certificate.alternateNames.joined(separator: ", "))") }
        if let thumbprint = certificate.thumbprint { parts.append("thumbprint \(thumbprint)") }
        if let notBefore = certificate.notBefore { parts.append("valid \(notBefore)" + (certificate.notAfter.map { " – \($0)" } ?? "")) }
        return parts.joined(separator: ", ")
    }
}
