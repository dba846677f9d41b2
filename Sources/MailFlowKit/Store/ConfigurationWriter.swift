extension StoreWriter {
    /// Writes one configuration snapshot with its rows.
    ///
    /// The snapshot key hashes the content with the tenant or server it belongs to: the same export
    /// read twice is stored once, a changed export of the same tenant adds a dated snapshot.
    func write(_ snapshot: ConfigurationSnapshot, fileId: Int64, plan: FilePlan) throws {
        var hasher = ContentHasher()
        hasher.combine(String(describing: snapshot))
        hasher.combine(UInt64(bitPattern: plan.tenantId ?? -1))
        hasher.combine(UInt64(bitPattern: plan.originId ?? -1))
        let key = Int64(bitPattern: hasher.finalize())
        try cached("""
            INSERT OR IGNORE INTO config_snapshots (snapshot_key, file_id, line, byte_offset, tenant_id, origin_id, tenant_name, kind, side, taken_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bindAndRun([.integer(key), .integer(fileId), .integer(Int64(snapshot.line)), .integer(snapshot.offset),
                             SQLValue(plan.tenantId), SQLValue(plan.originId), SQLValue(snapshot.tenantName),
                             .text(snapshot.kind.rawValue), .text(snapshot.side.rawValue), SQLValue(snapshot.takenAtMs)])
        guard database.changes > 0 else { return }
        let id = SQLValue.integer(database.lastInsertRowID)
        func list(_ values: [String]) -> SQLValue { values.isEmpty ? .null : .text(values.joined(separator: ";")) }
        for domain in snapshot.acceptedDomains {
            try cached("INSERT INTO accepted_domains VALUES (?, ?, ?, ?, ?, ?)").bindAndRun([
                id, .text(domain.domainName), SQLValue(domain.domainType), SQLValue(domain.isDefault), SQLValue(domain.isInitial),
                SQLValue(domain.matchSubDomains),
            ])
        }
        for connector in snapshot.inboundConnectors {
            try cached("INSERT INTO inbound_connectors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").bindAndRun([
                id, .text(connector.name), SQLValue(connector.enabled), .text(connector.connectorType), list(connector.senderIPAddresses),
                list(connector.senderDomains), SQLValue(connector.tlsSenderCertificateName), SQLValue(connector.restrictDomainsToCertificate),
                SQLValue(connector.restrictDomainsToIPAddresses), SQLValue(connector.requireTls), SQLValue(connector.cloudServicesMailEnabled),
                list(connector.associatedAcceptedDomains), SQLValue(connector.connectorSource), SQLValue(connector.comment),
                SQLValue(connector.whenCreatedMs), SQLValue(connector.whenChangedMs),
            ])
        }
        for connector in snapshot.outboundConnectors {
            try cached("INSERT INTO outbound_connectors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").bindAndRun([
                id, .text(connector.name), SQLValue(connector.enabled), SQLValue(connector.connectorType), list(connector.smartHosts),
                list(connector.recipientDomains), SQLValue(connector.tlsDomain), SQLValue(connector.tlsSettings),
                SQLValue(connector.useMXRecord), SQLValue(connector.routeAllMessagesViaOnPremises), SQLValue(connector.whenChangedMs),
            ])
        }
        for connector in snapshot.sendConnectors {
            let certificate = connector.tlsCertificate
            try cached("INSERT INTO send_connectors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").bindAndRun([
                id, .text(connector.name), SQLValue(connector.enabled), list(connector.addressSpaces), list(connector.smartHosts),
                SQLValue(connector.tlsCertificateName), SQLValue(certificate.issuer), SQLValue(certificate.subject),
                SQLValue(connector.tlsCertificateCommonName), SQLValue(connector.fqdn), SQLValue(connector.cloudServicesMailEnabled),
                SQLValue(connector.requireTLS), SQLValue(connector.tlsAuthLevel), SQLValue(connector.tlsDomain),
                list(connector.sourceTransportServers), SQLValue(connector.whenChangedMs),
            ])
        }
        for connector in snapshot.receiveConnectors {
            try cached("INSERT INTO receive_connectors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").bindAndRun([
                id, .text(connector.name), SQLValue(connector.enabled), list(connector.bindings), list(connector.remoteIPRanges),
                SQLValue(connector.authMechanism), SQLValue(connector.permissionGroups), SQLValue(connector.tlsCertificateName),
                SQLValue(connector.fqdn), SQLValue(connector.transportRole),
            ])
        }
        for certificate in snapshot.certificates {
            try cached("INSERT INTO exchange_certificates VALUES (?, ?, ?, ?, ?, ?, ?, ?)").bindAndRun([
                id, .text(certificate.thumbprint.uppercased()), SQLValue(certificate.subject), SQLValue(certificate.issuer),
                list(certificate.domains), SQLValue(certificate.notBefore), SQLValue(certificate.notAfter), SQLValue(certificate.services),
            ])
        }
    }
}
