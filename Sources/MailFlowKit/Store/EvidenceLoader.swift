/// Reads from the store what attribution needs: the tenant directory, the sending side's delivery
/// attempts to Exchange Online, and each tenant's records of mail that arrived through an Inbound
/// connector (the receiving side's attempts).
public struct EvidenceLoader {
    public let database: Database
    private let shared = StringInterner()

    public init(database: Database) {
        self.database = database
    }

    /// An optional time window (epoch ms) on attempts.
    public struct Window: Sendable {
        public var since: Int64?
        public var until: Int64?
        public init(since: Int64? = nil, until: Int64? = nil) {
            self.since = since
            self.until = until
        }

        /// The two bound parameters of the `(?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR time < ?2)` filter.
        var arguments: [SQLValue] { [SQLValue(since), SQLValue(until)] }
    }

    // MARK: Directory

    public func directory() throws -> TenantDirectory {
        let tenants = try database.fetchAll("SELECT id, name FROM tenants ORDER BY name") { row in
            TenantDirectory.Tenant(id: row.int64("id") ?? 0, name: row.string("name") ?? "")
        }
        return TenantDirectory(tenants: try tenants.map { tenant in
            var tenant = tenant
            if let snapshot = try latestSnapshot(tenant: tenant.id, kind: .acceptedDomains) {
                tenant.hasDomainSnapshot = true
                tenant.domainEvidence = snapshot.evidence
                tenant.acceptedDomains = try database.fetchAll(
                    "SELECT domain, domain_type, is_default, is_initial, match_subdomains FROM accepted_domains WHERE snapshot_id = ?",
                    [.integer(snapshot.id)]
                ) { row in
                    AcceptedDomain(domainName: row.string("domain") ?? "", domainType: row.string("domain_type"), isDefault: row.bool("is_default"),
                                   isInitial: row.bool("is_initial"), matchSubDomains: row.bool("match_subdomains"))
                }
            }
            if let snapshot = try latestSnapshot(tenant: tenant.id, kind: .inboundConnectors) {
                tenant.hasConnectorSnapshot = true
                tenant.connectors = try database.fetchAll("""
                    SELECT name, enabled, connector_type, sender_ip_addresses, sender_domains, tls_sender_certificate_name,
                        restrict_domains_to_certificate, restrict_domains_to_ip_addresses, require_tls, cloud_services_mail_enabled,
                        associated_accepted_domains, connector_source, comment, when_created_ms, when_changed_ms
                    FROM inbound_connectors WHERE snapshot_id = ? ORDER BY rowid
                    """, [.integer(snapshot.id)]) { row in
                    var connector = InboundConnector(name: row.string("name") ?? "", connectorType: row.string("connector_type") ?? "")
                    connector.enabled = row.bool("enabled")
                    connector.senderIPAddresses = row.list("sender_ip_addresses")
                    connector.senderDomains = row.list("sender_domains")
                    connector.tlsSenderCertificateName = row.string("tls_sender_certificate_name")
                    connector.restrictDomainsToCertificate = row.bool("restrict_domains_to_certificate")
                    connector.restrictDomainsToIPAddresses = row.bool("restrict_domains_to_ip_addresses")
                    connector.requireTls = row.bool("require_tls")
                    connector.cloudServicesMailEnabled = row.bool("cloud_services_mail_enabled")
                    connector.associatedAcceptedDomains = row.list("associated_accepted_domains")
                    connector.connectorSource = row.string("connector_source")
                    connector.comment = row.string("comment")
                    connector.whenCreatedMs = row.int64("when_created_ms")
                    connector.whenChangedMs = row.int64("when_changed_ms")
                    return TenantDirectory.Connector(tenant: tenant.name, connector: connector,
                                                     ranges: connector.senderIPAddresses.compactMap(AddressRange.init), evidence: snapshot.evidence)
                }
            }
            return tenant
        })
    }

    private struct SnapshotRef {
        var id: Int64
        var evidence: Evidence
    }

    private func latestSnapshot(tenant: Int64, kind: ConfigurationSnapshot.Kind) throws -> SnapshotRef? {
        try database.fetchOne("""
            SELECT s.id, f.path, s.line, s.byte_offset FROM config_snapshots s JOIN files f ON f.id = s.file_id
            WHERE s.tenant_id = ? AND s.kind = ? ORDER BY coalesce(s.taken_at_ms, 0) DESC, s.id DESC LIMIT 1
            """, [.integer(tenant), .text(kind.rawValue)]) { row in
            SnapshotRef(id: row.int64("id") ?? 0, evidence: Evidence(file: row.string("path") ?? "", line: row.int("line") ?? 0,
                                                                     offset: row.int64("byte_offset") ?? 0, what: "\(kind.rawValue) export"))
        }
    }

    /// On-premises Send connectors by name: their smart hosts and certificate, for paths whose logs lack them.
    public func sendConnectors() throws -> [String: SendConnector] {
        var result: [String: SendConnector] = [:]
        try database.forEach("""
            SELECT name, smart_hosts, tls_certificate_name, enabled, address_spaces, fqdn FROM send_connectors sc
            JOIN config_snapshots s ON s.id = sc.snapshot_id ORDER BY coalesce(s.taken_at_ms, 0), s.id
            """) { row in
            var connector = SendConnector(name: row.string("name") ?? "")
            connector.smartHosts = row.list("smart_hosts")
            connector.tlsCertificateName = row.string("tls_certificate_name")
            connector.enabled = row.int64("enabled") != 0
            connector.addressSpaces = row.list("address_spaces")
            connector.fqdn = row.string("fqdn")
            result[connector.name.lowercased()] = connector
        }
        return result
    }

    /// Certificates exported with `Get-ExchangeCertificate`, by thumbprint: what a server could
    /// present, with the validity that dates a renewal.
    public func exchangeCertificates() throws -> [ExchangeCertificate] {
        try database.fetchAll("""
            SELECT c.thumbprint, c.subject, c.issuer, c.domains, c.not_before, c.not_after, c.services, f.path, s.line, s.byte_offset
            FROM exchange_certificates c JOIN config_snapshots s ON s.id = c.snapshot_id JOIN files f ON f.id = s.file_id
            ORDER BY c.not_before, c.thumbprint
            """) { row in
            var certificate = ExchangeCertificate(thumbprint: row.string("thumbprint") ?? "")
            certificate.subject = row.string("subject")
            certificate.issuer = row.string("issuer")
            certificate.domains = row.list("domains")
            certificate.notBefore = row.string("not_before")
            certificate.notAfter = row.string("not_after")
            certificate.services = row.string("services")
            certificate.evidence = Evidence(file: row.string("path") ?? "", line: row.int("line") ?? 0, offset: row.int64("byte_offset") ?? 0,
                                            what: "Get-ExchangeCertificate: \(certificate.subject ?? certificate.thumbprint)")
            return certificate
        }
    }

    // MARK: Messages

    /// Every message's attempts, from both sides, grouped by Message-ID (compared without brackets
    /// and case), each group in time order.
    public func messages(directory: TenantDirectory, window: Window = Window()) throws -> [[DeliveryAttempt]] {
        var groups: [String: [DeliveryAttempt]] = [:]
        var order: [String] = []
        func add(_ attempt: DeliveryAttempt, fallbackKey: String) {
            let key = attempt.messageId.map(Self.messageKey) ?? fallbackKey
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(attempt)
        }
        for (index, attempt) in try sendingAttempts(window: window).enumerated() { add(attempt, fallbackKey: "sending#\(index)") }
        let seenOnSendingSide = Set(groups.keys)
        for (index, attempt) in try receivingAttempts(directory: directory, window: window, seenOnSendingSide: seenOnSendingSide).enumerated() {
            add(attempt, fallbackKey: "receiving#\(index)")
        }
        return order.map { groups[$0]!.sorted { $0.timeMs < $1.timeMs } }
    }

    /// The key one message's records share: the Message-ID without brackets, lower-cased.
    static func messageKey(_ messageId: String) -> String {
        EmailAddress.unbracketed(messageId.trimmingCharacters(in: " ")).lowercased()
    }

    // MARK: Sending side

    /// Delivery attempts to Exchange Online from the sending side's logs: SMTP Send sessions, then
    /// relay deliveries, then tracking-log sends for messages no session covers.
    public func sendingAttempts(window: Window = Window()) throws -> [DeliveryAttempt] {
        let sendConnectors = try sendConnectors()
        var attempts: [DeliveryAttempt] = []
        var covered = Set<String>()

        var certificateBySession: [Int64: CertificateRecord] = [:]
        try database.forEach("""
            SELECT sc.session_id, c.subject, c.issuer, c.serial_number, c.thumbprint, c.not_before, c.not_after, c.alternate_names
            FROM session_certificates sc JOIN certificates c ON c.id = sc.certificate_id WHERE sc.role = ?
            """, [.text(CertificateRole.sending.rawValue)]) { row in
            guard let session = row.int64("session_id") else { return }
            certificateBySession[session] = CertificateRecord(subject: row.string("subject"), issuer: row.string("issuer"),
                                                              serialNumber: row.string("serial_number"), thumbprint: row.string("thumbprint"),
                                                              notBefore: row.string("not_before"), notAfter: row.string("not_after"),
                                                              alternateNames: row.list("alternate_names"))
        }
        // SMTP Send sessions whose peer is Exchange Online.
        try database.forEach("""
            SELECT s.id AS session, o.name AS origin, s.connector, s.banner, f.path, t.line, t.byte_offset, t.time_ms, t.mail_from, t.xoorg,
                t.message_id, t.id AS transaction_id
            FROM smtp_transactions t JOIN smtp_sessions s ON s.id = t.session_id JOIN files f ON f.id = s.file_id
            LEFT JOIN origins o ON o.id = s.origin_id
            WHERE s.direction = 'send' AND (?1 IS NULL OR t.time_ms >= ?1) AND (?2 IS NULL OR t.time_ms < ?2)
            ORDER BY t.time_ms, t.id
            """, window.arguments) { row in
            guard let sessionId = row.int64("session"), let transactionId = row.int64("transaction_id") else { return }
            let connectorName = row.string("connector")
            let configured = connectorName.flatMap { sendConnectors[$0.lowercased()] }
            let smartHost = configured?.smartHosts.first { $0.lowercased().hasSuffix("mail.protection.outlook.com") }
            let banner = row.string("banner") ?? ""
            guard smartHost != nil || banner.contains("outlook.com") || banner.contains("outlook.office365.com") else { return }
            let path = shared(row.string("path")) ?? ""
            let mailFrom = row.string("mail_from") ?? ""
            var evidence = [Evidence(file: path, line: row.int("line") ?? 0, offset: row.int64("byte_offset") ?? 0, what: "MAIL FROM:<\(mailFrom)>")]
            var recipients: [DeliveryAttempt.Recipient] = []
            try database.forEach(
                "SELECT address, domain, reply_code, enhanced_code, reply, line, byte_offset FROM smtp_recipients WHERE transaction_id = ? ORDER BY ordinal",
                [.integer(transactionId)]
            ) { recipient in
                let address = recipient.string("address") ?? ""
                let reply = recipient.int64("reply_code").map { SMTPReply(code: Int($0), enhancedCode: recipient.string("enhanced_code"), text: recipient.string("reply") ?? "") }
                recipients.append(DeliveryAttempt.Recipient(address: address, domain: recipient.string("domain"), reply: reply))
                if let text = recipient.string("reply") {
                    evidence.append(Evidence(file: path, line: recipient.int("line") ?? 0, offset: recipient.int64("byte_offset") ?? 0, what: "RCPT TO:<\(address)> → \(text)"))
                }
            }
            var certificate = certificateBySession[sessionId]
            if certificate == nil, let subject = configured?.tlsCertificate.subject {
                certificate = CertificateRecord(subject: subject, issuer: configured?.tlsCertificate.issuer)
            }
            let messageId = row.string("message_id")
            if let messageId { covered.insert(Self.messageKey(messageId)) }
            attempts.append(DeliveryAttempt(
                messageId: messageId, timeMs: row.int64("time_ms") ?? 0, source: .protocolLog, origin: shared(row.string("origin")), connector: shared(connectorName),
                smartHost: smartHost, mailFrom: mailFrom, xoorg: row.string("xoorg"), certificate: certificate, recipients: recipients, evidence: evidence))
        }

        // Relay (Postfix) deliveries and Exchange tracking-log sends to Exchange Online.
        var grouped: [String: Int] = [:]
        try database.forEach("""
            SELECT e.source_kind, o.name AS origin, e.connector, e.server_hostname, e.sender, e.from_address, e.subject, e.message_id, e.time_ms,
                e.recipient, e.recipient_domain, e.smtp_code, e.enhanced_code, e.recipient_status, f.path, e.line, e.byte_offset, e.event,
                e.internal_message_id
            FROM message_events e JOIN files f ON f.id = e.file_id LEFT JOIN origins o ON o.id = e.origin_id
            WHERE e.source_kind IN (?3, ?4) AND e.server_hostname LIKE '%.mail.protection.outlook.com'
                AND (e.source_kind = ?4 OR e.event IN ('SEND', 'SENDEXTERNAL', 'FAIL'))
                AND (?1 IS NULL OR e.time_ms >= ?1) AND (?2 IS NULL OR e.time_ms < ?2)
            ORDER BY e.time_ms, e.id
            """, window.arguments + [.text(EventSourceKind.trackingLog.rawValue), .text(EventSourceKind.relayLog.rawValue)]) { row in
            let isRelay = row.string("source_kind") == EventSourceKind.relayLog.rawValue
            let messageId = row.string("message_id")
            let key = messageId.map(Self.messageKey)
            if !isRelay, let key, covered.contains(key) { return }
            let time = row.int64("time_ms") ?? 0
            let groupKey = [row.string("source_kind") ?? "", row.string("origin") ?? "", key ?? row.string("internal_message_id") ?? "", String(time)]
                .joined(separator: "\u{1F}")
            let status = row.string("recipient_status") ?? ""
            let reply = row.int64("smtp_code").map { SMTPReply(code: Int($0), enhancedCode: row.string("enhanced_code"), text: Self.replyText(status)) }
            let address = row.string("recipient") ?? ""
            let recipient = DeliveryAttempt.Recipient(address: address, domain: row.string("recipient_domain"), reply: reply)
            let evidence = Evidence(file: shared(row.string("path")) ?? "", line: row.int("line") ?? 0, offset: row.int64("byte_offset") ?? 0,
                                    what: "\(row.string("event") ?? "") to=<\(address)> \(status)".trimmingCharacters(in: " "))
            if let index = grouped[groupKey] {
                attempts[index].recipients.append(recipient)
                attempts[index].evidence.append(evidence)
                return
            }
            let connectorName = row.string("connector")
            var certificate: CertificateRecord?
            if !isRelay, let configured = connectorName.flatMap({ sendConnectors[$0.lowercased()] }), let subject = configured.tlsCertificate.subject {
                certificate = CertificateRecord(subject: subject, issuer: configured.tlsCertificate.issuer)
            }
            grouped[groupKey] = attempts.count
            var attempt = DeliveryAttempt(
                messageId: messageId, timeMs: time, source: isRelay ? .relayLog : .trackingLog,
                origin: shared(row.string("origin")), connector: shared(connectorName), smartHost: shared(row.string("server_hostname")?.lowercased()),
                mailFrom: EmailAddress.unbracketed(row.string("sender") ?? ""), fromAddress: row.string("from_address"),
                certificate: certificate, recipients: [recipient], evidence: [evidence])
            attempt.subject = row.string("subject")
            attempts.append(attempt)
        }
        // P2 From and subject of the sessions' messages, from the tracking log's record of them.
        for index in attempts.indices where attempts[index].source == .protocolLog {
            guard let messageId = attempts[index].messageId else { continue }
            try database.fetchOne("""
                SELECT from_address, subject FROM message_events
                WHERE message_id = ? AND source_kind = ? AND (from_address IS NOT NULL OR subject IS NOT NULL) LIMIT 1
                """, [.text(messageId), .text(EventSourceKind.trackingLog.rawValue)]) { row in
                attempts[index].fromAddress = row.string("from_address")
                attempts[index].subject = row.string("subject")
            }
        }
        return attempts.sorted { $0.timeMs < $1.timeMs }
    }

    /// The remote reply inside a relay's status text (`host … said: 550 5.7.64 … (in reply to RCPT TO command)`).
    static func replyText(_ status: String) -> String {
        guard let said = status.range(ofLiteral: "said: ") else { return status }
        var text = String(status[said.upperBound...])
        if let tail = text.range(ofLiteral: " (in reply to") { text = String(text[..<tail.lowerBound]) }
        return text
    }

    // MARK: Receiving side

    /// Each tenant's records of messages that arrived from outside Exchange Online through an
    /// Inbound connector, one attempt per message and tenant (see ``ReceivingRecords``).
    func receivingAttempts(directory: TenantDirectory, window: Window, seenOnSendingSide: Set<String>) throws -> [DeliveryAttempt] {
        var attempts: [DeliveryAttempt] = []
        var current: ReceivingRecords?
        try database.forEach("""
            SELECT t.name AS tenant, e.source_kind, e.event, e.message_id, e.trace_id, e.sender, e.from_address, e.recipient, e.recipient_domain,
                e.recipient_status, e.smtp_code, e.enhanced_code, e.client_ip, e.client_hostname, e.original_client_ip, e.connector,
                e.directionality, e.subject, e.time_ms, f.path, e.line, e.byte_offset
            FROM message_events e JOIN tenants t ON t.id = e.tenant_id JOIN files f ON f.id = e.file_id
            WHERE e.source_kind IN (?3, ?4, ?5) AND (?1 IS NULL OR e.time_ms >= ?1) AND (?2 IS NULL OR e.time_ms < ?2)
            ORDER BY coalesce(e.message_id, e.trace_id, e.id), t.name, e.time_ms, e.id
            """, window.arguments + [EventSourceKind.messageTrace, .traceDetail, .historicalReport].map { .text($0.rawValue) }) { row in
            let record = ReceivingRecords.Record(row: row, shared: shared)
            let key = record.messageId.map(Self.messageKey) ?? record.traceId ?? "#\(record.evidence.file):\(record.evidence.offset)"
            if let group = current, group.key == key, group.tenant == record.tenant {
                current!.records.append(record)
                return
            }
            if let group = current, let attempt = group.attempt(directory: directory, seenOnSendingSide: seenOnSendingSide.contains(group.key)) {
                attempts.append(attempt)
            }
            current = ReceivingRecords(key: key, tenant: record.tenant, records: [record])
        }
        if let group = current, let attempt = group.attempt(directory: directory, seenOnSendingSide: seenOnSendingSide.contains(group.key)) {
            attempts.append(attempt)
        }
        return attempts
    }
}

extension ReceivingRecords.Record {
    init(row: Row, shared: StringInterner) {
        let status = row.string("recipient_status")
        self.init(
            tenant: shared(row.string("tenant")) ?? "", kind: EventSourceKind(rawValue: row.string("source_kind") ?? "") ?? .messageTrace,
            event: row.string("event"), messageId: row.string("message_id"), traceId: row.string("trace_id"), sender: row.string("sender"),
            fromAddress: row.string("from_address"), recipient: row.string("recipient"), recipientDomain: row.string("recipient_domain"),
            reply: row.int64("smtp_code").map { SMTPReply(code: Int($0), enhancedCode: row.string("enhanced_code"), text: status ?? "") },
            clientIP: row.string("client_ip") ?? row.string("original_client_ip"), clientHostname: row.string("client_hostname"),
            connector: row.string("connector"), directionality: row.string("directionality"), subject: row.string("subject"),
            timeMs: row.int64("time_ms") ?? 0,
            evidence: Evidence(file: shared(row.string("path")) ?? "", line: row.int("line") ?? 0, offset: row.int64("byte_offset") ?? 0,
                               what: "\(row.string("source_kind") ?? "") in \(row.string("tenant") ?? ""): \(row.string("event") ?? "")"
                                   + (row.string("recipient").map { " <\($0)>" } ?? "") + (status.map { " \($0.prefix(120))" } ?? "")))
    }
}
