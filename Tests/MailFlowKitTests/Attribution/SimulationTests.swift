import Testing

@testable import MailFlowKit

/// What-if replays on a small directory: Contoso (certificate mail.contoso.com) and Litware, and a
/// platform at 192.0.2.77 that both trust by IP.
@Suite("What-if simulation")
struct SimulationTests {
    static let directory = TenantDirectory(tenants: [
        DirectoryBuilder.tenant("contoso.onmicrosoft.com", ["contoso.com"], [DirectoryBuilder.connector("On-premises", certificate: "mail.contoso.com"), DirectoryBuilder.connector("Mailer", ips: ["192.0.2.64/26"])]),
        DirectoryBuilder.tenant("litware.onmicrosoft.com", ["litware.com"], [DirectoryBuilder.connector("Litware server", certificate: "smtp.litware.com"), DirectoryBuilder.connector("ESP", ips: ["192.0.2.77"])]),
    ])

    static func verdict(_ id: String, from mailFrom: String, p2 from: String? = nil, to recipient: String, certificate: String? = nil,
                        ip: String? = nil, landedIn tenant: String? = nil, connector: String? = nil) -> MessageVerdict {
        var attempt: DeliveryAttempt
        if let tenant {
            attempt = DeliveryAttempt(messageId: id, timeMs: 0, source: .messageTrace, origin: nil, connector: connector, smartHost: nil, mailFrom: mailFrom,
                                      fromAddress: from, sendingIP: ip, recipients: [.init(address: recipient, domain: EmailAddress.domain(of: recipient), reply: nil, state: .accepted)])
            attempt.receivingTenant = tenant
        } else {
            attempt = DeliveryAttempt(messageId: id, timeMs: 0, source: .protocolLog, origin: "EX01", connector: "Outbound", smartHost: nil, mailFrom: mailFrom,
                                      fromAddress: from, certificate: certificate.map { CertificateRecord(subject: "CN=\($0)") }, sendingIP: ip,
                                      recipients: [.init(address: recipient, domain: EmailAddress.domain(of: recipient), reply: SMTPStatus.reply("250 2.1.5 OK"))])
        }
        return AttributionEngine(directory: directory).verdict(for: [attempt])
    }

    @Test("naming the presented certificate on the connector moves the path from mail-from to certificate")
    func certificateNameFixesFallback() throws {
        let atRisk = Self.verdict("<a@litware.com>", from: "x@litware.com", to: "y@external.example", certificate: "mail.litware.com")
        #expect(atRisk.outcome == .atRisk && atRisk.decidedBy == .mailFrom)
        let result = try Simulation(directory: Self.directory, verdicts: [atRisk])
            .run([try ConfigurationChange.parse(kind: "set", "litware/Litware server:TlsSenderCertificateName=mail.litware.com")])
        #expect(result.changed.map(\.to) == ["ok"])
        #expect(result.changed.first?.decidedBy == "certificate")
        #expect(result.paths.first.map { "\($0.before) → \($0.after)" } == "mail-from → certificate")
        #expect(result.before.atRisk == 1 && result.after.ok == 1 && result.newlyBroken == 0)
    }

    @Test("removing an overlapping IP range ends a misattribution")
    func removingOverlapEndsMisattribution() throws {
        let wrong = Self.verdict("<n@mailer.example>", from: "bounce@bounce.mailer.example", p2: "news@litware.com", to: "pat@customer.example",
                                 ip: "192.0.2.77", landedIn: "contoso.onmicrosoft.com", connector: "Mailer")
        #expect(wrong.outcome == .misattributed)
        let result = try Simulation(directory: Self.directory, verdicts: [wrong])
            .run([try ConfigurationChange.parse(kind: "set", "contoso.com/Mailer:SenderIPAddresses=192.0.2.64/29")])
        #expect(result.after.misattributed == 0)
        #expect(result.changed.first?.tenant == "litware.onmicrosoft.com")
        #expect(result.changed.first?.to == "at-risk")  // the IP alone still decides: fixed, not yet safe
    }

    @Test("a change that makes one certificate match two tenants lists the newly broken messages first")
    func ambiguousCertificateBreaksMail() throws {
        let healthy = Self.verdict("<c@contoso.com>", from: "a@contoso.com", to: "b@external.example", certificate: "mail.contoso.com")
        let atRisk = Self.verdict("<l@litware.com>", from: "x@litware.com", to: "y@external.example", certificate: "mail.litware.com")
        #expect(healthy.outcome == .ok)
        let result = try Simulation(directory: Self.directory, verdicts: [atRisk, healthy]).run([
            try ConfigurationChange.parse(kind: "add-accepted-domain", "litware:contoso.com"),
            try ConfigurationChange.parse(kind: "set", "litware/Litware server:TlsSenderCertificateName=mail.contoso.com"),
        ])
        #expect(result.newlyBroken >= 1)
        #expect(result.changed.first?.messageId == "<c@contoso.com>")
        #expect(result.changed.first?.isNewlyBroken == true)
    }

    @Test("a change names a tenant by name, prefix or accepted domain, and an unknown one is an error listing the tenants")
    func tenantNames() throws {
        for name in ["litware.onmicrosoft.com", "litware", "litware.com"] {
            #expect(try Self.directory.index(of: name) == 1)
        }
        let error = #expect(throws: ConfigurationChangeError.self) { try Self.directory.index(of: "woodgrove") }
        #expect(error?.description.contains("contoso.onmicrosoft.com, litware.onmicrosoft.com") ?? false)
        #expect(throws: ConfigurationChangeError.self) { try ConfigurationChange.parse(kind: "set", "litware/ESP:Colour=blue") }
    }

    @Test("PowerShell for a change quotes every value, doubling single quotes")
    func powerShellQuoting() throws {
        let change = try ConfigurationChange.parse(kind: "set", "litware/ESP';Start-Process calc;':TlsSenderCertificateName=relay.litware.com")
        #expect(change.powerShell.hasPrefix("Set-InboundConnector -Identity 'ESP'';Start-Process calc;''' -TlsSenderCertificateName 'relay.litware.com'"))
    }
}
