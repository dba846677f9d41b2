/// The fixes, as the PowerShell an administrator would run, with the reason in words.
///
/// Placeholders an administrator must fill are written `<LikeThis>`; everything known from the
/// logs and exports (connector names, certificate names, ranges) is filled in.
enum Remediation {
    /// A certificate whose domain the tenant accepts, on the connector and on the sender.
    static func uniqueCertificate(tenant: String, connector: String, currentName: String, suggestedDomain: String) -> Finding.Remediation {
        let host = "mail.\(suggestedDomain)"
        return .init(commands: [
            "# Exchange Online PowerShell, connected to \(tenant):",
            "Set-InboundConnector -Identity '\(connector)' -TlsSenderCertificateName '\(host)'",
            "# Exchange Server: a certificate for \(host) on the server, used only by this tenant's Send connector:",
            "New-ExchangeCertificate -SubjectName 'CN=\(host)' -DomainName \(host) -PrivateKeyExportable $true",
            "Set-SendConnector -Identity '<Send connector to \(tenant)>' -TlsCertificateName '<I><issuer of the new certificate><S>CN=\(host)'",
        ], why: "Exchange Online attributes mail to \(tenant) by the certificate's domain only if \(tenant) accepts it; \(currentName) does not qualify, so "
            + "mail falls back to MAIL FROM/RCPT TO or to another tenant. A certificate in one of \(tenant)'s accepted domains (\(suggestedDomain)) makes the first step decide.")
    }

    /// One certificate and one Send connector per tenant.
    static func certificatePerTenant(sharedName: String, tenants: [String], directory: TenantDirectory, connectors: [Finding.ConnectorRef]) -> Finding.Remediation {
        var commands: [String] = []
        for tenant in tenants {
            guard let profile = directory.tenant(named: tenant) else { continue }
            if profile.acceptsCertificateName(sharedName) { continue }
            let domain = profile.acceptedDomains.first { $0.isDefault }?.domainName ?? profile.acceptedDomains.first { !$0.domainName.hasSuffix("onmicrosoft.com") }?.domainName ?? tenant
            let host = "mail.\(domain)"
            let smartHost = domain.replacingDots(with: "-") + ".mail.protection.outlook.com"
            commands.append("# Exchange Server: a certificate and a Send connector of \(tenant)'s own")
            commands.append("New-ExchangeCertificate -SubjectName 'CN=\(host)' -DomainName \(host) -PrivateKeyExportable $true")
            commands.append("New-SendConnector -Name 'Outbound to \(tenant)' -AddressSpaces '<domains routed to \(tenant)>' -SmartHosts '\(smartHost)' -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain 'mail.protection.outlook.com' -CloudServicesMailEnabled $true -TlsCertificateName '<I><issuer><S>CN=\(host)'")
            for connector in connectors where connector.tenant == tenant {
                commands.append("# Exchange Online PowerShell, connected to \(tenant):")
                commands.append("Set-InboundConnector -Identity '\(connector.name)' -TlsSenderCertificateName '\(host)'")
            }
        }
        return .init(commands: commands, why: "One certificate (\(sharedName)) cannot tell \(tenants.joined(separator: " from ")): the certificate step picks the tenant that accepts "
            + "its domain for all of them. Give each tenant its own certificate in one of its accepted domains, presented only by a Send connector dedicated to it.")
    }

    /// Stop two tenants' connectors from trusting the same addresses.
    static func stopSharingIP(a: TenantDirectory.Connector, b: TenantDirectory.Connector) -> Finding.Remediation {
        let commands = [a, b].flatMap { connector -> [String] in
            ["# Exchange Online PowerShell, connected to \(connector.tenant):",
             "Set-InboundConnector -Identity '\(connector.connector.name)' -SenderIPAddresses $null -TlsSenderCertificateName '<certificate name in an accepted domain of \(connector.tenant)>' -RequireTls $true",
             "# or, for a third-party service that sends on the tenant's behalf:",
             "Set-InboundConnector -Identity '\(connector.connector.name)' -ConnectorType Partner -SenderDomains '<sender domains>' -RestrictDomainsToIPAddresses $true"]
        }
        return .init(commands: commands, why: "The ranges \(a.ranges.map(\.text).joined(separator: ",")) and \(b.ranges.map(\.text).joined(separator: ",")) overlap: "
            + "the same sending IP is trusted by \(a.tenant) and \(b.tenant), so Exchange Online cannot attribute by IP and falls back to MAIL FROM/RCPT TO, "
            + "which breaks without notice (a tenant move, a new customer of the same relay). Authenticate by a certificate unique to each tenant, or use a Partner connector.")
    }

    static func moveRelayToPartner(tenant: String, connector: String, senderDomains: [String]) -> Finding.Remediation {
        let domains = senderDomains.map { "'\($0)'" }.joined(separator: ",")
        return .init(commands: [
            "# Exchange Online PowerShell, connected to \(tenant):",
            "New-InboundConnector -Name '\(connector) (Partner)' -ConnectorType Partner -SenderDomains \(domains) -SenderIPAddresses '<relay IPs>' -RestrictDomainsToIPAddresses $true -RequireTls $true",
            "Set-InboundConnector -Identity '\(connector)' -Enabled $false",
            "# or have the relay send with a MAIL FROM in an accepted domain of \(tenant), or add the domain:",
            "New-AcceptedDomain -Name '<domain>' -DomainName '<domain>' -DomainType InternalRelay",
        ], why: "An OnPremises connector is for your own servers; it relays only mail whose certificate domain or MAIL FROM domain \(tenant) accepts. "
            + "A service sending with its own MAIL FROM (\(senderDomains.joined(separator: ", "))) is attributed by luck. A Partner connector scoped to its domains and IPs, "
            + "or a MAIL FROM in an accepted domain, makes delivery depend on documented rules.")
    }

    static func pinAttribution(tenant: String?, path: String, mailFromDomains: [String], directory: TenantDirectory, isRelay: Bool) -> Finding.Remediation {
        let target = tenant ?? "<tenant>"
        let domain = directory.tenant(named: tenant).flatMap { profile in
            profile.acceptedDomains.first { $0.isDefault }?.domainName ?? profile.acceptedDomains.first { !$0.domainName.hasSuffix(".onmicrosoft.com") }?.domainName
        } ?? "<accepted-domain>"
        let smartHost = domain.hasPrefix("<") ? "<tenant>.mail.protection.outlook.com" : domain.replacingDots(with: "-") + ".mail.protection.outlook.com"
        if isRelay {
            return .init(commands: [
                "# On the relay (Postfix): present a client certificate whose domain \(target) accepts, e.g. relay.\(domain)",
                "postconf -e 'smtp_tls_cert_file = /etc/postfix/relay.\(domain).pem' 'smtp_tls_key_file = /etc/postfix/relay.\(domain).key' 'smtp_tls_security_level = encrypt'",
                "# Exchange Online PowerShell, connected to \(target): authenticate the relay by that certificate, not by IP",
                "Set-InboundConnector -Identity '<OnPremises connector of the relay>' -TlsSenderCertificateName 'relay.\(domain)' -SenderIPAddresses $null -RequireTls $true",
                "# or, if the relay is a third party's service sending with its own MAIL FROM, make it a Partner connector scoped to its domains:",
                "New-InboundConnector -Name '<relay> (Partner)' -ConnectorType Partner -SenderDomains \(mailFromDomains.map { "'\($0)'" }.joined(separator: ",")) -SenderIPAddresses '<relay IPs>' -RestrictDomainsToIPAddresses $true",
            ], why: "Mail on \(path) carries no certificate and a MAIL FROM (\(mailFromDomains.joined(separator: ", "))) that \(target) does not accept, so no documented step "
                + "attributes it; it worked only while Exchange Online associated the sending IP with \(target) alone. A certificate in one of \(target)'s accepted domains decides first and does not depend on who else lists the IP.")
        }
        return .init(commands: [
            "# Exchange Server / relay: present a certificate whose domain \(target) accepts, on a Send connector used only for \(target):",
            "New-ExchangeCertificate -SubjectName 'CN=mail.\(domain)' -DomainName mail.\(domain) -PrivateKeyExportable $true",
            "New-SendConnector -Name 'Outbound to \(target)' -AddressSpaces '<domains routed to \(target)>' -SmartHosts '\(smartHost)' -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain 'mail.protection.outlook.com' -CloudServicesMailEnabled $true -TlsCertificateName '<I><issuer><S>CN=mail.\(domain)'",
            "# Exchange Online PowerShell, connected to \(target):",
            "Set-InboundConnector -Identity '<OnPremises connector of \(target)>' -TlsSenderCertificateName 'mail.\(domain)'",
        ], why: "Mail on \(path) reaches \(target) only because the MAIL FROM domain (\(mailFromDomains.joined(separator: ", "))) or the recipients decide. "
            + "A null sender (NDRs), a sender in another domain, or a tenant move breaks it without notice; a certificate in an accepted domain decides first.")
    }
}

extension Remediation {
    /// Make the connector and the certificate agree again: name the certificate now presented
    /// (when its domain is accepted), or present one that carries the connector's name.
    static func matchRenewedCertificate(tenant: TenantDirectory.Tenant, connector: String, pattern: String, presented: CertificateRecord) -> Finding.Remediation {
        let acceptable = presented.names.first { !$0.hasPrefix("*.") && tenant.acceptsCertificateName($0) } ?? presented.names.first { tenant.acceptsCertificateName($0) }
        var commands: [String] = []
        if let acceptable {
            commands += ["# Exchange Online PowerShell, connected to \(tenant.name): trust the name the new certificate carries",
                         "Set-InboundConnector -Identity '\(connector)' -TlsSenderCertificateName '\(acceptable)'"]
        }
        commands += ["# or, on the Exchange Server: a certificate that carries \(pattern), bound to the Send connector to \(tenant.name)",
                     "New-ExchangeCertificate -SubjectName 'CN=\(CertificateName.domain(of: pattern).hasPrefix("*") ? "mail." + CertificateName.domain(of: pattern) : pattern)' -DomainName '\(pattern)' -PrivateKeyExportable $true",
                     "Set-SendConnector -Identity '<Send connector to \(tenant.name)>' -TlsCertificateName '<I><issuer of the certificate><S><subject of the certificate>'"]
        return .init(commands: commands, why: "Exchange Online attributes the path to \(tenant.name) only while the certificate presented matches '\(connector)''s TlsSenderCertificateName (\(pattern)). "
            + "The certificate now presented (\(presented.names.joined(separator: ", "))) does not, so mail falls back to MAIL FROM/RCPT TO or is refused with 5.7.64.")
    }
}
