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
        try database.rows("""
            SELECT f.path, q.line, q.byte_offset, q.reason, q.detail, q.text
            FROM quarantine q JOIN files f ON f.id = q.file_id ORDER BY f.path, q.line LIMIT ?
            """, [.integer(Int64(limit))]).map {
            Row(path: $0[0].string ?? "", line: Int($0[1].int64 ?? 0), offset: $0[2].int64 ?? 0,
                reason: $0[3].string ?? "", detail: $0[4].string ?? "", text: $0[5].string ?? "")
        }
    }
}
