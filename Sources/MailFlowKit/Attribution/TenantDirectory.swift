/// What mailflow knows of each tenant's configuration: its accepted domains and Inbound
/// connectors from the newest snapshot of each, with where that came from.
public struct TenantDirectory: Sendable {
    public struct Connector: Sendable {
        public var tenant: String
        public var connector: InboundConnector
        public var ranges: [AddressRange]
        public var evidence: Evidence?

        /// Enabled and of type OnPremises: the only connectors that take part in attribution.
        public var attributes: Bool { connector.enabled && connector.isOnPremises }

        /// Matched by the sending IP: it lists addresses and names no certificate.
        public var isIPBased: Bool { !ranges.isEmpty && connector.tlsSenderCertificateName == nil }

        /// Matched by the certificate the sender presents.
        public var isCertificateBased: Bool { connector.tlsSenderCertificateName != nil }
    }

    public struct Tenant: Sendable {
        public var id: Int64
        public var name: String
        public var acceptedDomains: [AcceptedDomain] = []
        public var connectors: [Connector] = []
        public var hasDomainSnapshot = false
        public var hasConnectorSnapshot = false
        public var domainEvidence: Evidence?

        /// True when `domain` is one of the tenant's accepted domains (or a subdomain of one that matches subdomains).
        public func accepts(_ domain: String?) -> Bool {
            guard let domain = domain?.lowercased(), !domain.isEmpty else { return false }
            return acceptedDomains.contains { accepted in
                if accepted.domainName == domain { return true }
                if accepted.domainName.hasPrefix("*.") { return CertificateName.isWithin(domain, domain: accepted.domainName) }
                return accepted.matchSubDomains && domain.hasSuffix("." + accepted.domainName)
            }
        }

        /// True when a certificate name lies within one of the tenant's accepted domains.
        public func acceptsCertificateName(_ name: String) -> Bool {
            acceptedDomains.contains { CertificateName.isWithin(name, domain: $0.domainName) }
        }

        public var attributingConnectors: [Connector] { connectors.filter(\.attributes) }

        /// The Inbound connector of this name (names compare case-insensitively, as Exchange does).
        public func connector(named name: String) -> Connector? {
            connectors.first { $0.connector.name.caseInsensitiveEquals(name) }
        }

        /// The domain to suggest in fixes: the default accepted domain, else the first that is not `*.onmicrosoft.com`.
        public var primaryDomain: String? {
            acceptedDomains.first { $0.isDefault && !$0.domainName.hasSuffix(".onmicrosoft.com") }?.domainName
                ?? acceptedDomains.first { !$0.domainName.hasSuffix(".onmicrosoft.com") }?.domainName
        }
    }

    public var tenants: [Tenant]

    public init(tenants: [Tenant]) {
        self.tenants = tenants
    }

    /// Tenants whose accepted domains or Inbound connectors were never exported.
    public var tenantsMissingConfiguration: [Tenant] { tenants.filter { !$0.hasDomainSnapshot || !$0.hasConnectorSnapshot } }

    /// Every tenant's domains and connectors are known: the steps are judged on full facts.
    public var hasFullConfiguration: Bool { !tenants.isEmpty && tenantsMissingConfiguration.isEmpty }

    public func tenant(named name: String?) -> Tenant? {
        guard let name = name?.lowercased() else { return nil }
        return tenants.first { $0.name == name }
    }

    /// Tenants that accept `domain`.
    public func tenantsAccepting(_ domain: String?) -> [Tenant] {
        tenants.filter { $0.accepts(domain) }
    }

    /// The tenant an Exchange Online MX host belongs to: `fabrikam-com.mail.protection.outlook.com`
    /// is the host of the tenant that accepts `fabrikam.com`.
    public func tenant(forMailHost host: String?) -> Tenant? {
        guard let host = host?.lowercased(), host.hasSuffix(".mail.protection.outlook.com") else { return nil }
        let label = String(host.dropLast(".mail.protection.outlook.com".count))
        return tenants.first { tenant in
            tenant.acceptedDomains.contains { $0.domainName.replacingDots(with: "-") == label }
        }
    }
}

/// Where a fact came from: a file, a line, a byte offset, and what the line shows.
public struct Evidence: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var offset: Int64
    public var what: String

    public init(file: String, line: Int, offset: Int64, what: String) {
        self.file = file
        self.line = line
        self.offset = offset
        self.what = what
    }
}

extension String {
    func replacingDots(with replacement: Character) -> String {
        String(map { $0 == "." ? replacement : $0 })
    }
}
