/// Names the tenant or the sending server an input belongs to, before its data is read.
///
/// Exchange Online exports belong to a tenant: `--tenant`, else a folder in the path named like a
/// tenant (`contoso.onmicrosoft.com`); the data may still say better (Organization, tenant_id, an
/// accepted-domain export in the same folder), which ``TenantResolver`` applies after the run.
/// On-premises logs and relay logs come from a sender, not a tenant: `--source`, else the nearest
/// folder whose name is not one of Exchange's or syslog's own log folder names.
struct SourceNaming {
    var tenant: String?
    var source: String?

    /// Folder names that say what a log is, not whose it is.
    static let genericFolders: Set<String> = [
        "logs", "log", "messagetracking", "protocollog", "smtpsend", "smtpreceive", "smtprecive", "hub", "frontend",
        "transportroles", "mailbox", "edge", "delivery", "submission", "connectivity", "var", "mail", "maillog",
        "config", "configuration", "exports", "export", "traces", "trace", "sample-logs", "tmp", ".", "..",
    ]

    /// Formats whose rows describe Exchange Online (a tenant's view).
    static func isTenantSide(_ formatId: String) -> Bool { formatId.hasPrefix("exo-") }

    /// Configuration exports may be either side; the snapshot says which once read.
    static func isEitherSide(_ formatId: String) -> Bool { formatId.hasPrefix("config-") }

    /// How ``names(forPath:formatId:)`` chose: `flag` when `--tenant`/`--source` named it, `folder` when a folder did.
    func assignment(forPath path: String, formatId: String) -> String? {
        let names = names(forPath: path, formatId: formatId)
        if let tenant = names.tenant { return tenant == self.tenant ? "flag" : "folder" }
        if let origin = names.origin { return origin == source ? "flag" : "folder" }
        return nil
    }

    func names(forPath path: String, formatId: String) -> (tenant: String?, origin: String?) {
        let folders = path.split(separator: "/").dropLast().map { String($0) }
        let tenantFolder = folders.last { $0.lowercased().hasSuffix(".onmicrosoft.com") }?.lowercased()
        let tenantName = tenant ?? tenantFolder
        let originName = source ?? folders.last { !Self.genericFolders.contains($0.lowercased()) && !$0.lowercased().hasSuffix(".onmicrosoft.com") }
        if Self.isTenantSide(formatId) { return (tenantName, nil) }
        if Self.isEitherSide(formatId) { return (tenantName, tenantName == nil ? originName : nil) }
        return (nil, originName)
    }
}
