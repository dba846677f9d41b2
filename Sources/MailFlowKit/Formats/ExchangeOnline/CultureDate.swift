/// A timestamp as PowerShell's `Export-Csv` writes it: in the exporting machine's culture, UTC
/// but without a zone (`11/24/2026 9:03:12 AM`, `24.11.2026 09:03:12`, `24/11/2026 09:03:12`).
///
/// The day/month order of a slash date cannot be known from one value, so the parsed parts are
/// kept and turned into a time once ``CultureTimeline`` has decided the order.
struct CultureDate: Equatable, Sendable {
    /// How the date part is written.
    enum Style: Equatable, Sendable {
        /// `11/24/2026` or `24/11/2026`: day and month order unknown.
        case slash
        /// `24.11.2026` or `24-11-2026`: day first in every culture that writes it.
        case dayFirstSeparator
        /// `2026/11/24` or `2026.11.24`: year, month, day.
        case yearFirst
    }

    /// The first number of a year-last date (day or month).
    var leading: Int
    /// The second number of a year-last date (month or day).
    var middle: Int
    var year: Int
    var hour: Int
    var minute: Int
    var seconds: Int
    var millisecond: Int
    var style: Style
    /// The time carried an AM/PM designator (12-hour clock, as en-US writes it).
    var hasDesignator: Bool

    /// True when both readings of the date are valid dates.
    var isAmbiguous: Bool { style == .slash && leading <= 12 && middle <= 12 && leading != middle }

    /// The UTC epoch milliseconds under a day/month order; `nil` when the parts make no date.
    func epochMilliseconds(order: ParseOptions.DateOrder) -> Int64? {
        let (month, day): (Int, Int)
        switch style {
        case .yearFirst: (month, day) = (leading, middle)
        case .dayFirstSeparator: (month, day) = (middle, leading)
        case .slash: (month, day) = order == .dayFirst ? (middle, leading) : (leading, middle)
        }
        return Timestamp.epochMilliseconds(year: year, month: month, day: day, hour: hour, minute: minute,
                                           second: seconds, millisecond: millisecond)
    }

    /// Parses `d/m/yyyy h:mm[:ss[.fff]] [AM|PM]` and its dotted, dashed and year-first variants.
    ///
    /// A comma may follow the date (`11/24/2026, 9:03:12 AM`, as browsers format it); a trailing
    /// `Z` or `UTC` is accepted. Two-digit years are not: they would add a third ambiguity.
    static func parse(_ raw: UnsafeRawBufferPointer) -> CultureDate? {
        let bytes = ByteText.trimmed(raw)
        let count = bytes.count
        var index = 0
        @inline(__always) func number(maxDigits: Int) -> (value: Int, digits: Int)? {
            var value = 0
            var digits = 0
            while index < count, digits < maxDigits, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : (value, digits)
        }
        guard let first = number(maxDigits: 4), index < count else { return nil }
        let separator = bytes[index]
        guard separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") || separator == UInt8(ascii: "-") else { return nil }
        index += 1
        guard let second = number(maxDigits: 2), index < count, bytes[index] == separator else { return nil }
        index += 1
        guard let third = number(maxDigits: 4) else { return nil }

        var date = CultureDate(leading: 0, middle: 0, year: 0, hour: 0, minute: 0, seconds: 0, millisecond: 0,
                               style: .slash, hasDesignator: false)
        if first.digits == 4 {
            guard third.digits <= 2 else { return nil }
            date.year = first.value
            date.leading = second.value
            date.middle = third.value
            date.style = .yearFirst
        } else {
            guard first.digits <= 2, third.digits == 4 else { return nil }
            date.leading = first.value
            date.middle = second.value
            date.year = third.value
            date.style = separator == UInt8(ascii: "/") ? .slash : .dayFirstSeparator
        }
        guard date.leading >= 1, date.middle >= 1 else { return nil }

        // Date and time are separated by spaces, a comma, or a `T`.
        if index < count, bytes[index] == UInt8(ascii: ".") { index += 1 }  // `24.11.2026. 09:03`
        if index < count, bytes[index] == UInt8(ascii: ",") { index += 1 }
        var skipped = 0
        while index < count, bytes[index] == 0x20 || bytes[index] == UInt8(ascii: "T") {
            index += 1
            skipped += 1
        }
        if index == count { return date }  // date only: midnight
        guard skipped > 0, let hour = number(maxDigits: 2), index < count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        guard let minute = number(maxDigits: 2), minute.digits == 2 else { return nil }
        date.hour = hour.value
        date.minute = minute.value
        if index < count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard let seconds = number(maxDigits: 2), seconds.digits == 2 else { return nil }
            date.seconds = seconds.value
            if index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                var scale = 100
                var digits = 0
                while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    date.millisecond += Int(bytes[index] - 0x30) * scale
                    scale /= 10
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        while index < count, bytes[index] == 0x20 { index += 1 }
        if index < count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[index...])
            if let isAfternoon = designator(rest) {
                guard (1...12).contains(date.hour) else { return nil }
                date.hasDesignator = true
                date.hour = date.hour % 12 + (isAfternoon ? 12 : 0)
            } else if !(ByteText.equals(rest, "Z", ignoringCase: true) || ByteText.equals(rest, "UTC", ignoringCase: true)
                || ByteText.equals(rest, "(UTC)", ignoringCase: true)) {
                return nil
            }
        }
        return date
    }

    /// `AM`/`PM` (any case, with or without dots): `true` for afternoon, `nil` for anything else.
    private static func designator(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        var letters: [UInt8] = []
        for byte in bytes where byte != UInt8(ascii: ".") {
            letters.append(ByteText.lowercased(byte))
            if letters.count > 2 { return nil }
        }
        guard letters.count == 2, letters[1] == UInt8(ascii: "m") else { return nil }
        switch letters[0] {
        case UInt8(ascii: "a"): return false
        case UInt8(ascii: "p"): return true
        default: return nil
        }
    }
}

/// Machine-readable timestamps of Exchange Online exports that need no culture.
enum ExchangeOnlineTimestamp {
    /// ISO 8601 (no zone means UTC) or the Microsoft JSON date `/Date(1661344992170)/`.
    static func parseExact(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let bytes = ByteText.trimmed(raw)
        if let iso = Timestamp.parseISO8601(bytes) { return iso }
        if let date = microsoftJSONDate(bytes) { return date }
        return nil
    }

    /// `/Date(1661344992170)/` or `/Date(1661344992170+0100)/` (the offset is informational; the
    /// number is UTC milliseconds). The JSON escape `\/` has already been removed by the decoder.
    static func microsoftJSONDate(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard ByteText.hasPrefix(bytes, "/Date(", ignoringCase: true), bytes.count >= 9 else { return nil }
        var index = 6
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 17 {
            value = value * 10 + Int64(bytes[index] - 0x30)
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            index += 1
            var offsetDigits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                offsetDigits += 1
                index += 1
            }
            guard offsetDigits == 4 else { return nil }
        }
        guard index + 2 == bytes.count, bytes[index] == UInt8(ascii: ")"), bytes[index + 1] == UInt8(ascii: "/") else { return nil }
        return negative ? -value : value
    }
}
