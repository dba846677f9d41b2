/// Reads a Postfix relay's syslog (`/var/log/mail.log`, `maillog`) into relay-log message events.
///
/// Each delivery line of a Postfix delivery agent (`postfix/smtp`, `postfix/lmtp`,
/// `postfix/relay/smtp`, …) becomes one event:
///
/// ```
/// Nov 24 09:03:12 relay1 postfix/smtp[4377]: 5BBB918C6: to=<ann@fabrikam.com>,
///     relay=fabrikam-com.mail.protection.outlook.com[52.101.68.10]:25, delay=1.3, delays=0.01/0/0.24/1.1,
///     dsn=5.7.64, status=bounced (host fabrikam-com.mail.protection.outlook.com[52.101.68.10] said:
///     550 5.7.64 TenantAttribution; Relay Access Denied [….prod.protection.outlook.com] (in reply to RCPT TO command))
/// ```
///
/// The message's `Message-ID` (`postfix/cleanup`) and envelope sender and size (`postfix/qmgr`)
/// are logged on earlier lines of the same queue id; they are remembered per queue id until the
/// `removed` line. All other lines (`connect from`, other daemons, other programs) are skipped
/// without complaint; only a line shaped like a delivery line that cannot be read is quarantined.
///
/// Timestamps are classic syslog (`Nov 24 09:03:12`, given a year by ``SyslogYearResolver``) or
/// RFC 3339 with an offset (converted to UTC).
public final class PostfixLogParser: LineParser {
    private var years: SyslogYearResolver
    private var queue: PostfixQueueTable
    private var details: [UInt8] = []

    public init(options: ParseOptions = ParseOptions(), queueCapacity: Int = 100_000) {
        years = SyslogYearResolver(options: options)
        queue = PostfixQueueTable(capacity: queueCapacity)
    }

    /// The first line of the oldest message still being followed: replaying from there gives
    /// later deliveries their message id and sender again.
    public var heldBack: Checkpoint? { queue.oldestFirstLine() }

    public var notes: [String] {
        var notes: [String] = []
        if let note = years.note { notes.append(note) }
        if queue.evictedCount > 0 {
            notes.append("\(queue.evictedCount) queued message(s) were forgotten before their 'removed' line (more than \(queue.capacity) in flight); their later deliveries have no message id or sender")
        }
        return notes
    }

    public func parse(_ line: Line, into batch: inout RecordBatch) {
        let bytes = line.bytes
        guard bytes.count > 0 else { return }
        guard let syslog = SyslogLine(bytes) else {
            if Self.looksLikeDelivery(bytes) {
                batch.quarantine(line, .badTimestamp, "line \(line.number) looks like a Postfix delivery line but does not start with a syslog timestamp, host and tag")
            }
            return
        }
        guard syslog.isPostfix else { return }
        let message = syslog.message
        guard let (queueId, remainder) = Self.queueId(in: message) else {
            if ByteText.hasPrefix(message, "to=<") || Self.looksLikeDelivery(message) {
                batch.quarantine(line, .malformedLine, "line \(line.number) looks like a Postfix delivery line but has no queue id")
            }
            return
        }
        if ByteText.hasPrefix(remainder, "to=<") {
            guard let delivery = PostfixDelivery(remainder) else {
                batch.quarantine(line, .malformedLine, "line \(line.number) looks like a Postfix delivery line but its to=, relay= or status= could not be read")
                return
            }
            guard let time = time(of: syslog) else {
                batch.quarantine(line, .badTimestamp, "line \(line.number) has a timestamp that is not a real date")
                return
            }
            emit(delivery, queueId: queueId, syslog: syslog, time: time, line: line, into: &batch.events)
            return
        }
        let daemon = syslog.daemon
        let firstLine = Checkpoint(offset: line.offset, line: line.number - 1)
        if ByteText.equals(daemon, "cleanup"), ByteText.hasPrefix(remainder, "message-id=") {
            let value = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: remainder[11...]))
            queue.update(ByteText.string(queueId), firstSeenAt: firstLine) { $0.messageId = value.count > 0 ? ByteText.string(value) : nil }
        } else if ByteText.equals(daemon, "cleanup"), ByteText.hasPrefix(remainder, "info: header ") || ByteText.hasPrefix(remainder, "warning: header ") {
            if let header = PostfixHeaderLine(remainder) {
                queue.update(ByteText.string(queueId), firstSeenAt: firstLine) { entry in
                    switch header.name {
                    case .from: entry.fromAddress = header.address
                    case .subject: entry.subject = header.value
                    }
                }
            }
        } else if ByteText.equals(daemon, "qmgr") {
            if ByteText.hasPrefix(remainder, "from=<") {
                let fields = PostfixFields(remainder)
                let key = ByteText.string(queueId)
                queue.update(key, firstSeenAt: firstLine) { entry in
                    if let from = fields.value("from") { entry.sender = ByteText.string(ByteText.unbracketed(from)) }
                    if let size = fields.value("size").flatMap(ByteText.integer) { entry.size = size }
                }
                if let status = fields.value("status"), ByteText.equals(status, "expired"), let time = time(of: syslog) {
                    emitExpired(queueId: queueId, text: fields.statusText, syslog: syslog, time: time, line: line, into: &batch.events)
                }
            } else if ByteText.equals(ByteText.trimmed(remainder), "removed") {
                queue.remove(ByteText.string(queueId))
            }
        }
    }

    private func time(of syslog: SyslogLine) -> Int64? {
        switch syslog.timestamp {
        case .instant(let milliseconds):
            return milliseconds
        case let .classic(month, day, hour, minute, second, millisecond):
            return years.resolve(month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        }
    }

    private func emit(_ delivery: PostfixDelivery, queueId: UnsafeRawBufferPointer, syslog: SyslogLine, time: Int64,
                      line: Line, into events: inout EventBatch) {
        let entry = queue[ByteText.string(queueId)]
        events.beginRow(kind: .relayLog, line: line.number, offset: line.offset)
        events.current.timeMs = time
        events.current.size = entry?.size
        events.set(.timeText, syslog.timestampText)
        events.set(.event, delivery.status)
        setMessage(entry, queueId: queueId, into: &events)
        let recipient = ByteText.unbracketed(delivery.to)
        events.set(.recipient, recipient)
        events.setLowercased(.recipientDomain, ByteText.domain(ofAddress: recipient))
        if let text = delivery.statusText {
            events.set(.recipientStatus, text)
        }
        var hasEnhancedCode = false
        if let reply = delivery.reply, let status = SMTPStatus.parse(reply) {
            events.current.smtpCode = Int64(status.code)
            if let enhanced = status.enhanced {
                events.set(.enhancedCode, enhanced)
                hasEnhancedCode = true
            }
        }
        if !hasEnhancedCode, let dsn = delivery.dsn {
            events.set(.enhancedCode, dsn)
        }
        events.set(.clientHostname, syslog.host)
        events.set(.connector, syslog.program)
        details.removeAll(keepingCapacity: true)
        if let dsn = delivery.dsn { appendDetail("dsn", dsn) }
        if let delay = delivery.fields.value("delay") { appendDetail("delay", delay) }
        if let delays = delivery.fields.value("delays") { appendDetail("delays", delays) }
        if let relay = delivery.relay {
            let (host, ip, port) = Self.split(relay: relay)
            if !ByteText.equals(host, "none") { events.set(.serverHostname, host) }
            events.set(.serverIP, ip)
            if port.count > 0 { appendDetail("port", port) }
        }
        if let original = delivery.fields.value("orig_to") { appendDetail("orig_to", ByteText.unbracketed(original)) }
        if let connectionUse = delivery.fields.value("conn_use") { appendDetail("conn_use", connectionUse) }
        details.withUnsafeBytes { events.set(.details, $0) }
        events.finishRow()
    }

    /// `qmgr … from=<…>, status=expired, returned to sender`: the message gave up in the queue.
    private func emitExpired(queueId: UnsafeRawBufferPointer, text: UnsafeRawBufferPointer?, syslog: SyslogLine, time: Int64,
                             line: Line, into events: inout EventBatch) {
        let entry = queue[ByteText.string(queueId)]
        events.beginRow(kind: .relayLog, line: line.number, offset: line.offset)
        events.current.timeMs = time
        events.current.size = entry?.size
        events.set(.timeText, syslog.timestampText)
        events.set(.event, "expired")
        setMessage(entry, queueId: queueId, into: &events)
        if let text { events.set(.recipientStatus, text) }
        events.set(.clientHostname, syslog.host)
        events.set(.connector, syslog.program)
        events.finishRow()
    }

    private func setMessage(_ entry: PostfixQueueTable.Entry?, queueId: UnsafeRawBufferPointer, into events: inout EventBatch) {
        if let messageId = entry?.messageId { events.set(.messageId, messageId) }
        events.set(.internalMessageId, queueId)
        if var from = entry?.fromAddress { from.withUTF8 { events.set(.fromAddress, UnsafeRawBufferPointer($0)) } }
        if var subject = entry?.subject { subject.withUTF8 { events.set(.subject, UnsafeRawBufferPointer($0)) } }
        if var sender = entry?.sender, !sender.isEmpty {
            events.set(.sender, sender)
            sender.withUTF8 { events.setLowercased(.senderDomain, ByteText.domain(ofAddress: UnsafeRawBufferPointer($0))) }
        }
    }

    private func appendDetail(_ key: StaticString, _ value: UnsafeRawBufferPointer) {
        if !details.isEmpty { details.append(UInt8(ascii: ";")) }
        details.append(contentsOf: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        details.append(UInt8(ascii: "="))
        details.append(contentsOf: value)
    }

    /// `host[ip]:port` → (host, ip, port); `none`, `local`, `private/dovecot-lmtp` → (value, "", "").
    static func split(relay: UnsafeRawBufferPointer) -> (host: UnsafeRawBufferPointer, ip: UnsafeRawBufferPointer, port: UnsafeRawBufferPointer) {
        let empty = UnsafeRawBufferPointer(rebasing: relay[relay.count...])
        guard let open = ByteText.index(of: UInt8(ascii: "["), in: relay),
            let close = ByteText.index(of: UInt8(ascii: "]"), in: relay, from: open)
        else { return (relay, empty, empty) }
        let host = UnsafeRawBufferPointer(rebasing: relay[..<open])
        let ip = UnsafeRawBufferPointer(rebasing: relay[(open + 1)..<close])
        let port = close + 1 < relay.count && relay[close + 1] == UInt8(ascii: ":") ? UnsafeRawBufferPointer(rebasing: relay[(close + 2)...]) : empty
        return (host, ip, port)
    }

    /// The queue id that starts a Postfix message (`5BBB918C6: …`, long ids `4Qx1Yz2kLmz5N8p: …`),
    /// and what follows `: `. `NOQUEUE` is not a queue id.
    static func queueId(in message: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)? {
        var index = 0
        while index < message.count, index < 32 {
            let byte = message[index]
            let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            guard isAlphanumeric else { break }
            index += 1
        }
        guard index >= 5, index + 1 < message.count, message[index] == UInt8(ascii: ":"), message[index + 1] == 0x20 else { return nil }
        let id = UnsafeRawBufferPointer(rebasing: message[0..<index])
        if ByteText.equals(id, "NOQUEUE") { return nil }
        return (id, UnsafeRawBufferPointer(rebasing: message[(index + 2)...]))
    }

    /// A line that mentions Postfix, a recipient and a delivery status.
    static func looksLikeDelivery(_ bytes: UnsafeRawBufferPointer) -> Bool {
        (find("postfix", in: bytes) != nil || ByteText.hasPrefix(bytes, "to=<")) && find("to=<", in: bytes) != nil && find(", status=", in: bytes) != nil
    }

    /// The first index of `needle` in `bytes` at or after `start`.
    static func find(_ needle: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard count > 0, bytes.count >= count else { return nil }
        let first = needle.utf8Start[0]
        var index = start
        while index <= bytes.count - count {
            if bytes[index] == first, ByteText.hasPrefix(UnsafeRawBufferPointer(rebasing: bytes[index...]), needle) { return index }
            index += 1
        }
        return nil
    }
}
