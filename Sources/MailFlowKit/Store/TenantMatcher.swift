/// Turns whatever an administrator calls a tenant into the tenant's name in the store.
///
/// Accepted, case-insensitively: the name (`woodgrove.onmicrosoft.com`), its prefix (`woodgrove`),
/// the tenant id (GUID), or any of its accepted domains (`woodgrove.com`).
package enum TenantMatcher {
    package struct Unknown: Error, CustomStringConvertible {
        package let given: String
        package let known: [String]

        package var description: String {
            known.isEmpty
                ? "no tenant '\(given)': the database has no Exchange Online tenant yet (ingest a tenant's message trace or exports first)"
                : "no tenant '\(given)' in the database; give a tenant's name, its prefix, its tenant id or one of its accepted domains. Tenants: "
                    + known.joined(separator: ", ")
        }
    }

    /// The stored name of the tenant `given` names.
    package static func resolve(_ given: String, in database: Database) throws -> String {
        let value = given.trimmingCharacters(in: " ").lowercased()
        let tenants = try database.fetchAll("SELECT name, lower(coalesce(tenant_guid, '')) AS guid FROM tenants ORDER BY name") {
            (name: $0.string("name") ?? "", guid: $0.string("guid") ?? "")
        }
        if let tenant = tenants.first(where: { $0.name == value || (!$0.guid.isEmpty && $0.guid == value) }) { return tenant.name }
        if let name = try database.fetchOne("""
            SELECT t.name FROM accepted_domains d JOIN config_snapshots s ON s.id = d.snapshot_id JOIN tenants t ON t.id = s.tenant_id
            WHERE lower(d.domain) = ? LIMIT 1
            """, [.text(value)], { $0.string("name") }), let name {
            return name
        }
        let prefixed = tenants.filter { $0.name.split(separator: ".").first.map(String.init) == value }
        if prefixed.count == 1 { return prefixed[0].name }
        throw Unknown(given: given, known: tenants.map(\.name))
    }
}
