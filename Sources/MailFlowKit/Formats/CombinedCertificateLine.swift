/// Parses the newer one-line certificate layout of protocol logs.
///
/// The data of a line whose context is `Sending certificate Subject Issuer name Serial number
/// Thumbprint Not before Not after Subject alternate names` is those values joined by spaces,
/// though subject and issuer contain spaces themselves:
/// ` CN=mail.contoso.com, O=Contoso CN=R3, O=Let's Encrypt 0A1B… 352D… 2024-01-01T00:00:00.000Z 2025-01-01T00:00:00.000Z mail.contoso.com;contoso.com`
/// So it is read from the right, where every value is one token: the SAN list, not-after,
/// not-before, thumbprint, serial; what remains is subject then issuer, split where the second
/// distinguished name starts.
enum CombinedCertificateLine {
    static func parse(_ data: String) -> CertificateRecord {
        var tokens = data.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var record = CertificateRecord()
        // SANs are optional: the last token is a SAN list unless it is a date.
        if let last = tokens.last, Timestamp.parseISO8601(last) == nil, tokens.count >= 5 {
            record.alternateNames = last.split(separator: ";").map(String.init).filter { !$0.isEmpty }
            tokens.removeLast()
        }
        if let last = tokens.last, Timestamp.parseISO8601(last) != nil {
            record.notAfter = tokens.removeLast()
        }
        if let last = tokens.last, Timestamp.parseISO8601(last) != nil {
            record.notBefore = tokens.removeLast()
        }
        if let last = tokens.last, isHex(last) {
            record.thumbprint = tokens.removeLast()
        }
        if let last = tokens.last, isHex(last) {
            record.serialNumber = tokens.removeLast()
        }
        // Subject and issuer: split before the second token that starts a distinguished name.
        let names = tokens
        let starts = names.indices.filter { index in
            let token = names[index]
            return index == 0 || (["CN=", "OU=", "O=", "C=", "DC=", "E=", "L=", "S="].contains { token.hasPrefix($0) }
                && !(names[index - 1].hasSuffix(",")))
        }
        if starts.count >= 2 {
            record.subject = names[0..<starts[1]].joined(separator: " ")
            record.issuer = names[starts[1]...].joined(separator: " ")
        } else if !names.isEmpty {
            record.subject = names.joined(separator: " ")
        }
        return record
    }

    private static func isHex(_ token: String) -> Bool {
        token.count >= 8 && token.utf8.allSatisfy { ByteText.isHexDigit($0) }
    }
}
