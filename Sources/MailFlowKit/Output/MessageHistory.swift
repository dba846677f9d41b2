/// Everything the store knows about one message, in time order: what `mailflow trace` prints.
public enum MessageHistory {
    public struct Entry: Sendable {
        public var timeMs: Int64
        public var source: String
        public var scope: String
        public var what: String
        public var evidence: String
    }

    /// Events, SMTP transactions and recipients, and the verdict of a Message-ID (with or without brackets).
    public static func entries(messageId: String, in database: Database) throws -> [Entry] {
        try database.history(ofMessage: messageId).sorted { $0.timeMs < $1.timeMs }
    }
}
