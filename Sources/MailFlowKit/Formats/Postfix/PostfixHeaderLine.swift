/// A header a Postfix `header_checks` INFO (or WARN) rule logged:
/// `info: header From: Fabrikam News <news@fabrikam.com> from host[10.0.0.1]; from=<…> to=<…> proto=ESMTP helo=<…>`.
///
/// Relays that log the P2 `From:` this way tell whose mail a platform sent when its MAIL FROM is
/// a bounce domain no tenant accepts.
struct PostfixHeaderLine {
    enum Name {
        case from
        case subject
    }

    var name: Name
    /// The header's value as logged, without Postfix's trailing client description.
    var value: String
    /// For `From:`, the address inside `<…>` (or the value itself when it is a bare address).
    var address: String?

    init?(_ remainder: UnsafeRawBufferPointer) {
        let text = ByteText.string(remainder)
        guard let header = text.range(ofLiteral: "header ") else { return nil }
        var rest = text[header.upperBound...]
        if rest.lowercased().hasPrefix("from:") {
            name = .from
        } else if rest.lowercased().hasPrefix("subject:") {
            name = .subject
        } else {
            return nil
        }
        rest = rest[rest.index(after: rest.firstIndex(of: ":")!)...]
        // Postfix appends " from CLIENT[IP]; from=<…> to=<…> …": cut at the last " from " before "; from=<".
        if let tail = rest.range(ofLiteral: "; from=<") {
            rest = rest[..<tail.lowerBound]
            var cut: Substring.Index?
            var search = rest.startIndex
            while let range = rest[search...].range(ofLiteral: " from ") {
                cut = range.lowerBound
                search = range.upperBound
            }
            if let cut { rest = rest[..<cut] }
        }
        value = rest.trimmingCharacters(in: " ")
        if name == .from {
            if let open = value.lastIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
                address = String(value[value.index(after: open)..<close])
            } else if value.contains("@"), !value.contains(" ") {
                address = value
            }
        }
    }
}
