/// The values of one message trace row (one message, one recipient), from CSV or JSON alike.
///
/// CSV and JSON exports of the same trace fill the same event columns in the same way, which is
/// what gives a row the same content key whichever export it was read from.
struct MessageTraceRow {
    static var empty: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    var received = empty
    var messageId = empty
    var sender = empty
    var recipient = empty
    var status = empty
    var fromIP = empty
    var toIP = empty
    var subject = empty
    var size = empty
    var traceId = empty
    var organization = empty
    /// Graph writes statuses in camelCase (`filteredAsSpam`); PowerShell in PascalCase.
    var capitalizesStatus = false

    /// The key covers only what identifies a trace row: message, sender, recipient, status, time
    /// (to the second, see ``CultureTimeline``), source kind and the tenant when the export names it.
    /// The sender is part of it: two rows that differ only in `SenderAddress` are two events, and
    /// merging them lost the second sender. Fields outside the key that disagree between two
    /// exports of the same event are kept as variants (see ``StoreWriter``).
    static let keyExclusions: EventFieldSet = EventFieldSet.all.subtracting([.messageId, .traceId, .sender, .recipient, .event, .tenantHint])

    /// Sets the fields of the current row of `events`.
    func fill(_ events: inout EventBatch) {
        events.set(.timeText, ByteText.trimmed(received))
        events.set(.messageId, ByteText.trimmed(messageId))
        let sender = ByteText.trimmed(self.sender)
        events.set(.sender, sender)
        events.setLowercased(.senderDomain, ByteText.domain(ofAddress: sender))
        let recipient = ByteText.trimmed(self.recipient)
        events.set(.recipient, recipient)
        events.setLowercased(.recipientDomain, ByteText.domain(ofAddress: recipient))
        let status = ByteText.trimmed(self.status)
        if capitalizesStatus, status.count > 0, status[0] >= 0x61, status[0] <= 0x7A {
            var copy = Array(status)
            copy[0] -= 0x20
            copy.withUnsafeBytes { events.set(.event, $0) }
        } else {
            events.set(.event, status)
        }
        events.set(.clientIP, ByteText.trimmed(fromIP))
        events.set(.serverIP, ByteText.trimmed(toIP))
        events.set(.subject, subject)
        events.current.size = ByteText.integer(size)
        events.set(.traceId, ByteText.trimmed(traceId))
        events.set(.tenantHint, ByteText.trimmed(organization))
    }
}

/// Where the columns of a message trace CSV are, found by name (V1, V2 and new-EAC exports).
struct MessageTraceColumns: ExportedCSVColumns {
    /// `Received` or one of its aliases.
    var time: Int
    var messageId: Int?
    var sender: Int?
    var recipient: Int?
    var status: Int?
    var fromIP: Int?
    var toIP: Int?
    var subject: Int?
    var size: Int?
    var traceId: Int?
    var organization: Int?
    var timeName: String

    /// Accepted spellings (normalised: lower-case letters and digits) of each column.
    static let receivedAliases = ["received", "receiveddatetime", "receivedutc", "date", "dateutc", "datetime", "datetimeutc"]
    static let messageIdAliases = ["messageid", "internetmessageid"]
    static let senderAliases = ["senderaddress", "sender", "senderemail"]
    static let recipientAliases = ["recipientaddress", "recipient", "recipientemail"]
    static let statusAliases = ["status", "deliverystatus"]
    static let fromIPAliases = ["fromip", "fromipaddress"]
    static let toIPAliases = ["toip", "toipaddress"]
    static let subjectAliases = ["subject", "messagesubject"]
    static let sizeAliases = ["size", "messagesize", "sizebytes"]
    static let traceIdAliases = ["messagetraceid", "traceid"]
    static let organizationAliases = ["organization", "organisation"]
    /// Columns that mean another export (trace details, historical reports, tracking logs).
    static let foreignColumns = ["event", "detail", "eventid", "recipientstatus", "origintimestamputc", "action"]

    init?(names: [String]) {
        func index(_ aliases: [String]) -> Int? {
            for alias in aliases { if let index = names.firstIndex(of: alias) { return index } }
            return nil
        }
        guard !names.contains(where: Self.foreignColumns.contains), let time = index(Self.receivedAliases),
            let status = index(Self.statusAliases)
        else { return nil }
        self.time = time
        self.status = status
        timeName = names[time]
        messageId = index(Self.messageIdAliases)
        sender = index(Self.senderAliases)
        recipient = index(Self.recipientAliases)
        guard sender != nil || recipient != nil else { return nil }
        fromIP = index(Self.fromIPAliases)
        toIP = index(Self.toIPAliases)
        subject = index(Self.subjectAliases)
        size = index(Self.sizeAliases)
        traceId = index(Self.traceIdAliases)
        organization = index(Self.organizationAliases)
    }

    /// How sure a header is a message trace: V1/V2 property names score higher than EAC words.
    static func confidence(names: [String], typeLine: String?) -> Int {
        guard MessageTraceColumns(names: names) != nil else { return 0 }
        var score = 70
        if names.contains("received") && (names.contains("senderaddress") || names.contains("recipientaddress")) { score = 88 }
        if names.contains("messagetraceid") { score += 2 }
        if let typeLine, typeLine.lowercased().contains("messagetrace") { score += 5 }
        return score
    }
}
