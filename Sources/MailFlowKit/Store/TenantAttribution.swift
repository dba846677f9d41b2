/// The store's side of attributing rows to tenants (see ``TenantResolver``): the queries, by
/// intent, with enum values bound as parameters.
extension Database {
    /// The source kinds of Exchange Online rows, which belong to a tenant.
    static let tenantSourceKinds: [EventSourceKind] = [.messageTrace, .traceDetail, .historicalReport]

    private static var tenantKindParameters: String { tenantSourceKinds.map { _ in "?" }.joined(separator: ", ") }
    private static var tenantKindValues: [SQLValue] { tenantSourceKinds.map { .text($0.rawValue) } }

    /// An accepted-domain export that names its tenant and has no tenant id yet.
    struct NamedSnapshot: FetchableRecord {
        var id: Int64
        var fileId: Int64
        var tenantName: String
        init(row: Row) {
            id = row.int64("id") ?? 0
            fileId = row.int64("file_id") ?? 0
            tenantName = row.string("tenant_name") ?? ""
        }
    }

    func snapshotsNamingTheirTenant() throws -> [NamedSnapshot] {
        try fetchAll(NamedSnapshot.self, "SELECT id, file_id, tenant_name FROM config_snapshots WHERE tenant_id IS NULL AND tenant_name IS NOT NULL")
    }

    func assignTenant(_ tenant: Int64, toSnapshot snapshot: Int64, file: Int64) throws {
        try cachedStatement("UPDATE config_snapshots SET tenant_id = ?, origin_id = NULL WHERE id = ?").bindAndRun([.integer(tenant), .integer(snapshot)])
        // The export's own data names the tenant.
        try cachedStatement("UPDATE files SET tenant_id = ?, origin_id = NULL, assigned_by = 'data' WHERE id = ?").bindAndRun([.integer(tenant), .integer(file)])
    }

    /// A file as tenant attribution sees it.
    struct TenantFile: FetchableRecord {
        var id: Int64
        var path: String
        var tenantId: Int64?
        var format: String?
        init(row: Row) {
            id = row.int64("id") ?? 0
            path = row.string("path") ?? ""
            tenantId = row.int64("tenant_id")
            format = row.string("format")
        }
    }

    func tenantFiles() throws -> [TenantFile] {
        try fetchAll(TenantFile.self, "SELECT id, path, tenant_id, format FROM files")
    }

    func assignTenant(_ tenant: Int64, toFile file: Int64) throws {
        // A tenant's configuration export in the same folder names it.
        try cachedStatement("UPDATE files SET tenant_id = ?, assigned_by = 'folder' WHERE id = ?").bindAndRun([.integer(tenant), .integer(file)])
    }

    /// Gives Exchange Online rows without a tenant their file's tenant: rows with an id from
    /// `firstEventId` on, and every row of `files` (files that gained a tenant in this run).
    ///
    /// Restricting to the rows of this run keeps the pass proportional to what was read (a range
    /// of the row id), instead of a scan of the whole store on every run.
    func inheritFileTenants(fromEventId firstEventId: Int64, files: [Int64]) throws {
        let kinds = Self.tenantKindParameters
        let fileFilter = files.isEmpty ? "" : " OR file_id IN (\(files.map(String.init).joined(separator: ", ")))"
        try prepare("""
            UPDATE message_events SET tenant_id = (SELECT tenant_id FROM files WHERE files.id = message_events.file_id)
            WHERE (id >= ?\(fileFilter)) AND tenant_id IS NULL AND source_kind IN (\(kinds))
                AND (SELECT tenant_id FROM files WHERE files.id = message_events.file_id) IS NOT NULL
            """).bindAndRun([.integer(firstEventId)] + Self.tenantKindValues)
        try cachedStatement("""
            UPDATE config_snapshots SET tenant_id = (SELECT tenant_id FROM files WHERE files.id = config_snapshots.file_id)
            WHERE tenant_id IS NULL AND side = ?
            """).bindAndRun([.text(ConfigurationSnapshot.Side.exchangeOnline.rawValue)])
        try cachedStatement("UPDATE config_snapshots SET tenant_id = NULL WHERE side = ?")
            .bindAndRun([.text(ConfigurationSnapshot.Side.exchangeServer.rawValue)])
    }

    /// The distinct organisation values of Exchange Online rows (from `firstEventId` on) that have no tenant yet.
    func unresolvedTenantHints(fromEventId firstEventId: Int64) throws -> [String] {
        try fetchAll("""
            SELECT DISTINCT tenant_hint FROM message_events
            WHERE id >= ? AND tenant_id IS NULL AND tenant_hint IS NOT NULL AND source_kind IN (\(Self.tenantKindParameters))
            """, [.integer(firstEventId)] + Self.tenantKindValues) { $0.string("tenant_hint") }.compactMap { $0 }
    }

    func assignTenant(_ tenant: Int64, toRowsWithHint hint: String, fromEventId firstEventId: Int64) throws {
        try cachedStatement("UPDATE message_events SET tenant_id = ? WHERE id >= ? AND tenant_id IS NULL AND tenant_hint = ?")
            .bindAndRun([.integer(tenant), .integer(firstEventId), .text(hint)])
    }

    /// The id of the tenant called `name` (lower-cased), created on first use.
    func tenantId(named name: String) throws -> Int64 {
        let name = name.lowercased()
        try cachedStatement("INSERT OR IGNORE INTO tenants (name) VALUES (?)").bindAndRun([.text(name)])
        return try fetchOne("SELECT id FROM tenants WHERE name = ?", [.text(name)]) { $0.int64("id") }!!
    }

    /// A tenant whose name, GUID or accepted domain is `value` (lower-cased).
    func tenantMatching(_ value: String) throws -> Int64? {
        if let id = try fetchOne("SELECT id FROM tenants WHERE name = ? OR lower(tenant_guid) = ?", [.text(value), .text(value)], { $0.int64("id") }) ?? nil {
            return id
        }
        return try fetchOne("""
            SELECT s.tenant_id FROM accepted_domains d JOIN config_snapshots s ON s.id = d.snapshot_id
            WHERE d.domain = ? AND s.tenant_id IS NOT NULL LIMIT 1
            """, [.text(value)]) { $0.int64("tenant_id") } ?? nil
    }

    /// The largest `message_events` id (0 for an empty table): rows written later have larger ids.
    package func maxEventId() throws -> Int64 {
        try fetchOne("SELECT max(id) AS id FROM message_events") { $0.int64("id") }.flatMap { $0 } ?? 0
    }
}
