/// Reads the quarantine back with the file each line came from.
public enum QuarantineReport {
    public struct Row: Sendable {
        public var path: String
        public var line: Int
        public var offset: Int64
        public var reason: String
        public var detail: String
        public var text: String
    }

    public static func rows(in database: Database, limit: Int) throws -> [Row] {
        try database.quarantinedLines(limit: limit)
    }
}
