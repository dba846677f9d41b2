/// Code shared by ``TrackingLogGenerator`` and ``ExtendedReportGenerator``: both write the 30
/// columns of the message-tracking schema and differ in how fields are separated and in their
/// event sets, but columns 10–21 (internal message id … return path) follow the same rules.

/// How one field ends and the next begins.
enum FieldSeparator {
    /// `,`: the unquoted tracking log.
    case comma
    /// `","`: the Extended report, whose every field is quoted.
    case quoted
}

/// What columns 10–21 need to know about a row's event.
enum MessageColumnsEvent {
    /// No recipient status (receive from SMTP, agent info, delivery, …).
    case plain
    /// The mailbox submission: `To;Cc;Bcc` as recipient status.
    case submission
    /// A send: `250 2.1.5 Recipient OK` for each recipient.
    case sent
    /// The rejected relay: `550 5.7.64 TenantAttribution; …`.
    case relayDenied
    /// The delivery status notification sent back to the sender.
    case dsn
}

/// The message properties columns 10–21 are made of.
protocol SimulatedMessage {
    var internalID: Int { get }
    var networkID: (UInt64, UInt64) { get }
    var dsnID: (UInt64, UInt64) { get }
    var sender: [UInt8] { get }
    var recipients: [[UInt8]] { get }
    var subject: Int { get }
    var size: Int { get }
}

extension ByteWriter {
    @inline(__always) mutating func separator(_ kind: FieldSeparator) {
        switch kind {
        case .comma: comma()
        case .quoted: nextQuoted()
        }
    }

    /// Writes `] <bytes> bytes in <s>, <rate> KB/sec Queued mail for delivery`, the end of the
    /// `250 2.6.0` response of a SEND row.
    mutating func queuedForDelivery(size: Int, recipientCount: Int, sessionID: UInt64) {
        let delivered = size + 4000 + recipientCount * 90
        let elapsed = 40 + Int(sessionID % 900)
        text("] "); decimal(delivered); text(" bytes in "); seconds(milliseconds: elapsed)
        text(", "); decimal(delivered / elapsed); byte(UInt8(ascii: ".")); decimal(delivered % 1000, width: 3)
        text(" KB/sec Queued mail for delivery")
    }

    /// Writes columns 10 (internal message id) to 21 (return path), each followed by `separator`.
    ///
    /// - Parameters:
    ///   - dsnHost: the host in the DSN's own message id.
    ///   - frontEnd: the front end named in the `550 5.7.64` status.
    ///   - dsnSender: the address the DSN is sent from.
    ///   - messageID: writes the message's id without angle brackets.
    mutating func messageColumns<Message: SimulatedMessage>(
        _ event: MessageColumnsEvent, of message: Message, separator: FieldSeparator,
        subjects: [[UInt8]], undeliverableSubjects: [[UInt8]], dsnHost: [UInt8], frontEnd: [UInt8],
        dsnSender: StaticString, messageID: (inout ByteWriter) -> Void
    ) {
        let isDSN = event == .dsn
        // 10 internal message id, 11 message id, 12 network message id
        decimal(isDSN ? message.internalID + 1 : message.internalID); self.separator(separator)
        byte(UInt8(ascii: "<"))
        if isDSN {
            hex(message.dsnID.0, digits: 16); hex(message.dsnID.1, digits: 16)
            byte(UInt8(ascii: "@")); bytes(dsnHost)
        } else {
            messageID(&self)
        }
        byte(UInt8(ascii: ">")); self.separator(separator)
        if isDSN {
            guid(message.dsnID.1, message.networkID.1 ^ 0x1F0)
        } else {
            guid(message.networkID.0, message.networkID.1)
        }
        self.separator(separator)
        // 13 recipient address, 14 recipient status
        if isDSN {
            bytes(message.sender); self.separator(separator); self.separator(separator)
        } else {
            for (index, recipient) in message.recipients.enumerated() {
                if index > 0 { byte(UInt8(ascii: ";")) }
                bytes(recipient)
            }
            self.separator(separator)
            switch event {
            case .submission:
                for index in message.recipients.indices {
                    if index > 0 { byte(UInt8(ascii: ";")) }
                    text(index == 0 ? "To" : index == 1 ? "Cc" : "Bcc")
                }
            case .sent:
                for index in message.recipients.indices {
                    if index > 0 { byte(UInt8(ascii: ";")) }
                    text("250 2.1.5 Recipient OK")
                }
            case .relayDenied:
                // The status text itself contains a ';' (FORMATS.md §2.3, §6).
                text("550 5.7.64 TenantAttribution; Relay Access Denied [")
                bytes(frontEnd); byte(UInt8(ascii: "]"))
            case .plain, .dsn:
                break
            }
            self.separator(separator)
        }
        // 15 total bytes, 16 recipient count, 17 related recipient address, 18 reference
        decimal(isDSN ? 9000 + message.size % 4000 : message.size); self.separator(separator)
        decimal(isDSN ? 1 : message.recipients.count); self.separator(separator)
        self.separator(separator)
        if isDSN {
            byte(UInt8(ascii: "<")); messageID(&self); byte(UInt8(ascii: ">"))
        }
        self.separator(separator)
        // 19 message subject, 20 sender address, 21 return path
        if isDSN {
            bytes(undeliverableSubjects[message.subject]); self.separator(separator)
            text(dsnSender); self.separator(separator)
            text("<>"); self.separator(separator)
        } else {
            bytes(subjects[message.subject]); self.separator(separator)
            bytes(message.sender); self.separator(separator)
            bytes(message.sender); self.separator(separator)
        }
    }
}
