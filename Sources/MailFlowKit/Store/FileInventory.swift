/// What the store holds, per input and per tenant: what `mailflow files` prints.
package enum FileInventory {
    /// One input as the store records it.
    package struct File: Sendable, FetchableRecord {
        package var path: String
        package var format: String
        package var encoding: String
        package var isGzip: Bool
        package var status: String
        package var damage: String?
        package var tenant: String?
        package var source: String?
        /// `data`, `flag` or `folder` (``SourceNaming``, ``TenantResolver``); `nil` for files read before schema 7.
        package var assignedBy: String?
        /// Tenants the rows themselves named (Organization, tenant_id) when they differ from the file's.
        package var rowTenants: [String]
        package var firstMs: Int64?
        package var lastMs: Int64?
        package var rows: Int
        package var sessions: Int
        package var quarantined: Int

        package init(row: Row) {
            path = row.string("path") ?? ""
            format = row.string("format") ?? "unknown"
            encoding = row.string("encoding") ?? ""
            isGzip = row.bool("is_gzip")
            status = row.string("status") ?? ""
            damage = row.string("damage")
            tenant = row.string("tenant")
            source = row.string("source")
            assignedBy = row.string("assigned_by")
            rowTenants = row.list("row_tenants")
            firstMs = [row.int64("first_event_ms"), row.int64("first_session_ms")].compactMap { $0 }.min()
            lastMs = [row.int64("last_event_ms"), row.int64("last_session_ms")].compactMap { $0 }.max()
            rows = row.int("events") ?? 0
            sessions = row.int("sessions") ?? 0
            quarantined = row.int("quarantined") ?? 0
        }
    }

    /// Every input, in path order.
    package static func files(in database: Database) throws -> [File] {
        let hasAssignment = try database.fetchAll("SELECT name FROM pragma_table_info('files')") { $0.string("name") }.contains("assigned_by")
        return try database.fetchAll(File.self, """
            SELECT f.path, f.format, f.encoding, f.is_gzip, f.status, f.damage, f.events, f.sessions, f.quarantined,
                t.name AS tenant, o.name AS source, \(hasAssignment ? "f.assigned_by" : "NULL") AS assigned_by,
                ev.first_ms AS first_event_ms, ev.last_ms AS last_event_ms, ev.row_tenants, ss.first_ms AS first_session_ms, ss.last_ms AS last_session_ms
            FROM files f LEFT JOIN tenants t ON t.id = f.tenant_id LEFT JOIN origins o ON o.id = f.origin_id
            LEFT JOIN (
                SELECT e.file_id, min(e.time_ms) AS first_ms, max(e.time_ms) AS last_ms,
                    group_concat(DISTINCT CASE WHEN e.tenant_id IS NOT f2.tenant_id THEN et.name END) AS row_tenants
                FROM message_events e JOIN files f2 ON f2.id = e.file_id LEFT JOIN tenants et ON et.id = e.tenant_id GROUP BY e.file_id
            ) ev ON ev.file_id = f.id
            LEFT JOIN (SELECT file_id, min(start_ms) AS first_ms, max(end_ms) AS last_ms FROM smtp_sessions GROUP BY file_id) ss ON ss.file_id = f.id
            ORDER BY f.path
            """).map { file in
                // group_concat joins with ','; the list reader splits on ';'.
                var file = file
                file.rowTenants = file.rowTenants.flatMap { $0.split(separator: ",").map(String.init) }
                return file
            }
    }

    /// The kinds of evidence a tenant's investigation draws on, and the command that exports each.
    package enum Evidence: String, Sendable, CaseIterable {
        case messageTrace = "message trace"
        case traceDetail = "trace details"
        case inboundConnectors = "Inbound connectors"
        case acceptedDomains = "accepted domains"

        package var exportCommand: String {
            switch self {
            case .messageTrace: return "Get-MessageTraceV2 -StartDate (Get-Date).AddDays(-10) -EndDate (Get-Date) | Export-Csv messagetrace.csv -NoTypeInformation"
            case .traceDetail: return "Get-MessageTraceV2 … | Get-MessageTraceDetailV2 | Export-Csv trace-details.csv -NoTypeInformation"
            case .inboundConnectors: return "Get-InboundConnector | ConvertTo-Json -Depth 5 | Out-File inbound-connectors.json"
            case .acceptedDomains: return "Get-AcceptedDomain | ConvertTo-Json -Depth 5 | Out-File accepted-domains.json"
            }
        }
    }

    /// One tenant and which evidence the store has for it.
    package struct Tenant: Sendable {
        package var name: String
        package var present: [Evidence]
        package var missing: [Evidence] { Evidence.allCases.filter { !present.contains($0) } }
    }

    package static func tenants(in database: Database) throws -> [Tenant] {
        try database.fetchAll("""
            SELECT t.name,
                EXISTS (SELECT 1 FROM message_events e WHERE e.tenant_id = t.id AND e.source_kind IN (?1, ?2)) AS has_trace,
                EXISTS (SELECT 1 FROM message_events e WHERE e.tenant_id = t.id AND e.source_kind = ?3) AS has_detail,
                EXISTS (SELECT 1 FROM config_snapshots s WHERE s.tenant_id = t.id AND s.kind = ?4) AS has_connectors,
                EXISTS (SELECT 1 FROM config_snapshots s WHERE s.tenant_id = t.id AND s.kind = ?5) AS has_domains
            FROM tenants t ORDER BY t.name
            """, [.text(EventSourceKind.messageTrace.rawValue), .text(EventSourceKind.historicalReport.rawValue), .text(EventSourceKind.traceDetail.rawValue),
                  .text(ConfigurationSnapshot.Kind.inboundConnectors.rawValue), .text(ConfigurationSnapshot.Kind.acceptedDomains.rawValue)]) { row in
            var present: [Evidence] = []
            if row.bool("has_trace") { present.append(.messageTrace) }
            if row.bool("has_detail") { present.append(.traceDetail) }
            if row.bool("has_connectors") { present.append(.inboundConnectors) }
            if row.bool("has_domains") { present.append(.acceptedDomains) }
            return Tenant(name: row.string("name") ?? "", present: present)
        }
    }
}
