#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The timestamp that starts a syslog line, in either of the two shapes Postfix logs carry.
///
/// * classic BSD syslog, `Nov 24 09:03:12` (day may be space-padded: `Nov  4`), with no year and
///   no zone;
/// * RFC 3339 as rsyslog writes it with high precision, `2026-11-24T09:03:12.123456+01:00`.
enum SyslogTimestamp: Equatable {
    /// A wall-clock time without a year (classic syslog).
    case classic(month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int)
    /// A complete instant, already converted to UTC epoch milliseconds.
    case instant(Int64)

    private static let months: [StaticString] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Reads the timestamp at the start of `bytes`.
    ///
    /// - Returns: the timestamp and the index just past it (a space follows), or `nil` when the
    ///   line does not start with one.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> (timestamp: SyslogTimestamp, end: Int)? {
        guard bytes.count >= 15 else { return nil }
        if isDigit(bytes[0]) {
            guard bytes[4] == UInt8(ascii: "-") else { return nil }
            let end = ByteText.index(of: 0x20, in: bytes) ?? bytes.count
            guard let milliseconds = Timestamp.parseISO8601(UnsafeRawBufferPointer(rebasing: bytes[0..<end])) else { return nil }
            return (.instant(milliseconds), end)
        }
        guard let month = months.firstIndex(where: { ByteText.hasPrefix(bytes, $0, ignoringCase: true) }),
            bytes[3] == 0x20
        else { return nil }
        var index = 4
        if bytes[index] == 0x20 { index += 1 }
        var day = 0
        let dayStart = index
        while index < bytes.count, isDigit(bytes[index]), index - dayStart < 2 {
            day = day * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        guard index > dayStart, index + 9 <= bytes.count, bytes[index] == 0x20 else { return nil }
        index += 1
        guard let hour = twoDigits(bytes, index), bytes[index + 2] == UInt8(ascii: ":"),
            let minute = twoDigits(bytes, index + 3), bytes[index + 5] == UInt8(ascii: ":"),
            let second = twoDigits(bytes, index + 6)
        else { return nil }
        index += 8
        var millisecond = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 100
            while index < bytes.count, isDigit(bytes[index]) {
                millisecond += Int(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        guard index == bytes.count || bytes[index] == 0x20 else { return nil }
        return (.classic(month: month + 1, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond), index)
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func twoDigits(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Int? {
        guard index + 2 <= bytes.count, isDigit(bytes[index]), isDigit(bytes[index + 1]) else { return nil }
        return Int(bytes[index] - 0x30) * 10 + Int(bytes[index + 1] - 0x30)
    }
}

/// Gives classic syslog timestamps (`Nov 24 09:03:12`) their missing year, and remembers which
/// years it used so the reader can say so.
///
/// The year is the one the user gave (`--year`), else the year of the file's modification time
/// (else of the current time). A date that would fall more than a day after that moment cannot
/// have been logged yet, so it belongs to the previous year: a log modified in January that
/// starts in December reads right. Classic timestamps carry no zone either; they are read as
/// UTC.
struct SyslogYearResolver {
    /// The year forced by the user, if any.
    let fixedYear: Int?
    /// The moment the log cannot be later than (file mtime, or now), epoch milliseconds.
    let referenceMs: Int64
    /// What the reference is, for the note (`the file's modification time`).
    let referenceName: String

    /// How many classic timestamps were read in each year.
    private(set) var linesByYear: [Int: Int] = [:]

    init(options: ParseOptions) {
        fixedYear = options.year
        if let modified = options.fileModifiedMs {
            referenceMs = modified
            referenceName = "the file's modification time"
        } else {
            referenceMs = Int64(time(nil)) * 1000
            referenceName = "the current date, since the file's modification time is unknown"
        }
    }

    private var referenceYear: Int {
        Timestamp.civil(fromDays: Int(referenceMs.floorDivided(by: 86_400_000))).0
    }

    /// The UTC epoch milliseconds of a classic timestamp, or `nil` when the date does not exist.
    mutating func resolve(month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) -> Int64? {
        var year = fixedYear ?? referenceYear
        var result = Timestamp.epochMilliseconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        if fixedYear == nil, result.map({ $0 > referenceMs + 86_400_000 }) ?? true {
            // Not yet logged in the reference year (or 29 February of a common year): the year before.
            year -= 1
            result = Timestamp.epochMilliseconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        }
        guard let result else { return nil }
        linesByYear[year, default: 0] += 1
        return result
    }

    /// A sentence saying which year(s) classic timestamps were read in, or `nil` when there were none.
    var note: String? {
        guard !linesByYear.isEmpty else { return nil }
        let source = fixedYear != nil ? "the year given with --year" : "the year of \(referenceName)"
        let years = linesByYear.keys.sorted()
        let base = fixedYear ?? referenceYear
        var text = "syslog timestamps carry no year: read as \(base) (\(source))"
        let earlier = years.filter { $0 != base }
        if !earlier.isEmpty {
            let count = earlier.reduce(0) { $0 + (linesByYear[$1] ?? 0) }
            text += ", \(count) line(s) dated after it as \(earlier.map(String.init).joined(separator: ", "))"
        }
        return text + "; they carry no time zone either and were read as UTC"
    }
}
