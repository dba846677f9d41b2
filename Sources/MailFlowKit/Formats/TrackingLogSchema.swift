/// Where each field of interest sits in a message tracking log, resolved from its `#Fields` line.
///
/// Exchange 2010 writes 26 fields and 2013+ write 30, and Microsoft has inserted fields in the
/// middle before; so nothing is taken by position except when a file has no header at all.
struct TrackingLogSchema: Equatable {
    let fieldCount: Int
    var dateTime: Int?
    var clientIP: Int?
    var clientHostname: Int?
    var serverIP: Int?
    var serverHostname: Int?
    var sourceContext: Int?
    var connectorId: Int?
    var source: Int?
    var eventId: Int?
    var internalMessageId: Int?
    var messageId: Int?
    var networkMessageId: Int?
    var recipientAddress: Int?
    var recipientStatus: Int?
    var totalBytes: Int?
    var messageSubject: Int?
    var senderAddress: Int?
    var returnPath: Int?
    var directionality: Int?
    var tenantId: Int?
    var originalClientIP: Int?

    /// The 30 fields of Exchange 2013 and later, in the order they write them.
    static let exchange2013Fields = [
        "date-time", "client-ip", "client-hostname", "server-ip", "server-hostname", "source-context", "connector-id",
        "source", "event-id", "internal-message-id", "message-id", "network-message-id", "recipient-address",
        "recipient-status", "total-bytes", "recipient-count", "related-recipient-address", "reference",
        "message-subject", "sender-address", "return-path", "message-info", "directionality", "tenant-id",
        "original-client-ip", "original-server-ip", "custom-data", "transport-traffic-type", "log-id", "schema-version",
    ]

    /// The 26 fields of Exchange 2010: the 2013 list without the four fields added later.
    static let exchange2010Fields = exchange2013Fields.filter {
        !["network-message-id", "transport-traffic-type", "log-id", "schema-version"].contains($0)
    }

    init?(fields: [String]) {
        fieldCount = fields.count
        func index(_ name: String) -> Int? { fields.firstIndex(of: name) }
        dateTime = index("date-time")
        guard dateTime != nil else { return nil }
        clientIP = index("client-ip")
        clientHostname = index("client-hostname")
        serverIP = index("server-ip")
        serverHostname = index("server-hostname")
        sourceContext = index("source-context")
        connectorId = index("connector-id")
        source = index("source")
        eventId = index("event-id")
        internalMessageId = index("internal-message-id")
        messageId = index("message-id")
        networkMessageId = index("network-message-id")
        recipientAddress = index("recipient-address")
        recipientStatus = index("recipient-status")
        totalBytes = index("total-bytes")
        messageSubject = index("message-subject")
        senderAddress = index("sender-address")
        returnPath = index("return-path")
        directionality = index("directionality")
        tenantId = index("tenant-id")
        originalClientIP = index("original-client-ip")
    }
}
