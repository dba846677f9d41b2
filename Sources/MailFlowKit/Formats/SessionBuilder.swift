/// Assembles one ``SMTPSession`` from its protocol-log lines.
final class SessionBuilder {
    var session: SMTPSession

    /// Commands awaiting their reply, oldest first (SMTP pipelining keeps replies in order).
    private var pending: [PendingReply] = []
    private var certificate: PresentedCertificate?
    /// The InternetMessageId announced for the next transaction.
    private var announcedMessageId: String?

    private enum PendingReply {
        case helo, mailFrom, recipient(Int), data, dataFinal, other
    }

    init(_ session: SMTPSession) {
        self.session = session
    }

    func command(_ data: UnsafeRawBufferPointer, time: Int64, line: Line) {
        flushCertificate()
        let text = ByteText.trimmed(data)
        if ByteText.hasPrefix(text, "EHLO ", ignoringCase: true) || ByteText.hasPrefix(text, "HELO ", ignoringCase: true) {
            session.helo = ByteText.string(ByteText.trimmed(UnsafeRawBufferPointer(rebasing: text[5...])))
            pending.append(.helo)
        } else if ByteText.hasPrefix(text, "MAIL FROM:", ignoringCase: true) {
            let (address, parameters) = Self.pathAndParameters(UnsafeRawBufferPointer(rebasing: text[10...]))
            var transaction = SMTPTransaction(mailFrom: address, timeMs: time, line: line.number, offset: line.offset)
            transaction.xoorg = Self.parameter("XOORG", in: parameters)
            transaction.messageId = announcedMessageId
            announcedMessageId = nil
            session.transactions.append(transaction)
            pending.append(.mailFrom)
        } else if ByteText.hasPrefix(text, "RCPT TO:", ignoringCase: true) {
            let (address, _) = Self.pathAndParameters(UnsafeRawBufferPointer(rebasing: text[8...]))
            if session.transactions.isEmpty {
                session.transactions.append(SMTPTransaction(mailFrom: "", timeMs: time, line: line.number, offset: line.offset))
            }
            let last = session.transactions.count - 1
            session.transactions[last].recipients.append(SMTPRecipient(address: address, reply: nil, line: line.number, offset: line.offset))
            pending.append(.recipient(session.transactions[last].recipients.count - 1))
        } else if ByteText.equals(text, "DATA", ignoringCase: true) || ByteText.hasPrefix(text, "BDAT ", ignoringCase: true) {
            pending.append(.data)
        } else {
            pending.append(.other)
        }
    }

    func reply(_ data: UnsafeRawBufferPointer) {
        flushCertificate()
        let text = ByteText.trimmed(data)
        guard let status = SMTPStatus.parse(text) else { return }
        // `250-…` continuation lines of a multi-line reply: only the last line completes a command.
        if text.count > 3, text[3] == UInt8(ascii: "-") {
            if status.code == 220, session.banner == nil, pending.isEmpty { session.banner = ByteText.string(text) }
            return
        }
        let reply = SMTPReply(code: status.code, enhancedCode: status.enhanced.map(ByteText.string), text: ByteText.string(text))
        guard !pending.isEmpty else {
            if status.code == 220, session.banner == nil { session.banner = reply.text }
            return
        }
        let awaiting = pending.removeFirst()
        guard let last = session.transactions.indices.last else { return }
        switch awaiting {
        case .mailFrom:
            session.transactions[last].mailFromReply = reply
        case .recipient(let index):
            session.transactions[last].recipients[index].reply = reply
        case .data:
            if status.code == 354 {
                pending.insert(.dataFinal, at: 0)
            } else {
                acceptDataReply(reply, transaction: last)
            }
        case .dataFinal:
            acceptDataReply(reply, transaction: last)
        case .helo, .other:
            break
        }
    }

    private func acceptDataReply(_ reply: SMTPReply, transaction: Int) {
        session.transactions[transaction].dataReply = reply
        // `250 2.6.0 <id@host> [InternalId=…] Queued mail for delivery` names the message.
        if session.transactions[transaction].messageId == nil, let id = Self.bracketedMessageId(in: reply.text) {
            session.transactions[transaction].messageId = id
        }
    }

    func information(data: UnsafeRawBufferPointer, context: UnsafeRawBufferPointer, line: Line) {
        let contextText = ByteText.trimmed(context)
        if ByteText.hasPrefix(contextText, "Certificate ", ignoringCase: false) {
            certificateAttribute(contextText, data: data, line: line)
            return
        }
        if let role = Self.certificateRole(contextText) {
            flushCertificate()
            var presented = PresentedCertificate(role: role, certificate: CertificateRecord(), line: line.number, offset: line.offset)
            if ByteText.hasPrefix(UnsafeRawBufferPointer(rebasing: contextText[contextText.firstIndex(of: 0x20)!...]), " certificate Subject") {
                presented.certificate = CombinedCertificateLine.parse(ByteText.string(data))
                session.certificates.append(presented)
            } else {
                certificate = presented
            }
            return
        }
        flushCertificate()
        let text = contextText.count > 0 ? contextText : ByteText.trimmed(data)
        if ByteText.hasPrefix(text, "TLS protocol ") {
            let rest = UnsafeRawBufferPointer(rebasing: text[13...])
            let end = ByteText.index(of: 0x20, in: rest) ?? rest.count
            session.tlsProtocol = ByteText.string(UnsafeRawBufferPointer(rebasing: rest[..<end]))
        } else if ByteText.hasPrefix(text, "TlsDomainCapabilities=") {
            session.tlsStatus = ByteText.string(text)
        } else if ByteText.hasPrefix(text, "sending message with RecordId ") {
            let message = ByteText.string(text)
            // Exchange logs this just before the `MAIL FROM` of the message it names.
            if let id = message.split(separator: " ").last, id.hasPrefix("<") {
                announcedMessageId = String(id)
            }
        } else if ByteText.hasPrefix(text, "Failed to connect") {
            session.endReason = ByteText.string(text)
        }
    }

    /// `Sending certificate`, `Remote certificate` or `Received certificate`, with or without
    /// the combined-layout column list after it.
    private static func certificateRole(_ context: UnsafeRawBufferPointer) -> CertificateRole? {
        if ByteText.hasPrefix(context, "Sending certificate") { return .sending }
        if ByteText.hasPrefix(context, "Remote certificate") || ByteText.hasPrefix(context, "Received certificate") { return .remote }
        return nil
    }

    /// One attribute line of the older one-attribute-per-line layout.
    private func certificateAttribute(_ context: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, line: Line) {
        if certificate == nil {
            // An attribute with no preceding role line: the older logs name only the thumbprint.
            certificate = PresentedCertificate(role: session.direction == .send ? .remote : .sending,
                                               certificate: CertificateRecord(), line: line.number, offset: line.offset)
        }
        let value = ByteText.string(ByteText.trimmed(data))
        guard !value.isEmpty else { return }
        if ByteText.equals(context, "Certificate subject") {
            certificate?.certificate.subject = value
        } else if ByteText.equals(context, "Certificate issuer name") {
            certificate?.certificate.issuer = value
        } else if ByteText.equals(context, "Certificate serial number") {
            certificate?.certificate.serialNumber = value
        } else if ByteText.equals(context, "Certificate thumbprint") {
            certificate?.certificate.thumbprint = value
        } else if ByteText.equals(context, "Certificate alternate names") {
            certificate?.certificate.alternateNames = value.split(separator: ";").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        } else if ByteText.hasPrefix(context, "Certificate not before") || ByteText.hasPrefix(context, "Certificate valid from") {
            certificate?.certificate.notBefore = value
        } else if ByteText.hasPrefix(context, "Certificate not after") || ByteText.hasPrefix(context, "Certificate valid to") {
            certificate?.certificate.notAfter = value
        }
    }

    func flushCertificate() {
        guard let certificate else { return }
        self.certificate = nil
        if !certificate.certificate.isEmpty { session.certificates.append(certificate) }
    }

    /// Splits `<a@b.com> SIZE=123 XOORG=contoso.com` into the address and the parameter text.
    static func pathAndParameters(_ bytes: UnsafeRawBufferPointer) -> (String, UnsafeRawBufferPointer) {
        let text = ByteText.trimmed(bytes)
        if text.count > 0, text[0] == UInt8(ascii: "<"), let close = ByteText.index(of: UInt8(ascii: ">"), in: text) {
            return (ByteText.string(UnsafeRawBufferPointer(rebasing: text[1..<close])), UnsafeRawBufferPointer(rebasing: text[(close + 1)...]))
        }
        let end = ByteText.index(of: 0x20, in: text) ?? text.count
        return (ByteText.string(UnsafeRawBufferPointer(rebasing: text[..<end])), UnsafeRawBufferPointer(rebasing: text[end...]))
    }

    /// The value of an ESMTP parameter (`XOORG=contoso.com`), case-insensitive on the name.
    static func parameter(_ name: String, in parameters: UnsafeRawBufferPointer) -> String? {
        for token in ByteText.string(parameters).split(separator: " ") {
            guard let equals = token.firstIndex(of: "=") else { continue }
            if token[..<equals].caseInsensitiveEquals(name) { return String(token[token.index(after: equals)...]) }
        }
        return nil
    }

    static func bracketedMessageId(in text: String) -> String? {
        guard let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">"),
            text[open..<close].contains("@")
        else { return nil }
        return String(text[open...close])
    }
}
