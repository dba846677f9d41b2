import Foundation
import Testing

@testable import MailFlowKit

@Suite("Configuration exports: ConvertTo-Json")
struct ConfigurationJSONTests {
    typealias Support = ConfigurationTestSupport

    @Test("JSON exports are detected as config-json", arguments: ["inbound-connectors-pwsh7.json", "inbound-connectors-ps51.json", "accepted-domains-exo.json"])
    func detection(fixture: String) throws {
        let sample = Support.sample(try Support.fixture(fixture), path: fixture)
        #expect(FormatRegistry.standard.detect(sample)?.id == "config-json")
    }

    @Test("a PowerShell 7 Get-InboundConnector array gives one Exchange Online snapshot of three connectors")
    func powerShell7InboundConnectors() throws {
        let result = try Support.read(try Support.fixture("inbound-connectors-pwsh7.json"), path: "inbound-connectors.json")
        #expect(result.batch.quarantined.isEmpty)
        #expect(result.batch.configurations.count == 1)
        let snapshot = try #require(result.snapshot)
        #expect(snapshot.kind == .inboundConnectors)
        #expect(snapshot.side == .exchangeOnline)
        #expect(snapshot.line == 1 && snapshot.offset == 0)
        #expect(snapshot.takenAtMs == Support.milliseconds("2026-11-03T16:40:00Z"))
        #expect(snapshot.inboundConnectors.map(\.name) == ["Inbound from Contoso on-premises", "Inbound from print relay", "Partner Fabrikam TLS"])

        let certificateBased = snapshot.inboundConnectors[0]
        #expect(certificateBased.connectorType == "OnPremises")
        #expect(certificateBased.isOnPremises)
        #expect(certificateBased.tlsSenderCertificateName == "*.contoso.com")
        #expect(certificateBased.senderDomains == ["*"])
        #expect(certificateBased.senderIPAddresses == [])
        #expect(certificateBased.requireTls)
        #expect(certificateBased.cloudServicesMailEnabled)
        #expect(certificateBased.connectorSource == "HybridWizard")
        #expect(certificateBased.whenChangedMs == Support.milliseconds("2026-10-02T08:15:44Z"))
        #expect(certificateBased.whenCreatedMs == Support.milliseconds("2024-03-11T13:02:09Z"))

        let ipBased = snapshot.inboundConnectors[1]
        #expect(ipBased.isOnPremises)
        #expect(ipBased.senderIPAddresses == ["203.0.113.0/29"])
        #expect(ipBased.tlsSenderCertificateName == nil)
        #expect(ipBased.comment == "Multifunction printers in Building 2")

        let partner = snapshot.inboundConnectors[2]
        #expect(partner.connectorType == "Partner")
        #expect(partner.senderDomains == ["fabrikam.com"])
        #expect(partner.tlsSenderCertificateName == "mail.fabrikam.com")
        #expect(partner.restrictDomainsToCertificate)
        #expect(result.parser.notes.isEmpty)
    }

    @Test("a Windows PowerShell 5.1 export (UTF-16, enums as integers, \\/Date()\\/) is read and the enum assumption noted")
    func windowsPowerShellInboundConnectors() throws {
        let bytes = try Support.fixture("inbound-connectors-ps51.json")
        #expect(bytes.prefix(2) == [0xFF, 0xFE])
        let result = try Support.read(bytes, path: "inbound-connectors.json", chunkSize: 1000)
        #expect(result.batch.quarantined.isEmpty)
        #expect(result.parser.encoding == .utf16LE)
        let snapshot = try #require(result.snapshot)
        #expect(snapshot.kind == .inboundConnectors)
        #expect(snapshot.takenAtMs == 1_790_000_000_000)
        let connectors = snapshot.inboundConnectors
        #expect(connectors.map(\.connectorType) == ["OnPremises", "Partner"])
        #expect(connectors[0].senderIPAddresses == ["198.51.100.25", "198.51.100.26"])
        #expect(connectors[0].connectorSource == "HybridWizard")
        #expect(connectors[0].whenChangedMs == 1_790_000_000_000)
        #expect(connectors[0].whenCreatedMs == 1_700_000_000_000)
        // Deserialised list wrapped as {"value":[…],"Count":1}.
        #expect(connectors[1].senderDomains == ["northwind.example"])
        #expect(connectors[1].tlsSenderCertificateName == "mx.northwind.example")
        #expect(connectors[1].connectorSource == "Default")
        #expect(result.parser.notes.count == 1)
        let note = try #require(result.parser.notes.first)
        #expect(note.hasPrefix("ConnectorType, ConnectorSource were written as numbers"))
        #expect(note.contains("ConnectorType (TenantConnectorType) 1 = OnPremises, 2 = Partner"))
    }

    @Test("Exchange Online accepted domains name the tenant after the initial domain")
    func exchangeOnlineAcceptedDomains() throws {
        let result = try Support.read(try Support.fixture("accepted-domains-exo.json"), path: "accepted-domains.json")
        let snapshot = try #require(result.snapshot)
        #expect(snapshot.kind == .acceptedDomains)
        #expect(snapshot.side == .exchangeOnline)
        #expect(snapshot.tenantName == "contoso.onmicrosoft.com")
        #expect(snapshot.takenAtMs == Support.milliseconds("2026-09-14T07:30:12Z"))
        #expect(snapshot.acceptedDomains.map(\.domainName) == ["contoso.com", "contoso.onmicrosoft.com", "contoso.mail.onmicrosoft.com", "relay.contoso.com"])
        #expect(snapshot.acceptedDomains.filter(\.isDefault).map(\.domainName) == ["contoso.com"])
        #expect(snapshot.acceptedDomains[3].domainType == "InternalRelay")
        #expect(snapshot.acceptedDomains[3].matchSubDomains)
    }

    @Test("integer enums of accepted domains and send connectors are named")
    func integerEnums() throws {
        let text = """
            {"DomainName":"contoso.local","DomainType":2,"Default":false,"WhenChangedUTC":"\\/Date(1700000000000)\\/"}
            {"DomainName":{"Address":"*.fabrikam.local","Domain":"fabrikam.local","IncludeSubDomains":true},"DomainType":1,"Default":true}
            """
        let batch = try Support.feed(Array(text.utf8), to: ConfigurationExportParser(syntax: .json))
        let snapshot = try #require(batch.configurations.first)
        #expect(snapshot.side == .exchangeServer)
        #expect(snapshot.tenantName == nil)
        #expect(snapshot.takenAtMs == 1_700_000_000_000)
        #expect(snapshot.acceptedDomains.map(\.domainName) == ["contoso.local", "*.fabrikam.local"])
        #expect(snapshot.acceptedDomains.map(\.domainType) == ["InternalRelay", "ExternalRelay"])

        let send = """
            [{"Name":"To EXO","AddressSpaces":[{"Address":"*","Type":"SMTP","Cost":1,"Domain":"*"},"smtp:contoso.com;1"],
              "SmartHosts":[{"Domain":{"HostnameString":"Contoso-com.mail.protection.outlook.com"},"Address":{"IPAddressToString":"0.0.0.0"},"IsIPAddress":false},
                            {"Address":{"IPAddressToString":"192.0.2.10"},"IsIPAddress":true}, "RELAY.contoso.com"],
              "TlsAuthLevel":4,"RequireTLS":true,"TlsCertificateName":{"CertificateIssuer":"CN=R3, O=Let's Encrypt","CertificateSubject":"CN=mail.contoso.com"},
              "Fqdn":"mail.contoso.com","CloudServicesMailEnabled":true,"WhenChanged":"2026-01-05T10:00:00+01:00"}]
            """
        let sendBatch = try Support.feed(Array(send.utf8), to: ConfigurationExportParser(syntax: .json))
        let connector = try #require(sendBatch.configurations.first?.sendConnectors.first)
        #expect(sendBatch.configurations.first?.side == .exchangeServer)
        #expect(connector.addressSpaces == ["*", "contoso.com"])
        #expect(connector.smartHosts == ["contoso-com.mail.protection.outlook.com", "192.0.2.10", "relay.contoso.com"])
        #expect(connector.tlsAuthLevel == "DomainValidation")
        #expect(connector.tlsCertificateName == "<I>CN=R3, O=Let's Encrypt<S>CN=mail.contoso.com")
        #expect(connector.tlsCertificateCommonName == "mail.contoso.com")
        #expect(connector.whenChangedMs == Support.milliseconds("2026-01-05T09:00:00Z"))
    }

    @Test("an outbound connector and a certificate are recognised from their properties")
    func outboundConnectorAndCertificate() throws {
        let outbound = """
            [{"Name":"Outbound to Contoso","ConnectorType":"OnPremises","UseMXRecord":false,"SmartHosts":["mail.Contoso.com"],
              "RecipientDomains":["contoso.com"],"TlsSettings":"DomainValidation","TlsDomain":"mail.contoso.com","RouteAllMessagesViaOnPremises":false}]
            """
        let snapshot = try #require(try Support.feed(Array(outbound.utf8), to: ConfigurationExportParser(syntax: .json)).configurations.first)
        #expect(snapshot.kind == .outboundConnectors && snapshot.side == .exchangeOnline)
        let connector = try #require(snapshot.outboundConnectors.first)
        #expect(connector.smartHosts == ["mail.contoso.com"])
        #expect(connector.recipientDomains == ["contoso.com"])
        #expect(connector.tlsSettings == "DomainValidation")
        #expect(connector.tlsDomain == "mail.contoso.com")

        let certificate = """
            {"Thumbprint":"0a1b2c3d4e5f60718293a4b5c6d7e8f901234567","Subject":"CN=mail.contoso.com","Issuer":"CN=R3, O=Let's Encrypt, C=US",
             "CertificateDomains":[{"Address":"mail.contoso.com","Domain":"mail.contoso.com"},"AutoDiscover.contoso.com"],
             "NotAfter":"\\/Date(1800000000000)\\/","Services":17}
            """
        let certificates = try #require(try Support.feed(Array(certificate.utf8), to: ConfigurationExportParser(syntax: .json)).configurations.first)
        #expect(certificates.kind == .certificates && certificates.side == .exchangeServer)
        let parsed = try #require(certificates.certificates.first)
        #expect(parsed.thumbprint == "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567")
        #expect(parsed.domains == ["mail.contoso.com", "autodiscover.contoso.com"])
        #expect(parsed.services == "IMAP, SMTP")
        #expect(parsed.notAfter == Timestamp.iso8601(1_800_000_000_000))
    }

    @Test("message trace JSON and the Elastic wrapper are not claimed as configuration")
    func foreignJSON() {
        let trace = #"[{"MessageTraceId":"4d3c…","MessageId":"<a@b>","RecipientAddress":"x@contoso.com","DomainName":"x","DomainType":"y"}]"#
        let elastic = #"{"events":[{"message":"2024-01-25T15:16:09.544Z,Inbound,08DC1DB12C345BE5,0,…","DomainName":"a","DomainType":"b"}]}"#
        for text in [trace, elastic] {
            #expect(ConfigurationSniffer.jsonConfidence(SniffSample(path: "x.json", encoding: .utf8, lines: [text])) == 0)
        }
    }

    @Test("JSON that does not parse is quarantined at the line where it breaks")
    func brokenJSON() throws {
        let text = "[\n  {\n    \"Name\": \"A\",\n    \"SenderIPAddresses\": [\"192.0.2.1\"\n  }\n]\n"
        let batch = try Support.feed(Array(text.utf8), to: ConfigurationExportParser(syntax: .json), chunkSize: 5)
        #expect(batch.configurations.isEmpty)
        let quarantined = try #require(batch.quarantined.first)
        #expect(quarantined.line == 5)
        #expect(quarantined.reason == .badJSON)
        #expect(quarantined.detail.contains("expected ',' or ']'"))
        #expect(quarantined.text == "  }")
    }

    @Test("an export over the size limit is quarantined whole")
    func tooLarge() throws {
        let text = "[\n" + String(repeating: "  {\"Name\":\"A\",\"SenderIPAddresses\":[]},\n", count: 100) + "  {}\n]\n"
        let batch = try Support.feed(Array(text.utf8), to: ConfigurationExportParser(syntax: .json, maxDocumentBytes: 1024))
        #expect(batch.configurations.isEmpty)
        #expect(batch.quarantined.map(\.reason) == [.lineTooLong])
        #expect(batch.quarantined.first?.detail.contains("larger than") == true)
    }

    @Test("objects that are no configuration are quarantined with what was expected")
    func unrecognisedObjects() throws {
        let batch = try Support.feed(Array(#"[{"Name":"x","Foo":1}]"#.utf8), to: ConfigurationExportParser(syntax: .json))
        #expect(batch.configurations.isEmpty)
        #expect(batch.quarantined.first?.detail.contains("none is an accepted domain, connector or certificate") == true)
    }
}

@Suite("JSON value parser")
struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try JSONValue.parse(UnsafeRawBufferPointer($0)) }
    }

    @Test("values of every kind parse, keeping member order and escapes")
    func values() throws {
        let value = try parse(#" {"b": [1, -2.5e1, true, false, null], "a": "x\/y\u00e9\ud83d\ude00", "n": 9223372036854775807} "#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "n"])
        #expect(value["b"] == .array([.integer(1), .double(-25), .bool(true), .bool(false), .null]))
        #expect(value["a"] == .string("x/yé😀"))
        #expect(value["n"] == .integer(Int64.max))
    }

    @Test("a syntax error reports the byte offset of what was expected", arguments: [
        ("[1, 2", 5, "',' or ']'"), ("{\"a\" 1}", 5, "':' after a member name"), ("[01]", 2, "',' or ']'"), ("tru", 0, "'true'"), ("{} x", 3, "end of the document"),
    ])
    func syntaxErrors(text: String, offset: Int, expected: String) {
        #expect(throws: JSONSyntaxError(offset: offset, expected: expected)) { try parse(text) }
    }

    @Test("a sequence of documents parses as several values")
    func sequence() throws {
        var text = "{\"a\":1}\r\n{\"a\":2}\n"
        let values = try text.withUTF8 { try JSONValue.parseSequence(UnsafeRawBufferPointer($0)) }
        #expect(values == [.object([JSONMember(key: "a", value: .integer(1))]), .object([JSONMember(key: "a", value: .integer(2))])])
    }

    @Test("deep nesting is refused, not a stack overflow")
    func depthLimit() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }
}
