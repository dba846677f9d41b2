/// The one verdict of one message, merged from every attempt and record of it — the sending
/// side's sessions and relay lines, each tenant's traces, details and reports — in time order and
/// per recipient.
///
/// A message has one outcome everywhere mailflow prints it. It is `rejected` only when a
/// recipient's last attempt was refused with an attribution code and that recipient was never
/// delivered; a deferral that a later attempt delivered leaves it `at-risk`, with the deferrals
/// counted; it is `misattributed` when the tenant that accepted it (or, without any tenant's
/// record, the tenant the rules predict) is not its owner.
public final class MessageVerdict: Sendable {
    /// What became of one recipient across every attempt.
    public struct RecipientOutcome: Sendable {
        public var address: String
        public var isDelivered: Bool
        /// The last reply any attempt recorded for the recipient.
        public var finalReply: SMTPReply?
        public var finalState: RecipientState
        /// Temporary attribution refusals (`451 4.4.62 … ATTR35`) before the last state.
        public var attributionDeferrals: [SMTPReply]
        /// The first permanent attribution refusal, epoch ms.
        public var firstHardRefusalMs: Int64?

        /// Never delivered, and the last word was an attribution refusal.
        public var isRejected: Bool {
            !isDelivered && (finalState == .refused || finalState == .deferred)
                && (finalReply.map(AttributionFailure.isAttributionFailure) ?? false)
        }

        public var isUnrelatedFailure: Bool {
            !isDelivered && finalState == .refused && !(finalReply.map(AttributionFailure.isAttributionFailure) ?? false)
        }
    }

    public let messageId: String
    /// Every attempt's replay, oldest first.
    public let replays: [Verdict]
    /// The attempt that stands for the message's path: the first sending-side one, else the first
    /// receiving-side one.
    public let primary: Verdict
    public let path: String
    public let ownerTenant: String?
    /// How the owner was known, in words (`smart host …`, `XOORG=…`, `P2 From domain …`).
    public let ownerReason: String?
    /// The tenant whose own records show it accepting the message through an Inbound connector.
    public let observedTenant: String?
    public let predictedTenant: String?
    public let decidedBy: DecidingStep
    public let outcome: VerdictOutcome
    public let recipients: [RecipientOutcome]
    public let sides: [DeliveryAttempt.Side]
    /// The verdict in words, for people.
    public var reason: String { describe() }
    /// False when a tenant's configuration was missing, so the steps were judged on partial facts.
    public let hasFullConfiguration: Bool

    /// The attribution steps of the attempt that stands for the message.
    public var steps: [AttributionStep] { primary.steps }
    public var timeMs: Int64 { replays.first?.attempt.timeMs ?? 0 }
    public var lastTimeMs: Int64 { replays.last?.attempt.timeMs ?? 0 }
    public var isDelivered: Bool { recipients.contains { $0.isDelivered } }
    public var attempt: DeliveryAttempt { primary.attempt }
    public var matchedConnectors: [ConnectorMatch] {
        var seen = Set<ConnectorMatch>()
        return replays.flatMap(\.matchedConnectors).filter { seen.insert($0).inserted }
    }

    /// The first permanent attribution refusal of any recipient, epoch ms.
    public var firstHardRefusalMs: Int64? { recipients.compactMap(\.firstHardRefusalMs).min() }
    public var deferralCount: Int { recipients.map(\.attributionDeferrals.count).max() ?? 0 }
    public var deferralLabels: [String] {
        Array(Set(recipients.flatMap(\.attributionDeferrals).map(AttributionFailure.label))).sorted()
    }

    /// The last reply of the recipient that decided the outcome.
    public var finalReply: SMTPReply? {
        let deciding = recipients.first { outcome == .rejected ? $0.isRejected : outcome == .unrelatedFailure ? $0.isUnrelatedFailure : $0.isDelivered }
        return (deciding ?? recipients.first)?.finalReply
    }

    public var mailFrom: String { replays.first { !$0.attempt.mailFrom.isEmpty }?.attempt.mailFrom ?? primary.attempt.mailFrom }
    public var fromAddress: String? { replays.lazy.compactMap(\.attempt.fromAddress).first }
    public var subject: String? { replays.lazy.compactMap(\.attempt.subject).first }
    public var sendingIP: String? { replays.lazy.compactMap(\.attempt.sendingIP).first }
    public var certificate: CertificateRecord? {
        replays.first { $0.attempt.isCertificateVisible && $0.attempt.certificate != nil }?.attempt.certificate ?? primary.attempt.certificate
    }
    public var evidence: [Evidence] { replays.flatMap(\.attempt.evidence) }

    /// Built by ``AttributionEngine/verdict(for:)``.
    init(replays: [Verdict], directory: TenantDirectory) {
        precondition(!replays.isEmpty, "a message verdict needs at least one attempt")
        self.replays = replays
        let sending = replays.filter { $0.attempt.side == .sending }
        let receiving = replays.filter { $0.attempt.side == .receiving }
        primary = sending.first ?? replays[0]
        messageId = primary.messageId
        path = primary.attempt.path
        sides = [DeliveryAttempt.Side.sending, .receiving].filter { side in replays.contains { $0.attempt.side == side } }
        hasFullConfiguration = directory.hasFullConfiguration
        let recipients = Self.recipientOutcomes(replays)
        self.recipients = recipients

        // The replay that decides the message's step: the sending side sees the certificate; a
        // receiving record can still tell it through a certificate-based connector it names.
        let deciding = sending.first { $0.decidedBy != .none } ?? receiving.first { $0.decidedBy == .certificate } ?? sending.first ?? replays[0]
        var decidedBy = deciding.decidedBy
        var predictedTenant = deciding.predictedTenant
        let (owner, ownerReason) = Self.owner(of: replays.map(\.attempt), directory: directory)
        ownerTenant = owner
        self.ownerReason = ownerReason
        let observed = receiving.first { replay in replay.attempt.recipients.contains { $0.state == .accepted || $0.state == .received } }?.attempt.receivingTenant
        observedTenant = observed
        if let observed, let predicted = predictedTenant, observed != predicted {
            // Exchange Online filed it somewhere the documented steps do not point: say so rather
            // than keep a step that did not decide.
            decidedBy = .none
            predictedTenant = nil
        }
        self.decidedBy = decidedBy
        self.predictedTenant = predictedTenant
        outcome = Self.outcome(recipients: recipients, decidedBy: decidedBy, predicted: predictedTenant, owner: owner, observed: observed)
    }

    /// The same verdict filed under another path (a receiving-side message under the sending
    /// path its IP belongs to).
    private init(_ other: MessageVerdict, path: String) {
        messageId = other.messageId
        replays = other.replays
        primary = other.primary
        self.path = path
        ownerTenant = other.ownerTenant
        ownerReason = other.ownerReason
        observedTenant = other.observedTenant
        predictedTenant = other.predictedTenant
        decidedBy = other.decidedBy
        outcome = other.outcome
        recipients = other.recipients
        sides = other.sides
        hasFullConfiguration = other.hasFullConfiguration
    }

    func filed(under path: String) -> MessageVerdict { MessageVerdict(self, path: path) }

    static func recipientOutcomes(_ replays: [Verdict]) -> [RecipientOutcome] {
        var order: [String] = []
        var events: [String: (address: String, events: [DeliveryAttempt.RecipientEvent])] = [:]
        for replay in replays {
            for recipient in replay.attempt.recipients {
                let key = recipient.address.lowercased()
                if events[key] == nil { order.append(key); events[key] = (recipient.address, []) }
                events[key]!.events += replay.attempt.events(of: recipient)
            }
        }
        return order.map { key in
            let (address, history) = events[key]!
            let known = history.enumerated().sorted { ($0.element.timeMs, $0.offset) < ($1.element.timeMs, $1.offset) }.map(\.element).filter { $0.state != .unknown }
            let last = known.last
            // Received and never refused afterwards counts as accepted.
            let delivered = known.contains { $0.state == .accepted } || last?.state == .received
            let deferrals = known.dropLast(last?.state == .deferred && !delivered ? 1 : 0).filter { event in
                event.state == .deferred && (event.reply.map(AttributionFailure.isAttributionFailure) ?? false)
            }.compactMap(\.reply)
            let hard = known.first { $0.state == .refused && ($0.reply.map(AttributionFailure.isAttributionFailure) ?? false) }
            // A trace row says "Failed" without the reply; its detail (another record) has it.
            let finalReply = last?.reply ?? known.last { $0.state == last?.state && $0.reply != nil }?.reply ?? history.last { $0.reply != nil }?.reply
            return RecipientOutcome(address: address, isDelivered: delivered, finalReply: finalReply,
                                    finalState: last?.state ?? .unknown, attributionDeferrals: deferrals, firstHardRefusalMs: hard?.timeMs)
        }
    }

    /// Whose message it is.
    ///
    /// (a) a path through an Exchange Send connector whose smart host is one tenant's
    /// `*.mail.protection.outlook.com` host (the dedicated connector Microsoft prescribes): that
    /// tenant; else the `XOORG` the server announced. (b) any other path whose P1 domain no tenant
    /// accepts (a platform's bounce domain): the tenant accepting the P2 From domain. (c) else the
    /// tenant accepting the P1 domain. A relay's delivery host says where mail went, not whose it is;
    /// a null sender's owner is unknown.
    static func owner(of attempts: [DeliveryAttempt], directory: TenantDirectory) -> (String?, String?) {
        for attempt in attempts where attempt.source.isExchangeServer {
            if let tenant = directory.tenant(forMailHost: attempt.smartHost) {
                return (tenant.name, "sent through \(attempt.connector.map { "the Send connector '\($0)' to " } ?? "")the smart host \(attempt.smartHost!)")
            }
        }
        for attempt in attempts {
            if let xoorg = attempt.xoorg, let tenant = directory.tenantsAccepting(xoorg).only { return (tenant.name, "XOORG=\(xoorg)") }
        }
        let mailFromDomain = attempts.lazy.compactMap(\.mailFromDomain).first
        let fromDomain = attempts.lazy.compactMap(\.fromDomain).first
        if let mailFromDomain {
            let accepting = directory.tenantsAccepting(mailFromDomain)
            if accepting.isEmpty {
                if let fromDomain, let tenant = directory.tenantsAccepting(fromDomain).only {
                    return (tenant.name, "P2 From domain \(fromDomain) (the P1 domain \(mailFromDomain) is accepted by no tenant)")
                }
                return (nil, nil)
            }
            if let tenant = accepting.only { return (tenant.name, "MAIL FROM domain \(mailFromDomain)") }
            return (nil, nil)
        }
        return (nil, nil)
    }

    static func outcome(recipients: [RecipientOutcome], decidedBy: DecidingStep, predicted: String?, owner: String?, observed: String?) -> VerdictOutcome {
        if recipients.contains(where: \.isRejected) { return .rejected }
        let delivered = recipients.contains { $0.isDelivered }
        if let owner, let landed = observed ?? (delivered ? predicted : nil), landed != owner { return .misattributed }
        if !delivered, recipients.contains(where: \.isUnrelatedFailure) { return .unrelatedFailure }
        if recipients.contains(where: { !$0.attributionDeferrals.isEmpty }) { return .atRisk }
        if decidedBy != .certificate { return .atRisk }
        return .ok
    }

    func describe() -> String {
        let decided = decidedBy == .none
            ? (observedTenant.map { "\($0) accepted it, but no documented attribution step points there" } ?? "no documented attribution step decides a tenant")
            : "attributed to \(predictedTenant!) by \(decidedBy.rawValue)"
        var text: String
        switch outcome {
        case .rejected:
            let reply = recipients.first(where: \.isRejected)?.finalReply?.text ?? ""
            text = "rejected (\(reply.prefix(80))): \(decided)"
        case .misattributed:
            text = "belongs to \(ownerTenant!) (\(ownerReason ?? "owner")) but \(observedTenant.map { "landed in \($0)" } ?? "is predicted in \(predictedTenant ?? "?")"): \(decided)"
        case .atRisk:
            if deferralCount > 0 {
                text = "delivered after being deferred \(deferralCount)× (\(deferralLabels.joined(separator: ", "))): \(decided)"
            } else {
                text = decidedBy == .none
                    ? "delivered although \(decided): it relies on behaviour Microsoft does not document and can break without notice"
                    : "delivered only because \(decidedBy.rawValue) decided (\(decided)); the certificate does not"
            }
        case .unrelatedFailure:
            text = "failed for a reason unrelated to attribution (\(recipients.first(where: \.isUnrelatedFailure)?.finalReply?.text.prefix(60) ?? ""))"
        case .ok:
            text = decided
        }
        if sides == [.receiving] { text += "; seen in \(Set(replays.compactMap(\.attempt.receivingTenant)).sorted().joined(separator: ", "))'s records only" }
        if !hasFullConfiguration { text += " (configuration of some tenant is missing: lower confidence)" }
        return text
    }
}
