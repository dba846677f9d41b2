/// The fixes, as the PowerShell an administrator would run, with the reason in words.
///
/// Placeholders an administrator must fill are written `<LikeThis>`; everything known from the
/// logs and exports (connector names, certificate names, ranges) is filled in, always through
/// ``PowerShellLiteral``: those values were written by whoever sent the mail, and the commands are pasted.
enum Remediation {
    private typealias PS = PowerShellLiteral

    /// A domain from the logs for splicing into host names, or a placeholder and the comment saying why.
    private static func domainOrPlaceholder(_ value: String, placeholder: String = "<accepted-domain>") -> (domain: String, refusal: [String]) {
        if value.hasPrefix("<") { return (value, []) }
        if let domain = PS.domain(value) { return (domain, []) }
        return (placeholder, [PS.refusal(value, placeholder: placeholder)])
    }

    /// A certificate whose domain the tenant accepts, on the connector and on the sender.
    static func uniqueCertificate(tenant: String, connector: String, currentName: String, suggestedDomain: String) -> Finding.Remediation {
        let (domain, refusal) = domainOrPlaceholder(suggestedDomain)
        let host = "mail.\(domain)"
        return .init(commands: refusal + [
            PS.comment("Exchange Online PowerShell, connected to \(tenant):"),
            "Set-InboundConnector -Identity \(PS.quoted(connector)) -TlsSenderCertificateName \(PS.quoted(host))",
            PS.comment("Exchange Server: a certificate for \(host) on the server, used only by this tenant's Send connector:"),
            "New-ExchangeCertificate -SubjectName \(PS.quoted("CN=\(host)")) -DomainName \(PS.quoted(host)) -PrivateKeyExportable $true",
            "Set-SendConnector -Identity \(PS.quoted("<Send connector to \(tenant)>")) -TlsCertificateName \(PS.quoted("<I><issuer of the new certificate><S>CN=\(host)"))",
        ], why: "Exchange Online attributes mail to \(tenant) by the certificate's domain only if \(tenant) accepts it; \(currentName) does not qualify, so "
            + "mail falls back to MAIL FROM/RCPT TO or to another tenant. A certificate in one of \(tenant)'s accepted domains (\(suggestedDomain)) makes the first step decide.")
    }

    /// One certificate and one Send connector per tenant.
    static func certificatePerTenant(sharedName: String, tenants: [String], directory: TenantDirectory, connectors: [Finding.ConnectorRef]) -> Finding.Remediation {
        var commands: [String] = []
        for tenant in tenants {
            guard let profile = directory.tenant(named: tenant) else { continue }
            if profile.acceptsCertificateName(sharedName) { continue }
            // The same domain `whatif` simulates this fix with (``RemediationPlan``).
            let known = profile.primaryDomain ?? tenant
            let (domain, refusal) = domainOrPlaceholder(known)
            let host = "mail.\(domain)"
            let smartHost = refusal.isEmpty ? domain.replacingDots(with: "-") + ".mail.protection.outlook.com" : "<tenant>.mail.protection.outlook.com"
            commands += refusal
            commands.append(PS.comment("Exchange Server: a certificate and a Send connector of \(tenant)'s own"))
            commands.append("New-ExchangeCertificate -SubjectName \(PS.quoted("CN=\(host)")) -DomainName \(PS.quoted(host)) -PrivateKeyExportable $true")
            commands.append("New-SendConnector -Name \(PS.quoted("Outbound to \(tenant)")) -AddressSpaces \(PS.quoted("<domains routed to \(tenant)>")) -SmartHosts \(PS.quoted(smartHost)) -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain 'mail.protection.outlook.com' -CloudServicesMailEnabled $true -TlsCertificateName \(PS.quoted("<I><issuer><S>CN=\(host)"))")
            for connector in connectors where connector.tenant == tenant {
                commands.append(PS.comment("Exchange Online PowerShell, connected to \(tenant):"))
                commands.append("Set-InboundConnector -Identity \(PS.quoted(connector.name)) -TlsSenderCertificateName \(PS.quoted(host))")
            }
        }
        return .init(commands: commands, why: "One certificate (\(sharedName)) cannot tell \(tenants.joined(separator: " from ")): the certificate step picks the tenant that accepts "
            + "its domain for all of them. Give each tenant its own certificate in one of its accepted domains, presented only by a Send connector dedicated to it.")
    }

    /// Stop two tenants' connectors from trusting the same addresses.
    static func stopSharingIP(a: TenantDirectory.Connector, b: TenantDirectory.Connector, directory: TenantDirectory) -> Finding.Remediation {
        let commands = [a, b].flatMap { connector -> [String] in
            let (host, refusal) = relayCertificate(for: connector.tenant, directory: directory)
            return refusal + [
                PS.comment("The relay or platform presents a client certificate for \(host) on \(connector.tenant)'s mail; then, in Exchange Online PowerShell connected to \(connector.tenant):"),
                "Set-InboundConnector -Identity \(PS.quoted(connector.connector.name)) -TlsSenderCertificateName \(PS.quoted(host)) -SenderIPAddresses $null -RequireTls $true",
            ]
        }
        return .init(commands: commands, why: "The ranges \(a.ranges.map(\.text).joined(separator: ",")) and \(b.ranges.map(\.text).joined(separator: ",")) overlap: "
            + "the same sending IP is trusted by \(a.tenant) and \(b.tenant), so Exchange Online cannot attribute by IP and falls back to MAIL FROM/RCPT TO, "
            + "which breaks without notice (a tenant move, a new customer of the same relay). A certificate unique to each tenant, in one of its accepted domains, decides first.")
    }

    /// `relay.<default accepted domain>` of a tenant, or a placeholder with the reason.
    private static func relayCertificate(for tenant: String, directory: TenantDirectory) -> (String, [String]) {
        let (domain, refusal) = domainOrPlaceholder(directory.tenant(named: tenant)?.primaryDomain ?? "<accepted-domain>")
        return ("relay." + domain, refusal)
    }

    /// `'a.com','b.com'` for the domain-shaped values; the others are named in a comment and left out.
    private static func senderDomainList(_ domains: [String]) -> (list: String, refusals: [String]) {
        let accepted = domains.compactMap(PS.domain)
        let refusals = domains.filter { PS.domain($0) == nil }.map {
            PS.comment("\(PS.quoted($0)) from the logs is not a domain name, so it is left out of -SenderDomains")
        }
        return (accepted.isEmpty ? "'<sender domains>'" : accepted.map(PS.quoted).joined(separator: ","), refusals)
    }

    static func moveRelayToPartner(tenant: String, connector: String, senderDomains: [String], directory: TenantDirectory) -> Finding.Remediation {
        let (domains, refusals) = senderDomainList(senderDomains)
        let (host, refusal) = relayCertificate(for: tenant, directory: directory)
        return .init(commands: refusal + refusals + [
            PS.comment("Have the relay or platform present a client certificate for \(host) on \(tenant)'s mail; then, in Exchange Online PowerShell connected to \(tenant):"),
            "Set-InboundConnector -Identity \(PS.quoted(connector)) -TlsSenderCertificateName \(PS.quoted(host)) -SenderIPAddresses $null -RequireTls $true",
            PS.comment("or have it send with a MAIL FROM in an accepted domain of \(tenant); for mail only to \(tenant)'s own mailboxes a Partner connector also works:"),
            "New-InboundConnector -Name \(PS.quoted("\(connector) (Partner)")) -ConnectorType Partner -SenderDomains \(domains) -SenderIPAddresses '<relay IPs>' -RestrictDomainsToIPAddresses $true -RequireTls $true",
        ], why: "An OnPremises connector is for your own servers; it relays only mail whose certificate domain or MAIL FROM domain \(tenant) accepts. "
            + "A service sending with its own MAIL FROM (\(senderDomains.joined(separator: ", "))) is attributed by luck, by its IP. A certificate in one of \(tenant)'s accepted "
            + "domains makes the first step decide; a Partner connector cannot relay to the internet.")
    }

    static func pinAttribution(tenant: String?, path: String, mailFromDomains: [String], directory: TenantDirectory, isRelay: Bool) -> Finding.Remediation {
        let target = tenant ?? "<tenant>"
        let known = directory.tenant(named: tenant)?.primaryDomain ?? "<accepted-domain>"
        let (domain, refusal) = domainOrPlaceholder(known)
        let smartHost = domain.hasPrefix("<") ? "<tenant>.mail.protection.outlook.com" : domain.replacingDots(with: "-") + ".mail.protection.outlook.com"
        if isRelay {
            let (domains, refusals) = senderDomainList(mailFromDomains)
            return .init(commands: refusal + refusals + [
                PS.comment("On the relay or platform that sends this mail: present a client certificate whose domain \(target) accepts, e.g. relay.\(domain); on a Postfix relay:"),
                // `domain` is domain-shaped or a fixed placeholder here, so it is safe inside the shell's single quotes.
                "postconf -e 'smtp_tls_cert_file = /etc/postfix/relay.\(domain).pem' 'smtp_tls_key_file = /etc/postfix/relay.\(domain).key' 'smtp_tls_security_level = encrypt'",
                PS.comment("Exchange Online PowerShell, connected to \(target): authenticate the relay by that certificate, not by IP"),
                "Set-InboundConnector -Identity '<OnPremises connector of the relay>' -TlsSenderCertificateName \(PS.quoted("relay.\(domain)")) -SenderIPAddresses $null -RequireTls $true",
                "# or, if the relay is a third party's service sending with its own MAIL FROM, make it a Partner connector scoped to its domains:",
                "New-InboundConnector -Name '<relay> (Partner)' -ConnectorType Partner -SenderDomains \(domains) -SenderIPAddresses '<relay IPs>' -RestrictDomainsToIPAddresses $true",
            ], why: "Mail on \(path) carries no certificate and a MAIL FROM (\(mailFromDomains.joined(separator: ", "))) that \(target) does not accept, so no documented step "
                + "attributes it; it worked only while Exchange Online associated the sending IP with \(target) alone. A certificate in one of \(target)'s accepted domains decides first and does not depend on who else lists the IP.")
        }
        return .init(commands: refusal + [
            PS.comment("Exchange Server / relay: present a certificate whose domain \(target) accepts, on a Send connector used only for \(target):"),
            "New-ExchangeCertificate -SubjectName \(PS.quoted("CN=mail.\(domain)")) -DomainName \(PS.quoted("mail.\(domain)")) -PrivateKeyExportable $true",
            "New-SendConnector -Name \(PS.quoted("Outbound to \(target)")) -AddressSpaces \(PS.quoted("<domains routed to \(target)>")) -SmartHosts \(PS.quoted(smartHost)) -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain 'mail.protection.outlook.com' -CloudServicesMailEnabled $true -TlsCertificateName \(PS.quoted("<I><issuer><S>CN=mail.\(domain)"))",
            PS.comment("Exchange Online PowerShell, connected to \(target):"),
            "Set-InboundConnector -Identity \(PS.quoted("<OnPremises connector of \(target)>")) -TlsSenderCertificateName \(PS.quoted("mail.\(domain)"))",
        ], why: "Mail on \(path) reaches \(target) only because the MAIL FROM domain (\(mailFromDomains.joined(separator: ", "))) or the recipients decide. "
            + "A null sender (NDRs), a sender in another domain, or a tenant move breaks it without notice; a certificate in an accepted domain decides first.")
    }
}

extension Remediation {
    /// Make the connector and the certificate agree again: name the certificate now presented
    /// (when its domain is accepted), or present one that carries the connector's name.
    static func matchRenewedCertificate(tenant: TenantDirectory.Tenant, connector: String, pattern: String, presented: CertificateRecord) -> Finding.Remediation {
        let acceptable = presented.names.first { !$0.hasPrefix("*.") && tenant.acceptsCertificateName($0) } ?? presented.names.first { tenant.acceptsCertificateName($0) }
        let subject = pattern.hasPrefix("*.") ? "mail." + CertificateName.domain(of: pattern) : pattern
        var commands: [String] = []
        if let acceptable {
            commands += [PS.comment("Exchange Online PowerShell, connected to \(tenant.name): trust the name the new certificate carries"),
                         "Set-InboundConnector -Identity \(PS.quoted(connector)) -TlsSenderCertificateName \(PS.quoted(acceptable))"]
        }
        commands += [PS.comment("or, on the Exchange Server: a certificate that carries \(pattern), bound to the Send connector to \(tenant.name)"),
                     "New-ExchangeCertificate -SubjectName \(PS.quoted("CN=" + subject)) -DomainName \(PS.quoted(pattern)) -PrivateKeyExportable $true",
                     "Set-SendConnector -Identity \(PS.quoted("<Send connector to \(tenant.name)>")) -TlsCertificateName \(PS.quoted("<I><issuer of the certificate><S>CN=" + subject))"]
        return .init(commands: commands, why: "Exchange Online attributes the path to \(tenant.name) only while the certificate presented matches the TlsSenderCertificateName of '\(connector)' (\(pattern)). "
            + "The certificate now presented (\(presented.names.joined(separator: ", "))) does not, so mail falls back to MAIL FROM/RCPT TO or is refused with 5.7.64.")
    }
}
