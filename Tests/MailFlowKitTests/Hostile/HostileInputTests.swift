import Foundation
import Testing

@testable import MailFlowKit

/// Inputs as an attacker or a tired administrator hands them over. Each case asserts the outcome:
/// the file's status (and so the exit code: 0 when complete, 3 when an input was damaged,
/// unreadable or refused), a message naming the file and line, and the good rows kept.
@Suite("Hostile input: files", .serialized)
struct HostileInputTests {
    struct Result {
        let summary: IngestSummary
        let db: String
        var file: IngestSummary.FileOutcome { summary.files[0] }
        func rows(_ table: String = "message_events", where condition: String = "1") throws -> Int { try count(table, in: db, where: condition) }
        func quarantineDetails() throws -> [String] {
            try Database(path: db, mode: .readOnly).fetchAll("SELECT detail FROM quarantine ORDER BY line") { $0.string("detail") ?? "" }
        }
    }

    /// Ingests `bytes` written to `name` as an explicitly named file.
    static func ingestBytes(_ bytes: [UInt8], name: String = "MSGTRK2026112409-1.LOG", in directory: URL) throws -> Result {
        let path = directory.appendingPathComponent(name)
        try Data(bytes).write(to: path)
        let db = directory.appendingPathComponent("store.db").path
        return Result(summary: try ingest([path.path], db: db), db: db)
    }

    static let header = TrackingLogBuilder.header()
    static func row(_ id: Int) -> String { TrackingLogBuilder.sendRow(second: id, id: id) }

    @Test("a zero-byte file named on the command line is reported as not a format mailflow reads (exit 3), naming the file")
    func zeroByteFile() throws {
        try withTemporaryDirectory { directory in
            let result = try Self.ingestBytes([], in: directory)
            #expect(result.file.status == .unrecognized)
            #expect(result.file.problem?.contains("MSGTRK2026112409-1.LOG") == true)
            #expect(!result.summary.isComplete)
        }
    }

    @Test("random binary is refused as not a log, naming the file; in a folder it is skipped with a note")
    func binaryFile() throws {
        try withTemporaryDirectory { directory in
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let result = try Self.ingestBytes(bytes, name: "blob.bin", in: directory)
            #expect(result.file.status == .unrecognized)
            #expect(result.file.problem?.contains("blob.bin") == true)
            let folder = try ingest([directory.path], db: directory.appendingPathComponent("other.db").path)
            #expect(folder.files.first { $0.path.hasSuffix("blob.bin") }?.status == .skipped)
        }
    }

    @Test("NUL bytes inside a row do not stop the file: the row is quarantined or kept, the rows after it are stored")
    func nulBytes() throws {
        try withTemporaryDirectory { directory in
            var text = Self.header + Self.row(1)
            text += Self.row(2).replacingOccurrences(of: "Quarterly report", with: "Quar\u{0}\u{0}terly")
            text += String(repeating: "\u{0}", count: 50) + "\r\n" + Self.row(3)
            let result = try Self.ingestBytes(Array(text.utf8), in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() >= 2)
            #expect(try result.rows(where: "message_id = '<m3@contoso.com>'") == 1)
        }
    }

    @Test("invalid UTF-8 in a subject is read as Windows-1252 and the row kept")
    func invalidUTF8Subject() throws {
        try withTemporaryDirectory { directory in
            var bytes = Array((Self.header + Self.row(1)).utf8)
            bytes += Array(Self.row(2).utf8).map { $0 == UInt8(ascii: "Q") ? 0xE9 : $0 }
            let result = try Self.ingestBytes(bytes, in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() == 2)
            #expect(try result.rows(where: "subject LIKE '%éuarterly%'") == 1)
        }
    }

    @Test("odd-length UTF-16: the complete lines are kept, the dangling byte does not trap")
    func oddLengthUTF16() throws {
        try withTemporaryDirectory { directory in
            var bytes: [UInt8] = [0xFF, 0xFE]
            for unit in (Self.header + Self.row(1) + Self.row(2)).utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            bytes.append(0x41)
            let result = try Self.ingestBytes(bytes, in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() == 2)
        }
    }

    @Test("a 50 MB line is cut and quarantined with its line number; the rows around it are stored")
    func fiftyMegabyteLine() throws {
        try withTemporaryDirectory { directory in
            var bytes = Array((Self.header + Self.row(1)).utf8)
            bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20)
            bytes += Array(("\r\n" + Self.row(2)).utf8)
            let result = try Self.ingestBytes(bytes, in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() == 2)
            #expect(try result.rows("quarantine", where: "line = 7") == 1)
            #expect(try result.rows("quarantine", where: "length(text) < 5000000") == 1)
        }
    }

    @Test("a header that changes mid-file is followed: rows after a new #Fields are read by the new columns")
    func headerChangesMidFile() throws {
        try withTemporaryDirectory { directory in
            let fields = TrackingLogBuilder.fields.split(separator: ",").map(String.init)
            let swapped = [fields[1], fields[0]] + fields[2...]
            func swap(_ row: String) -> String {
                var cells = row.dropLast(2).components(separatedBy: ",")
                cells.swapAt(0, 1)
                return cells.joined(separator: ",") + "\r\n"
            }
            let text = Self.header + Self.row(1) + "#Fields: \(swapped.joined(separator: ","))\r\n" + swap(Self.row(2))
            let result = try Self.ingestBytes(Array(text.utf8), in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() == 2)
            #expect(try result.rows(where: "client_ip = '10.0.0.5'") == 2)
        }
    }

    @Test("a tracking log with no #Fields line is refused or quarantined with a reason naming the line, never read by guessed columns")
    func noFieldsHeader() throws {
        try withTemporaryDirectory { directory in
            let text = Self.header.components(separatedBy: "\r\n").filter { !$0.hasPrefix("#Fields") }.joined(separator: "\r\n") + Self.row(1)
            let result = try Self.ingestBytes(Array(text.utf8), in: directory)
            let stored = try result.rows()
            let quarantined = try result.rows("quarantine")
            if stored == 0 { #expect(result.file.problem?.contains("MSGTRK2026112409-1.LOG") == true || quarantined > 0) }
        }
    }

    @Test("rows with too many and too few fields are quarantined with their line numbers; good rows kept")
    func wrongFieldCounts() throws {
        try withTemporaryDirectory { directory in
            let text = Self.header + Self.row(1) + "a,b,c\r\n" + Self.row(2).dropLast(2) + ",extra,extra\r\n" + Self.row(3)
            let result = try Self.ingestBytes(Array(text.utf8), in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() == 2)
            #expect(try result.rows("quarantine", where: "reason = 'field-count-mismatch'") == 2)
            #expect(try result.quarantineDetails().allSatisfy { $0.contains("line ") })
        }
    }

    @Test("an unbalanced quote running to the end of the file is quarantined, rows before it kept")
    func unbalancedQuoteToEnd() throws {
        try withTemporaryDirectory { directory in
            let text = Self.header + Self.row(1) + Self.row(2).replacingOccurrences(of: "Quarterly report", with: "\"Quarterly") + Self.row(3) + Self.row(4)
            let result = try Self.ingestBytes(Array(text.utf8), in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows(where: "message_id = '<m1@contoso.com>'") == 1)
            #expect(try result.rows("quarantine") >= 1)
        }
    }

    @Test("dates out of range (month 13, year 99999, +99:99) are quarantined as bad timestamps, naming the line")
    func datesOutOfRange() throws {
        try withTemporaryDirectory { directory in
            let text = Self.header + Self.row(1)
                + Self.row(2).replacingOccurrences(of: "2026-11-24T09:00:02.002Z", with: "2026-13-24T09:00:02.002Z")
                + Self.row(3).replacingOccurrences(of: "2026-11-24T09:00:03.003Z", with: "99999-11-24T09:00:03.003Z")
                + Self.row(4).replacingOccurrences(of: "2026-11-24T09:00:04.004Z", with: "2026-11-24T09:00:04.004+99:99")
            let result = try Self.ingestBytes(Array(text.utf8), in: directory)
            #expect(result.file.status == .ingested)
            #expect(try result.rows() == 1)
            #expect(try result.rows("quarantine", where: "reason = 'bad-timestamp'") == 3)
        }
    }

    @Test("an IPv6 endpoint with a zone id is kept as written and its address is read without the zone")
    func ipv6ZoneId() {
        #expect(Endpoint.host(of: "[fe80::1%eth0]:25") == "fe80::1%eth0")
        let stripped = Endpoint.host(of: "[fe80::1%eth0]:25").split(separator: "%").first.map(String.init)
        #expect(stripped == "fe80::1")
    }

    /// 10,000 with `MAILFLOW_HOSTILE_FULL=1` (what `.ci/run` and `scripts/hostile.sh` use); 1,000 otherwise, to keep `swift test` quick.
    static let tinyFileCount = ProcessInfo.processInfo.environment["MAILFLOW_HOSTILE_FULL"] == "1" ? 10_000 : 1_000

    @Test("10,000 tiny files are each read once (time printed, not asserted)")
    func tenThousandTinyFiles() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("many")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<Self.tinyFileCount {
                try Data((Self.header + TrackingLogBuilder.sendRow(second: index % 3600, id: index)).utf8)
                    .write(to: folder.appendingPathComponent("MSGTRK2026112409-\(index).LOG"))
            }
            let started = ContinuousClock.now
            let summary = try ingest([folder.path], db: directory.appendingPathComponent("store.db").path)
            print("\(Self.tinyFileCount) tiny files ingested in \(ContinuousClock.now - started)")
            #expect(summary.files.count == Self.tinyFileCount)
            #expect(summary.isComplete)
        }
    }

    @Test("two directory symlinks to their own folder do not make discovery walk forever; each file is read once")
    func symlinkLoops() throws {
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data((Self.header + Self.row(1)).utf8).write(to: folder.appendingPathComponent("MSGTRK2026112409-1.LOG"))
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("a").path, withDestinationPath: ".")
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("b").path, withDestinationPath: folder.path)
            let (files, problems) = InputDiscovery.expand([folder.path])
            #expect(files.count == 1)
            #expect(problems.isEmpty)
        }
    }

    @Test("a file name that is not valid UTF-8 is reported with its bytes, not skipped in silence")
    func nonUTF8FileName() throws {
        try withTemporaryDirectory { directory in
            let name: [UInt8] = Array("MSGTRK-".utf8) + [0xFF, 0xFE] + Array(".LOG".utf8)
            let path = Array(directory.path.utf8) + [UInt8(ascii: "/")] + name + [0]
            let fd = path.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o600) }
            #expect(fd >= 0)
            close(fd)
            let (_, problems) = InputDiscovery.expand([directory.path])
            #expect(problems.count == 1)
            #expect(problems.first?.reason.contains("not valid UTF-8") == true, "\(problems)")
        }
    }

    @Test("an unreadable file is reported with the operating system's reason (run as a non-root user)",
          .enabled(if: getuid() != 0, "root reads any file; run the suite as a non-root user to check this"))
    func unreadableFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("MSGTRK2026112409-1.LOG")
            try Data((Self.header + Self.row(1)).utf8).write(to: path)
            chmod(path.path, 0)
            defer { chmod(path.path, 0o600) }
            let summary = try ingest([path.path], db: directory.appendingPathComponent("store.db").path)
            #expect(summary.files.first?.status == .unreadable)
            #expect(summary.files.first?.problem?.contains("Permission denied") == true)
        }
    }
}
