/// Everything detectors look at: the directory, every message's verdict, the exported
/// certificates, and helpers to group them.
public struct DetectionContext: Sendable {
    public let directory: TenantDirectory
    public let verdicts: [MessageVerdict]
    public let exchangeCertificates: [ExchangeCertificate]

    /// Verdicts grouped by sending path, in time order: grouped once, read by every detector.
    public let verdictsByPath: [(path: String, verdicts: [MessageVerdict])]

    public init(directory: TenantDirectory, verdicts: [MessageVerdict], exchangeCertificates: [ExchangeCertificate] = []) {
        self.directory = directory
        self.verdicts = verdicts
        self.exchangeCertificates = exchangeCertificates
        let grouped = Dictionary(grouping: verdicts.indices, by: { verdicts[$0].path })
        verdictsByPath = grouped.keys.sorted().map { path in
            (path, grouped[path]!.sorted { (verdicts[$0].timeMs, $0) < (verdicts[$1].timeMs, $1) }.map { verdicts[$0] })
        }
    }

    /// True when some tenant's accepted domains or connectors were never exported.
    public var isConfigurationIncomplete: Bool {
        !directory.hasFullConfiguration
    }

    func messages(_ verdicts: [MessageVerdict]) -> [Finding.MessageRef] {
        var seen = Set<String>()
        return verdicts.compactMap { verdict in seen.insert(verdict.messageId).inserted ? Finding.MessageRef(verdict) : nil }
    }

    func span(_ verdicts: [MessageVerdict]) -> (String?, String?) {
        let times = verdicts.map(\.timeMs)
        return (times.min().map(Timestamp.iso8601), times.max().map(Timestamp.iso8601))
    }

    func evidence(_ verdicts: [MessageVerdict], limit: Int = 50) -> [Evidence] {
        var seen = Set<Evidence>()
        var result: [Evidence] = []
        for verdict in verdicts {
            for item in verdict.evidence where seen.insert(item).inserted {
                result.append(item)
                if result.count >= limit { return result }
            }
        }
        return result
    }

    /// How much the finding can be trusted, said aloud: which sides saw its mail, and whether
    /// configuration exports were missing.
    func confidence(_ verdicts: [MessageVerdict] = []) -> String {
        var parts: [String] = []
        let sides = Set(verdicts.flatMap(\.sides))
        if sides == [.receiving] {
            let tenants = Set(verdicts.flatMap { $0.replays.compactMap(\.attempt.receivingTenant) }).sorted()
            parts.append("seen in \(tenants.joined(separator: " and "))'s own records only (traces, reports); no relay or server log")
        } else if sides == [.sending] {
            parts.append("seen in the sending side's logs only; no tenant's trace confirms where it landed")
        }
        if isConfigurationIncomplete {
            parts.append("configuration exports are missing for some tenant, so this rests on traffic alone")
        }
        return parts.isEmpty ? "full" : "reduced: " + parts.joined(separator: "; ")
    }
}

/// One anti-pattern or impact check.
public protocol Detector: Sendable {
    func findings(in context: DetectionContext) -> [Finding]
}
