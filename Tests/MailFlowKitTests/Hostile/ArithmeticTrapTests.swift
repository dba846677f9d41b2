import Testing

@testable import MailFlowKit

/// Values an attacker or a broken clock can put in front of the integer arithmetic of timestamps.
@Suite("Hostile input: arithmetic traps")
struct ArithmeticTrapTests {
    static func iso(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { Timestamp.parseISO8601($0) }
    }

    @Test("a +99:99 zone offset is rejected, +14:00 and -05:30 are read")
    func zoneOffsetOutOfRangeIsRejected() {
        #expect(Self.iso("2026-11-24T09:00:00+99:99") == nil)
        #expect(Self.iso("2026-11-24T09:00:00+05:99") == nil)
        #expect(Self.iso("2026-11-24T09:00:00+14:00") == Self.iso("2026-11-23T19:00:00Z"))
        #expect(Self.iso("2026-11-24T09:00:00-05:30") == Self.iso("2026-11-24T14:30:00Z"))
    }

    @Test("a year outside 1–9999 gives no timestamp instead of overflowing")
    func hugeYearIsOutOfRange() {
        #expect(Timestamp.epochMilliseconds(year: 99_999_999_999, month: 1, day: 1, hour: 0, minute: 0, second: 0) == nil)
        #expect(Timestamp.epochMilliseconds(year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0) == nil)
        #expect(Timestamp.epochMilliseconds(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999)
            == Timestamp.supportedMilliseconds.upperBound)
    }

    @Test("--year 99999999999 leaves syslog lines unresolved instead of trapping")
    func syslogYearFarOutOfRange() {
        var resolver = SyslogYearResolver(options: ParseOptions(year: 99_999_999_999))
        #expect(resolver.resolve(month: 11, day: 24, hour: 9, minute: 0, second: 0, millisecond: 0) == nil)
    }

    @Test("a file mtime far in the future is clamped instead of overflowing seconds × 1000")
    func futureModificationTimeIsClamped() {
        #expect(InputDiscovery.modifiedMs(seconds: .max, nanoseconds: 999_999_999) == Timestamp.supportedMilliseconds.upperBound)
        #expect(InputDiscovery.modifiedMs(seconds: .min, nanoseconds: 0) == Timestamp.supportedMilliseconds.lowerBound)
        #expect(InputDiscovery.modifiedMs(seconds: 1_700_000_000, nanoseconds: 5_000_000) == 1_700_000_000_005)
        var resolver = SyslogYearResolver(options: ParseOptions(fileModifiedMs: InputDiscovery.modifiedMs(seconds: .max, nanoseconds: 0)))
        #expect(resolver.resolve(month: 11, day: 24, hour: 9, minute: 0, second: 0, millisecond: 0) != nil)
    }
}
