/// The word lists of the Exchange Online formats (message trace CSV, Extended historical report),
/// pre-encoded as bytes, on top of the addresses and subjects of ``Vocabulary``.
///
/// Every field of these exports is quoted, so subjects are stored as quoted-field content (inner
/// quotes doubled, no enclosing quotes).
struct OnlineVocabulary {
    let base = Vocabulary()
    /// Subjects as quoted-field content.
    let subjects: [[UInt8]]
    /// `Undeliverable: ` + subject, as quoted-field content.
    let undeliverableSubjects: [[UInt8]]
    /// Exchange Online mailbox servers (`PH0PR11MB4968.namprd11.prod.outlook.com`).
    let mailboxServers: [[UInt8]]
    /// The host part of each mailbox server (`PH0PR11MB4968`), which starts EXO message ids.
    let mailboxServerPrefixes: [[UInt8]]
    /// Inbound connectors of the tenant (the attribution evidence of relayed mail).
    let inboundConnectors: [[UInt8]]
    /// MX hosts that outbound mail is sent to.
    let mxHosts: [[UInt8]]
    /// Distribution groups that a message trace shows as `Expanded`.
    let distributionGroups: [[UInt8]]

    /// /16 prefixes of public senders and MX hosts (EOP, Google, Yahoo, GMX, Deutsche Telekom, …).
    static let publicPrefixes: [UInt32] = [0x286B_0000, 0x2865_0000, 0xD155_0000, 0x4A7D_0000, 0x3464_0000,
                                          0xD4E3_0000, 0xC219_0000, 0x628A_0000, 0x5DB8_0000, 0xB91F_0000]
    /// The on-premises organisation's public addresses (203.0.113.25 and .26), seen by EXO.
    static let onPremisesIPs: [UInt32] = [0xCB00_7119, 0xCB00_711A]
    static let onPremisesHost: StaticString = "mail.contoso.com"

    init() {
        subjects = Vocabulary.subjectTexts.map(Vocabulary.quotedFieldContent)
        undeliverableSubjects = Vocabulary.subjectTexts.map { Vocabulary.quotedFieldContent("Undeliverable: \($0)") }
        let servers = ["PH0PR11MB4968.namprd11.prod.outlook.com", "DM6PR12MB4321.namprd12.prod.outlook.com",
                       "BL1PR13MB5077.namprd13.prod.outlook.com", "SN7PR12MB6715.namprd12.prod.outlook.com",
                       "AM9PR07MB7123.eurprd07.prod.outlook.com", "DB9PR04MB8412.eurprd04.prod.outlook.com"]
        mailboxServers = servers.map { Array($0.utf8) }
        mailboxServerPrefixes = servers.map { Array($0.prefix { $0 != "." }.utf8) }
        inboundConnectors = ["Inbound from Contoso on-premises", "Inbound from 8f6e1c2d-3b4a-4f5e-9d8c-7b6a5f4e3d2c",
                             "Inbound from Contoso scanners (SMTP relay)"].map { Array($0.utf8) }
        mxHosts = ["gmail-smtp-in.l.google.com", "alt1.gmail-smtp-in.l.google.com", "mta7.am0.yahoodns.net",
                   "fabrikam-com.mail.protection.outlook.com", "northwindtraders-com.mail.protection.outlook.com",
                   "mx00.emig.gmx.net", "mx01.t-online.de", "mx1.woodgrovebank.com",
                   "adatum-com.mail.protection.outlook.com"].map { Array($0.utf8) }
        distributionGroups = ["all-staff@contoso.com", "sales@contoso.com", "it-support@contoso.com",
                              "finance-team@contoso.com", "board@contoso.com"].map { Array($0.utf8) }
    }
}

/// A generator of one benchmark log format: a header, then one row at a time.
protocol LogGenerator {
    mutating func writeHeader(into out: inout ByteWriter)
    mutating func writeRow(into out: inout ByteWriter)
}

extension TrackingLogGenerator: LogGenerator {}

extension RandomSource {
    /// A public IPv4 address from one of the well-known sender prefixes.
    mutating func publicIPv4() -> UInt32 {
        pick(OnlineVocabulary.publicPrefixes) | UInt32(truncatingIfNeeded: next() & 0xFFFF) | 1
    }

    /// Two random halves of a GUID whose fourth-and-fifth groups start with `08de`, as the
    /// message trace ids and network message ids of 2026 do.
    mutating func exchangeGUID() -> (UInt64, UInt64) {
        (next(), next() & 0xFFFF_0000_FFFF_FFFF | 0x0000_08DE_0000_0000)
    }

    /// `count` different elements of `elements`.
    mutating func pickDistinct(_ count: Int, from elements: [[UInt8]]) -> [[UInt8]] {
        var picked: [[UInt8]] = []
        while picked.count < count {
            let candidate = pick(elements)
            if !picked.contains(candidate) { picked.append(candidate) }
        }
        return picked
    }
}

extension ByteWriter {
    /// Closes a quoted field and opens the next one: `","`.
    @inline(__always) mutating func nextQuoted() {
        text("\",\"")
    }

    /// Writes a message id in the shape the sender's system gives it (without angle brackets):
    /// `PH0PR11MB4968<24 hex>@PH0PR11MB4968.namprd11.prod.outlook.com` for Exchange Online
    /// mailboxes, `<32 hex>@domain` otherwise.
    mutating func messageID(_ id: (UInt64, UInt64), exchangePrefix: [UInt8]?, host: [UInt8]) {
        if let exchangePrefix {
            bytes(exchangePrefix)
            hex(id.0, digits: 16, uppercase: true)
            hex(id.1, digits: 8, uppercase: true)
        } else {
            hex(id.0, digits: 16)
            hex(id.1, digits: 16)
        }
        byte(UInt8(ascii: "@"))
        bytes(host)
    }
}
