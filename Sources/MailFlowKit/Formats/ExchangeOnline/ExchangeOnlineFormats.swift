extension InputFormat {
    /// `Get-MessageTrace` / `Get-MessageTraceV2` saved with `Export-Csv`, and the admin center's export.
    public static let exchangeOnlineMessageTraceCSV = InputFormat(
        id: "exo-message-trace-csv",
        title: "Exchange Online message trace (CSV export)",
        confidence: { sample in
            guard !ExchangeOnlineSniffing.isJSON(sample), let header = ExportedCSVReader.headerNames(in: sample.lines) else { return 0 }
            return MessageTraceColumns.confidence(names: header.names, typeLine: header.typeLine)
        },
        makeParser: { sample in LineRecordParser(MessageTraceCSVParser(options: sample.options)) }
    )

    /// Message traces as JSON: `ConvertTo-Json`, NDJSON, Reporting Web Service OData, Microsoft Graph.
    public static let exchangeOnlineMessageTraceJSON = InputFormat(
        id: "exo-message-trace-json",
        title: "Exchange Online message trace (JSON: PowerShell, Reporting Web Service, Graph)",
        confidence: { sample in
            guard let text = ExchangeOnlineSniffing.lowercasedJSON(sample) else { return 0 }
            if text.contains("\"recipientaddress\"") && (text.contains("\"received\"") || text.contains("\"receiveddatetime\"")) { return 90 }
            if text.contains("tenantreporting.messagetrace") || text.contains("messagetracingroot") || text.contains("/tracing/messagetraces") { return 85 }
            if text.contains("reportingwebservice") && text.contains("#messagetrace\"") { return 85 }
            return 0
        },
        makeParser: { sample in ExchangeOnlineSniffing.jsonParser(sample) }
    )

    /// `Get-MessageTraceDetail(V2)` saved as CSV or JSON, and Graph `getDetailsByRecipient` pages.
    public static let exchangeOnlineTraceDetail = InputFormat(
        id: "exo-trace-detail",
        title: "Exchange Online message trace detail (CSV or JSON)",
        confidence: { sample in
            if let text = ExchangeOnlineSniffing.lowercasedJSON(sample) {
                guard text.contains("\"event\"") else { return 0 }
                return text.contains("\"detail\"") || text.contains("\"description\"") || text.contains("\"data\"") ? 92 : 0
            }
            guard let header = ExportedCSVReader.headerNames(in: sample.lines) else { return 0 }
            return TraceDetailColumns.confidence(names: header.names, typeLine: header.typeLine)
        },
        makeParser: { sample in
            ExchangeOnlineSniffing.isJSON(sample)
                ? ExchangeOnlineSniffing.jsonParser(sample)
                : LineRecordParser(TraceDetailCSVParser(options: sample.options))
        }
    )

    /// Historical search "Enhanced summary" report (`Start-HistoricalSearch -ReportType MessageTrace`).
    public static let exchangeOnlineHistoricalSummary = InputFormat(
        id: "exo-historical-summary",
        title: "Exchange Online historical search report, Enhanced summary",
        confidence: { sample in ExchangeOnlineSniffing.historicalReport(sample) == .enhancedSummary ? 95 : 0 },
        makeParser: { sample in LineRecordParser(HistoricalReportParser(options: sample.options)) }
    )

    /// Historical search "Extended" report (`Start-HistoricalSearch -ReportType MessageTraceDetail`).
    public static let exchangeOnlineHistoricalExtended = InputFormat(
        id: "exo-historical-extended",
        title: "Exchange Online historical search report, Extended",
        confidence: { sample in ExchangeOnlineSniffing.historicalReport(sample) == .extended ? 95 : 0 },
        makeParser: { sample in LineRecordParser(HistoricalReportParser(options: sample.options)) }
    )
}

/// What the Exchange Online sniffers look at in a sample.
enum ExchangeOnlineSniffing {
    /// `ConvertTo-Json -Compress` and OData pages put a whole array on one line: lines up to this
    /// long are read (memory is bounded by the longest line, not by the file).
    static let maxJSONLineLength = 64 << 20

    static func jsonParser(_ sample: SniffSample) -> any RecordParser {
        LineRecordParser(ExchangeOnlineJSONParser(options: sample.options), maxLineLength: maxJSONLineLength)
    }

    /// True when the first non-blank character of the sample opens a JSON object or array.
    static func isJSON(_ sample: SniffSample) -> Bool {
        for line in sample.lines {
            guard let first = line.first(where: { $0 != " " && $0 != "\t" }) else { continue }
            return first == "{" || first == "["
        }
        return false
    }

    /// The sample's text, lower-cased and with the space after `"key":` kept, when it is JSON.
    static func lowercasedJSON(_ sample: SniffSample) -> String? {
        guard isJSON(sample) else { return nil }
        return sample.lines.joined(separator: "\n").lowercased()
    }

    static func historicalReport(_ sample: SniffSample) -> HistoricalReportColumns.Report? {
        guard !isJSON(sample), let header = ExportedCSVReader.headerNames(in: sample.lines) else { return nil }
        return HistoricalReportColumns(names: header.names)?.report
    }
}
