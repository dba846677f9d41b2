/// One tenant's records of one message — message-trace rows, trace-detail events, historical
/// report rows — and the receiving-side delivery attempt they describe.
///
/// They describe an attempt when the message arrived from outside Exchange Online through an
/// Inbound connector: a record names the connector, or the client IP falls in an enabled
/// OnPremises connector's `SenderIPAddresses`, or an Originating receive came from a
/// non-Microsoft IP; also when an outside IP relayed to domains the tenant does not accept (only
/// an OnPremises connector relays), sent for a domain some tenant accepts (a tenant's own mail
/// from its servers or platforms), or the sending side's logs show the message going to Exchange
/// Online. Mail handed from one tenant to another inside Exchange Online (Outbound in one trace,
/// Incoming from a Microsoft IP in the other) is none of these, so it is never taken for a
/// misattribution.
struct ReceivingRecords {
    struct Record {
        var tenant: String
        var kind: EventSourceKind
        var event: String?
        var messageId: String?
        var traceId: String?
        /// The P1 sender: `SenderAddress` of a trace, `ReturnPath` of a detail, `return_path` of an Extended report.
        var sender: String?
        /// The P2 From: an Extended report's `sender_address`.
        var fromAddress: String?
        var recipient: String?
        var recipientDomain: String?
        var reply: SMTPReply?
        var clientIP: String?
        var clientHostname: String?
        var connector: String?
        var directionality: String?
        var subject: String?
        var timeMs: Int64
        var evidence: Evidence
    }

    var key: String
    var tenant: String
    var records: [Record]

    /// What a record says happened to its recipient (or, without one, to the whole message).
    static func state(of record: Record) -> RecipientState? {
        let event = (record.event ?? "").lowercased().filter { $0 != " " && $0 != "_" }
        if let reply = record.reply, !reply.isSuccess { return reply.code >= 500 ? .refused : .deferred }
        switch event {
        case "receive":
            return .received
        case "delivered", "deliver", "expanded", "expand", "resolved", "resolve", "quarantined", "filteredasspam", "recalled",
             "send", "sendexternal", "transfer", "redirect", "spam", "malware", "submit", "journal", "agentinfo", "dlprule", "transportrule", "expanddl":
            return .accepted
        case "failed", "fail", "drop", "bounce", "badmail":
            return .refused
        case "defer", "deferred":
            return .deferred
        case "pending", "gettingstatus":
            return .unknown
        default:
            return nil
        }
    }

    /// The receiving-side attempt, or `nil` when these records show no arrival through an Inbound connector.
    func attempt(directory: TenantDirectory, seenOnSendingSide: Bool) -> DeliveryAttempt? {
        let profile = directory.tenant(named: tenant)
        let ip = records.lazy.compactMap(\.clientIP).first { !$0.isEmpty }
        let addressKind = SenderAddressKind(ip)
        guard addressKind != .exchangeOnline else { return nil }
        let namedConnector = records.lazy.compactMap(\.connector).first { name in
            guard !name.isEmpty else { return false }
            guard let profile, profile.hasConnectorSnapshot else { return true }
            return profile.connector(named: name) != nil
        }
        let sender = records.lazy.compactMap(\.sender).first { !$0.isEmpty }
        let fromAddress = records.lazy.compactMap(\.fromAddress).first { !$0.isEmpty }
        let isExternal = addressKind == .external
        let inConnectorRange = ip.map { ip in
            directory.tenants.contains { $0.attributingConnectors.contains { $0.ranges.contains { $0.contains(ip) } } }
        } ?? false
        let isOriginating = records.contains { ($0.directionality ?? "").caseInsensitiveEquals("Originating") }
        let relaysOut = profile.map { profile in
            records.contains { record in record.recipientDomain.map { !profile.accepts($0) } ?? false }
        } ?? false
        let tenantDomain = [sender, fromAddress].compactMap { $0.flatMap(EmailAddress.domain(of:)) }.contains { !directory.tenantsAccepting($0).isEmpty }
        let arrived = namedConnector != nil || inConnectorRange
            || (isExternal && (isOriginating || relaysOut || tenantDomain || seenOnSendingSide))
        guard arrived else { return nil }

        // Recipients, each with every state these records show, in time order; a record without a
        // recipient (a trace detail exported without RecipientAddress) speaks for all of them.
        var order: [String] = []
        var recipients: [String: DeliveryAttempt.Recipient] = [:]
        var messageWide: [DeliveryAttempt.RecipientEvent] = []
        for record in records {
            guard let state = Self.state(of: record) else { continue }
            let event = DeliveryAttempt.RecipientEvent(timeMs: record.timeMs, state: state, reply: record.reply)
            guard let address = record.recipient, !address.isEmpty else {
                messageWide.append(event)
                continue
            }
            let key = address.lowercased()
            if recipients[key] == nil {
                order.append(key)
                recipients[key] = DeliveryAttempt.Recipient(address: address, domain: record.recipientDomain ?? EmailAddress.domain(of: address), reply: nil,
                                                            state: .unknown, history: [])
            }
            recipients[key]!.history.append(event)
        }
        var list = order.map { recipients[$0]! }
        if list.isEmpty, !messageWide.isEmpty {
            list = [DeliveryAttempt.Recipient(address: "(recipient not exported)", domain: nil, reply: nil, state: .unknown, history: [])]
        }
        for index in list.indices {
            // A detail's Receive says Exchange Online accepted the message; its FAIL or DEFER
            // reason applies to the recipient it was exported for.
            list[index].history = (list[index].history + messageWide).sorted { $0.timeMs < $1.timeMs }
            let last = list[index].history.last { $0.state != .unknown }
            list[index].state = last?.state ?? .unknown
            list[index].reply = list[index].history.last { $0.reply != nil }?.reply
        }
        guard !list.isEmpty else { return nil }

        let first = records.min { $0.timeMs < $1.timeMs }!
        var attempt = DeliveryAttempt(
            messageId: records.lazy.compactMap(\.messageId).first, timeMs: first.timeMs, source: DeliveryAttempt.Source(first.kind),
            origin: records.lazy.compactMap(\.clientHostname).first { !$0.isEmpty } ?? ip, connector: namedConnector, smartHost: nil,
            mailFrom: EmailAddress.unbracketed(sender ?? ""), fromAddress: fromAddress, sendingIP: ip, recipients: list,
            evidence: records.prefix(12).map(\.evidence))
        attempt.receivingTenant = tenant
        attempt.subject = records.lazy.compactMap(\.subject).first { !$0.isEmpty }
        return attempt
    }
}

extension DeliveryAttempt.Source {
    init(_ kind: EventSourceKind) {
        switch kind {
        case .trackingLog: self = .trackingLog
        case .relayLog: self = .relayLog
        case .messageTrace: self = .messageTrace
        case .traceDetail: self = .traceDetail
        case .historicalReport: self = .historicalReport
        }
    }
}
