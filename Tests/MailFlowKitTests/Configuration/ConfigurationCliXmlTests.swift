import Foundation
import Testing

@testable import MailFlowKit

@Suite("Configuration exports: Export-Clixml")
struct ConfigurationCliXmlTests {
    typealias Support = ConfigurationTestSupport

    static let corpusFiles = ["E16_GetAcceptedDomain.xml", "E19_GetReceiveConnector.xml", "E19_GetSendConnector.xml", "GetSendConnectorConfiguredToRelayToM365.xml"]

    @Test("every corpus CliXml file is detected as config-clixml and read without quarantine",
          .enabled(if: ConfigurationTestSupport.isCorpusAvailable, "the shared corpus (<package root>/../shared/corpus) is not present"),
          arguments: corpusFiles)
    func corpusFilesRead(file: String) throws {
        let bytes = try Support.corpusFile("CSS-Exchange/" + file)
        let result = try Support.read(bytes, path: file)
        #expect(result.format.id == "config-clixml")
        #expect(result.batch.quarantined.isEmpty)
        #expect(result.batch.configurations.count == 1)
        #expect(result.parser.encoding == .utf8BOM)
        #expect(result.parser.checkpoint == Checkpoint(offset: Int64(bytes.count), line: result.parser.checkpoint.line))
    }

    @Test("the send connector relaying to Microsoft 365 keeps its smart host, TLS settings and FQDN",
          .enabled(if: ConfigurationTestSupport.isCorpusAvailable, "the shared corpus (<package root>/../shared/corpus) is not present"))
    func sendConnectorToMicrosoft365() throws {
        let result = try Support.read(try Support.corpusFile("CSS-Exchange/GetSendConnectorConfiguredToRelayToM365.xml"), path: "send.xml")
        let snapshot = try #require(result.snapshot)
        #expect(snapshot.kind == .sendConnectors)
        #expect(snapshot.side == .exchangeServer)
        #expect(snapshot.takenAtMs == Support.milliseconds("2022-04-08T11:02:04Z"))
        let connector = try #require(snapshot.sendConnectors.first)
        #expect(snapshot.sendConnectors.count == 1)
        #expect(connector.name == "My company to Office 365")
        #expect(connector.smartHosts == ["thistenantdoesntexists-com.mail.protection.outlook.com"])
        #expect(connector.addressSpaces == ["*"])
        #expect(connector.cloudServicesMailEnabled)
        #expect(connector.requireTLS)
        #expect(connector.tlsAuthLevel == "CertificateValidation")
        #expect(connector.fqdn == "mail.contoso.com")
        #expect(connector.tlsCertificateName == nil)
        #expect(connector.enabled)
        #expect(connector.sourceTransportServers == ["WIN-CTD3L0RGEN4"])
        #expect(connector.whenChangedMs == Support.milliseconds("2022-04-08T11:02:04Z"))
        #expect(result.parser.notes.isEmpty)
    }

    @Test("the Exchange 2019 send connector keeps its raw <I>…<S>… certificate name",
          .enabled(if: ConfigurationTestSupport.isCorpusAvailable, "the shared corpus (<package root>/../shared/corpus) is not present"))
    func exchange2019SendConnector() throws {
        let result = try Support.read(try Support.corpusFile("CSS-Exchange/E19_GetSendConnector.xml"), path: "send.xml")
        let connector = try #require(result.snapshot?.sendConnectors.first)
        #expect(connector.name == "Mail to O365")
        #expect(connector.smartHosts == ["microsoft-com.mail.protection.outlook.com"])
        #expect(connector.addressSpaces == ["*"])
        #expect(connector.tlsCertificateName == "<I>CN=localhost<S>CN=localhost")
        #expect(connector.tlsCertificateCommonName == "localhost")
        #expect(connector.tlsAuthLevel == nil)
        #expect(connector.requireTLS == false)
        #expect(connector.fqdn == nil)
    }

    @Test("Exchange 2016 accepted domains include the wildcard domains and no tenant",
          .enabled(if: ConfigurationTestSupport.isCorpusAvailable, "the shared corpus (<package root>/../shared/corpus) is not present"))
    func exchange2016AcceptedDomains() throws {
        let result = try Support.read(try Support.corpusFile("CSS-Exchange/E16_GetAcceptedDomain.xml"), path: "domains.xml")
        let snapshot = try #require(result.snapshot)
        #expect(snapshot.kind == .acceptedDomains)
        #expect(snapshot.side == .exchangeServer)
        #expect(snapshot.tenantName == nil)
        #expect(snapshot.takenAtMs == Support.milliseconds("2021-12-03T22:25:03Z"))
        let domains = snapshot.acceptedDomains
        #expect(domains.map(\.domainName) == ["solo.com", "*.contoso.local", "*.com"])
        #expect(domains.map(\.domainType) == ["Authoritative", "Authoritative", "InternalRelay"])
        #expect(domains.map(\.isDefault) == [true, false, false])
        #expect(domains.allSatisfy { !$0.isInitial })
    }

    @Test("Exchange 2019 receive connectors keep bindings, remote ranges, auth and certificate",
          .enabled(if: ConfigurationTestSupport.isCorpusAvailable, "the shared corpus (<package root>/../shared/corpus) is not present"))
    func exchange2019ReceiveConnectors() throws {
        let result = try Support.read(try Support.corpusFile("CSS-Exchange/E19_GetReceiveConnector.xml"), path: "receive.xml")
        let snapshot = try #require(result.snapshot)
        #expect(snapshot.kind == .receiveConnectors)
        #expect(snapshot.side == .exchangeServer)
        #expect(snapshot.receiveConnectors.count == 5)
        let frontend = try #require(snapshot.receiveConnectors.first { $0.name == "Default Frontend WIN-CTD3L0RGEN4" })
        #expect(frontend.bindings == ["[::]:25", "0.0.0.0:25"])
        #expect(frontend.remoteIPRanges == ["::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0.0.0.0-255.255.255.255"])
        #expect(frontend.tlsCertificateName == "<I>CN=WIN-CTD3L0RGEN4<S>CN=WIN-CTD3L0RGEN4")
        #expect(frontend.authMechanism == "Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer")
        #expect(frontend.permissionGroups == "AnonymousUsers, ExchangeServers, ExchangeLegacyServers")
        #expect(frontend.transportRole == "FrontendTransport")
        #expect(frontend.fqdn == "WIN-CTD3L0RGEN4.exlab.dom")
        #expect(snapshot.receiveConnectors[0].tlsCertificateName == nil)
    }

    @Test("references, type-name references, lists and _xHHHH_ escapes are resolved")
    func referencesAndEscapes() throws {
        let xml = """
            <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
              <Obj RefId="0">
                <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantInboundConnector</T><T>System.Object</T></TN>
                <ToString>Inbound one</ToString>
                <Props>
                  <S N="Name">Inbound one</S>
                  <Obj N="ConnectorType" RefId="1"><TN RefId="1"><T>Microsoft.Exchange.Data.TenantConnectorType</T></TN><ToString>OnPremises</ToString><I32>1</I32></Obj>
                  <Obj N="SenderDomains" RefId="2"><TN RefId="2"><T>Microsoft.Exchange.Data.MultiValuedProperty`1[[Microsoft.Exchange.Data.AddressSpace]]</T></TN>
                    <LST><Obj RefId="3"><TN RefId="3"><T>Microsoft.Exchange.Data.AddressSpace</T></TN><ToString>smtp:*;1</ToString></Obj></LST></Obj>
                  <Obj N="SenderIPAddresses" RefId="4"><TNRef RefId="2" /><LST><S>192.0.2.0/28</S></LST></Obj>
                  <S N="Comment">line one_x000D__x000A_line two_x005F_x</S>
                  <DT N="WhenChangedUTC">2026-11-01T10:00:00.1234567Z</DT>
                </Props>
              </Obj>
              <Obj RefId="5">
                <TNRef RefId="0" />
                <ToString>Inbound two</ToString>
                <Props>
                  <S N="Name">Inbound two</S>
                  <Ref N="ConnectorType" RefId="1" />
                  <Ref N="SenderDomains" RefId="2" />
                  <Nil N="TlsSenderCertificateName" />
                  <B N="Enabled">false</B>
                </Props>
              </Obj>
            </Objs>
            """
        let batch = try Support.feed(Array(xml.utf8), to: ConfigurationExportParser(syntax: .cliXml), chunkSize: 64)
        #expect(batch.quarantined.isEmpty)
        let snapshot = try #require(batch.configurations.first)
        #expect(snapshot.kind == .inboundConnectors)
        #expect(snapshot.takenAtMs == Support.milliseconds("2026-11-01T10:00:00.123Z"))
        let connectors = snapshot.inboundConnectors
        #expect(connectors.map(\.name) == ["Inbound one", "Inbound two"])
        #expect(connectors.map(\.connectorType) == ["OnPremises", "OnPremises"])
        #expect(connectors.map(\.senderDomains) == [["*"], ["*"]])
        #expect(connectors[0].senderIPAddresses == ["192.0.2.0/28"])
        #expect(connectors[0].comment == "line one\r\nline two_x")
        #expect(connectors[1].enabled == false)
        #expect(connectors[1].tlsSenderCertificateName == nil)
    }

    @Test("XML that is not well formed is quarantined at the line where parsing stopped")
    func brokenXML() throws {
        let xml = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n  <Obj RefId=\"0\">\n    <S N=\"Name\">x</B>\n  </Obj>\n</Objs>\n"
        let batch = try Support.feed(Array(xml.utf8), to: ConfigurationExportParser(syntax: .cliXml))
        #expect(batch.configurations.isEmpty)
        let quarantined = try #require(batch.quarantined.first)
        #expect(quarantined.line == 3)
        #expect(quarantined.reason == .malformedLine)
        #expect(quarantined.detail.contains("not well-formed XML"))
    }

    @Test("a CliXml document of other objects is not claimed")
    func foreignCliXml() {
        let lines = ["<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">", "  <Obj RefId=\"0\">",
                     "    <TN RefId=\"0\"><T>System.Diagnostics.Process</T></TN>", "    <Props><S N=\"ProcessName\">pwsh</S></Props>"]
        #expect(ConfigurationSniffer.cliXmlConfidence(SniffSample(path: "p.xml", encoding: .utf8, lines: lines)) == 0)
    }
}

@Suite("Configuration exports: refused Export-Csv")
struct ConnectorExportCSVTests {
    typealias Support = ConfigurationTestSupport

    @Test("an Export-Csv of Get-InboundConnector is refused with the command to run instead")
    func refusedInboundConnectorCSV() throws {
        let sample = Support.sample(try Support.fixture("inbound-connectors-export.csv"), path: "connectors.csv")
        let format = try #require(FormatRegistry.standard.detect(sample))
        #expect(format.id == "connector-export-csv")
        let reason = try #require(format.refusalReason(for: sample))
        #expect(reason.contains("Get-InboundConnector | ConvertTo-Json -Depth 5 | Out-File inbound-connectors.json"))
        #expect(reason.contains("Export-Clixml inbound-connectors.xml"))
        #expect(reason.contains("SenderIPAddresses"))
        #expect(reason.contains("lost the lists"))
    }

    @Test("the refusal names the cmdlet the columns reveal", arguments: [
        ("\"Name\",\"AddressSpaces\",\"SmartHosts\",\"Fqdn\"\n\"To EXO\",\"System.Object[]\",\"System.Object[]\",\"mail.contoso.com\"", "Get-SendConnector | ConvertTo-Json -Depth 5 | Out-File send-connectors.json"),
        ("Name,Bindings,RemoteIPRanges\nDefault,Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.IPBinding],System.Object[]", "Get-ReceiveConnector | ConvertTo-Json -Depth 5 | Out-File receive-connectors.json"),
        ("Name,SmartHosts,UseMXRecord,RecipientDomains\nTo partner,System.String[],False,System.String[]", "Get-OutboundConnector | ConvertTo-Json -Depth 5 | Out-File outbound-connectors.json"),
    ])
    func cmdletFromColumns(text: String, command: String) throws {
        let sample = Support.sample(Array(text.utf8), path: "export.csv")
        let format = try #require(FormatRegistry.standard.detect(sample))
        #expect(format.id == "connector-export-csv")
        #expect(format.refusalReason(for: sample)?.contains(command) == true)
    }
}
