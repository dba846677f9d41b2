import Testing

@testable import MailFlowKit

/// Two tenants and a marketing platform at 192.0.2.77 that both trust by IP (overlapping ranges),
/// plus Contoso's certificate-based connector for its own server.
private let directory = TenantDirectory(tenants: [
    DirectoryBuilder.tenant("contoso.onmicrosoft.com", ["contoso.com", "contoso.onmicrosoft.com"],
                            [DirectoryBuilder.connector("Contoso on-premises", certificate: "mail.contoso.com"), DirectoryBuilder.connector("Mailer", ips: ["192.0.2.64/26"])]),
    DirectoryBuilder.tenant("litware.onmicrosoft.com", ["litware.com", "litware.onmicrosoft.com"],
                            [DirectoryBuilder.connector("Litware on-premises", certificate: "mail.litware.com"), DirectoryBuilder.connector("ESP", ips: ["192.0.2.77"])]),
])

private let engine = AttributionEngine(directory: directory)

/// A tenant's record of a message that arrived from outside, as the evidence loader builds it.
private func received(in tenant: String, from: String?, mailFrom: String, to recipient: String, state: RecipientState, reply: String? = nil,
                      connector: String? = nil, ip: String = "192.0.2.77", at time: Int64 = 1_000) -> DeliveryAttempt {
    var attempt = DeliveryAttempt(messageId: "<m1@mailer.example>", timeMs: time, source: .messageTrace, origin: "out.mailer.example", connector: connector,
                                  smartHost: nil, mailFrom: mailFrom, fromAddress: from, sendingIP: ip,
                                  recipients: [.init(address: recipient, domain: EmailAddress.domain(of: recipient), reply: reply.flatMap(SMTPStatus.reply), state: state)])
    attempt.receivingTenant = tenant
    return attempt
}

private func sent(from mailFrom: String, to recipient: String, reply: String, certificate: String? = nil, smartHost: String? = nil, at time: Int64) -> DeliveryAttempt {
    DeliveryAttempt(messageId: "<m1@mailer.example>", timeMs: time, source: .relayLog, origin: "relay", connector: "postfix/smtp", smartHost: smartHost,
                    mailFrom: mailFrom, certificate: certificate.map { CertificateRecord(subject: "CN=\($0)") },
                    recipients: [.init(address: recipient, domain: EmailAddress.domain(of: recipient), reply: SMTPStatus.reply(reply))])
}

@Suite("One verdict per message")
struct MessageVerdictTests {
    @Test("a platform's mail for one tenant that lands in another through that tenant's IP connector is misattributed, owner by P2 From")
    func receivingSideMisattribution() {
        let verdict = engine.verdict(for: [received(in: "contoso.onmicrosoft.com", from: "news@litware.com", mailFrom: "bounce-17@bounce.mailer.example",
                                                     to: "pat@customer.example", state: .accepted, connector: "Mailer")])
        #expect(verdict.outcome == .misattributed)
        #expect(verdict.ownerTenant == "litware.onmicrosoft.com")
        #expect(verdict.ownerReason?.contains("P2 From domain litware.com") ?? false)
        #expect(verdict.observedTenant == "contoso.onmicrosoft.com")
        #expect(verdict.steps.first?.note.contains("not visible") ?? false)
        #expect(verdict.matchedConnectors.contains { $0.tenant == "litware.onmicrosoft.com" && $0.name == "ESP" && $0.basis == .ip })
        #expect(verdict.sides == [.receiving])
    }

    @Test("the same platform's mail for the tenant itself is at-risk: only RCPT TO decides")
    func receivingSideAtRisk() {
        let verdict = engine.verdict(for: [received(in: "contoso.onmicrosoft.com", from: "news@contoso.com", mailFrom: "bounce-18@bounce.mailer.example",
                                                     to: "staff@contoso.com", state: .accepted, connector: "Mailer")])
        #expect(verdict.outcome == .atRisk)
        #expect(verdict.decidedBy == .rcptTo)
        #expect(verdict.ownerTenant == "contoso.onmicrosoft.com")
    }

    @Test("a certificate-based connector named by the receiving record stands for the certificate the sender presented")
    func namedCertificateConnector() {
        let verdict = engine.verdict(for: [received(in: "contoso.onmicrosoft.com", from: nil, mailFrom: "alice@contoso.com", to: "x@external.example",
                                                     state: .accepted, connector: "Contoso on-premises", ip: "203.0.113.10")])
        #expect(verdict.decidedBy == .certificate)
        #expect(verdict.outcome == .ok)
        #expect(verdict.steps[0].note.contains("certificate-based"))
    }

    @Test("both sides of one message merge: the relay's refusal and the tenant's record give one rejected verdict")
    func mergeBothSides() {
        let verdict = engine.verdict(for: [
            sent(from: "bounce-19@bounce.mailer.example", to: "pat@customer.example",
                 reply: "550 5.7.64 TenantAttribution; Relay Access Denied [X.eop-EUR01.prod.protection.outlook.com]", at: 2_000),
            received(in: "litware.onmicrosoft.com", from: "news@litware.com", mailFrom: "bounce-19@bounce.mailer.example", to: "pat@customer.example",
                     state: .refused, reply: "550 5.7.64 TenantAttribution; Relay Access Denied", at: 2_100),
        ])
        #expect(verdict.outcome == .rejected)
        #expect(verdict.sides == [.sending, .receiving])
        #expect(verdict.ownerTenant == "litware.onmicrosoft.com")
        #expect(verdict.firstHardRefusalMs == 2_000)
        #expect(verdict.recipients.count == 1)
    }

    @Test("a 451 4.4.62 ATTR35 deferral delivered on retry is at-risk with the deferral counted, never rejected")
    func deferralThenDelivery() {
        let verdict = engine.verdict(for: [
            sent(from: "alerts@litware.com", to: "ops@external.example",
                 reply: "451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35. For more information go to https://go.microsoft.com/fwlink/p/?linkid=865268",
                 certificate: "mail.litware.com", at: 1_000),
            sent(from: "alerts@litware.com", to: "ops@external.example", reply: "250 2.6.0 Queued mail for delivery", certificate: "mail.litware.com", at: 71_000),
        ])
        #expect(verdict.outcome == .atRisk)
        #expect(verdict.deferralCount == 1)
        #expect(verdict.deferralLabels == ["4.4.62 ATTR35"])
        #expect(verdict.reason.contains("deferred 1× (4.4.62 ATTR35)"))
        #expect(verdict.firstHardRefusalMs == nil)
    }

    @Test("a deferral never followed by a delivery is rejected")
    func deferralNeverDelivered() {
        let verdict = engine.verdict(for: [sent(from: "alerts@litware.com", to: "ops@external.example", reply: "451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35.",
                                                certificate: "mail.litware.com", at: 1_000)])
        #expect(verdict.outcome == .rejected)
    }

    @Test("a relay's delivery host says where mail went, not whose it is")
    func relayHostIsNotOwner() {
        let verdict = engine.verdict(for: [sent(from: "bounce@bounce.mailer.example", to: "x@external.example", reply: "250 2.6.0 ok",
                                                smartHost: "litware-com.mail.protection.outlook.com", at: 0)])
        #expect(verdict.ownerTenant == nil)
    }

    @Test("mail one tenant sent to another (Incoming from a Microsoft IP) is no receiving attempt, so never a misattribution")
    func crossTenantMailIsNotAnAttempt() {
        let record = ReceivingRecords.Record(tenant: "litware.onmicrosoft.com", kind: .messageTrace, event: "Delivered", messageId: "<x@contoso.com>",
                                             traceId: nil, sender: "alice@contoso.com", fromAddress: nil, recipient: "bob@litware.com",
                                             recipientDomain: "litware.com", reply: nil, clientIP: "40.107.22.51", clientHostname: nil, connector: nil,
                                             directionality: "Incoming", subject: "Hello", timeMs: 0,
                                             evidence: Evidence(file: "t.csv", line: 2, offset: 10, what: "trace"))
        let group = ReceivingRecords(key: "x@contoso.com", tenant: "litware.onmicrosoft.com", records: [record])
        #expect(group.attempt(directory: directory, seenOnSendingSide: true) == nil)
        var onPremises = record
        onPremises.clientIP = "192.0.2.77"
        #expect(ReceivingRecords(key: "x", tenant: "litware.onmicrosoft.com", records: [onPremises]).attempt(directory: directory, seenOnSendingSide: false) != nil)
    }

    @Test("one IP seen in two tenants through certificate-based connectors is no shared-sender-ip finding, but is shared-certificate evidence")
    func ipThroughCertificateConnectors() {
        let contoso = engine.verdict(for: [received(in: "contoso.onmicrosoft.com", from: nil, mailFrom: "a@contoso.com", to: "x@external.example",
                                                     state: .accepted, connector: "Contoso on-premises", ip: "203.0.113.10")])
        var litwareAttempt = received(in: "litware.onmicrosoft.com", from: nil, mailFrom: "b@litware.com", to: "y@external.example",
                                      state: .accepted, connector: "Litware on-premises", ip: "203.0.113.10")
        litwareAttempt.messageId = "<m2@x>"
        let litware = engine.verdict(for: [litwareAttempt])
        let context = DetectionContext(directory: directory, verdicts: [contoso, litware])
        let sharedIP = SharedSenderIPDetector().findings(in: context)
        let aboutTheServer = sharedIP.filter { ($0.ip ?? "").contains("203.0.113.10") }
        #expect(aboutTheServer.isEmpty)
        #expect(sharedIP.map(\.connectors.count) == [2])  // only the overlapping IP-based ranges
        #expect(SharedCertificateDetector().findings(in: context).isEmpty)  // two certificates, one per tenant: nothing shared
    }
}
