/// Reads from the store what attribution needs: the tenant directory, the sending side's delivery
/// attempts to Exchange Online, and each tenant's own observations.
public struct EvidenceLoader {
    public let database: Database

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

        func sql(_ column: String) -> String {
            var parts: [String] = []
            if let since { parts.append("\(column) >= \(since)") }
            if let until { parts.append("\(column) < \(until)") }
            return parts.isEmpty ? "1" : parts.joined(separator: " AND ")
        }
    }

    // MARK: Directory

    public func directory() throws -> TenantDirectory {
        var tenants: [TenantDirectory.Tenant] = []
        for row in try database.rows("SELECT id, name FROM tenants ORDER BY name") {
            guard let id = row[0].int64, let name = row[1].string else { continue }
            var tenant = TenantDirectory.Tenant(id: id, name: name)
            if let snapshot = try latestSnapshot(tenant: id, kind: .acceptedDomains) {
                tenant.hasDomainSnapshot = true
                tenant.domainEvidence = snapshot.evidence
                tenant.acceptedDomains = try database.rows(
                    "SELECT domain, domain_type, is_default, is_initial, match_subdomains FROM accepted_domains WHERE snapshot_id = ?",
                    [.integer(snapshot.id)]
                ).map {
                    AcceptedDomain(domainName: $0[0].string ?? "", domainType: $0[1].string, isDefault: $0[2].int64 == 1,
                                   isInitial: $0[3].int64 == 1, matchSubDomains: $0[4].int64 == 1)
                }
            }
            if let snapshot = try latestSnapshot(tenant: id, kind: .inboundConnectors) {
                tenant.hasConnectorSnapshot = true
                tenant.connectors = try database.rows("""
                    SELECT name, enabled, connector_type, sender_ip_addresses, sender_domains, tls_sender_certificate_name,
                        restrict_domains_to_certificate, restrict_domains_to_ip_addresses, require_tls, cloud_services_mail_enabled,
                        associated_accepted_domains, connector_source, comment, when_created_ms, when_changed_ms
                    FROM inbound_connectors WHERE snapshot_id = ? ORDER BY rowid
                    """, [.integer(snapshot.id)]).map { row in
                    var connector = InboundConnector(name: row[0].string ?? "", connectorType: row[2].string ?? "")
                    connector.enabled = row[1].int64 == 1
                    connector.senderIPAddresses = Self.list(row[3])
                    connector.senderDomains = Self.list(row[4])
                    connector.tlsSenderCertificateName = row[5].string
                    connector.restrictDomainsToCertificate = row[6].int64 == 1
                    connector.restrictDomainsToIPAddresses = row[7].int64 == 1
                    connector.requireTls = row[8].int64 == 1
                    connector.cloudServicesMailEnabled = row[9].int64 == 1
                    connector.associatedAcceptedDomains = Self.list(row[10])
                    connector.connectorSource = row[11].string
                    connector.comment = row[12].string
                    connector.whenCreatedMs = row[13].int64
                    connector.whenChangedMs = row[14].int64
                    return TenantDirectory.Connector(tenant: name, connector: connector,
                                                     ranges: connector.senderIPAddresses.compactMap(AddressRange.init), evidence: snapshot.evidence)
                }
            }
            tenants.append(tenant)
        }
        return TenantDirectory(tenants: tenants)
    }

    private struct SnapshotRef {
        var id: Int64
        var evidence: Evidence
    }

    private func latestSnapshot(tenant: Int64, kind: ConfigurationSnapshot.Kind) throws -> SnapshotRef? {
        guard let row = try database.rows("""
            SELECT s.id, f.path, s.line, s.byte_offset FROM config_snapshots s JOIN files f ON f.id = s.file_id
            WHERE s.tenant_id = ? AND s.kind = ? ORDER BY coalesce(s.taken_at_ms, 0) DESC, s.id DESC LIMIT 1
            """, [.integer(tenant), .text(kind.rawValue)]).first, let id = row[0].int64
        else { return nil }
        return SnapshotRef(id: id, evidence: Evidence(file: row[1].string ?? "", line: Int(row[2].int64 ?? 0), offset: row[3].int64 ?? 0,
                                                      what: "\(kind.rawValue) export"))
    }

    /// On-premises Send connectors by name: their smart hosts and certificate, for paths whose logs lack them.
    public func sendConnectors() throws -> [String: SendConnector] {
        var result: [String: SendConnector] = [:]
        for row in try database.rows("""
            SELECT name, smart_hosts, tls_certificate_name, enabled, address_spaces, fqdn FROM send_connectors sc
            JOIN config_snapshots s ON s.id = sc.snapshot_id ORDER BY coalesce(s.taken_at_ms, 0), s.id
            """) {
            var connector = SendConnector(name: row[0].string ?? "")
            connector.smartHosts = Self.list(row[1])
            connector.tlsCertificateName = row[2].string
            connector.enabled = row[3].int64 != 0
            connector.addressSpaces = Self.list(row[4])
            connector.fqdn = row[5].string
            result[connector.name.lowercased()] = connector
        }
        return result
    }

    // MARK: Attempts

    /// Delivery attempts to Exchange Online from the sending side's logs: SMTP Send sessions, then
    /// relay deliveries, then tracking-log sends for messages no session covers.
    public func attempts(window: Window = Window()) throws -> [DeliveryAttempt] {
        let sendConnectors = try sendConnectors()
        var attempts: [DeliveryAttempt] = []
        var covered = Set<String>()

        var certificateBySession: [Int64: CertificateRecord] = [:]
        for row in try database.rows("""
            SELECT sc.session_id, c.subject, c.issuer, c.serial_number, c.thumbprint, c.not_before, c.not_after, c.alternate_names
            FROM session_certificates sc JOIN certificates c ON c.id = sc.certificate_id WHERE sc.role = 'sending'
            """) {
            guard let session = row[0].int64 else { continue }
            certificateBySession[session] = CertificateRecord(subject: row[1].string, issuer: row[2].string, serialNumber: row[3].string,
                                                              thumbprint: row[4].string, notBefore: row[5].string, notAfter: row[6].string,
                                                              alternateNames: Self.list(row[7]))
        }
        // SMTP Send sessions whose peer is Exchange Online.
        try database.forEachRow("""
            SELECT s.id, o.name, s.connector, s.remote_ip, s.banner, f.path, t.line, t.byte_offset, t.time_ms, t.mail_from, t.xoorg,
                t.message_id, t.id, t.data_code, t.data_reply
            FROM smtp_transactions t JOIN smtp_sessions s ON s.id = t.session_id JOIN files f ON f.id = s.file_id
            LEFT JOIN origins o ON o.id = s.origin_id
            WHERE s.direction = 'send' AND \(window.sql("t.time_ms"))
            ORDER BY t.time_ms, t.id
            """) { row in
            guard let sessionId = row[0].int64, let transactionId = row[12].int64 else { return }
            let connectorName = row[2].string
            let configured = connectorName.flatMap { sendConnectors[$0.lowercased()] }
            let smartHost = configured?.smartHosts.first { $0.hasSuffix("mail.protection.outlook.com") }
            let banner = row[4].string ?? ""
            guard smartHost != nil || banner.contains("outlook.com") || banner.contains("outlook.office365.com") else { return }
            let recipients = try database.rows(
                "SELECT address, domain, reply_code, enhanced_code, reply, line, byte_offset FROM smtp_recipients WHERE transaction_id = ? ORDER BY ordinal",
                [.integer(transactionId)])
            let path = row[5].string ?? ""
            var evidence = [Evidence(file: path, line: Int(row[6].int64 ?? 0), offset: row[7].int64 ?? 0, what: "MAIL FROM:<\(row[9].string ?? "")>")]
            evidence += recipients.compactMap { recipient in
                guard let reply = recipient[4].string else { return nil }
                return Evidence(file: path, line: Int(recipient[5].int64 ?? 0), offset: recipient[6].int64 ?? 0, what: "RCPT TO:<\(recipient[0].string ?? "")> → \(reply)")
            }
            var certificate = certificateBySession[sessionId]
            if certificate == nil, let subject = configured?.tlsCertificate.subject {
                certificate = CertificateRecord(subject: subject, issuer: configured?.tlsCertificate.issuer)
            }
            let messageId = row[11].string
            if let messageId { covered.insert(messageId) }
            attempts.append(DeliveryAttempt(
                messageId: messageId, timeMs: row[8].int64 ?? 0, source: .protocolLog, origin: row[1].string, connector: connectorName,
                smartHost: smartHost, mailFrom: row[9].string ?? "", xoorg: row[10].string, certificate: certificate,
                recipients: recipients.map { recipient in
                    DeliveryAttempt.Recipient(address: recipient[0].string ?? "", domain: recipient[1].string,
                                              reply: recipient[2].int64.map { SMTPReply(code: Int($0), enhancedCode: recipient[3].string, text: recipient[4].string ?? "") })
                },
                evidence: evidence))
        }

        // Relay (Postfix) deliveries and Exchange tracking-log sends to Exchange Online.

        var grouped: [String: Int] = [:]
        try database.forEachRow("""
            SELECT e.source_kind, o.name, e.connector, e.server_hostname, e.server_ip, e.sender, e.from_address, e.message_id, e.time_ms,
                e.recipient, e.recipient_domain, e.smtp_code, e.enhanced_code, e.recipient_status, f.path, e.line, e.byte_offset, e.event, e.internal_message_id
            FROM message_events e JOIN files f ON f.id = e.file_id LEFT JOIN origins o ON o.id = e.origin_id
            WHERE e.source_kind IN ('relay-log', 'tracking-log') AND e.server_hostname LIKE '%.mail.protection.outlook.com'
                AND (e.source_kind = 'relay-log' OR e.event IN ('SEND', 'SENDEXTERNAL', 'FAIL'))
                AND \(window.sql("e.time_ms"))
            ORDER BY e.time_ms, e.id
            """) { row in
            let kind = row[0].string ?? ""
            let messageId = row[7].string
            if kind == "tracking-log", let messageId, covered.contains(messageId) { return }
            let key = [kind, row[1].string ?? "", messageId ?? row[18].string ?? "", String(row[8].int64 ?? 0)].joined(separator: "\u{1F}")
            let reply = row[11].int64.map { SMTPReply(code: Int($0), enhancedCode: row[12].string, text: Self.replyText(row[13].string ?? "")) }
            let recipient = DeliveryAttempt.Recipient(address: row[9].string ?? "", domain: row[10].string, reply: reply)
            let evidence = Evidence(file: row[14].string ?? "", line: Int(row[15].int64 ?? 0), offset: row[16].int64 ?? 0,
                                    what: "\(row[17].string ?? "") to=<\(row[9].string ?? "")> \(row[13].string ?? "")".trimmingCharacters(in: " "))
            if let index = grouped[key] {
                attempts[index].recipients.append(recipient)
                attempts[index].evidence.append(evidence)
                return
            }
            let connectorName = row[2].string
            var certificate: CertificateRecord?
            if kind == "tracking-log", let configured = connectorName.flatMap({ sendConnectors[$0.lowercased()] }), let subject = configured.tlsCertificate.subject {
                certificate = CertificateRecord(subject: subject, issuer: configured.tlsCertificate.issuer)
            }
            grouped[key] = attempts.count
            attempts.append(DeliveryAttempt(
                messageId: messageId, timeMs: row[8].int64 ?? 0, source: kind == "relay-log" ? .relayLog : .trackingLog,
                origin: row[1].string, connector: connectorName, smartHost: row[3].string?.lowercased(),
                mailFrom: EmailAddress.unbracketed(row[5].string ?? ""), fromAddress: row[6].string, certificate: certificate,
                recipients: [recipient], evidence: [evidence]))
        }
        return attempts.sorted { $0.timeMs < $1.timeMs }
    }

    /// Each tenant's records of messages, by Message-ID.
    public func observations() throws -> [String: [TenantObservation]] {
        var result: [String: [TenantObservation]] = [:]
        for row in try database.rows("""
            SELECT t.name, e.message_id, e.recipient, e.event, e.client_ip, e.connector, e.time_ms, f.path, e.line, e.byte_offset, e.source_kind
            FROM message_events e JOIN tenants t ON t.id = e.tenant_id JOIN files f ON f.id = e.file_id
            WHERE e.source_kind IN ('message-trace', 'trace-detail', 'historical-report') AND e.message_id IS NOT NULL
            ORDER BY e.time_ms, e.id
            """) {
            guard let tenant = row[0].string, let messageId = row[1].string else { continue }
            let observation = TenantObservation(
                tenant: tenant, messageId: messageId, recipient: row[2].string, status: row[3].string, clientIP: row[4].string,
                connector: row[5].string, timeMs: row[6].int64 ?? 0,
                evidence: Evidence(file: row[7].string ?? "", line: Int(row[8].int64 ?? 0), offset: row[9].int64 ?? 0,
                                   what: "\(row[10].string ?? "") in \(tenant): \(row[3].string ?? "")"))
            result[messageId, default: []].append(observation)
        }
        return result
    }

    static func list(_ value: SQLValue) -> [String] {
        value.string.map { $0.split(separator: ";").map(String.init).filter { !$0.isEmpty } } ?? []
    }

    /// The remote reply inside a relay's status text (`host … said: 550 5.7.64 … (in reply to RCPT TO command)`).
    static func replyText(_ status: String) -> String {
        guard let said = status.range(ofLiteral: "said: ") else { return status }
        var text = String(status[said.upperBound...])
        if let tail = text.range(ofLiteral: " (in reply to") { text = String(text[..<tail.lowerBound]) }
        return text
    }
}
