/// Attributes stored rows to tenants from what the data says, after an ingest.
///
/// In order: an accepted-domain export names its tenant (the domain flagged `InitialDomain`), and
/// every Exchange Online input of the same folder belongs to that tenant; then a row's own
/// `Organization`/`tenant_id` value is matched against tenant names and accepted domains; a value
/// that matches nothing becomes a tenant of that name. Rows that already have a tenant keep it.
///
/// Only the rows of this run (ids from `firstNewEventId`) and the rows of files that gained a
/// tenant in this run are visited: earlier runs resolved the rest.
struct TenantResolver {
    let database: Database

    func resolve(firstNewEventId: Int64 = 0) throws {
        try database.transaction {
            var gainedTenant: [Int64] = []
            // 1. Accepted-domain exports that name their tenant.
            for snapshot in try database.snapshotsNamingTheirTenant() {
                try database.assignTenant(try database.tenantId(named: snapshot.tenantName), toSnapshot: snapshot.id, file: snapshot.fileId)
                gainedTenant.append(snapshot.fileId)
            }
            // 2. Exchange Online inputs of a folder that has a tenant's configuration.
            let files = try database.tenantFiles()
            func isTenantFormat(_ format: String?) -> Bool {
                guard let format else { return false }
                return format.hasPrefix("config-") || format.hasPrefix("exo-")
            }
            var tenantByFolder: [String: Int64] = [:]
            for file in files {
                guard let tenant = file.tenantId, isTenantFormat(file.format) else { continue }
                tenantByFolder[Self.folder(of: file.path)] = tenant
            }
            for file in files where file.tenantId == nil && isTenantFormat(file.format) {
                guard let tenant = tenantByFolder[Self.folder(of: file.path)] else { continue }
                try database.assignTenant(tenant, toFile: file.id)
                gainedTenant.append(file.id)
            }
            try database.inheritFileTenants(fromEventId: firstNewEventId, files: gainedTenant)
            // 3. Rows whose own data names the organisation.
            for hint in try database.unresolvedTenantHints(fromEventId: firstNewEventId) {
                let tenant = try database.tenantMatching(hint.lowercased()) ?? database.tenantId(named: hint)
                try database.assignTenant(tenant, toRowsWithHint: hint, fromEventId: firstNewEventId)
            }
        }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
