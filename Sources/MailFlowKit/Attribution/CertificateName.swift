/// DNS names on certificates and connectors, compared the way Exchange Online compares them.
public enum CertificateName {
    /// True when a certificate name and a connector's `TlsSenderCertificateName` denote the same
    /// host: equal, or one is a wildcard (`*.contoso.com`) standing for exactly one label of the other.
    public static func matches(_ a: String, _ b: String) -> Bool {
        let a = a.lowercased(), b = b.lowercased()
        if a == b { return true }
        return wildcard(a, covers: b) || wildcard(b, covers: a)
    }

    /// `*.contoso.com` covers `mail.contoso.com` but neither `contoso.com` nor `a.b.contoso.com`.
    static func wildcard(_ pattern: String, covers name: String) -> Bool {
        guard pattern.hasPrefix("*."), !name.hasPrefix("*.") else { return false }
        let suffix = pattern.dropFirst(1)  // ".contoso.com"
        guard name.hasSuffix(suffix) else { return false }
        let label = name.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    /// The domain a name stands for: `*.contoso.com` → `contoso.com`, `mail.contoso.com` unchanged.
    public static func domain(of name: String) -> String {
        let name = name.lowercased()
        return name.hasPrefix("*.") ? String(name.dropFirst(2)) : name
    }

    /// True when `name` is `domain` or inside it (`mail.contoso.com` is inside `contoso.com`).
    public static func isWithin(_ name: String, domain: String) -> Bool {
        let name = Self.domain(of: name), domain = domain.lowercased()
        if domain.hasPrefix("*.") { return name.hasSuffix(String(domain.dropFirst(1))) }
        return name == domain || name.hasSuffix("." + domain)
    }
}
