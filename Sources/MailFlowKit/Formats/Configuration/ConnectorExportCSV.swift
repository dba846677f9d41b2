/// A connector (or certificate) exported with `Export-Csv`, recognised in order to be refused.
///
/// `Export-Csv` writes each multi-valued property as its type name (`System.String[]`,
/// `System.Object[]`, `Microsoft.Exchange.Data.MultiValuedProperty`1[…]`), so the sender IPs,
/// sender domains, smart hosts or address spaces that attribution needs are gone. The refusal
/// names the cmdlet the columns reveal and the command that exports it faithfully.
struct ConnectorExportCSV {
    /// The cmdlet whose output the CSV holds.
    enum Cmdlet: String, CaseIterable {
        case inboundConnector = "Get-InboundConnector"
        case outboundConnector = "Get-OutboundConnector"
        case sendConnector = "Get-SendConnector"
        case receiveConnector = "Get-ReceiveConnector"
        case exchangeCertificate = "Get-ExchangeCertificate"

        var fileStem: String {
            switch self {
            case .inboundConnector: return "inbound-connectors"
            case .outboundConnector: return "outbound-connectors"
            case .sendConnector: return "send-connectors"
            case .receiveConnector: return "receive-connectors"
            case .exchangeCertificate: return "exchange-certificates"
            }
        }

        /// The lists of this cmdlet's objects that a CSV cannot carry.
        var listProperties: [String] {
            switch self {
            case .inboundConnector: return ["SenderIPAddresses", "SenderDomains", "AssociatedAcceptedDomains", "TrustedOrganizations"]
            case .outboundConnector: return ["SmartHosts", "RecipientDomains"]
            case .sendConnector: return ["AddressSpaces", "SmartHosts", "SourceTransportServers"]
            case .receiveConnector: return ["Bindings", "RemoteIPRanges", "TlsDomainCapabilities"]
            case .exchangeCertificate: return ["CertificateDomains"]
            }
        }

        /// Which cmdlet a `#TYPE` line's type name belongs to.
        init?(typeName: String) {
            if typeName.contains("InboundConnector") { self = .inboundConnector }
            else if typeName.contains("OutboundConnector") { self = .outboundConnector }
            else if typeName.contains("SmtpSendConnectorConfig") || typeName.contains("SendConnector") { self = .sendConnector }
            else if typeName.contains("ReceiveConnector") { self = .receiveConnector }
            else if typeName.contains("ExchangeCertificate") { self = .exchangeCertificate }
            else { return nil }
        }

        /// Which cmdlet a header (lower-cased column names) belongs to.
        init?(columns: Set<String>) {
            if columns.contains("tlssendercertificatename") || columns.contains("senderipaddresses") || columns.contains("restrictdomainstoipaddresses") {
                self = .inboundConnector
            } else if columns.contains("smarthosts"), columns.contains("usemxrecord") || columns.contains("recipientdomains") || columns.contains("tlssettings") {
                self = .outboundConnector
            } else if columns.contains("addressspaces") || columns.contains("smarthostsstring") || columns.contains("dnsroutingenabled") {
                self = .sendConnector
            } else if columns.contains("bindings") || columns.contains("remoteipranges") {
                self = .receiveConnector
            } else if columns.contains("certificatedomains"), columns.contains("thumbprint") {
                self = .exchangeCertificate
            } else {
                return nil
            }
        }
    }

    let cmdlet: Cmdlet
    /// List columns whose values are type names instead of the lists.
    let lostColumns: [String]

    /// Recognises the CSV, or `nil` when the sample is not a connector export.
    init?(_ sample: SniffSample) {
        let lines = sample.lines.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        var headerIndex = 0
        var typeCmdlet: Cmdlet?
        if lines[0].hasPrefix("#TYPE") {
            typeCmdlet = Cmdlet(typeName: lines[0])
            headerIndex = 1
        }
        guard headerIndex < lines.count, lines[headerIndex].contains(",") else { return nil }
        let header = InputFormat.csvFields(lines[headerIndex]).map { ExportedValue.trimmed($0) }
        guard header.count >= 2, let cmdlet = Cmdlet(columns: Set(header.map { $0.lowercased() })) ?? typeCmdlet else { return nil }
        self.cmdlet = cmdlet
        var lost: [String] = []
        for line in lines.dropFirst(headerIndex + 1) {
            for (index, value) in InputFormat.csvFields(line).enumerated() where index < header.count && Self.isTypeName(value) {
                if !lost.contains(header[index]) { lost.append(header[index]) }
            }
        }
        lostColumns = lost
    }

    /// `System.String[]`, `System.Object[]`, `Microsoft.Exchange.Data.MultiValuedProperty`1[…]`, …
    static func isTypeName(_ value: String) -> Bool {
        let trimmed = ExportedValue.trimmed(value)
        return trimmed == "System.String[]" || trimmed == "System.Object[]" || trimmed.hasPrefix("Microsoft.Exchange.Data.MultiValuedProperty")
            || trimmed.hasPrefix("System.Collections.") || trimmed.hasPrefix("Deserialized.Microsoft.Exchange.Data.MultiValuedProperty")
    }

    var confidence: Int { lostColumns.isEmpty ? 80 : 95 }

    /// The sentence telling the user what happened and exactly what to run instead.
    var refusal: String {
        let lists = lostColumns.isEmpty ? cmdlet.listProperties : lostColumns
        let listText = lists.joined(separator: ", ")
        let what = lostColumns.isEmpty
            ? "this CSV export of \(cmdlet.rawValue) cannot carry the lists attribution needs (\(listText))"
            : "this CSV export of \(cmdlet.rawValue) lost the lists attribution needs: \(listText) hold a type name such as 'System.String[]' instead of their values"
        return "\(what); export it again with: \(cmdlet.rawValue) | ConvertTo-Json -Depth 5 | Out-File \(cmdlet.fileStem).json (or: \(cmdlet.rawValue) | Export-Clixml \(cmdlet.fileStem).xml)"
    }

    static let genericRefusal = "a CSV export of a connector loses its lists; export it with: Get-InboundConnector | ConvertTo-Json -Depth 5 | Out-File inbound-connectors.json (or Export-Clixml)"
}
