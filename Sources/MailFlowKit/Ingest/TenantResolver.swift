/// Attributes stored rows to tenants from what the data says, after an ingest.
///
/// In order: an accepted-domain export names its tenant (the domain flagged `InitialDomain`), and
/// every Exchange Online input of the same folder belongs to that tenant; then a row's own
/// `Organization`/`tenant_id` value is matched against tenant names and accepted domains; a value
/// that matches nothing becomes a tenant of that name. Rows that already have a tenant keep it.
struct TenantResolver {
    let database: Database

    func resolve() throws {
        try database.transaction {
            // 1. Accepted-domain exports that name their tenant.
            for row in try database.rows("SELECT id, file_id, tenant_name FROM config_snapshots WHERE tenant_id IS NULL AND tenant_name IS NOT NULL") {
                guard let snapshot = row[0].int64, let name = row[2].string else { continue }
                let tenant = try tenantId(named: name)
                try database.prepare("UPDATE config_snapshots SET tenant_id = ?, origin_id = NULL WHERE id = ?").bindAndRun([.integer(tenant), .integer(snapshot)])
                try database.prepare("UPDATE files SET tenant_id = ?, origin_id = NULL, assigned_by = 'data' WHERE id = ?").bindAndRun([.integer(tenant), row[1]])
            }
            // 2. Exchange Online inputs of a folder that has a tenant's configuration.
            let files = try database.rows("SELECT id, path, tenant_id, format FROM files")
            var tenantByFolder: [String: Int64] = [:]
            for file in files {
                guard let tenant = file[2].int64, let format = file[3].string, format.hasPrefix("config-") || format.hasPrefix("exo-") else { continue }
                tenantByFolder[Self.folder(of: file[1].string ?? "")] = tenant
            }
            for file in files where file[2] == .null {
                guard let format = file[3].string, format.hasPrefix("exo-") || format.hasPrefix("config-"),
                    let tenant = tenantByFolder[Self.folder(of: file[1].string ?? "")]
                else { continue }
                try database.prepare("UPDATE files SET tenant_id = ?, assigned_by = 'folder' WHERE id = ?").bindAndRun([.integer(tenant), file[0]])
            }
            try database.execute("""
                UPDATE message_events SET tenant_id = (SELECT tenant_id FROM files WHERE files.id = message_events.file_id)
                WHERE tenant_id IS NULL AND source_kind IN ('message-trace', 'trace-detail', 'historical-report')
                    AND (SELECT tenant_id FROM files WHERE files.id = message_events.file_id) IS NOT NULL;
                UPDATE config_snapshots SET tenant_id = (SELECT tenant_id FROM files WHERE files.id = config_snapshots.file_id)
                WHERE tenant_id IS NULL AND side = 'exchange-online';
                UPDATE config_snapshots SET tenant_id = NULL WHERE side = 'exchange-server';
                """)
            // 3. Rows whose own data names the organisation.
            for row in try database.rows("""
                SELECT DISTINCT tenant_hint FROM message_events
                WHERE tenant_id IS NULL AND tenant_hint IS NOT NULL AND source_kind IN ('message-trace', 'trace-detail', 'historical-report')
                """) {
                guard let hint = row[0].string else { continue }
                let tenant = try tenantMatching(hint) ?? tenantId(named: hint)
                try database.prepare("UPDATE message_events SET tenant_id = ? WHERE tenant_id IS NULL AND tenant_hint = ?").bindAndRun([.integer(tenant), .text(hint)])
            }
        }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    private func tenantId(named name: String) throws -> Int64 {
        try database.prepare("INSERT OR IGNORE INTO tenants (name) VALUES (?)").bindAndRun([.text(name.lowercased())])
        return try database.scalar("SELECT id FROM tenants WHERE name = ?", [.text(name.lowercased())])!
    }

    /// A tenant whose name, GUID or accepted domain is `hint`.
    private func tenantMatching(_ hint: String) throws -> Int64? {
        let value = hint.lowercased()
        if let id = try database.scalar("SELECT id FROM tenants WHERE name = ? OR lower(tenant_guid) = ?", [.text(value), .text(value)]) { return id }
        return try database.scalar("""
            SELECT s.tenant_id FROM accepted_domains d JOIN config_snapshots s ON s.id = d.snapshot_id
            WHERE d.domain = ? AND s.tenant_id IS NOT NULL LIMIT 1
            """, [.text(value)])
    }
}
