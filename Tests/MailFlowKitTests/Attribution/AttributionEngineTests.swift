import Testing

@testable import MailFlowKit

/// A small directory built in code: tenants with accepted domains and Inbound connectors.
private func tenant(_ name: String, domains: [String], connectors: [InboundConnector] = [], hasConfiguration: Bool = true) -> TenantDirectory.Tenant {
    var tenant = TenantDirectory.Tenant(id: 0, name: name)
    tenant.acceptedDomains = domains.map { AcceptedDomain(domainName: $0) }
    tenant.connectors = connectors.map { TenantDirectory.Connector(tenant: name, connector: $0, ranges: $0.senderIPAddresses.compactMap(AddressRange.init)) }
    tenant.hasDomainSnapshot = hasConfiguration
    tenant.hasConnectorSnapshot = hasConfiguration
    return tenant
}

private func connector(_ name: String, type: String = "OnPremises", certificate: String? = nil, ips: [String] = [], enabled: Bool = true) -> InboundConnector {
    var connector = InboundConnector(name: name, connectorType: type)
    connector.tlsSenderCertificateName = certificate
    connector.senderIPAddresses = ips
    connector.enabled = enabled
    return connector
}

private func attempt(from mailFrom: String, to recipients: [String], certificate: CertificateRecord? = nil, ip: String? = nil,
                     smartHost: String? = nil, reply: String = "250 2.1.5 Recipient OK") -> DeliveryAttempt {
    DeliveryAttempt(messageId: "<m@x>", timeMs: 0, source: .protocolLog, origin: "EX01", connector: "Outbound", smartHost: smartHost,
                    mailFrom: mailFrom, certificate: certificate, sendingIP: ip,
                    recipients: recipients.map { .init(address: $0, domain: EmailAddress.domain(of: $0), reply: SMTPStatus.reply(reply)) })
}

@Suite("Certificate names and address ranges")
struct NameAndRangeTests {
    @Test("a wildcard certificate name matches exactly one label")
    func wildcardOneLabel() {
        #expect(CertificateName.matches("*.contoso.com", "mail.contoso.com"))
        #expect(CertificateName.matches("mail.contoso.com", "*.contoso.com"))
        #expect(!CertificateName.matches("*.contoso.com", "contoso.com"))
        #expect(!CertificateName.matches("*.contoso.com", "a.b.contoso.com"))
        #expect(CertificateName.matches("MAIL.Contoso.com", "mail.contoso.com"))
    }

    @Test("a certificate name lies within an accepted domain or its subdomains")
    func withinDomain() {
        #expect(CertificateName.isWithin("mail.contoso.com", domain: "contoso.com"))
        #expect(CertificateName.isWithin("*.contoso.com", domain: "contoso.com"))
        #expect(!CertificateName.isWithin("mail.contoso.com.evil.example", domain: "contoso.com"))
        #expect(!CertificateName.isWithin("notcontoso.com", domain: "contoso.com"))
    }

    @Test("IPv4 ranges overlap by arithmetic, not by their text")
    func cidrOverlap() throws {
        let wide = try #require(AddressRange("198.51.100.0/26"))
        let narrow = try #require(AddressRange("198.51.100.16/28"))
        let elsewhere = try #require(AddressRange("198.51.100.64/26"))
        let single = try #require(AddressRange("198.51.100.25"))
        let dashed = try #require(AddressRange("198.51.100.60-198.51.100.70"))
        #expect(wide.overlaps(narrow))
        #expect(narrow.overlaps(single))
        #expect(!wide.overlaps(elsewhere))
        #expect(dashed.overlaps(wide) && dashed.overlaps(elsewhere))
        #expect(narrow.contains("198.51.100.31") && !narrow.contains("198.51.100.32"))
        #expect(AddressRange("2001:db8::/32") == nil)
        #expect(AddressRange("198.51.100.0/33") == nil)
    }
}

@Suite("Attribution engine")
struct AttributionEngineTests {
    let contoso = tenant("contoso", domains: ["contoso.com"], connectors: [connector("Contoso cert", certificate: "mail.contoso.com")])
    let fabrikam = tenant("fabrikam", domains: ["fabrikam.com"], connectors: [connector("Fabrikam IP", ips: ["203.0.113.40/32"])])

    @Test("the certificate decides when its subject is an accepted domain of the one tenant whose connector names it")
    func certificateBySubject() {
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [contoso, fabrikam]))
        let verdict = engine.verdict(for: [attempt(from: "a@fabrikam.com", to: ["x@external.example"],
                                                  certificate: CertificateRecord(subject: "CN=mail.contoso.com, O=Contoso"))])
        #expect(verdict.decidedBy == .certificate)
        #expect(verdict.predictedTenant == "contoso")
        #expect(verdict.steps.count == 1)
    }

    @Test("a SAN decides as well as the subject, and a wildcard connector name matches one label")
    func certificateBySANAndWildcard() {
        let wildcard = tenant("contoso", domains: ["contoso.com"], connectors: [connector("Contoso wildcard", certificate: "*.contoso.com")])
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [wildcard, fabrikam]))
        let certificate = CertificateRecord(subject: "CN=EX01", alternateNames: ["EX01.contoso.local", "smtp.contoso.com"])
        let verdict = engine.verdict(for: [attempt(from: "", to: ["x@external.example"], certificate: certificate)])
        #expect(verdict.decidedBy == .certificate)
        #expect(verdict.predictedTenant == "contoso")
    }

    @Test("a certificate whose domain no tenant accepts decides nothing, and MAIL FROM decides next")
    func certificateNotAcceptedFallsBack() {
        let hosted = tenant("fabrikam", domains: ["fabrikam.com"], connectors: [connector("Fabrikam cert", certificate: "mail.hoster.example")])
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [hosted]))
        let verdict = engine.verdict(for: [attempt(from: "a@fabrikam.com", to: ["x@external.example"],
                                                  certificate: CertificateRecord(subject: "CN=mail.hoster.example"))])
        #expect(verdict.steps[0].candidates.isEmpty)
        #expect(verdict.steps[0].note.contains("no tenant accepts its domain"))
        #expect(verdict.decidedBy == .mailFrom)
        #expect(verdict.outcome == .atRisk)
    }

    @Test("the null sender skips the MAIL FROM step and RCPT TO decides when every recipient is one tenant's")
    func nullSender() {
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [contoso, fabrikam]))
        let verdict = engine.verdict(for: [attempt(from: "", to: ["a@fabrikam.com", "b@fabrikam.com"])])
        #expect(verdict.steps[1].note == "null sender <>: no MAIL FROM domain")
        #expect(verdict.decidedBy == .rcptTo)
        #expect(verdict.predictedTenant == "fabrikam")
    }

    @Test("a domain accepted by two tenants decides nothing")
    func domainInTwoTenants() {
        let a = tenant("a", domains: ["shared.example"]), b = tenant("b", domains: ["shared.example"])
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [a, b]))
        let verdict = engine.verdict(for: [attempt(from: "x@shared.example", to: ["y@external.example"])])
        #expect(verdict.steps[1].candidates == ["a", "b"])
        #expect(verdict.decidedBy == .none)
        #expect(verdict.predictedTenant == nil)
    }

    @Test("a disabled connector and a Partner connector never take part in OnPremises attribution")
    func disabledAndPartnerConnectors() {
        let disabled = tenant("contoso", domains: ["contoso.com"], connectors: [connector("Old", certificate: "mail.contoso.com", enabled: false)])
        let partner = tenant("litware", domains: ["litware.com"], connectors: [connector("Partner", type: "Partner", certificate: "mail.litware.com")])
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [disabled, partner]))
        let fromContoso = engine.verdict(for: [attempt(from: "", to: ["x@external.example"], certificate: CertificateRecord(subject: "CN=mail.contoso.com"))])
        #expect(fromContoso.steps[0].note.contains("matches no OnPremises connector"))
        let fromLitware = engine.verdict(for: [attempt(from: "", to: ["x@external.example"], certificate: CertificateRecord(subject: "CN=mail.litware.com"))])
        #expect(fromLitware.decidedBy == .none)
        #expect(fromLitware.matchedConnectors.isEmpty)
    }

    @Test("connectors matching the sending IP are recorded, with the range that matched")
    func ipMatch() {
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [contoso, fabrikam]))
        let verdict = engine.verdict(for: [attempt(from: "alerts@fabrikam.com", to: ["x@external.example"], ip: "203.0.113.40")])
        #expect(verdict.matchedConnectors.map(\.name) == ["Fabrikam IP"])
        #expect(verdict.matchedConnectors.first?.detail == "IP 203.0.113.40 in 203.0.113.40/32")
        #expect(verdict.matchedConnectors.first?.basis == .ip)
    }

    @Test("mail whose owner (by smart host) differs from the tenant the certificate picks is misattributed")
    func misattribution() {
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [contoso, fabrikam]))
        let verdict = engine.verdict(for: [attempt(from: "a@fabrikam.com", to: ["x@external.example"], certificate: CertificateRecord(subject: "CN=mail.contoso.com"),
                                                  smartHost: "fabrikam-com.mail.protection.outlook.com")])
        #expect(verdict.ownerTenant == "fabrikam")
        #expect(verdict.ownerReason == "sent through the Send connector 'Outbound' to the smart host fabrikam-com.mail.protection.outlook.com")
        #expect(verdict.outcome == .misattributed)
    }

    @Test("5.7.64 is an attribution rejection; 5.1.10 is an unrelated failure")
    func failureFamilies() {
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [contoso, fabrikam]))
        let rejected = engine.verdict(for: [attempt(from: "a@crm.example", to: ["x@external.example"],
                                                   reply: "550 5.7.64 TenantAttribution; Relay Access Denied [X.eop-EUR01.prod.protection.outlook.com]")])
        #expect(rejected.outcome == .rejected)
        let unknown = engine.verdict(for: [attempt(from: "a@contoso.com", to: ["ghost@contoso.com"], certificate: CertificateRecord(subject: "CN=mail.contoso.com"),
                                                  reply: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found")])
        #expect(unknown.outcome == .unrelatedFailure)
        #expect(AttributionFailure.isAttributionFailure(SMTPStatus.reply("451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35. For more information")!))
        #expect(AttributionFailure.isAttributionFailure(SMTPStatus.reply("550 4.4.4 Mail received as unauthenticated, ... ATTR5")!))
        #expect(!AttributionFailure.isAttributionFailure(SMTPStatus.reply("550 5.7.1 Service unavailable, spam ATTRIBUTE")!))
    }

    @Test("without a tenant's configuration the verdict still stands, with lower confidence stated")
    func missingConfiguration() {
        let unknown = tenant("fabrikam", domains: [], hasConfiguration: false)
        let engine = AttributionEngine(directory: TenantDirectory(tenants: [contoso, unknown]))
        let verdict = engine.verdict(for: [attempt(from: "a@contoso.com", to: ["x@external.example"], certificate: CertificateRecord(subject: "CN=mail.contoso.com"))])
        #expect(verdict.decidedBy == .certificate)
        #expect(!verdict.hasFullConfiguration)
        #expect(verdict.reason.hasSuffix("(configuration of some tenant is missing: lower confidence)"))
    }
}
