/// The `key=value, …` list of a Postfix queue-manager or delivery line, up to and including
/// `status=…` and the text that explains the status.
///
/// ```
/// to=<ann@fabrikam.com>, relay=fabrikam-com.mail.protection.outlook.com[52.101.68.10]:25, delay=5.5,
/// delays=0.09/0/0.43/5, dsn=5.7.64, status=bounced (host … said: 550 5.7.64 TenantAttribution; … (in reply to RCPT TO command))
/// from=<bob@contoso.com>, size=4411, nrcpt=1 (queue active)
/// from=<bob@contoso.com>, status=expired, returned to sender
/// ```
/// Bracketed values (`<a, b@c>`) are read to their closing `>`, so commas inside them are safe.
struct PostfixFields {
    private var pairs: [(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)] = []
    /// What follows the status: the text in parentheses, or after `, ` (`returned to sender`).
    private(set) var statusText: UnsafeRawBufferPointer?

    init(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var index = 0
        while index < count {
            let keyStart = index
            while index < count, bytes[index] != UInt8(ascii: "="), bytes[index] != 0x20, bytes[index] != UInt8(ascii: ",") { index += 1 }
            guard index < count, index > keyStart, bytes[index] == UInt8(ascii: "=") else { return }
            let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<index])
            index += 1
            let valueStart = index
            if ByteText.equals(key, "status") {
                while index < count, bytes[index] != 0x20, bytes[index] != UInt8(ascii: ",") { index += 1 }
                pairs.append((key, UnsafeRawBufferPointer(rebasing: bytes[valueStart..<index])))
                statusText = Self.explanation(bytes, from: index)
                return
            }
            if index < count, bytes[index] == UInt8(ascii: "<") {
                guard let close = ByteText.index(of: UInt8(ascii: ">"), in: bytes, from: index) else { return }
                index = close + 1
            } else {
                while index < count, !(bytes[index] == UInt8(ascii: ",") && index + 1 < count && bytes[index + 1] == 0x20), bytes[index] != 0x20 {
                    index += 1
                }
            }
            pairs.append((key, UnsafeRawBufferPointer(rebasing: bytes[valueStart..<index])))
            guard index + 1 < count, bytes[index] == UInt8(ascii: ","), bytes[index + 1] == 0x20 else { return }
            index += 2
        }
    }

    /// ` (text)` → `text`; `, text` → `text`.
    private static func explanation(_ bytes: UnsafeRawBufferPointer, from start: Int) -> UnsafeRawBufferPointer? {
        var index = start
        if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.count else { return nil }
        var end = bytes.count
        while end > index, bytes[end - 1] == 0x20 { end -= 1 }
        if bytes[index] == UInt8(ascii: "("), end > index + 1, bytes[end - 1] == UInt8(ascii: ")") {
            return UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<(end - 1)])
        }
        return UnsafeRawBufferPointer(rebasing: bytes[index..<end])
    }

    func value(_ key: StaticString) -> UnsafeRawBufferPointer? {
        pairs.first { ByteText.equals($0.key, key) }?.value
    }
}

/// One Postfix delivery attempt: `to=<…>, relay=…, …, dsn=…, status=… (…)`.
struct PostfixDelivery {
    let fields: PostfixFields
    /// `<ann@fabrikam.com>`, with its brackets.
    let to: UnsafeRawBufferPointer
    /// `sent`, `bounced`, `deferred`, `expired`, …
    let status: UnsafeRawBufferPointer
    let relay: UnsafeRawBufferPointer?
    let dsn: UnsafeRawBufferPointer?
    /// The text in parentheses after the status.
    let statusText: UnsafeRawBufferPointer?
    /// The remote server's reply: what follows `said: `, or the whole text when it starts with a
    /// reply code (`250 2.6.0 <…> Queued mail for delivery`).
    let reply: UnsafeRawBufferPointer?

    init?(_ bytes: UnsafeRawBufferPointer) {
        fields = PostfixFields(bytes)
        guard let to = fields.value("to"), to.count >= 2, to[0] == UInt8(ascii: "<"), to[to.count - 1] == UInt8(ascii: ">"),
            let status = fields.value("status"), status.count > 0
        else { return nil }
        self.to = to
        self.status = status
        relay = fields.value("relay")
        dsn = fields.value("dsn").flatMap { $0.count > 0 ? $0 : nil }
        statusText = fields.statusText
        if let text = statusText, let said = PostfixLogParser.find("said: ", in: text) {
            reply = UnsafeRawBufferPointer(rebasing: text[(said + 6)...])
        } else if let text = statusText, SMTPStatus.parse(text) != nil {
            reply = text
        } else {
            reply = nil
        }
    }
}
