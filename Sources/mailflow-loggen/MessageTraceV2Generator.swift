/// Generates a `Get-MessageTraceV2 | Export-Csv -NoTypeInformation` file as PowerShell 7 writes
/// it (FORMATS.md §1.1–1.2): UTF-8 without BOM, no `#TYPE` line, every field quoted with inner
/// quotes doubled, CRLF, and the ten V2 properties in wire order. One row per recipient; all rows
/// of a message share its `MessageTraceId`, `MessageId` and `Received`.
///
/// `Received` is ISO 8601 with seven fractional digits (`2026-11-24T09:03:12.3450000Z`), so the
/// benchmark measures parsing rather than culture-date guessing. Time always increases (a long
/// export is a concatenation of pages anyway). The output depends only on the seed.
struct MessageTraceV2Generator: LogGenerator {
    static let header: StaticString =
        "\"MessageTraceId\",\"MessageId\",\"Received\",\"SenderAddress\",\"RecipientAddress\",\"FromIP\",\"ToIP\",\"Subject\",\"Status\",\"Size\"\r\n"

    private enum Kind {
        case inbound, spam, outbound, relayed, internalMail, distributionGroup, relayRejected
    }

    private enum Status {
        case delivered, failed, filteredAsSpam, expanded

        var text: StaticString {
            switch self {
            case .delivered: "Delivered"
            case .failed: "Failed"
            case .filteredAsSpam: "FilteredAsSpam"
            case .expanded: "Expanded"
            }
        }
    }

    private struct Message {
        var traceID: (UInt64, UInt64) = (0, 0)
        var messageID: (UInt64, UInt64) = (0, 0)
        /// The mailbox server prefix of an Exchange Online message id, nil for other senders.
        var exchangePrefix: [UInt8]?
        var idHost: [UInt8] = []
        var sender: [UInt8] = []
        var recipients: [[UInt8]] = []
        var statuses: [Status] = []
        var subject = 0
        var size = 0
        var received: Int64 = 0
        /// 0 = empty (mail submitted from an Exchange Online mailbox).
        var fromIP: UInt32 = 0
        /// 0 = empty (inbound and internal mail).
        var toIP: UInt32 = 0
        /// The next recipient row to write.
        var next = 0
    }

    private let online = OnlineVocabulary()
    private var random: RandomSource
    private var clock = TrackingLogGenerator.startTime
    private var message = Message()

    init(seed: UInt64) {
        random = RandomSource(seed: seed)
        message = newMessage()
    }

    func writeHeader(into out: inout ByteWriter) {
        out.text(Self.header)
    }

    mutating func writeRow(into out: inout ByteWriter) {
        if message.next == message.recipients.count { message = newMessage() }
        let index = message.next
        message.next += 1
        out.byte(UInt8(ascii: "\""))
        out.guid(message.traceID.0, message.traceID.1)
        out.nextQuoted()
        out.byte(UInt8(ascii: "<"))
        out.messageID(message.messageID, exchangePrefix: message.exchangePrefix, host: message.idHost)
        out.byte(UInt8(ascii: ">"))
        out.nextQuoted()
        out.timestampTicks(milliseconds: message.received)
        out.nextQuoted()
        out.bytes(message.sender)
        out.nextQuoted()
        out.bytes(message.recipients[index])
        out.nextQuoted()
        if message.fromIP != 0 { out.ipv4(message.fromIP) }
        out.nextQuoted()
        if message.toIP != 0 { out.ipv4(message.toIP) }
        out.nextQuoted()
        out.bytes(online.subjects[message.subject])
        out.nextQuoted()
        out.text(message.statuses[index].text)
        out.nextQuoted()
        out.decimal(message.size)
        out.text("\"\r\n")
    }

    private mutating func newMessage() -> Message {
        let vocabulary = online.base
        clock += Int64(random.below(90))
        let roll = random.below(100)
        let kind: Kind = roll < 44 ? .inbound : roll < 50 ? .spam : roll < 70 ? .outbound : roll < 78 ? .relayed
            : roll < 93 ? .internalMail : roll < 97 ? .distributionGroup : .relayRejected
        let count = kind == .relayRejected ? 1 : random.percent(75) ? 1 : random.percent(60) ? 2 : 3
        var message = Message()
        message.traceID = random.exchangeGUID()
        message.messageID = (random.next(), random.next())
        message.subject = random.below(online.subjects.count)
        message.size = 1800 + random.below(6000) + (random.percent(25) ? random.below(400_000) : 0)
            + (random.percent(3) ? random.below(10_000_000) : 0)
        message.received = clock
        let server = random.below(online.mailboxServers.count)
        switch kind {
        case .inbound, .spam:
            message.sender = random.pick(vocabulary.externalAddresses)
            message.recipients = random.pickDistinct(count, from: vocabulary.internalAddresses)
            message.statuses = message.recipients.map { _ in kind == .spam ? .filteredAsSpam : random.percent(2) ? .failed : .delivered }
            message.fromIP = random.publicIPv4()
        case .outbound, .relayed, .relayRejected:
            message.sender = kind == .outbound ? random.pick(vocabulary.internalAddresses)
                : random.percent(50) || kind == .relayRejected ? random.pick(vocabulary.relaySenders) : random.pick(vocabulary.internalAddresses)
            message.recipients = random.pickDistinct(count, from: vocabulary.externalAddresses)
            message.statuses = message.recipients.map { _ in kind == .relayRejected ? .failed : random.percent(4) ? .failed : .delivered }
            message.fromIP = kind == .outbound ? 0 : random.pick(OnlineVocabulary.onPremisesIPs)
            message.toIP = kind == .relayRejected ? 0 : random.publicIPv4()
        case .internalMail:
            message.sender = random.pick(vocabulary.internalAddresses)
            message.recipients = random.pickDistinct(count, from: vocabulary.internalAddresses)
            message.statuses = message.recipients.map { _ in .delivered }
        case .distributionGroup:
            let external = random.percent(30)
            message.sender = external ? random.pick(vocabulary.externalAddresses) : random.pick(vocabulary.internalAddresses)
            message.recipients = [random.pick(online.distributionGroups)] + random.pickDistinct(count + 1, from: vocabulary.internalAddresses)
            message.statuses = [.expanded] + Array(repeating: .delivered, count: count + 1)
            message.fromIP = external ? random.publicIPv4() : 0
        }
        if kind == .inbound || kind == .spam || (kind == .distributionGroup && message.fromIP != 0) {
            message.idHost = random.pick(vocabulary.messageIdDomains)
        } else if kind == .relayed || kind == .relayRejected {
            message.idHost = random.pick(vocabulary.servers).fqdn
        } else {
            message.exchangePrefix = online.mailboxServerPrefixes[server]
            message.idHost = online.mailboxServers[server]
        }
        return message
    }
}
