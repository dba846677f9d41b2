extension InputFormat {
    /// Configuration exports written with `ConvertTo-Json` (PowerShell 7 or Windows PowerShell 5.1).
    public static let configurationJSON = InputFormat(
        id: "config-json",
        title: "Exchange configuration export (ConvertTo-Json)",
        confidence: { sample in ConfigurationSniffer.jsonConfidence(sample) },
        makeParser: { sample in ConfigurationExportParser(syntax: .json, options: sample.options) }
    )

    /// Configuration exports written with `Export-Clixml`.
    public static let configurationCliXml = InputFormat(
        id: "config-clixml",
        title: "Exchange configuration export (Export-Clixml)",
        confidence: { sample in ConfigurationSniffer.cliXmlConfidence(sample) },
        makeParser: { sample in ConfigurationExportParser(syntax: .cliXml, options: sample.options) }
    )

    /// A connector or certificate exported with `Export-Csv`: recognised only to be refused, because
    /// the CSV holds type names where the lists were.
    public static let connectorExportCSV = InputFormat(
        id: "connector-export-csv",
        title: "Connector exported with Export-Csv (refused: lists are lost)",
        confidence: { sample in ConnectorExportCSV(sample)?.confidence ?? 0 },
        refusal: { sample in ConnectorExportCSV(sample)?.refusal ?? ConnectorExportCSV.genericRefusal }
    )
}

/// Recognises configuration exports from their first lines.
enum ConfigurationSniffer {
    /// Property names only configuration objects have (any one is enough).
    static let distinctiveProperties = [
        "TlsSenderCertificateName", "SenderIPAddresses", "RestrictDomainsToIPAddresses", "RestrictDomainsToCertificate",
        "AddressSpaces", "SmartHostsString", "DNSRoutingEnabled", "RemoteIPRanges", "TlsDomainCapabilities",
        "CertificateDomains", "UseMXRecord", "RouteAllMessagesViaOnPremises", "AssociatedAcceptedDomains",
    ]
    /// Pairs of property names that together identify a configuration object.
    static let distinctivePairs = [
        ("DomainName", "DomainType"), ("ConnectorType", "SenderDomains"), ("SmartHosts", "RecipientDomains"),
        ("SmartHosts", "TlsAuthLevel"), ("Bindings", "AuthMechanism"), ("Bindings", "PermissionGroups"), ("Thumbprint", "Services"),
    ]
    /// CliXml type names (`<T>…</T>`) of the supported cmdlets' objects.
    static let cliXmlTypeSuffixes = [
        "SystemConfiguration.AcceptedDomain<", "SmtpSendConnectorConfig<", "SystemConfiguration.ReceiveConnector<",
        "InboundConnector<", "OutboundConnector<", "ExchangeCertificate<", "X509Certificates.X509Certificate2<",
    ]

    static func jsonConfidence(_ sample: SniffSample) -> Int {
        let text = sample.lines.joined(separator: "\n")
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" else { return 0 }
        // Message traces and the Elastic wrapper are other formats' JSON.
        for foreign in ["\"MessageTraceId\"", "\"RecipientAddress\"", "\"events\""] where text.contains(foreign) { return 0 }
        return hasProperty(in: text, quoted: { "\"\($0)\"" }) ? 85 : 0
    }

    static func cliXmlConfidence(_ sample: SniffSample) -> Int {
        guard let first = sample.firstLine, first.contains("<Objs"), first.contains("Version=") else { return 0 }
        let text = sample.lines.joined(separator: "\n")
        guard text.contains("schemas.microsoft.com/powershell/2004/04") else { return 0 }
        if cliXmlTypeSuffixes.contains(where: { text.contains($0) }) { return 95 }
        return hasProperty(in: text, quoted: { "N=\"\($0)\"" }) ? 90 : 0
    }

    private static func hasProperty(in text: String, quoted: (String) -> String) -> Bool {
        if distinctiveProperties.contains(where: { text.contains(quoted($0)) }) { return true }
        return distinctivePairs.contains { text.contains(quoted($0.0)) && text.contains(quoted($0.1)) }
    }
}
