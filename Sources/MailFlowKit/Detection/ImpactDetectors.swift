/// `attribution-rejected`: messages whose verdict is `rejected` (a recipient's last attempt refused
/// with an attribution or relay code, never delivered), grouped by sending path, with the onset:
/// the first permanent refusal, the last delivery before it, and how many deliveries still
/// succeeded after it. The anti-patterns that explain them are linked afterwards by ``DetectionRun``.
public struct AttributionRejectionDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        context.verdictsByPath.compactMap { path, verdicts in
            let rejected = verdicts.filter { $0.outcome == .rejected }
            guard !rejected.isEmpty else { return nil }
            let onset = Self.onset(rejected: rejected, all: verdicts)
            let replies = rejected.compactMap(\.finalReply)
            let codes = Set(replies.map(AttributionFailure.label)).sorted()
            let (first, last) = context.span(rejected)
            let owner = rejected.compactMap(\.ownerTenant).first
            let reply = replies.first?.text ?? ""
            let since = onset.time
            let outage = onset.isPartial ? "a partial outage: \(onset.deliveredAfter) message(s) were still delivered after it" : "no message was delivered on this path after it"
            let sample = rejected[0]
            let connectors = Self.connectors(of: rejected, owner: owner, path: verdicts)
            return Finding(
                id: Finding.makeId(.attributionRejected, key: path), pattern: .attributionRejected, severity: .high,
                title: "\(rejected.count) message(s) on \(path) rejected by Exchange Online (\(codes.joined(separator: ", "))) since \(since)",
                summary: "Since \(since) Exchange Online rejects mail sent on \(path)"
                    + (onset.lastDeliveryBefore.map { "; the last message delivered before that was at \($0)" } ?? "")
                    + " — \(outage). \(rejected.count) message(s) were refused with \(codes.joined(separator: ", ")) (\(reply.prefix(90))). \(sample.reason).",
                connectors: connectors, certificate: sample.certificate?.names.first,
                ip: rejected.compactMap(\.sendingIP).first, domain: rejected.compactMap(\.attempt.mailFromDomain).first, path: path,
                firstSeen: first, lastSeen: last, onset: onset, messageCount: rejected.count, messages: context.messages(rejected),
                evidence: context.evidence(rejected),
                remediation: Remediation.pinAttribution(tenant: owner, path: path, mailFromDomains: Set(rejected.compactMap(\.attempt.mailFromDomain)).sorted(),
                                                      directory: context.directory, isRelay: sample.attempt.source == .relayLog || sample.sides == [.receiving]),
                explainedBy: [], confidence: context.confidence(rejected))
        }
    }

    /// The onset of a path's rejections: its first permanent (5xx) attribution refusal (the first
    /// refusal of a rejected message when all were temporary), with the deliveries around it.
    static func onset(rejected: [MessageVerdict], all: [MessageVerdict]) -> Finding.Onset {
        let hard = rejected.compactMap(\.firstHardRefusalMs).min()
        let start = hard ?? rejected.map(\.timeMs).min()!
        let delivered = all.filter { $0.isDelivered && $0.outcome != .unrelatedFailure }
        let before = delivered.filter { $0.timeMs < start }.map(\.timeMs).max()
        let after = delivered.filter { $0.timeMs > start }.count
        return Finding.Onset(time: Timestamp.iso8601(start), lastDeliveryBefore: before.map(Timestamp.iso8601), deliveredAfter: after, isPartial: after > 0)
    }

    /// The connectors that recognised the rejected mail: the owner's when it has any among them.
    /// When the refused mail matched none (a renewed certificate), the connectors the path's other
    /// mail matched: the one that used to take it.
    static func connectors(of verdicts: [MessageVerdict], owner: String?, path: [MessageVerdict]) -> [Finding.ConnectorRef] {
        var seen = Set<Finding.ConnectorRef>()
        let matched = verdicts.flatMap(\.matchedConnectors).isEmpty ? path.flatMap(\.matchedConnectors) : verdicts.flatMap(\.matchedConnectors)
        let all = matched.map { Finding.ConnectorRef(tenant: $0.tenant, name: $0.name) }.filter { seen.insert($0).inserted }
        let owners = all.filter { $0.tenant == owner }
        return (owners.isEmpty ? all : owners).sorted { ($0.tenant, $0.name) < ($1.tenant, $1.name) }
    }
}

/// `misattributed`: messages whose observed tenant (or, without any tenant's record, the predicted
/// one) is not their owner.
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
            let steps = Set(wrong.map(\.decidedBy.rawValue)).sorted()
            var seen = Set<Finding.ConnectorRef>()
            let connectors = wrong.flatMap(\.matchedConnectors).filter { landed.contains($0.tenant) }
                .map { Finding.ConnectorRef(tenant: $0.tenant, name: $0.name) }.filter { seen.insert($0).inserted }
            return Finding(
                id: Finding.makeId(.misattributed, key: path), pattern: .misattributed, severity: .high,
                title: "\(wrong.count) message(s) of \(owners.joined(separator: ", ")) on \(path) attributed to \(landed.joined(separator: ", "))",
                summary: "Between \(first ?? "?") and \(last ?? "?"), \(wrong.count) message(s) sent on \(path) belong to \(owners.joined(separator: ", ")) "
                    + "(\(sample.ownerReason ?? "owner")) but were attributed to \(landed.joined(separator: ", "))"
                    + (steps == ["none"] ? " although no documented step points there" : " by \(steps.joined(separator: "/"))")
                    + " (\(observedCount) confirmed by that tenant's own records). They count against the wrong tenant's policies, journaling and reports.",
                connectors: connectors.sorted { ($0.tenant, $0.name) < ($1.tenant, $1.name) }, certificate: sample.certificate?.names.first,
                ip: sample.sendingIP, domain: nil, path: path, firstSeen: first, lastSeen: last, messageCount: wrong.count,
                messages: context.messages(wrong), evidence: context.evidence(wrong),
                remediation: Remediation.pinAttribution(tenant: owners.first, path: path, mailFromDomains: Set(wrong.compactMap(\.attempt.mailFromDomain)).sorted(),
                                                      directory: context.directory, isRelay: sample.attempt.source == .relayLog || sample.sides == [.receiving]),
                explainedBy: [], confidence: context.confidence(wrong))
        }
    }
}

/// `fallback-attribution`: sending paths that work today only because MAIL FROM or RCPT TO
/// decided (or no documented step did, or only after attribution deferrals): at risk of
/// breaking without notice.
public struct FallbackAttributionDetector: Detector {
    public init() {}

    public func findings(in context: DetectionContext) -> [Finding] {
        context.verdictsByPath.compactMap { path, verdicts in
            guard let latest = verdicts.last(where: { $0.outcome != .unrelatedFailure }), latest.outcome == .atRisk else { return nil }
            let atRisk = verdicts.filter { $0.outcome == .atRisk }
            let steps = Set(atRisk.map(\.decidedBy.rawValue)).sorted()
            let deferred = atRisk.filter { $0.deferralCount > 0 }
            let (first, last) = context.span(atRisk)
            let tenant = atRisk.compactMap { $0.ownerTenant ?? $0.observedTenant ?? $0.predictedTenant }.first
            var seen = Set<Finding.ConnectorRef>()
            let connectors = atRisk.flatMap(\.matchedConnectors).filter { tenant == nil || $0.tenant == tenant }
                .map { Finding.ConnectorRef(tenant: $0.tenant, name: $0.name) }.filter { seen.insert($0).inserted }
            let title: String
            if steps == ["certificate"], !deferred.isEmpty {
                title = "\(path) reaches \(tenant ?? "its tenant") only after attribution deferrals (\(Set(deferred.flatMap(\.deferralLabels)).sorted().joined(separator: ", ")))"
            } else if steps == ["none"] {
                title = "\(path) is delivered to \(tenant ?? "Exchange Online") although no documented attribution step decides"
            } else {
                title = "\(path) reaches \(tenant ?? "its tenant") only by \(steps.filter { $0 != "none" && $0 != "certificate" }.joined(separator: "/")) attribution"
            }
            return Finding(
                id: Finding.makeId(.fallbackAttribution, key: path), pattern: .fallbackAttribution, severity: .medium,
                title: title,
                summary: "\(atRisk.count) message(s) on \(path) between \(first ?? "?") and \(last ?? "?") were delivered, but the certificate step decided nothing"
                    + (deferred.isEmpty ? "" : " or they were deferred first (\(deferred.count) message(s))")
                    + "; \(latest.reason). This works today and can stop without notice.",
                connectors: connectors.sorted { ($0.tenant, $0.name) < ($1.tenant, $1.name) }, certificate: latest.certificate?.names.first,
                ip: latest.sendingIP, domain: latest.attempt.mailFromDomain, path: path, firstSeen: first, lastSeen: last,
                messageCount: atRisk.count, messages: context.messages(atRisk), evidence: context.evidence(atRisk, limit: 20),
                remediation: Remediation.pinAttribution(tenant: tenant, path: path, mailFromDomains: Set(atRisk.compactMap(\.attempt.mailFromDomain)).sorted(),
                                                      directory: context.directory, isRelay: latest.attempt.source == .relayLog || latest.sides == [.receiving]),
                explainedBy: [], confidence: context.confidence(atRisk))
        }
    }
}
