@testable import MailFlowKit

/// Tenants and Inbound connectors built in code, with both configuration exports "present".
enum DirectoryBuilder {
    static func tenant(_ name: String, _ domains: [String], _ connectors: [InboundConnector]) -> TenantDirectory.Tenant {
        var tenant = TenantDirectory.Tenant(id: 0, name: name)
        tenant.acceptedDomains = domains.map { AcceptedDomain(domainName: $0, isDefault: $0 == domains[0]) }
        tenant.connectors = connectors.map { TenantDirectory.Connector(tenant: name, connector: $0, ranges: $0.senderIPAddresses.compactMap(AddressRange.init)) }
        tenant.hasDomainSnapshot = true
        tenant.hasConnectorSnapshot = true
        return tenant
    }

    /// An enabled OnPremises connector, by certificate name or by IP ranges.
    static func connector(_ name: String, certificate: String? = nil, ips: [String] = []) -> InboundConnector {
        var connector = InboundConnector(name: name, connectorType: "OnPremises")
        connector.tlsSenderCertificateName = certificate
        connector.senderIPAddresses = ips
        connector.enabled = true
        return connector
    }
}
