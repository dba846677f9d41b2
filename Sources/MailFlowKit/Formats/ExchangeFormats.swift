extension InputFormat {
    /// Exchange Server message tracking logs (`MSGTRK*.LOG`), 2010 and 2013+.
    public static let exchangeMessageTracking = InputFormat(
        id: "exchange-message-tracking",
        title: "Exchange Server message tracking log",
        confidence: { sample in
            for line in sample.lines.prefix(10) {
                if line.lowercased().hasPrefix("#log-type:") { return line.lowercased().contains("message tracking") ? 100 : 0 }
            }
            guard let first = sample.firstLine else { return 0 }
            if first.lowercased().hasPrefix("date-time,client-ip,") { return 90 }
            // No header at all: a data row of 30 (2013+) or 26 (2010) fields starting with a timestamp.
            let fields = csvFields(first)
            if fields.count == 30 || fields.count == 26, Timestamp.parseISO8601(fields[0]) != nil,
                fields.count > 8, fields[8].allSatisfy({ $0.isUppercase || $0 == "_" }) {
                return 60
            }
            return 0
        },
        makeParser: { _ in LineRecordParser(TrackingLogParser()) }
    )

    /// Exchange Server SMTP Send and Receive protocol logs (`SEND*.LOG`, `RECV*.LOG`).
    public static let exchangeProtocolLog = InputFormat(
        id: "exchange-smtp-protocol",
        title: "Exchange Server SMTP protocol log",
        confidence: { sample in
            for line in sample.lines.prefix(10) {
                let lowered = line.lowercased()
                if lowered.hasPrefix("#log-type:") { return lowered.contains("smtp send") || lowered.contains("smtp receive") ? 100 : 0 }
            }
            guard let first = sample.firstLine else { return 0 }
            return isProtocolLogLine(first) ? 60 : 0
        },
        makeParser: { sample in LineRecordParser(ProtocolLogParser(direction: directionHint(path: sample.path))) }
    )

    /// A 9-field protocol-log data line: timestamp, connector, hex session id, …, event.
    static func isProtocolLogLine(_ line: String) -> Bool {
        let fields = csvFields(line)
        return fields.count == 9 && Timestamp.parseISO8601(fields[0]) != nil
            && ProtocolLogParser.sessionKey(fields[2]) != nil && ["+", "-", "<", ">", "*"].contains(fields[6])
    }

    /// Which side wrote a protocol log, judged from its path (`…\SmtpSend\SEND2023….LOG`).
    static func directionHint(path: String) -> SMTPSession.Direction? {
        let components = path.lowercased().split(separator: "/")
        for component in components.reversed() {
            if component.hasPrefix("send") || component.contains("smtpsend") { return .send }
            if component.hasPrefix("recv") || component.contains("smtpreceive") || component.contains("smtprecive") { return .receive }
        }
        return nil
    }

    static func csvFields(_ line: String) -> [String] {
        var scanner = CSVScanner()
        defer { scanner.deallocate() }
        var line = line
        return line.withUTF8 { bytes in
            scanner.scan(UnsafeRawBufferPointer(bytes))
            return scanner.fields.map(ByteText.string)
        }
    }
}

extension ProtocolLogParser {
    static func sessionKey(_ text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { sessionKey(UnsafeRawBufferPointer($0)) }
    }
}
