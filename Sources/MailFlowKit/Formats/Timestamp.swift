/// Timestamps to UTC epoch milliseconds, parsed from bytes.
public enum Timestamp {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The years a timestamp may name: beyond them the arithmetic below could overflow, and no log is dated there.
    public static let supportedYears = 1...9999
    /// Epoch milliseconds of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59.999Z.
    public static let supportedMilliseconds: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// The epoch milliseconds of a UTC wall-clock time; `nil` when a part is out of range.
    public static func epochMilliseconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int = 0) -> Int64? {
        guard supportedYears.contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses ISO 8601 `yyyy-mm-ddThh:mm:ss[.f…][Z|±hh:mm]` (a space may stand for `T`).
    ///
    /// A time without a zone is taken as UTC: Exchange writes UTC everywhere, sometimes without
    /// the `Z` (the Reporting Web Service does).
    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count >= 19 else { return nil }
        @inline(__always) func digits(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<start + length {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2)
        else { return nil }
        var index = 19
        var millisecond = 0
        if index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            var scale = 100
            while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                millisecond += Int(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var zoneOffsetMinutes = 0
        if index < count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard index + 3 <= count, let hours = digits(index + 1, 2) else { return nil }
                index += 3
                var minutes = 0
                if index < count, bytes[index] == UInt8(ascii: ":") { index += 1 }
                if index + 2 <= count, let value = digits(index, 2) {
                    minutes = value
                    index += 2
                }
                // Real offsets lie within ±14:00; ISO 8601 allows no minutes past 59.
                guard hours <= 18, minutes <= 59 else { return nil }
                zoneOffsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        guard index == count,
            let local = epochMilliseconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        else { return nil }
        return local - Int64(zoneOffsetMinutes) * 60_000
    }

    /// True when `bytes` is exactly how ``iso8601(_:)`` renders its time (`yyyy-mm-ddThh:mm:ss.fffZ`),
    /// given that it parses: the original text is then redundant with the number.
    public static func isCanonicalISO8601(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 24 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-") && bytes[10] == UInt8(ascii: "T")
            && bytes[13] == UInt8(ascii: ":") && bytes[16] == UInt8(ascii: ":") && bytes[19] == UInt8(ascii: ".")
            && bytes[23] == UInt8(ascii: "Z")
    }

    public static func parseISO8601(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseISO8601(UnsafeRawBufferPointer($0)) }
    }

    /// Formats epoch milliseconds as `yyyy-mm-ddThh:mm:ss.fffZ`.
    public static func iso8601(_ milliseconds: Int64) -> String {
        let days = Int(milliseconds.floorDivided(by: 86_400_000))
        let dayMs = Int(milliseconds - Int64(days) * 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let hour = dayMs / 3_600_000, minute = dayMs / 60_000 % 60, second = dayMs / 1000 % 60, ms = dayMs % 1000
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(ms, 3))Z"
    }

    /// The civil date (year, month, day) of a count of days since 1970-01-01 (Hinnant's `civil_from_days`).
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
