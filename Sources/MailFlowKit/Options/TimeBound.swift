/// A `--since`/`--until` value: an ISO 8601 date or time, with or without seconds and zone, or a span back from now.
///
/// `2026-11-24`, `2026-11-24 09:00`, `2026-11-24T09:00:30`, `2026-11-24T09:00+01:00` (no zone is UTC,
/// as everywhere in mailflow), or `90m`, `24h`, `7d`, `2w` before `now`.
package enum TimeBound {
    /// Milliseconds since the epoch, or `nil` when `text` is none of the accepted forms.
    package static func parse(_ text: String, now: Int64) -> Int64? {
        let value = text.trimmingCharacters(in: " ")
        if let span = relativeSpan(value) { return now - span }
        var characters = Array(value)
        if characters.count == 10 { return Timestamp.parseISO8601(value + "T00:00:00Z") }
        // hh:mm without seconds: insert them before the zone.
        if characters.count >= 16, characters[13] == ":", characters.count == 16 || !characters[16].isNumber && characters[16] != ":" {
            characters.insert(contentsOf: ":00", at: 16)
        }
        return Timestamp.parseISO8601(String(characters))
    }

    /// `24h` → 24 hours in milliseconds; `nil` for anything else.
    static func relativeSpan(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let minute: Int64 = 60_000
        switch unit.lowercased() {
        case "m": return amount * minute
        case "h": return amount * 60 * minute
        case "d": return amount * 24 * 60 * minute
        case "w": return amount * 7 * 24 * 60 * minute
        default: return nil
        }
    }

    package static let accepted = "an ISO date or time (2026-11-24, 2026-11-24 09:00, 2026-11-24T09:00:00Z, 2026-11-24T10:00+01:00) or a span back from now (90m, 24h, 7d, 2w)"
}
