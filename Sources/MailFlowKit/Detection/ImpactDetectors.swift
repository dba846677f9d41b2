/// `attribution-rejected`: messages refused with the attribution and relay family of codes,
/// grouped by sending path, with the onset (first failure after the last success on that path).
/// The anti-patterns that explain them are linked afterwards by ``DetectionRun``.
public struct AttributionRejectionDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        context.verdictsByPath.compactMap { path, verdicts in
            let rejected = verdicts.filter { $0.outcome == .rejected }
            guard !rejected.isEmpty else { return nil }
            let lastSuccess = verdicts.last { $0.isDelivered && $0.attempt.timeMs < rejected.last!.attempt.timeMs }
            let onset = rejected.first { $0.attempt.timeMs > (lastSuccess?.attempt.timeMs ?? Int64.min) } ?? rejected[0]
            let codes = Set(rejected.flatMap { $0.attributionFailures.compactMap { $0.reply?.enhancedCode ?? $0.reply.map { String($0.code) } } }).sorted()
            let (first, last) = context.span(rejected)
            let owner = rejected.compactMap(\.ownerTenant).first
            let reply = rejected[0].attributionFailures.first?.reply?.text ?? ""
            let since = Timestamp.iso8601(onset.attempt.timeMs)
            return Finding(
                id: Finding.makeId(.attributionRejected, key: path), pattern: .attributionRejected, severity: .high,
                title: "\(rejected.count) message(s) on \(path) rejected by Exchange Online (\(codes.joined(separator: ", "))) since \(since)",
                summary: "Since \(since) Exchange Online rejects mail sent on \(path)"
                    + (lastSuccess.map { "; the last message delivered on this path was at \(Timestamp.iso8601($0.attempt.timeMs))" } ?? "")
                    + ". \(rejected.count) message(s) were refused with \(codes.joined(separator: ", ")) (\(reply.prefix(90))). \(rejected[0].reason).",
                connectors: rejected[0].matchedConnectors.map { .init(tenant: $0.tenant, name: $0.name) }, certificate: rejected[0].attempt.certificate?.names.first,
                ip: rejected.compactMap(\.attempt.sendingIP).first, domain: rejected.compactMap(\.attempt.mailFromDomain).first, path: path,
                firstSeen: first, lastSeen: last, messageCount: rejected.count, messages: context.messages(rejected),
                evidence: context.evidence(rejected),
                remediation: Remediation.pinAttribution(tenant: owner, path: path, mailFromDomains: Set(rejected.compactMap(\.attempt.mailFromDomain)).sorted(),
                                                      directory: context.directory, isRelay: rejected[0].attempt.source == .relayLog),
                explainedBy: [], confidence: context.confidence)
        }
    }
}

/// `misattributed`: messages whose observed or predicted tenant is not their owner.
public struct MisattributionDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        context.verdictsByPath.compactMap { path, verdicts in
            let wrong = verdicts.filter { $0.outcome == .misattributed }
            guard let sample = wrong.first else { return nil }
            let owners = Set(wrong.compactMap(\.ownerTenant)).sorted()
            let landed = Set(wrong.compactMap { $0.observedTenant ?? $0.predictedTenant }).sorted()
            let (first, last) = context.span(wrong)
            let observedCount = wrong.filter { $0.observedTenant != nil }.count
            return Finding(
                id: Finding.makeId(.misattributed, key: path), pattern: .misattributed, severity: .high,
                title: "\(wrong.count) message(s) of \(owners.joined(separator: ", ")) on \(path) attributed to \(landed.joined(separator: ", "))",
                summary: "Between \(first ?? "?") and \(last ?? "?"), \(wrong.count) message(s) sent on \(path) belong to \(owners.joined(separator: ", ")) "
                    + "(\(sample.ownerReason ?? "owner")) but were attributed to \(landed.joined(separator: ", ")) by \(sample.decidedBy.rawValue)"
                    + " (\(observedCount) confirmed by that tenant's message trace). They count against the wrong tenant's policies, journaling and reports.",
                connectors: sample.matchedConnectors.map { .init(tenant: $0.tenant, name: $0.name) }, certificate: sample.attempt.certificate?.names.first,
                ip: sample.attempt.sendingIP, domain: nil, path: path, firstSeen: first, lastSeen: last, messageCount: wrong.count,
                messages: context.messages(wrong), evidence: context.evidence(wrong),
                remediation: Remediation.pinAttribution(tenant: owners.first, path: path, mailFromDomains: Set(wrong.compactMap(\.attempt.mailFromDomain)).sorted(),
                                                      directory: context.directory, isRelay: sample.attempt.source == .relayLog),
                explainedBy: [], confidence: context.confidence)
        }
    }
}

/// `fallback-attribution`: sending paths that work today only because MAIL FROM or RCPT TO
/// decided (or no documented step did): at risk of breaking without notice.
public struct FallbackAttributionDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        context.verdictsByPath.compactMap { path, verdicts in
            guard let latest = verdicts.last(where: { $0.outcome != .unrelatedFailure }), latest.outcome == .atRisk else { return nil }
            let atRisk = verdicts.filter { $0.outcome == .atRisk }
            let steps = Set(atRisk.map(\.decidedBy.rawValue)).sorted()
            let (first, last) = context.span(atRisk)
            let tenant = atRisk.compactMap { $0.ownerTenant ?? $0.predictedTenant }.first
            return Finding(
                id: Finding.makeId(.fallbackAttribution, key: path), pattern: .fallbackAttribution, severity: .medium,
                title: steps == ["none"]
                    ? "\(path) is delivered to \(tenant ?? "Exchange Online") although no documented attribution step decides"
                    : "\(path) reaches \(tenant ?? "its tenant") only by \(steps.filter { $0 != "none" }.joined(separator: "/")) attribution",
                summary: "\(atRisk.count) message(s) on \(path) between \(first ?? "?") and \(last ?? "?") were delivered, but the certificate step decided nothing; "
                    + "\(latest.reason). This works today and can stop without notice.",
                connectors: latest.matchedConnectors.map { .init(tenant: $0.tenant, name: $0.name) }, certificate: latest.attempt.certificate?.names.first,
                ip: latest.attempt.sendingIP, domain: latest.attempt.mailFromDomain, path: path, firstSeen: first, lastSeen: last,
                messageCount: atRisk.count, messages: context.messages(atRisk, outcome: "at-risk"), evidence: context.evidence(atRisk, limit: 20),
                remediation: Remediation.pinAttribution(tenant: tenant, path: path, mailFromDomains: Set(atRisk.compactMap(\.attempt.mailFromDomain)).sorted(),
                                                      directory: context.directory, isRelay: latest.attempt.source == .relayLog),
                explainedBy: [], confidence: context.confidence)
        }
    }
}
