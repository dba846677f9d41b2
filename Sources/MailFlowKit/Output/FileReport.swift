/// Renders `mailflow files`: each input with its tenant or source and how that was assigned, then each tenant's evidence.
package enum FileReport {
    package static func text(files: [FileInventory.File], tenants: [FileInventory.Tenant]) -> String {
        guard !files.isEmpty else { return "No inputs recorded yet: run 'mailflow ingest PATH...' (or 'mailflow analyze PATH...')." }
        var lines = ["\(files.count) input(s)", ""]
        for file in files {
            let owner: String
            if let tenant = file.tenant {
                owner = "tenant \(tenant)"
            } else if let source = file.source {
                owner = "source \(source)"
            } else {
                owner = file.rowTenants.isEmpty ? "no tenant or source" : "tenant from its rows"
            }
            let how = file.assignedBy.map { " (by \($0))" } ?? ((file.tenant ?? file.source) == nil ? "" : " (how: not recorded, ingested before schema 7)")
            lines.append(file.path)
            var facts = ["\(file.format)\(file.isGzip ? ", gzip" : "")" + (file.encoding.isEmpty ? "" : ", \(file.encoding)"), owner + how, file.status]
            if let first = file.firstMs, let last = file.lastMs { facts.append("\(Timestamp.iso8601(first)) – \(Timestamp.iso8601(last))") }
            facts.append("\(file.rows) row(s)" + (file.sessions > 0 ? ", \(file.sessions) session(s)" : "") + (file.quarantined > 0 ? ", \(file.quarantined) quarantined" : ""))
            lines.append("    " + facts.joined(separator: " · "))
            if !file.rowTenants.isEmpty {
                lines.append("    rows name " + file.rowTenants.joined(separator: ", ") + " (their Organization/tenant id), which they are filed under")
            }
            if file.tenant == nil && file.rowTenants.isEmpty && file.format.hasPrefix("exo-") {
                lines.append("    warning: an Exchange Online export with no tenant: re-ingest it with --tenant NAME, or put it in a folder named like the tenant")
            }
            if let damage = file.damage { lines.append("    damage: \(damage)") }
        }
        if !tenants.isEmpty {
            lines.append("")
            lines.append("Evidence per tenant")
            for tenant in tenants {
                lines.append("  \(tenant.name): " + (tenant.present.isEmpty ? "nothing" : tenant.present.map(\.rawValue).joined(separator: ", "))
                             + (tenant.missing.isEmpty ? "" : "; missing " + tenant.missing.map(\.rawValue).joined(separator: ", ")))
                for missing in tenant.missing { lines.append("      export \(missing.rawValue): \(missing.exportCommand)") }
            }
        }
        // Paths and names come from the user's disk and the logs: no escapes reach the terminal.
        return lines.map(TerminalText.sanitized).joined(separator: "\n")
    }
}
