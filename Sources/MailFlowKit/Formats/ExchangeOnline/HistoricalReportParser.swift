/// Where the columns of an Exchange Online historical search report are, found by name.
///
/// Two reports exist: the *Enhanced summary* (`Start-HistoricalSearch -ReportType MessageTrace`,
/// one line per message with all recipients in `recipient_status`) and the *Extended* report
/// (`-ReportType MessageTraceDetail`, the message-tracking schema with underscores). Names are
/// matched case-insensitively and without underscores.
struct HistoricalReportColumns: ExportedCSVColumns {
    enum Report: Equatable {
        case enhancedSummary
        case extended
    }

    let report: Report
    var time: Int
    var timeName: String
    var senderAddress: Int?
    var recipientStatus: Int?
    var messageSubject: Int?
    var totalBytes: Int?
    var messageId: Int?
    var networkMessageId: Int?
    var originalClientIP: Int?
    var directionality: Int?
    var connectorId: Int?
    var deliveryPriority: Int?
    // Extended only.
    var clientIP: Int?
    var clientHostname: Int?
    var serverIP: Int?
    var serverHostname: Int?
    var sourceContext: Int?
    var source: Int?
    var eventId: Int?
    var internalMessageId: Int?
    var recipientAddress: Int?
    var returnPath: Int?
    var tenantId: Int?
    var customData: Int?

    init?(names: [String]) {
        func index(_ aliases: String...) -> Int? {
            for alias in aliases { if let index = names.firstIndex(of: alias) { return index } }
            return nil
        }
        if let time = index("origintimestamputc", "origintimestamp"), let status = index("recipientstatus") {
            report = .enhancedSummary
            self.time = time
            recipientStatus = status
        } else if let time = index("datetimeutc", "datetime"), let event = index("eventid"), let recipient = index("recipientaddress") {
            report = .extended
            self.time = time
            eventId = event
            recipientAddress = recipient
            recipientStatus = index("recipientstatus")
        } else {
            return nil
        }
        timeName = names[time]
        senderAddress = index("senderaddress")
        messageSubject = index("messagesubject")
        totalBytes = index("totalbytes")
        messageId = index("messageid")
        networkMessageId = index("networkmessageid")
        originalClientIP = index("originalclientip")
        directionality = index("directionality")
        connectorId = index("connectorid")
        deliveryPriority = index("deliverypriority")
        clientIP = index("clientip")
        clientHostname = index("clienthostname")
        serverIP = index("serverip")
        serverHostname = index("serverhostname")
        sourceContext = index("sourcecontext")
        source = index("source")
        internalMessageId = index("internalmessageid")
        returnPath = index("returnpath")
        tenantId = index("tenantid")
        customData = index("customdata")
    }
}

/// An Extended report is the message-tracking schema, read into events the same way.
extension HistoricalReportColumns: TrackingLogColumns {
    var dateTime: Int? { time }
}

/// Reads Exchange Online historical search reports (Enhanced summary and Extended) into events.
///
/// The downloads are UTF-16LE with a BOM (the line framer transcodes them), comma-separated and
/// quoted. An Enhanced summary line lists every recipient in `recipient_status` as
/// `a@x.com##Receive, Deliver;b@y.com##Receive, Fail`: each becomes one event whose event is the
/// last step (`Deliver`, `Fail`) and whose recipient status is the whole list of steps. An
/// Extended line is read like an on-premises tracking log line (one event per recipient of the
/// `;`-separated lists), with `tenant_id` as the tenant hint, `connector_id` as the connector and
/// the `S:` entries of `custom_data` (such as `S:InboundConnectorData=Name=…`) kept in `details`.
public final class HistoricalReportParser: LineParser, ExportedCSVParser {
    let reader = ExportedCSVReader()
    let timeline: CultureTimeline
    var columns: HistoricalReportColumns?
    private var recipients: [UnsafeRawBufferPointer] = []
    private var statuses: [UnsafeRawBufferPointer] = []

    public init(options: ParseOptions = ParseOptions()) {
        timeline = CultureTimeline(kind: .historicalReport, options: options)
    }

    var expectedColumns: String {
        "origin_timestamp_utc and recipient_status for an Enhanced summary, or date_time_utc, event_id and recipient_address for an Extended report"
    }

    func emitRows(_ fields: [UnsafeRawBufferPointer], columns: HistoricalReportColumns, stamp: CultureTimeline.Stamp, record: Line,
                  into events: inout EventBatch) {
        switch columns.report {
        case .enhancedSummary: readSummary(fields, columns: columns, stamp: stamp, record: record, into: &events)
        case .extended: readExtended(fields, columns: columns, stamp: stamp, record: record, into: &events)
        }
    }

    private func readSummary(_ fields: [UnsafeRawBufferPointer], columns: HistoricalReportColumns, stamp: CultureTimeline.Stamp,
                             record: Line, into events: inout EventBatch) {
        func field(_ index: Int?) -> UnsafeRawBufferPointer { index.map { ByteText.trimmed(fields[$0]) } ?? MessageTraceRow.empty }
        RecipientStatusSplitter.splitRecipients(field(columns.recipientStatus), into: &recipients)
        let sender = field(columns.senderAddress)
        let size = ByteText.integer(field(columns.totalBytes))
        var details: [UInt8] = []
        TraceDetailRow.appendDetail("DeliveryPriority", field(columns.deliveryPriority), to: &details)
        for index in 0..<max(1, recipients.count) {
            var address = MessageTraceRow.empty
            var steps = MessageTraceRow.empty
            if index < recipients.count {
                let entry = recipients[index]
                if let separator = Self.doubleHash(in: entry) {
                    address = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: entry[..<separator]))
                    steps = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: entry[(separator + 2)...]))
                } else {
                    address = entry
                }
            }
            timeline.emit(stamp, line: record, into: &events) { events in
                events.current.size = size
                events.set(.timeText, field(columns.time))
                events.set(.event, Self.lastStep(of: steps))
                events.set(.recipientStatus, steps)
                events.set(.messageId, field(columns.messageId))
                events.set(.networkMessageId, field(columns.networkMessageId))
                events.set(.sender, sender)
                events.setLowercased(.senderDomain, ByteText.domain(ofAddress: sender))
                events.set(.recipient, address)
                events.setLowercased(.recipientDomain, ByteText.domain(ofAddress: address))
                events.set(.originalClientIP, field(columns.originalClientIP))
                events.set(.directionality, field(columns.directionality))
                events.set(.connector, field(columns.connectorId))
                events.set(.subject, field(columns.messageSubject))
                details.withUnsafeBytes { events.set(.details, $0) }
            }
        }
    }

    private func readExtended(_ fields: [UnsafeRawBufferPointer], columns: HistoricalReportColumns, stamp: CultureTimeline.Stamp,
                              record: Line, into events: inout EventBatch) {
        func field(_ index: Int?) -> UnsafeRawBufferPointer { index.map { ByteText.trimmed(fields[$0]) } ?? MessageTraceRow.empty }
        RecipientStatusSplitter.splitRecipients(field(columns.recipientAddress), into: &recipients)
        RecipientStatusSplitter.split(field(columns.recipientStatus), into: &statuses)
        var values = TrackingLogFields(fields, columns: columns, trimming: true)
        if ByteText.equals(field(columns.source), "SMTP", ignoringCase: true) {
            values.sessionId = TrackingLogParser.sessionId(inSourceContext: field(columns.sourceContext))
        }
        var details: [UInt8] = []
        var inboundConnector = MessageTraceRow.empty
        Self.forEachCustomDataEntry(field(columns.customData)) { entry in
            guard ByteText.hasPrefix(entry, "S:", ignoringCase: true) else { return }
            let body = UnsafeRawBufferPointer(rebasing: entry[2...])
            guard let equals = ByteText.index(of: UInt8(ascii: "="), in: body) else { return }
            let name = UnsafeRawBufferPointer(rebasing: body[..<equals])
            let value = UnsafeRawBufferPointer(rebasing: body[(equals + 1)...])
            TraceDetailRow.appendDetail(UnsafeRawBufferPointer(rebasing: entry[..<(equals + 2)]), value, to: &details)
            if ByteText.equals(name, "InboundConnectorData", ignoringCase: true), ByteText.hasPrefix(value, "Name=", ignoringCase: true) {
                let rest = UnsafeRawBufferPointer(rebasing: value[5...])
                let end = ByteText.index(of: UInt8(ascii: ";"), in: rest) ?? rest.count
                inboundConnector = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: rest[..<end]))
            }
        }
        values.fallbackConnector = inboundConnector
        for row in 0..<max(1, recipients.count) {
            timeline.emit(stamp, line: record, into: &events) { events in
                values.fill(&events, row: row, recipients: recipients, statuses: statuses)
                details.withUnsafeBytes { events.set(.details, $0) }
            }
        }
    }

    static func doubleHash(in entry: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index + 1 < entry.count {
            if entry[index] == UInt8(ascii: "#"), entry[index + 1] == UInt8(ascii: "#") { return index }
            index += 1
        }
        return nil
    }

    /// `Receive, Deliver` → `Deliver`.
    static func lastStep(of steps: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var index = steps.count - 1
        while index >= 0, steps[index] != UInt8(ascii: ",") { index -= 1 }
        return ByteText.trimmed(UnsafeRawBufferPointer(rebasing: steps[(index + 1)...]))
    }

    /// Calls `body` with each `X:Key=Value` entry of a `custom_data` field; a `;` not followed by
    /// a type letter and colon belongs to the value (`S:InboundConnectorData=Name=A;ConnectorType=OnPremises`).
    static func forEachCustomDataEntry(_ data: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard data.count > 0 else { return }
        var start = 0
        var index = 0
        while index <= data.count {
            let atEnd = index == data.count
            if atEnd || (data[index] == UInt8(ascii: ";") && startsEntry(data, at: index + 1)) {
                let entry = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: data[start..<index]))
                if entry.count > 0 { body(entry) }
                start = index + 1
            }
            index += 1
        }
    }

    private static func startsEntry(_ data: UnsafeRawBufferPointer, at index: Int) -> Bool {
        guard index + 1 < data.count else { return index >= data.count }
        let letter = data[index]
        return ((letter >= 0x41 && letter <= 0x5A) || (letter >= 0x61 && letter <= 0x7A)) && data[index + 1] == UInt8(ascii: ":")
    }
}
