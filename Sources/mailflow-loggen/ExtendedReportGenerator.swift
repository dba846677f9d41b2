/// Generates an Exchange Online historical search report of type *Extended*
/// (`Start-HistoricalSearch -ReportType MessageTraceDetail`, FORMATS.md §1.5): UTF-16LE with a
/// BOM, comma-separated, every field quoted, CRLF, and the 30 snake_case columns of the
/// message-tracking schema.
///
/// Messages are simulated as in ``TrackingLogGenerator`` (short event sequences, a pool of
/// messages in flight whose rows interleave, `date_time_utc` always increasing), with Exchange
/// Online values: EXO server names, the tenant GUID in `tenant_id`, inbound connector names in
/// `connector_id` and `S:InboundConnectorData=Name=…;ConnectorType=OnPremises` in `custom_data`
/// for mail relayed from on-premises, spam-filter verdicts (`S:SFA=…`) on AGENTINFO rows, and
/// `550 5.7.64 TenantAttribution` failures with their DSN. Each row is built in UTF-8 and then
/// widened to UTF-16 in place. The output depends only on the seed.
struct ExtendedReportGenerator: LogGenerator {
    static let columns = ["date_time_utc", "client_ip", "client_hostname", "server_ip", "server_hostname", "source_context",
                          "connector_id", "source", "event_id", "internal_message_id", "message_id", "network_message_id",
                          "recipient_address", "recipient_status", "total_bytes", "recipient_count", "related_recipient_address",
                          "reference", "message_subject", "sender_address", "return_path", "message_info", "directionality",
                          "tenant_id", "original_client_ip", "original_server_ip", "custom_data", "transport_traffic_type",
                          "log_id", "schema_version"]
    static let schemaVersion: StaticString = "15.20.8158.017"

    private enum Flow {
        case inbound, spam, toOnPremises, outbound, onPremisesRelay, internalMail, relayRejected

        var events: [Event] {
            switch self {
            case .inbound, .spam: [.smtpReceive, .agentInfo, .deliver]
            case .toOnPremises: [.smtpReceive, .agentInfo, .sendOnPremises]
            case .outbound: [.storeReceive, .agentInfo, .sendExternal]
            case .onPremisesRelay: [.smtpReceive, .agentInfo, .sendExternal]
            case .internalMail: [.storeReceive, .agentInfo, .deliver]
            case .relayRejected: [.smtpReceive, .fail, .dsn]
            }
        }

        /// Received through one of the tenant's inbound connectors (from the on-premises servers).
        var viaConnector: Bool { self == .onPremisesRelay || self == .relayRejected }
        var incoming: Bool { self == .inbound || self == .spam || self == .toOnPremises }
    }

    private enum Event {
        case smtpReceive, storeReceive, agentInfo, deliver, sendExternal, sendOnPremises, fail, dsn

        var columns: MessageColumnsEvent {
            switch self {
            case .storeReceive: .submission
            case .sendExternal, .sendOnPremises: .sent
            case .fail: .relayDenied
            case .dsn: .dsn
            case .smtpReceive, .agentInfo, .deliver: .plain
            }
        }
    }

    private struct Message: SimulatedMessage {
        var flow: Flow
        var events: [Event]
        var step = 0
        var server: Int
        var frontEnd: Int
        var internalID: Int
        var messageID: (UInt64, UInt64)
        var exchangePrefix: [UInt8]?
        var idHost: [UInt8]
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
        var connector: Int
        var mx: Int
        var destinationIP: UInt32
    }

    private let online = OnlineVocabulary()
    private var random: RandomSource
    private var clock = TrackingLogGenerator.startTime
    private var nextInternalID = 41_231_000_000
    private var inFlight: [Message] = []
    private let tenantID: (UInt64, UInt64)
    private let mailboxDatabaseIDs: [(UInt64, UInt64)]

    init(seed: UInt64) {
        var random = RandomSource(seed: seed)
        tenantID = (random.next(), random.next())
        var databases: [(UInt64, UInt64)] = []
        for _ in 0..<6 { databases.append((random.next(), random.next())) }
        mailboxDatabaseIDs = databases
        self.random = random
        for _ in 0..<16 { inFlight.append(newMessage()) }
    }

    /// Writes the UTF-16LE BOM and the quoted header line.
    func writeHeader(into out: inout ByteWriter) {
        out.bytes([0xFF, 0xFE])
        let start = out.position
        out.bytes(Array(Self.columns.map { "\"\($0)\"" }.joined(separator: ",").utf8))
        out.crlf()
        out.transcodeToUTF16LE(from: start)
    }

    mutating func writeRow(into out: inout ByteWriter) {
        clock += Int64(random.below(60))
        let slot = random.below(inFlight.count)
        let event = inFlight[slot].events[inFlight[slot].step]
        inFlight[slot].step += 1
        let start = out.position
        writeEvent(event, of: inFlight[slot], into: &out)
        out.transcodeToUTF16LE(from: start)
        if inFlight[slot].step == inFlight[slot].events.count { inFlight[slot] = newMessage() }
    }

    // MARK: - Messages

    private mutating func newMessage() -> Message {
        let vocabulary = online.base
        let roll = random.below(100)
        let flow: Flow = roll < 38 ? .inbound : roll < 43 ? .spam : roll < 49 ? .toOnPremises : roll < 74 ? .outbound
            : roll < 82 ? .onPremisesRelay : roll < 96 ? .internalMail : .relayRejected
        let count = flow == .relayRejected ? 1 : random.percent(75) ? 1 : random.percent(60) ? 2 : 3
        let sender: [UInt8]
        let recipients: [[UInt8]]
        switch flow {
        case .inbound, .spam, .toOnPremises:
            sender = random.pick(vocabulary.externalAddresses)
            recipients = random.pickDistinct(count, from: vocabulary.internalAddresses)
        case .outbound, .onPremisesRelay, .relayRejected:
            sender = flow == .outbound ? random.pick(vocabulary.internalAddresses) : random.pick(vocabulary.relaySenders)
            recipients = random.pickDistinct(count, from: vocabulary.externalAddresses)
        case .internalMail:
            sender = random.pick(vocabulary.internalAddresses)
            recipients = random.pickDistinct(count, from: vocabulary.internalAddresses)
        }
        nextInternalID += random.within(1...40)
        let server = random.below(online.mailboxServers.count)
        let size = 1800 + random.below(6000) + (random.percent(25) ? random.below(400_000) : 0) + (random.percent(3) ? random.below(10_000_000) : 0)
        let exchangePrefix: [UInt8]?
        let idHost: [UInt8]
        if flow.incoming {
            exchangePrefix = nil
            idHost = random.pick(vocabulary.messageIdDomains)
        } else if flow.viaConnector {
            exchangePrefix = nil
            idHost = random.pick(vocabulary.servers).fqdn
        } else {
            exchangePrefix = online.mailboxServerPrefixes[server]
            idHost = online.mailboxServers[server]
        }
        let clientIP = flow.viaConnector ? random.pick(OnlineVocabulary.onPremisesIPs) : random.publicIPv4()
        return Message(
            flow: flow,
            events: flow.events,
            server: server,
            frontEnd: random.below(vocabulary.onlineFrontEnds.count),
            internalID: nextInternalID,
            messageID: (random.next(), random.next()),
            exchangePrefix: exchangePrefix,
            idHost: idHost,
            networkID: random.exchangeGUID(),
            dsnID: (random.next(), random.next()),
            sender: sender,
            recipients: recipients,
            subject: random.below(online.subjects.count),
            size: size,
            originTime: clock - Int64(random.below(900)),
            sessionID: 0x08DE_0000_0000_0000 | (random.next() & 0x0000_FFFF_FFFF_FFFF),
            sessionStart: clock - Int64(100 + random.below(3000)),
            clientIP: clientIP,
            originalClientIP: flow.viaConnector ? 0x0A14_1E00 | UInt32(random.within(20...60)) : flow.incoming ? clientIP : random.publicIPv4(),
            inboundHost: random.below(vocabulary.inboundHosts.count),
            connector: random.below(online.inboundConnectors.count),
            mx: random.below(online.mxHosts.count),
            destinationIP: random.publicIPv4()
        )
    }

    // MARK: - Rows

    private func writeMessageID(_ message: Message, into out: inout ByteWriter) {
        out.messageID(message.messageID, exchangePrefix: message.exchangePrefix, host: message.idHost)
    }

    /// Writes one row in UTF-8: 30 quoted fields and CRLF.
    private mutating func writeEvent(_ event: Event, of message: Message, into out: inout ByteWriter) {
        let server = online.mailboxServers[message.server]
        let frontEnd = online.base.onlineFrontEnds[message.frontEnd]
        out.byte(UInt8(ascii: "\""))
        // 1 date_time_utc
        out.timestampTicks(milliseconds: clock); out.nextQuoted()
        // 2 client_ip, 3 client_hostname, 4 server_ip, 5 server_hostname
        switch event {
        case .smtpReceive:
            out.ipv4(message.clientIP); out.nextQuoted()
            if message.flow.viaConnector { out.text(OnlineVocabulary.onPremisesHost) } else { out.bytes(online.base.inboundHosts[message.inboundHost]) }
            out.nextQuoted(); out.nextQuoted()
            out.bytes(frontEnd); out.nextQuoted()
        case .storeReceive, .deliver:
            out.nextQuoted(); out.bytes(server); out.nextQuoted(); out.nextQuoted(); out.bytes(server); out.nextQuoted()
        case .agentInfo, .dsn:
            out.nextQuoted(); out.nextQuoted(); out.nextQuoted(); out.bytes(server); out.nextQuoted()
        case .sendExternal:
            out.nextQuoted(); out.bytes(server); out.nextQuoted()
            out.ipv4(message.destinationIP); out.nextQuoted()
            out.bytes(online.mxHosts[message.mx]); out.nextQuoted()
        case .sendOnPremises:
            out.nextQuoted(); out.bytes(server); out.nextQuoted()
            out.ipv4(OnlineVocabulary.onPremisesIPs[message.server & 1]); out.nextQuoted()
            out.text(OnlineVocabulary.onPremisesHost); out.nextQuoted()
        case .fail:
            out.nextQuoted(); out.nextQuoted(); out.nextQuoted(); out.bytes(frontEnd); out.nextQuoted()
        }
        // 6 source_context, 7 connector_id, 8 source, 9 event_id
        switch event {
        case .smtpReceive:
            out.hex(message.sessionID, digits: 16, uppercase: true); out.byte(UInt8(ascii: ";"))
            out.timestamp(milliseconds: message.sessionStart); out.text(";0"); out.nextQuoted()
            if message.flow.viaConnector { out.bytes(online.inboundConnectors[message.connector]) }
            out.text("\",\"SMTP\",\"RECEIVE\",\"")
        case .storeReceive:
            let database = mailboxDatabaseIDs[message.server]
            out.text("MDB:"); out.guid(database.0, database.1)
            out.text(", Mailbox:"); out.guid(message.networkID.1 &* 31, message.dsnID.0)
            out.text(", Event:"); out.decimal(message.internalID % 100_000_000)
            out.text(", MessageClass:IPM.Note, CreationTime:"); out.timestamp(milliseconds: message.originTime)
            out.text(", ClientType:"); out.text(message.internalID & 1 == 0 ? "MOMT" : "OWA")
            out.text("\",\"\",\"STOREDRIVER\",\"RECEIVE\",\"")
        case .agentInfo:
            out.text(message.flow.incoming ? "Protocol Filter Agent" : "Transport Rule Agent")
            out.text("\",\"\",\"AGENT\",\"AGENTINFO\",\"")
        case .deliver:
            out.decimal(Int(message.sessionID >> 2 | 0x2000_0000_0000_0000))
            out.text("\",\"\",\"STOREDRIVER\",\"DELIVER\",\"")
        case .sendExternal, .sendOnPremises:
            out.hex(message.sessionID &+ 0x1F, digits: 16, uppercase: true)
            out.text(";250 2.6.0 <"); writeMessageID(message, into: &out)
            out.text("> [InternalId="); out.decimal(message.internalID * 7 + 1_000_000_000_000)
            out.text(", Hostname="); out.bytes(server)
            out.queuedForDelivery(size: message.size, recipientCount: message.recipients.count, sessionID: message.sessionID)
            out.nextQuoted()
            if event == .sendOnPremises { out.text("Outbound to Contoso on-premises") }
            out.text("\",\"SMTP\",\"SEND\",\"")
        case .fail:
            out.text("\",\"\",\"ROUTING\",\"FAIL\",\"")
        case .dsn:
            out.text("\",\"\",\"DSN\",\"DSN\",\"")
        }
        // 10 internal_message_id … 21 return_path
        out.messageColumns(
            event.columns, of: message, separator: .quoted,
            subjects: online.subjects, undeliverableSubjects: online.undeliverableSubjects,
            dsnHost: server, frontEnd: frontEnd,
            dsnSender: "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.onmicrosoft.com"
        ) { writeMessageID(message, into: &$0) }
        // 22 message_info
        switch event {
        case .smtpReceive: out.text("0cA:")
        case .storeReceive: out.text("04I:")
        case .deliver, .sendExternal, .sendOnPremises:
            let total = max(20, Int(clock - message.originTime))
            out.timestamp(milliseconds: message.originTime)
            out.text(";SRV="); out.bytes(server); out.text(":TOTAL-SUB="); out.seconds(milliseconds: total / 4)
            out.text("|SMR="); out.seconds(milliseconds: total / 9)
            out.text("|SMS="); out.seconds(milliseconds: total / 5)
            out.text(";SRV="); out.bytes(server); out.text(":TOTAL-HUB="); out.seconds(milliseconds: total / 2)
            out.text("|SMR="); out.seconds(milliseconds: total / 7)
            out.text("|CAT="); out.seconds(milliseconds: total / 12)
            out.text("|QDE=0.00"); out.decimal(random.below(10))
        case .dsn:
            out.timestamp(milliseconds: clock - 3); out.text(";SRV="); out.bytes(server); out.text(":TOTAL-HUB=0.003|DSN=0.002")
        case .agentInfo, .fail: break
        }
        out.nextQuoted()
        // 23 directionality, 24 tenant_id, 25 original_client_ip, 26 original_server_ip
        out.text(message.flow.incoming ? "Incoming\",\"" : "Originating\",\"")
        out.guid(tenantID.0, tenantID.1); out.nextQuoted()
        out.ipv4(message.originalClientIP); out.nextQuoted(); out.nextQuoted()
        // 27 custom_data
        writeCustomData(event, of: message, into: &out)
        // 28 transport_traffic_type, 29 log_id, 30 schema_version
        out.text("\",\"Email\",\"")
        let logID = random.exchangeGUID()
        out.guid(logID.0, logID.1); out.nextQuoted()
        out.text(Self.schemaVersion)
        out.text("\"\r\n")
    }

    /// The `custom_data` property bag (`S:Key=Value;…`).
    private mutating func writeCustomData(_ event: Event, of message: Message, into out: inout ByteWriter) {
        switch event {
        case .smtpReceive:
            if message.flow.viaConnector {
                out.text("S:InboundConnectorData=Name="); out.bytes(online.inboundConnectors[message.connector])
                out.text(";ConnectorType=OnPremises;S:ProxyHop1="); out.text(OnlineVocabulary.onPremisesHost)
                out.byte(UInt8(ascii: "(")); out.ipv4(message.clientIP); out.byte(UInt8(ascii: ")"))
                out.text(";S:tlsversion=TLS1_2;S:tlscipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;S:FromEntity=Hosted;S:ToEntity=Hosted")
            } else {
                out.text("S:ProxyHop1="); out.bytes(online.base.inboundHosts[message.inboundHost])
                out.byte(UInt8(ascii: "(")); out.ipv4(message.clientIP); out.byte(UInt8(ascii: ")"))
                out.text(";S:tlsversion=TLS1_3;S:tlscipher=TLS_AES_256_GCM_SHA384;S:FromEntity=Internet;S:ToEntity=Hosted")
            }
            out.text(";S:E2ELatency=0."); out.decimal(random.below(1000), width: 3)
            out.text(";S:OriginalFromAddress="); out.bytes(message.sender)
            out.text(";I:MessageValue=1")
        case .storeReceive:
            let database = mailboxDatabaseIDs[message.server]
            out.text("S:MailboxDatabaseGuid="); out.guid(database.0, database.1)
            out.text(";S:DeliveryPriority=Normal;S:ClientSubmitTime="); out.timestamp(milliseconds: message.originTime)
            out.text(";S:MsgRecipCount="); out.decimal(message.recipients.count)
            out.text(";S:AccountForest=NAMPR11A001.PROD.OUTLOOK.COM")
        case .agentInfo:
            if message.flow.incoming {
                let spam = message.flow == .spam
                out.text(spam ? "S:SFA=SUM|SFV=SPM|IPV=NLI|SRV=|SFS=|SCL=5|SCORE=" : "S:SFA=SUM|SFV=NSPM|IPV=CAL|SRV=|SFS=|SCL=1|SCORE=-")
                out.decimal(random.below(10))
                out.text(spam ? "|LIST=0|DI=SJ|RD=" : "|LIST=0|DI=SN|RD=")
                out.bytes(online.base.inboundHosts[message.inboundHost])
                out.text("|H="); out.bytes(online.base.inboundHosts[message.inboundHost])
                out.text("|CIP="); out.ipv4(message.clientIP)
                out.text("|SFP=1501|ASF=1|CTRY=US|CLTCTRY=|LANG=en|LAT=0|LAT=0|LAT=0|FROMENTITYHEADER=Internet")
            } else {
                out.text("S:CompCost=|ETR=0|AMA=1|TRA=0;S:TRA=ETRP|ExecW=0|ExecC=0|Mode=Enforce")
            }
            out.text(";S:AMA=SUM|v=1|action=|error=|atch="); out.decimal(message.size > 50_000 ? 1 : 0)
            out.text(";S:DeliveryPriority=Normal;S:MsgRecipCount="); out.decimal(message.recipients.count)
        case .deliver:
            let database = mailboxDatabaseIDs[message.server]
            out.text("S:MailboxDatabaseGuid="); out.guid(database.0, database.1)
            out.text(";S:DeliveryLatency="); out.seconds(milliseconds: random.below(400))
            out.text(";S:E2ELatency="); out.seconds(milliseconds: max(20, Int(clock - message.originTime)))
            out.text(";S:DeliveryPriority=Normal;S:ToEntity=Hosted")
            if message.flow == .spam { out.text(";S:DeliveryFolder=Junk Email") }
        case .sendExternal, .sendOnPremises:
            out.text("S:E2ELatency="); out.seconds(milliseconds: max(20, Int(clock - message.originTime)))
            out.text(event == .sendOnPremises ? ";S:ToEntity=OnPremises" : ";S:ToEntity=Internet")
            out.text(";S:MsgRecipCount="); out.decimal(message.recipients.count)
            out.text(";S:IsSmtpResponseFromExternalServer=True;S:tlsversion=TLS1_2;S:DeliveryPriority=Normal")
            out.text(";S:OriginalFromAddress="); out.bytes(message.sender)
        case .fail:
            out.text("S:InboundConnectorData=Name="); out.bytes(online.inboundConnectors[message.connector])
            out.text(";ConnectorType=OnPremises;S:IsSmtpResponseFromExternalServer=False;S:DeliveryPriority=Normal")
            out.text(";S:OriginalFromAddress="); out.bytes(message.sender)
        case .dsn:
            out.text("S:DsnType=Failure;S:DeliveryPriority=Normal;S:OriginalMessageInternalId=")
            out.decimal(message.internalID)
        }
    }
}
