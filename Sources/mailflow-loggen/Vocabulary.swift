/// The fixed word lists a generated log draws from, pre-encoded as CSV field bytes.
///
/// Everything here is built once at start-up, so the row loop only copies bytes. Values that
/// contain a comma or a double quote are stored already quoted (RFC 4180: wrapped in `"` with inner
/// quotes doubled), exactly as Exchange writes them.
struct Vocabulary {
    static let organizationDomain = "contoso.com"
    static let forest = "contoso.local"

    /// Internal mailboxes, `first.last@contoso.com`.
    let internalAddresses: [[UInt8]]
    /// External correspondents at a few dozen domains.
    let externalAddresses: [[UInt8]]
    /// Application and device senders that relay through the servers (the ones that fail attribution).
    let relaySenders: [[UInt8]]
    /// Subjects, CSV-encoded; some carry commas and quotes, a few are not ASCII.
    let subjects: [[UInt8]]
    /// `Undeliverable: ` + subject, CSV-encoded, for DSN rows.
    let undeliverableSubjects: [[UInt8]]
    /// Host names of the sending side of inbound SMTP sessions (EOP and direct MTAs).
    let inboundHosts: [[UInt8]]
    /// Message-id right-hand sides for external mail.
    let messageIdDomains: [[UInt8]]
    /// Exchange Online front-end names that appear in 250 replies and 5.7.64 rejections.
    let onlineFrontEnds: [[UInt8]]
    /// Transport servers of the on-premises organisation.
    let servers: [Server]

    struct Server {
        let name: [UInt8]
        let fqdn: [UInt8]
        let ip: [UInt8]
        let receiveConnector: [UInt8]
        let mailboxDatabase: [UInt8]
    }

    init() {
        let first = ["anna", "ben", "carla", "david", "eva", "felix", "greta", "hannah", "ivan", "julia",
                     "karl", "lena", "marco", "nina", "oliver", "paula", "quentin", "rosa", "stefan", "tina",
                     "uwe", "vera", "walter", "xenia", "yusuf", "zoe", "amelie", "bruno", "chiara", "dmitri"]
        let last = ["schmidt", "mueller", "garcia", "rossi", "dubois", "novak", "kowalski", "jensen", "smith",
                    "nguyen", "tanaka", "silva", "ivanova", "horvath", "oconnor", "fischer", "weber", "meyer",
                    "wagner", "becker", "schulz", "hoffmann", "koch", "richter", "klein", "wolf", "neumann"]
        let externalDomains = ["gmail.com", "outlook.com", "yahoo.com", "fabrikam.com", "northwindtraders.com",
                               "adatum.com", "tailspintoys.com", "wingtiptoys.com", "litwareinc.com",
                               "woodgrovebank.com", "alpineskihouse.com", "lucernepublishing.com",
                               "margiestravel.com", "proseware.com", "relecloud.com", "trey-research.net",
                               "fourthcoffee.com", "cohovineyard.com", "blueyonderairlines.com",
                               "humongousinsurance.com", "wideworldimporters.com", "consolidatedmessenger.com",
                               "graphicdesigninstitute.com", "schoolofthefinearts.edu", "web.de", "gmx.net",
                               "orange.fr", "libero.it", "t-online.de", "mail.ru"]
        var internalList: [[UInt8]] = []
        for (index, name) in first.enumerated() {
            for surname in last where (surname.count + index) % 3 != 0 {
                internalList.append(Array("\(name).\(surname)@\(Self.organizationDomain)".utf8))
            }
        }
        internalAddresses = internalList
        var external: [[UInt8]] = []
        for (index, domain) in externalDomains.enumerated() {
            for offset in 0..<8 {
                let name = first[(index * 7 + offset * 3) % first.count]
                let surname = last[(index * 5 + offset * 11) % last.count]
                let local = offset % 3 == 0 ? "\(name).\(surname)" : offset % 3 == 1 ? "\(name.first!)\(surname)" : "\(name)_\(surname)\(index + offset)"
                external.append(Array("\(local)@\(domain)".utf8))
            }
        }
        externalAddresses = external
        relaySenders = ["scanner-3f@contoso.com", "noreply@erp.contoso.com", "alerts@monitoring.contoso.com",
                        "backup@host01.contoso.local", "invoices@billing.contoso.com", "hr-portal@contoso.com"]
            .map { Array($0.utf8) }

        let subjectTexts = Self.subjectTexts
        subjects = subjectTexts.map(Self.csvField)
        undeliverableSubjects = subjectTexts.map { Self.csvField("Undeliverable: \($0)") }
        inboundHosts = ["mail-dm6nam12on2071.outbound.protection.outlook.com",
                        "mail-am6eur05on2120.outbound.protection.outlook.com",
                        "mail-wr1-f54.google.com", "mail-ej1-f44.google.com", "mx01.fabrikam.com",
                        "smtp.northwindtraders.com", "mout.gmx.net", "mx-out.t-online.de",
                        "sonic310-22.consmr.mail.ne1.yahoo.com", "relay.woodgrovebank.com"].map { Array($0.utf8) }
        messageIdDomains = ["mail.gmail.com", "DM6PR12MB4321.namprd12.prod.outlook.com",
                            "AM9PR07MB7123.eurprd07.prod.outlook.com", "fabrikam.com", "smtp.northwindtraders.com",
                            "gmx.net", "web.de", "sonic.yahoo.com", "host01.woodgrovebank.com"].map { Array($0.utf8) }
        onlineFrontEnds = ["BN8NAM12FT023.eop-nam12.prod.protection.outlook.com",
                           "DM6NAM12FT045.eop-nam12.prod.protection.outlook.com",
                           "AM4PEPF00027A66.eurprd04.prod.outlook.com",
                           "DB5PEPF00014B8F.eurprd04.prod.outlook.com"].map { Array($0.utf8) }
        servers = (1...2).map { number in
            let name = "EX0\(number)"
            return Server(
                name: Array(name.utf8),
                fqdn: Array("\(name).\(Self.forest)".utf8),
                ip: Array("10.1.0.\(10 + number)".utf8),
                receiveConnector: Array("\(name)\\Default Frontend \(name)".utf8),
                mailboxDatabase: Array("DB0\(number)".utf8)
            )
        }
    }

    /// The subject lines, as text (some carry commas and quotes, a few are not ASCII).
    static let subjectTexts = [
        "Weekly status report", "RE: Project Phoenix kick-off", "FW: Invoice 2026-11-0042",
        "Meeting notes, action items and next steps", "Your order #A-39211 has shipped",
        "RE: Q4 forecast, revised numbers", "Lunch on Friday?", "Scanned document from SCAN-3F",
        "Backup job \"Nightly-SQL\" completed with warnings", "RE: RE: Contract draft v3",
        "Invitation: Design review @ Thu 26 Nov 2026 10:00 - 11:00 (CET)",
        "Accepted: Budget planning, FY27", "Password expiry notice", "Out of Office: Weekly status report",
        "Angebot für Wartungsvertrag – Rückfrage", "Réunion du comité, ordre du jour",
        "ERP export \"daily_sales.csv\", 3 files attached", "Ticket #48213 updated: printer offline",
        "Newsletter November 2026", "RE: Travel request, Berlin, 2-4 Dec",
        "[EXTERNAL] Security alert for your account", "Payment confirmation", "Quarterly results",
        "RE: \"Quick question\" about the SLA, urgent", "Shared with you: Roadmap.xlsx",
        "Отчёт о продажах за октябрь", "Delivery delayed, new ETA", "Welcome to the team!",
        "", "Monitoring: CPU > 90% on SQL01, DB02", "Fwd: photos", "Re: support case 120112 [ref:_00D]",
    ]

    /// Encodes a value as one CSV field the way Exchange does: quoted only when needed.
    static func csvField(_ value: String) -> [UInt8] {
        let bytes = Array(value.utf8)
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }) else { return bytes }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            quoted.append(byte)
            if byte == UInt8(ascii: "\"") { quoted.append(byte) }
        }
        quoted.append(UInt8(ascii: "\""))
        return quoted
    }

    /// Encodes a value for the inside of a field that is always quoted (`Export-Csv` style): inner
    /// double quotes doubled, the enclosing quotes left to the writer.
    static func quotedFieldContent(_ value: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for byte in value.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        return bytes
    }
}
