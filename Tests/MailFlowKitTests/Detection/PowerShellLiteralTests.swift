import Testing

@testable import MailFlowKit

@Suite("PowerShell literals in printed fixes")
struct PowerShellLiteralTests {
    @Test("a value with quotes becomes one single-quoted literal with every PowerShell quote character doubled")
    func quotesAreDoubled() {
        #expect(PowerShellLiteral.quoted("O'Brien") == "'O''Brien'")
        #expect(PowerShellLiteral.quoted("crm.example';Start-Process calc;'") == "'crm.example'';Start-Process calc;'''")
        #expect(PowerShellLiteral.quoted("a\u{2019}b") == "'a\u{2019}\u{2019}b'")
        #expect(PowerShellLiteral.quoted("line\nbreak\u{1B}]0;x") == "'line break ]0;x'")
    }

    @Test("only domain-shaped values are accepted where a value is spliced into a host name")
    func domainShape() {
        #expect(PowerShellLiteral.domain("crm.example") == "crm.example")
        #expect(PowerShellLiteral.domain("*.contoso.com") == "*.contoso.com")
        #expect(PowerShellLiteral.domain("crm.example';Start-Process calc;'") == nil)
        #expect(PowerShellLiteral.domain("a b.com") == nil)
        #expect(PowerShellLiteral.domain("$(calc).com") == nil)
        #expect(PowerShellLiteral.domain("") == nil)
    }

    @Test("a relay MAIL FROM domain carrying PowerShell is refused with a comment, never pasted as code")
    func injectedSenderDomainIsRefused() {
        let hostile = "crm.example';Start-Process calc;'"
        let fix = Remediation.moveRelayToPartner(tenant: "fabrikam", connector: "Relay's connector", senderDomains: [hostile, "good.example"], directory: TenantDirectory(tenants: []))
        let code = fix.commands.filter { !$0.hasPrefix("#") }
        #expect(!code.contains { $0.contains("Start-Process") })
        #expect(fix.commands.first?.hasPrefix("# 'crm.example'';Start-Process calc;''' from the logs is not a domain name") == true)
        #expect(code.contains { $0.contains("-SenderDomains 'good.example' ") })
        #expect(code.contains { $0.hasPrefix("Set-InboundConnector -Identity 'Relay''s connector' -TlsSenderCertificateName ") })
        let pinned = Remediation.pinAttribution(tenant: "x\n; Remove-Item", path: "p", mailFromDomains: [hostile], directory: TenantDirectory(tenants: []), isRelay: true)
        #expect(!pinned.commands.contains { $0.contains("Start-Process") && !$0.hasPrefix("#") })
        #expect(!pinned.commands.contains { $0.contains("\n") })
    }
}
