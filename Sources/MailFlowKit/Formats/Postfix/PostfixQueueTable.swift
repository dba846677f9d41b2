/// What Postfix logged about a queued message before delivering it: its `Message-ID` (from
/// `cleanup`) and its envelope sender and size (from `qmgr`), keyed by queue id.
///
/// Memory stays bounded: an entry goes when its `removed` line arrives, and when more than
/// ``capacity`` messages are in flight the oldest are forgotten (their later deliveries then
/// lack message id and sender, which ``evictedCount`` reports).
struct PostfixQueueTable {
    struct Entry {
        var messageId: String?
        var sender: String?
        /// The P2 `From:` and `Subject:` a `header_checks` INFO rule logged.
        var fromAddress: String?
        var subject: String?
        var size: Int64?
        /// Where the first line about this message is: replaying from there rebuilds the entry.
        var firstLine: Checkpoint
        var sequence: Int
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    /// Queue ids in the order they were first seen (with their sequence number); stale slots are
    /// skipped lazily.
    private var order: [(queueId: String, sequence: Int)] = []
    private var orderHead = 0
    private var nextSequence = 0
    private(set) var evictedCount = 0

    init(capacity: Int = 100_000) {
        precondition(capacity > 0, "capacity (\(capacity)) must be greater than zero")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    subscript(queueId: String) -> Entry? { entries[queueId] }

    /// Updates the entry of `queueId`, creating it (first seen at `line`) when needed.
    mutating func update(_ queueId: String, firstSeenAt line: Checkpoint, _ body: (inout Entry) -> Void) {
        if entries[queueId] == nil {
            entries[queueId] = Entry(firstLine: line, sequence: nextSequence)
            order.append((queueId, nextSequence))
            nextSequence += 1
            if entries.count > capacity { evictOldest() }
            if order.count - orderHead > 4 * max(entries.count, 1024) { compactOrder() }
        }
        if entries[queueId] != nil { body(&entries[queueId]!) }
    }

    mutating func remove(_ queueId: String) {
        entries[queueId] = nil
    }

    /// The first line of the oldest message still in flight.
    mutating func oldestFirstLine() -> Checkpoint? {
        skipStaleHead()
        guard orderHead < order.count else { return nil }
        return entries[order[orderHead].queueId]?.firstLine
    }

    private mutating func evictOldest() {
        skipStaleHead()
        guard orderHead < order.count else { return }
        entries[order[orderHead].queueId] = nil
        orderHead += 1
        evictedCount += 1
    }

    /// Keeps only the slots of messages still in flight (a long-deferred message at the head would
    /// otherwise let the slots of every later, already removed message pile up).
    private mutating func compactOrder() {
        order = order[orderHead...].filter { entries[$0.queueId]?.sequence == $0.sequence }
        orderHead = 0
    }

    /// Drops order slots whose message was removed (or re-added later under a new sequence).
    private mutating func skipStaleHead() {
        while orderHead < order.count {
            let slot = order[orderHead]
            if let entry = entries[slot.queueId], entry.sequence == slot.sequence { break }
            orderHead += 1
        }
        if orderHead > 4096, orderHead * 2 > order.count {
            order.removeFirst(orderHead)
            orderHead = 0
        }
    }
}
