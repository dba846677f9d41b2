/// Assembles one ``SMTPSession`` from its protocol-log lines.
final class SessionBuilder {
    var session: SMTPSession

    /// Commands awaiting their reply, oldest first (SMTP pipelining keeps replies in order).
    ///
    /// Each entry names the transaction (and recipient) its command belongs to: with pipelining
    /// (RFC 2920) a second `MAIL FROM` can be sent before the first transaction's replies arrive,
    /// and with `BDAT … LAST` (RFC 3030) the final reply may follow the next `MAIL FROM`, so "the
    /// last transaction" is not where a reply belongs.
    private var pending: [PendingReply] = []
    private var certificate: PresentedCertificate?
    /// The InternetMessageId announced for the next transaction.
    private var announcedMessageId: String?

    private enum PendingReply {
        case helo
        case mailFrom(transaction: Int)
        case recipient(transaction: Int, index: Int)
        /// `DATA`: a `354` is followed by the final reply.
        case data(transaction: Int)
        /// The reply after the message body, or to `BDAT … LAST`.
        case dataFinal(transaction: Int)
        /// A `BDAT` chunk that is not the last: only a failure ends the transaction.
        case dataChunk(transaction: Int)
        case other
    }

    /// Index of the transaction whose `MAIL FROM` was in an earlier file (log rollover), while
    /// its `250 2.1.0` may still arrive before the first `RCPT TO` reply.
    private var orphanTransaction: Int?

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
            orphanTransaction = nil
            pending.append(.mailFrom(transaction: session.transactions.count - 1))
        } else if ByteText.hasPrefix(text, "RCPT TO:", ignoringCase: true) {
            let (address, _) = Self.pathAndParameters(UnsafeRawBufferPointer(rebasing: text[8...]))
            if session.transactions.isEmpty {
                // The session's `MAIL FROM` is in an earlier file: its reply may still be pending here.
                session.transactions.append(SMTPTransaction(mailFrom: "", timeMs: time, line: line.number, offset: line.offset))
                orphanTransaction = 0
            }
            let last = session.transactions.count - 1
            session.transactions[last].recipients.append(SMTPRecipient(address: address, reply: nil, line: line.number, offset: line.offset))
            pending.append(.recipient(transaction: last, index: session.transactions[last].recipients.count - 1))
        } else if ByteText.equals(text, "DATA", ignoringCase: true) {
            pending.append(session.transactions.isEmpty ? .other : .data(transaction: session.transactions.count - 1))
        } else if ByteText.hasPrefix(text, "BDAT ", ignoringCase: true) {
            if session.transactions.isEmpty {
                pending.append(.other)
            } else {
                let last = session.transactions.count - 1
                let isLast = ByteText.string(text).uppercased().split(separator: " ").contains("LAST")
                pending.append(isLast ? .dataFinal(transaction: last) : .dataChunk(transaction: last))
            }
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
        if let orphan = orphanTransaction, case .recipient(let transaction, 0) = pending[0], transaction == orphan,
            session.transactions[orphan].mailFromReply == nil, Self.isSenderReply(reply) {
            // The `MAIL FROM` of this transaction was in the previous file; this is its reply, not the RCPT's.
            session.transactions[orphan].mailFromReply = reply
            orphanTransaction = nil
            return
        }
        let awaiting = pending.removeFirst()
        switch awaiting {
        case .mailFrom(let transaction):
            session.transactions[transaction].mailFromReply = reply
        case .recipient(let transaction, let index):
            if transaction == orphanTransaction { orphanTransaction = nil }
            session.transactions[transaction].recipients[index].reply = reply
        case .data(let transaction):
            if status.code == 354 {
                pending.insert(.dataFinal(transaction: transaction), at: 0)
            } else {
                acceptDataReply(reply, transaction: transaction)
            }
        case .dataFinal(let transaction):
            acceptDataReply(reply, transaction: transaction)
        case .dataChunk(let transaction):
            if !reply.isSuccess { acceptDataReply(reply, transaction: transaction) }
        case .helo, .other:
            break
        }
    }

    /// `250 2.1.0 Sender OK`: the reply to `MAIL FROM` (recipients get `2.1.5`).
    private static func isSenderReply(_ reply: SMTPReply) -> Bool {
        if let enhanced = reply.enhancedCode { return enhanced.hasSuffix(".1.0") }
        return reply.text.range(of: "sender", options: .caseInsensitive) != nil
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
