import Testing

@testable import MailFlowKit

@Suite("CSV scanning")
struct CSVScannerTests {
    private func fields(_ line: String, delimiter: Character = ",") -> [String]? {
        var scanner = CSVScanner(delimiter: UInt8(ascii: delimiter.unicodeScalars.first!))
        defer { scanner.deallocate() }
        var line = line
        return line.withUTF8 { bytes in
            guard scanner.scan(UnsafeRawBufferPointer(bytes)) == .complete else { return nil }
            return scanner.fields.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test("quoted fields keep their commas and doubled quotes become one")
    func quoting() {
        #expect(fields(#"a,"b, c","say ""hi"", ok",d"#) == ["a", "b, c", #"say "hi", ok"#, "d"])
    }

    @Test("empty fields, a trailing delimiter and non-ASCII text are kept")
    func emptyAndUnicode() {
        #expect(fields("Grüße,,组织内 SMTP 发送连接器,") == ["Grüße", "", "组织内 SMTP 发送连接器", ""])
    }

    @Test("a semicolon delimiter works the same way")
    func semicolon() {
        #expect(fields(#""a";"b;c";"d""#, delimiter: ";") == ["a", "b;c", "d"])
    }

    @Test("a line ending inside quotes is reported, not guessed")
    func unterminated() {
        #expect(fields(#"a,"never closed"#) == nil)
    }

    @Test("a quote inside an unquoted field is kept literally")
    func lenientQuote() {
        #expect(fields(#"a,b"c,d"#) == ["a", #"b"c"#, "d"])
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("ISO 8601 variants become UTC epoch milliseconds", arguments: [
        ("2026-11-24T09:03:12.345Z", Int64(1_795_510_992_345)),
        ("2026-11-24T09:03:12Z", 1_795_510_992_000),
        ("2026-11-24T09:03:12.3456789", 1_795_510_992_345),
        ("2026-11-24 10:03:12+01:00", 1_795_510_992_000),
        ("2026-11-24T04:03:12.345-05:00", 1_795_510_992_345),
    ])
    func iso(text: String, expected: Int64) {
        #expect(Timestamp.parseISO8601(text) == expected)
    }

    @Test("impossible dates are refused", arguments: ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "not a date at all!!", "2026-11-24T25:00:00Z"])
    func invalid(text: String) {
        #expect(Timestamp.parseISO8601(text) == nil)
    }

    @Test("formatting round-trips")
    func roundTrip() {
        #expect(Timestamp.iso8601(1_795_510_992_345) == "2026-11-24T09:03:12.345Z")
        #expect(Timestamp.iso8601(0) == "1970-01-01T00:00:00.000Z")
    }
}
