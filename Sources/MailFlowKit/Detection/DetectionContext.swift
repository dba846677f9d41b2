/// Everything detectors look at: the directory, every verdict, and helpers to group them.
public struct DetectionContext: Sendable {
    public var directory: TenantDirectory
    public var verdicts: [Verdict]

    /// Verdicts grouped by sending path, in time order.
    public var verdictsByPath: [(path: String, verdicts: [Verdict])] {
        let grouped = Dictionary(grouping: verdicts, by: \.attempt.path)
        return grouped.keys.sorted().map { ($0, grouped[$0]!.sorted { $0.attempt.timeMs < $1.attempt.timeMs }) }
    }

    /// True when some tenant's accepted domains or connectors were never exported.
    public var isConfigurationIncomplete: Bool {
        directory.tenants.isEmpty || directory.tenants.contains { !$0.hasDomainSnapshot || !$0.hasConnectorSnapshot }
    }

    func messages(_ verdicts: [Verdict], outcome: String? = nil) -> [Finding.MessageRef] {
        var seen = Set<String>()
        return verdicts.compactMap { verdict in
            let ref = Finding.MessageRef(verdict, outcome: outcome)
            return seen.insert(ref.messageId + "\u{1F}" + ref.outcome).inserted ? ref : nil
        }
    }

    func span(_ verdicts: [Verdict]) -> (String?, String?) {
        let times = verdicts.map(\.attempt.timeMs)
        return (times.min().map(Timestamp.iso8601), times.max().map(Timestamp.iso8601))
    }

    func evidence(_ verdicts: [Verdict], limit: Int = 50) -> [Evidence] {
        var seen = Set<Evidence>()
        var result: [Evidence] = []
        for verdict in verdicts {
            for item in verdict.attempt.evidence + verdict.observations.map(\.evidence) where seen.insert(item).inserted {
                result.append(item)
                if result.count >= limit { return result }
            }
        }
        return result
    }

    var confidence: String {
        isConfigurationIncomplete ? "reduced: configuration exports are missing for some tenant, so this rests on traffic alone" : "full"
    }
}

/// One anti-pattern or impact check.
public protocol Detector: Sendable {
    func findings(in context: DetectionContext) -> [Finding]
}
