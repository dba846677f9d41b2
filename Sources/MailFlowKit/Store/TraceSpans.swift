/// The time span each message-trace file covers for its tenant, read for ``TraceCoverage``.
struct TraceSpan: FetchableRecord {
    var tenant: String
    var path: String
    var start: Int64
    var end: Int64

    init(row: Row) {
        tenant = row.string("tenant") ?? ""
        path = row.string("path") ?? ""
        start = row.int64("start_ms") ?? 0
        end = row.int64("end_ms") ?? 0
    }
}

extension Database {
    /// Each (tenant, file) span of message-trace and historical-report rows, by tenant, then start.
    func traceSpans() throws -> [TraceSpan] {
        let kinds: [EventSourceKind] = [.messageTrace, .historicalReport]
        return try fetchAll(TraceSpan.self, """
            SELECT t.name AS tenant, f.path AS path, min(e.time_ms) AS start_ms, max(e.time_ms) AS end_ms FROM message_events e
            JOIN files f ON f.id = e.file_id JOIN tenants t ON t.id = e.tenant_id
            WHERE e.source_kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))
            GROUP BY e.tenant_id, e.file_id ORDER BY t.name, min(e.time_ms)
            """, kinds.map { .text($0.rawValue) })
    }
}
