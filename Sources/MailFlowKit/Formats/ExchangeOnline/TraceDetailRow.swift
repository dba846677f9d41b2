/// The values of one message trace detail event (`Get-MessageTraceDetail(V2)`, Graph
/// `getDetailsByRecipient`), from CSV or JSON alike.
///
/// `Event` becomes the event; `Data`'s MEP values fill the endpoint, connector and sender
/// columns (see ``TraceDetailData``); the failure tail of `Detail` gives the SMTP status (see
/// ``TraceDetailFailure``). Everything else worth keeping goes into `details` as `Name=value;`:
/// `Action`, `Detail` (unless it is a failure tail, kept in its parts), the tail's `MSG`, `FQDN`,
/// `IP`, `LRT`, and the MEPs not mapped to a column (`CustomData`, `RcptCount`…).
struct TraceDetailRow {
    var date = MessageTraceRow.empty
    var event = MessageTraceRow.empty
    var action = MessageTraceRow.empty
    var detail = MessageTraceRow.empty
    var data = MessageTraceRow.empty
    var messageId = MessageTraceRow.empty
    var traceId = MessageTraceRow.empty
    var organization = MessageTraceRow.empty
    var recipient = MessageTraceRow.empty
    var sender = MessageTraceRow.empty

    /// Longest value kept in `details`; longer ones are cut and end in `…`.
    static let maxDetailValue = 300

    static let keyExclusions: EventFieldSet = [.timeText, .subject]

    /// Sets the fields of the current row of `events`.
    func fill(_ events: inout EventBatch) {
        events.set(.timeText, ByteText.trimmed(date))
        events.set(.event, ByteText.trimmed(event))
        events.set(.messageId, ByteText.trimmed(messageId))
        events.set(.traceId, ByteText.trimmed(traceId))
        events.set(.tenantHint, ByteText.trimmed(organization))
        let recipient = ByteText.trimmed(self.recipient)
        events.set(.recipient, recipient)
        events.setLowercased(.recipientDomain, ByteText.domain(ofAddress: recipient))

        var details: [UInt8] = []
        Self.appendDetail("Action", ByteText.trimmed(action), to: &details)
        let detail = ByteText.trimmed(self.detail)
        let failure = TraceDetailFailure(parsing: detail)
        // A failure tail is kept in its parts (status, MSG, FQDN…); other texts as they are.
        if failure.lastError == nil { Self.appendDetail("Detail", detail, to: &details) }
        var status: UnsafeRawBufferPointer?
        if let lastError = failure.lastError {
            status = UnsafeRawBufferPointer(rebasing: detail[lastError])
        } else if let start = TraceDetailFailure.statusStart(in: detail) {
            status = UnsafeRawBufferPointer(rebasing: detail[start...])
        }
        if let status {
            events.set(.recipientStatus, status)
            if let parsed = SMTPStatus.parse(status) {
                events.current.smtpCode = Int64(parsed.code)
                if let enhanced = parsed.enhanced { events.set(.enhancedCode, enhanced) }
            }
        }
        for item in failure.items {
            Self.appendDetail(UnsafeRawBufferPointer(rebasing: detail[item.key]), UnsafeRawBufferPointer(rebasing: detail[item.value]), to: &details)
        }

        var returnPath: [UInt8] = []
        TraceDetailData.forEachValue(in: data) { name, value in
            name.withUnsafeBytes { name in
                value.withUnsafeBytes { value in
                    let value = ByteText.trimmed(value)
                    if ByteText.equals(name, "ConnectorId", ignoringCase: true) {
                        events.set(.connector, value)
                    } else if ByteText.equals(name, "ClientIP", ignoringCase: true) {
                        events.set(.clientIP, value)
                    } else if ByteText.equals(name, "ServerIP", ignoringCase: true) {
                        events.set(.serverIP, value)
                    } else if ByteText.equals(name, "ClientHostname", ignoringCase: true) {
                        events.set(.clientHostname, value)
                    } else if ByteText.equals(name, "ServerHostname", ignoringCase: true) {
                        events.set(.serverHostname, value)
                    } else if ByteText.equals(name, "Directionality", ignoringCase: true) {
                        events.set(.directionality, value)
                    } else if ByteText.equals(name, "ReturnPath", ignoringCase: true) {
                        returnPath = Array(value)
                    } else {
                        Self.appendDetail(name, value, to: &details)
                    }
                }
            }
        }
        // The P1 sender (ReturnPath) is what attribution looks at; a SenderAddress column is second best.
        func setSender(_ sender: UnsafeRawBufferPointer) {
            let sender = ByteText.trimmed(sender)
            events.set(.sender, sender)
            events.setLowercased(.senderDomain, ByteText.domain(ofAddress: sender))
        }
        if returnPath.isEmpty {
            setSender(self.sender)
        } else {
            returnPath.withUnsafeBytes { setSender($0) }
        }
        details.withUnsafeBytes { events.set(.details, $0) }
    }

    static func appendDetail(_ name: StaticString, _ value: UnsafeRawBufferPointer, to details: inout [UInt8]) {
        appendDetail(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), value, to: &details)
    }

    /// Appends `name=value;`, the value cut to ``maxDetailValue`` bytes (at a character boundary).
    static func appendDetail(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, to details: inout [UInt8]) {
        guard value.count > 0 else { return }
        details.append(contentsOf: name)
        details.append(UInt8(ascii: "="))
        if value.count <= maxDetailValue {
            details.append(contentsOf: value)
        } else {
            var end = maxDetailValue
            while end > 0, value[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a UTF-8 sequence
            details.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[..<end]))
            details.append(contentsOf: [0xE2, 0x80, 0xA6])  // …
        }
        details.append(UInt8(ascii: ";"))
    }
}

/// Where the columns of a trace detail CSV are, found by name.
struct TraceDetailColumns: ExportedCSVColumns {
    /// `Date` or one of its aliases.
    var time: Int
    var event: Int
    var action: Int?
    var detail: Int?
    var data: Int?
    var messageId: Int?
    var traceId: Int?
    var organization: Int?
    var recipient: Int?
    var sender: Int?
    var timeName: String

    init?(names: [String]) {
        func index(_ aliases: [String]) -> Int? {
            for alias in aliases { if let index = names.firstIndex(of: alias) { return index } }
            return nil
        }
        guard let time = index(["date", "datetime", "dateutc", "received"]), let event = index(["event"]) else { return nil }
        self.time = time
        self.event = event
        timeName = names[time]
        action = index(["action"])
        detail = index(["detail", "description"])
        data = index(["data"])
        guard action != nil || detail != nil || data != nil else { return nil }
        messageId = index(["messageid"])
        traceId = index(["messagetraceid", "traceid"])
        organization = index(["organization", "organisation"])
        recipient = index(["recipientaddress", "recipient"])
        sender = index(["senderaddress", "sender"])
    }

    static func confidence(names: [String], typeLine: String?) -> Int {
        guard TraceDetailColumns(names: names) != nil else { return 0 }
        var score = 85
        if names.contains("messagetraceid") || names.contains("messageid") { score += 7 }
        if let typeLine, typeLine.lowercased().contains("messagetracedetail") { score += 5 }
        return score
    }
}
