/// Generates the rows of an Exchange 2013+ message tracking log (`MSGTRK*.LOG`, 30 fields).
///
/// Messages are simulated as short event sequences (inbound: `RECEIVE` → `AGENTINFO` → `DELIVER`;
/// outbound: submission `RECEIVE` → `AGENTINFO` → `SENDEXTERNAL`; internal, rejected relays with
/// `FAIL` + `DSN`, and shadow-redundancy failures with `HAREDIRECTFAIL`). A pool of messages is in
/// flight at once, so their rows interleave as in a real log, while `date-time` always increases.
/// The output depends only on the seed.
struct TrackingLogGenerator {
    /// The 30 fields of Exchange 2013 and later, in file order (FORMATS.md §2.2).
    static let fields = "date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"
    static let schemaVersion: StaticString = "15.02.1544.011"
    /// 2026-11-24T09:00:00.000Z.
    static let startTime: Int64 = 1_795_510_800_000

    private enum Flow: CaseIterable {
        case inbound, outbound, internalMail, relayRejected, shadowFailed

        var events: [Event] {
            switch self {
            case .inbound: [.smtpReceive, .agentInfo, .deliver]
            case .outbound: [.submissionReceive, .agentInfo, .sendExternal]
            case .internalMail: [.submissionReceive, .agentInfo, .send, .deliver]
            case .relayRejected: [.smtpReceive, .agentInfo, .fail, .dsn]
            case .shadowFailed: [.smtpReceive, .haRedirectFail, .agentInfo, .sendExternal]
            }
        }
    }

    private enum Event {
        case smtpReceive, submissionReceive, agentInfo, deliver, send, sendExternal, fail, dsn, haRedirectFail

        var columns: MessageColumnsEvent {
            switch self {
            case .submissionReceive: .submission
            case .send, .sendExternal: .sent
            case .fail: .relayDenied
            case .dsn: .dsn
            case .smtpReceive, .agentInfo, .deliver, .haRedirectFail: .plain
            }
        }
    }

    private struct Message: SimulatedMessage {
        var flow: Flow
        var events: [Event]
        var step = 0
        var server: Int
        var internalID: Int
        var messageID: (UInt64, UInt64)
        var messageIDDomain: Int
        var networkID: (UInt64, UInt64)
        var dsnID: (UInt64, UInt64)
        var sender: [UInt8]
        var recipients: [[UInt8]]
        var subject: Int
        var size: Int
        var originTime: Int64
        var sessionID: UInt64
        var sessionStart: Int64
        var clientIP: UInt32
        var originalClientIP: UInt32
        var inboundHost: Int
        var frontEnd: Int
    }

    private let vocabulary = Vocabulary()
    private var random: RandomSource
    private var clock = startTime
    private var nextInternalID = 70_912_345_566_403
    private var inFlight: [Message] = []
    private let sendConnectorID: (UInt64, UInt64)
    private let mailboxDatabaseIDs: [(UInt64, UInt64)]

    init(seed: UInt64) {
        random = RandomSource(seed: seed)
        sendConnectorID = (random.next(), random.next())
        mailboxDatabaseIDs = [(random.next(), random.next()), (random.next(), random.next())]
        for _ in 0..<16 { inFlight.append(newMessage()) }
    }

    /// Writes the BOM and the five `#` header lines.
    func writeHeader(into out: inout ByteWriter) {
        out.bytes([0xEF, 0xBB, 0xBF])
        out.text("#Software: Microsoft Exchange Server\r\n#Version: ")
        out.text(Self.schemaVersion)
        out.text("\r\n#Log-type: Message Tracking Log\r\n#Date: ")
        out.timestamp(milliseconds: Self.startTime)
        out.text("\r\n#Fields: ")
        out.bytes(Array(Self.fields.utf8))
        out.crlf()
    }

    /// Writes one data row (CRLF-terminated).
    mutating func writeRow(into out: inout ByteWriter) {
        clock += Int64(random.below(60))
        let slot = random.below(inFlight.count)
        let event = inFlight[slot].events[inFlight[slot].step]
        inFlight[slot].step += 1
        writeEvent(event, of: inFlight[slot], into: &out)
        if inFlight[slot].step == inFlight[slot].events.count { inFlight[slot] = newMessage() }
    }

    // MARK: - Messages

    private mutating func newMessage() -> Message {
        let roll = random.below(100)
        let flow: Flow = roll < 42 ? .inbound : roll < 72 ? .outbound : roll < 90 ? .internalMail : roll < 94 ? .relayRejected : .shadowFailed
        let recipientCount = flow == .relayRejected ? 1 : random.percent(75) ? 1 : random.percent(60) ? 2 : 3
        let sender: [UInt8]
        let recipients: [[UInt8]]
        switch flow {
        case .inbound, .shadowFailed:
            sender = random.pick(vocabulary.externalAddresses)
            recipients = random.pickDistinct(recipientCount, from: vocabulary.internalAddresses)
        case .outbound, .relayRejected:
            sender = flow == .relayRejected ? random.pick(vocabulary.relaySenders) : random.pick(vocabulary.internalAddresses)
            recipients = random.pickDistinct(recipientCount, from: vocabulary.externalAddresses)
        case .internalMail:
            sender = random.pick(vocabulary.internalAddresses)
            recipients = random.pickDistinct(recipientCount, from: vocabulary.internalAddresses)
        }
        nextInternalID += random.within(1...40)
        // Sizes from 2 KB to ~10 MB, most of them small.
        let size = 1800 + random.below(6000) + (random.percent(25) ? random.below(400_000) : 0) + (random.percent(3) ? random.below(10_000_000) : 0)
        return Message(
            flow: flow,
            events: flow.events,
            server: random.below(vocabulary.servers.count),
            internalID: nextInternalID,
            messageID: (random.next(), random.next()),
            messageIDDomain: random.below(vocabulary.messageIdDomains.count),
            networkID: (random.next(), random.next() & 0xFFFF_0000_FFFF_FFFF | 0x0000_08DE_0000_0000),
            dsnID: (random.next(), random.next()),
            sender: sender,
            recipients: recipients,
            subject: random.below(vocabulary.subjects.count),
            size: size,
            originTime: clock - Int64(random.below(900)),
            sessionID: 0x08DE_0000_0000_0000 | (random.next() & 0x0000_FFFF_FFFF_FFFF),
            sessionStart: clock - Int64(100 + random.below(3000)),
            clientIP: flow == .relayRejected ? 0x0A14_1E00 | UInt32(random.within(20...60)) : 0x286B_0000 | UInt32(truncatingIfNeeded: random.next() & 0xFFFF),
            originalClientIP: UInt32(truncatingIfNeeded: random.next()) | 0x0100_0000,
            inboundHost: random.below(vocabulary.inboundHosts.count),
            frontEnd: random.below(vocabulary.onlineFrontEnds.count)
        )
    }

    // MARK: - Rows

    private mutating func writeEvent(_ event: Event, of message: Message, into out: inout ByteWriter) {
        let server = vocabulary.servers[message.server]
        let usesExchangeMessageID = message.flow != .inbound && message.flow != .shadowFailed
        let isInboundSMTP = event == .smtpReceive || event == .haRedirectFail

        // 1 date-time
        out.timestamp(milliseconds: clock)
        out.comma()
        // 2 client-ip, 3 client-hostname, 4 server-ip, 5 server-hostname
        switch event {
        case .smtpReceive, .haRedirectFail:
            if message.flow == .relayRejected {
                out.ipv4(message.clientIP); out.comma()
                out.text("APP"); out.decimal(Int(message.clientIP & 0xFF), width: 2); out.text(".contoso.local"); out.comma()
            } else {
                out.ipv4(message.clientIP); out.comma()
                out.bytes(vocabulary.inboundHosts[message.inboundHost]); out.comma()
            }
            out.bytes(server.ip); out.comma()
            out.bytes(server.name); out.comma()
        case .submissionReceive, .deliver:
            out.bytes(server.ip); out.comma()
            out.bytes(server.fqdn); out.comma()
            out.bytes(server.ip); out.comma()
            out.bytes(server.name); out.comma()
        case .send, .sendExternal, .fail:
            out.bytes(server.ip); out.comma()
            out.bytes(server.fqdn); out.comma()
            if event == .send {
                out.bytes(vocabulary.servers[1 - message.server].ip); out.comma()
                out.bytes(vocabulary.servers[1 - message.server].fqdn); out.comma()
            } else {
                out.text("52.101."); out.decimal(Int(message.clientIP >> 8 & 0xFF)); out.byte(UInt8(ascii: ".")); out.decimal(Int(message.clientIP & 0xFF)); out.comma()
                out.text("contoso-com.mail.protection.outlook.com"); out.comma()
            }
        case .agentInfo, .dsn:
            out.bytes(server.ip); out.comma()
            out.bytes(server.fqdn); out.comma()
            out.comma()
            out.bytes(server.name); out.comma()
        }
        // 6 source-context, 7 connector-id, 8 source, 9 event-id
        switch event {
        case .smtpReceive:
            out.hex(message.sessionID, digits: 16, uppercase: true); out.byte(UInt8(ascii: ";"))
            out.timestamp(milliseconds: message.sessionStart); out.text(";0,")
            out.bytes(server.receiveConnector); out.text(",SMTP,RECEIVE,")
        case .haRedirectFail:
            out.text("No suitable shadow servers,"); out.bytes(server.receiveConnector); out.text(",SMTP,HAREDIRECTFAIL,")
        case .submissionReceive, .deliver:
            let database = mailboxDatabaseIDs[message.server]
            out.text("\"MDB:"); out.guid(database.0, database.1)
            if event == .submissionReceive { out.text(", Mailbox:"); out.guid(message.networkID.1 &* 31, message.dsnID.0) }
            out.text(", Event:"); out.decimal(message.internalID % 100_000_000)
            out.text(", MessageClass:IPM.Note, CreationTime:"); out.timestamp(milliseconds: message.originTime)
            if event == .deliver {
                out.text(", ClientType:StoreDriver\",,STOREDRIVER,DELIVER,")
            } else {
                out.text(", ClientType:"); out.text(message.internalID & 1 == 0 ? "MOMT" : "OWA")
                out.text(", SubmissionAssistant:MailboxTransportSubmissionEmailAssistant\",,STOREDRIVER,RECEIVE,")
            }
        case .agentInfo:
            out.text(message.flow == .inbound ? "Transport Rule Agent" : "Malware Agent"); out.text(",,AGENT,AGENTINFO,")
        case .send, .sendExternal:
            out.text("\";250 2.6.0 <"); writeMessageID(message, exchange: usesExchangeMessageID, into: &out)
            out.text("> [InternalId="); out.decimal(message.internalID / 13 + 5_000_000_000_000)
            out.text(", Hostname=")
            if event == .send { out.bytes(vocabulary.servers[1 - message.server].fqdn) } else { out.bytes(vocabulary.onlineFrontEnds[message.frontEnd]) }
            out.queuedForDelivery(size: message.size, recipientCount: message.recipients.count, sessionID: message.sessionID)
            out.text(";ClientSubmitTime:\",")
            if event == .send {
                out.text("Intra-Organization SMTP Send Connector,SMTP,SEND,")
            } else {
                writeSendConnector(into: &out); out.text(",SMTP,SENDEXTERNAL,")
            }
        case .fail:
            out.comma(); writeSendConnector(into: &out); out.text(",SMTP,FAIL,")
        case .dsn:
            out.comma(); out.text(",DSN,DSN,")
        }
        // 10 internal-message-id … 21 return-path
        out.messageColumns(
            event.columns, of: message, separator: .comma,
            subjects: vocabulary.subjects, undeliverableSubjects: vocabulary.undeliverableSubjects,
            dsnHost: server.fqdn, frontEnd: vocabulary.onlineFrontEnds[message.frontEnd],
            dsnSender: "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com"
        ) { writeMessageID(message, exchange: usesExchangeMessageID, into: &$0) }
        // 22 message-info
        switch event {
        case .smtpReceive: out.text("0cA: ")
        case .submissionReceive: out.text("04I: ")
        case .send, .sendExternal, .deliver, .fail: writeLatency(event, of: message, into: &out)
        case .dsn: out.timestamp(milliseconds: clock - 3); out.text(";LSRV="); out.bytes(server.fqdn); out.text(":TOTAL-HUB=0.003|DSN=0.002")
        case .agentInfo, .haRedirectFail: break
        }
        out.comma()
        // 23 directionality, 24 tenant-id, 25 original-client-ip, 26 original-server-ip
        out.text(message.flow == .inbound || message.flow == .shadowFailed || (message.flow == .relayRejected && isInboundSMTP) ? "Incoming,," : "Originating,,")
        if isInboundSMTP && message.flow != .relayRejected {
            out.ipv4(message.originalClientIP)
        } else {
            out.bytes(server.ip)
        }
        out.comma()
        out.bytes(server.ip); out.comma()
        // 27 custom-data
        writeCustomData(event, of: message, server: server, into: &out)
        out.comma()
        // 28 transport-traffic-type, 29 log-id, 30 schema-version
        out.text("Email,")
        out.guid(random.next(), random.next() & 0xFFFF_0000_FFFF_FFFF | 0x0000_08DE_0000_0000)
        out.comma()
        out.text(Self.schemaVersion)
        out.crlf()
    }

    private func writeSendConnector(into out: inout ByteWriter) {
        out.text("Outbound to Office 365 - "); out.guid(sendConnectorID.0, sendConnectorID.1)
    }

    private func writeMessageID(_ message: Message, exchange: Bool, into out: inout ByteWriter) {
        if exchange {
            out.hex(message.messageID.0, digits: 16); out.hex(message.messageID.1, digits: 16)
            out.byte(UInt8(ascii: "@")); out.bytes(vocabulary.servers[message.server].fqdn)
        } else if message.messageIDDomain == 0 {
            out.text("CA"); out.hex(message.messageID.0, digits: 16, uppercase: true); out.text("+"); out.hex(message.messageID.1, digits: 12)
            out.text("@mail.gmail.com")
        } else {
            out.text("2026"); out.decimal(Int(message.messageID.0 % 100_000_000_000), width: 10)
            out.byte(UInt8(ascii: ".")); out.hex(message.messageID.1, digits: 10, uppercase: true)
            out.byte(UInt8(ascii: "@")); out.bytes(vocabulary.messageIdDomains[message.messageIDDomain])
        }
    }

    /// The `message-info` latency breakdown Exchange writes on SEND/DELIVER/FAIL rows.
    private mutating func writeLatency(_ event: Event, of message: Message, into out: inout ByteWriter) {
        let server = vocabulary.servers[message.server]
        let total = max(20, Int(clock - message.originTime))
        out.timestamp(milliseconds: message.originTime)
        if message.flow == .outbound || message.flow == .internalMail {
            out.text(";SRV="); out.bytes(server.fqdn)
            out.text(":TOTAL-SUB="); out.seconds(milliseconds: total / 4)
            out.text("|SA="); out.seconds(milliseconds: total / 8)
        }
        out.text(";LSRV="); out.bytes(server.fqdn)
        out.text(":TOTAL-HUB="); out.seconds(milliseconds: total)
        out.text("|SMR="); out.seconds(milliseconds: total / 10)
        out.text("(SMRDE=0.00"); out.decimal(random.below(10)); out.text("|SMRC="); out.seconds(milliseconds: total / 11); out.text(")")
        out.text("|CAT="); out.seconds(milliseconds: total / 12)
        out.text("(CATRS=0.0"); out.decimal(random.below(100), width: 2); out.text(")")
        out.text("|QDE=0.00"); out.decimal(random.below(10))
        if event == .deliver {
            out.text("|SMSC=0.0"); out.decimal(random.below(100), width: 2)
            out.text("|MDD="); out.seconds(milliseconds: total / 3)
            out.text("(MDTC=0.0"); out.decimal(random.below(100), width: 2); out.text("|MDTS=0.00"); out.decimal(random.below(10))
            out.text(")")
        } else {
            out.text("|SMSC="); out.seconds(milliseconds: total / 5)
            out.text("|SMS="); out.seconds(milliseconds: total / 2)
            out.text("(SMSC=0.0"); out.decimal(random.below(100), width: 2); out.text("|SMSR=0.00"); out.decimal(random.below(10))
            out.text("|UNK="); out.seconds(milliseconds: total / 3); out.text(")")
        }
    }

    /// The `custom-data` property bag (`S:Key=Value;…`), which makes real rows long.
    private mutating func writeCustomData(_ event: Event, of message: Message, server: Vocabulary.Server, into out: inout ByteWriter) {
        switch event {
        case .smtpReceive:
            out.text("S:ProxyHop1="); out.bytes(server.fqdn); out.text("("); out.bytes(server.ip); out.text(")")
            out.text(";S:FromEntity=")
            out.text(message.flow == .relayRejected ? "Hosted" : "Internet")
            out.text(";S:ToEntity=Hosted;S:E2ELatency=0.")
            out.decimal(random.below(1000), width: 3)
            out.text(";S:AccountForest=contoso.local")
            out.text(";S:OriginalFromAddress="); out.bytes(message.sender)
        case .submissionReceive:
            out.text("S:MailboxDatabaseGuid="); out.guid(mailboxDatabaseIDs[message.server].0, mailboxDatabaseIDs[message.server].1)
            out.text(";S:DeliveryPriority=Normal;S:AccountForest=contoso.local;S:ClientSubmitTime=")
            out.timestamp(milliseconds: message.originTime)
            out.text(";S:MsgRecipCount="); out.decimal(message.recipients.count)
        case .agentInfo:
            out.text("S:CompCost=|ETR=0|AMA=1|TRA=0;S:DeliveryPriority=Normal;S:AccountForest=contoso.local")
            out.text(";S:AMA=SUM|v=0|action=|error=|atch="); out.decimal(message.size > 50_000 ? 1 : 0)
            out.text(";S:TRA=ETRP|ExecW=0|ExecC=0|Mode=Enforce")
            out.text(";S:DPA=DP|ms=0|bl=0|ll=0;S:MsgRecipCount="); out.decimal(message.recipients.count)
        case .deliver:
            out.text("S:MailboxDatabaseName="); out.bytes(server.mailboxDatabase)
            out.text(";S:DatabaseHealth=-1")
            out.text(";S:DeliveryLatency="); out.seconds(milliseconds: random.below(400))
            out.text(";S:AccountForest=contoso.local;S:E2ELatency="); out.seconds(milliseconds: max(20, Int(clock - message.originTime)))
        case .send, .sendExternal:
            out.text("S:E2ELatency="); out.seconds(milliseconds: max(20, Int(clock - message.originTime)))
            out.text(event == .send ? ";S:ToEntity=Hosted" : ";S:ToEntity=Internet")
            out.text(";S:MsgRecipCount="); out.decimal(message.recipients.count)
            out.text(";S:OriginalFromAddress="); out.bytes(message.sender)
            out.text(";S:AccountForest=contoso.local")
            out.text(";S:Microsoft.Exchange.Transport.MailRecipient.RequiredTlsAuthLevel=DomainValidation")
            out.text(";S:IsSmtpResponseFromExternalServer=True")
        case .fail:
            out.text("S:IsSmtpResponseFromExternalServer=True;S:DeliveryPriority=Normal;S:AccountForest=contoso.local")
            out.text(";S:RemoteHost=contoso-com.mail.protection.outlook.com;S:OriginalFromAddress="); out.bytes(message.sender)
            out.text(";S:Microsoft.Exchange.Transport.MailRecipient.RequiredTlsAuthLevel=CertificateValidation")
        case .dsn:
            out.text("S:DeliveryPriority=Normal;S:AccountForest=contoso.local;S:DsnType=Failure;S:OriginalMessageInternalId=")
            out.decimal(message.internalID)
        case .haRedirectFail:
            out.text("S:DeliveryPriority=Normal;S:AccountForest=contoso.local;S:ShadowServers=0")
        }
    }
}

extension ByteWriter {
    /// Appends a dotted IPv4 address.
    mutating func ipv4(_ address: UInt32) {
        decimal(Int(address >> 24)); byte(UInt8(ascii: "."))
        decimal(Int(address >> 16 & 0xFF)); byte(UInt8(ascii: "."))
        decimal(Int(address >> 8 & 0xFF)); byte(UInt8(ascii: "."))
        decimal(Int(address & 0xFF))
    }
}
