/// Pairs the `;`-separated entries of `recipient-status` with those of `recipient-address`.
///
/// A status text can itself contain `;` (`550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found`), so
/// a piece that does not start like a status (an SMTP code, `To`/`Cc`/`Bcc`, or `{`) is joined to
/// the piece before it.
enum RecipientStatusSplitter {
    /// Splits a `;`-separated recipient list (`recipient-address`, or an Enhanced summary's
    /// `recipient_status`) into its trimmed, non-empty entries, replacing what `parts` held.
    ///
    /// Every `;` ends an entry here: only statuses need the joining that ``split(_:into:)`` does.
    static func splitRecipients(_ list: UnsafeRawBufferPointer, into parts: inout [UnsafeRawBufferPointer]) {
        parts.removeAll(keepingCapacity: true)
        var start = 0
        for index in 0...list.count where index == list.count || list[index] == UInt8(ascii: ";") {
            let piece = ByteText.trimmed(UnsafeRawBufferPointer(rebasing: list[start..<index]))
            if piece.count > 0 { parts.append(piece) }
            start = index + 1
        }
    }

    static func split(_ status: UnsafeRawBufferPointer, into parts: inout [UnsafeRawBufferPointer]) {
        parts.removeAll(keepingCapacity: true)
        guard status.count > 0, let base = status.baseAddress else { return }
        var start = 0
        var index = 0
        while index <= status.count {
            if index == status.count || status[index] == UInt8(ascii: ";") {
                let piece = UnsafeRawBufferPointer(rebasing: status[start..<index])
                if parts.isEmpty || startsLikeStatus(ByteText.trimmed(piece)) {
                    parts.append(piece)
                } else {
                    // Extend the previous part over the `;` to the end of this piece.
                    let previous = parts.removeLast()
                    let previousStart = base.distance(to: previous.baseAddress ?? base)
                    parts.append(UnsafeRawBufferPointer(rebasing: status[previousStart..<index]))
                }
                start = index + 1
            }
            index += 1
        }
    }

    static func startsLikeStatus(_ piece: UnsafeRawBufferPointer) -> Bool {
        guard piece.count > 0 else { return false }
        if piece[0] == UInt8(ascii: "{") || piece[0] == UInt8(ascii: "[") { return true }
        if piece.count >= 3, (0..<3).allSatisfy({ piece[$0] >= 0x30 && piece[$0] <= 0x39 }) {
            return piece.count == 3 || piece[3] == 0x20 || piece[3] == UInt8(ascii: "-")
        }
        return ByteText.equals(piece, "To", ignoringCase: true) || ByteText.equals(piece, "Cc", ignoringCase: true)
            || ByteText.equals(piece, "Bcc", ignoringCase: true)
    }
}
