/// E-mail address helpers for values already stored as strings (the byte-level twin for parsers is
/// `ByteText.domain(ofAddress:)`).
public enum EmailAddress {
    /// The lower-cased domain after the last `@`, or `nil` for the null sender `<>` and bare names.
    public static func domain(of address: String) -> String? {
        let address = unbracketed(address)
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...].lowercased()
        return domain.isEmpty ? nil : domain
    }

    /// The address without the angle brackets SMTP and tracking logs put around it (`<>` → empty).
    public static func unbracketed(_ address: String) -> String {
        address.hasPrefix("<") && address.hasSuffix(">") ? String(address.dropFirst().dropLast()) : address
    }
}
