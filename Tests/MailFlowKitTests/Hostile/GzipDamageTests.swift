import Foundation
import Testing

@testable import MailFlowKit

@Suite("Hostile input: gzip damage and pipes")
struct GzipDamageTests {
    /// A tracking log of 30 rows in three gzip members of 10 rows each, the middle one's CRC broken.
    static func threeMembersMiddleCorrupt() -> (bytes: [UInt8], rows: [String]) {
        let header = TrackingLogBuilder.header()
        let rows = (0..<30).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }
        let parts = [header + rows[0..<10].joined(), rows[10..<20].joined(), rows[20..<30].joined()]
        var members = parts.map { gzipMember(Array($0.utf8)) }
        members[1][members[1].count - 8] ^= 0xFF  // first CRC-32 byte of the trailer
        return (members.flatMap { $0 }, rows)
    }

    @Test("a gzip member with a bad CRC has none of its lines stored; the intact members before and after it are, and the file is reported damaged")
    func badCrcMemberIsNotTrusted() throws {
        try withTemporaryDirectory { directory in
            let (bytes, _) = Self.threeMembersMiddleCorrupt()
            let path = directory.appendingPathComponent("MSGTRK.LOG.gz")
            try Data(bytes).write(to: path)
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([path.path], db: db)
            let outcome = try #require(summary.files.first)
            #expect(outcome.status == .damaged)
            #expect(outcome.problem?.contains("MSGTRK.LOG.gz") == true)
            #expect(!summary.isComplete)
            #expect(try count("message_events", in: db) == 20)
            #expect(try count("message_events", in: db, where: "line <= 16") > 0)
        }
    }

    @Test("the stream delivers only verified members and reports the first damage at the end")
    func streamDropsDamagedMember() throws {
        let (bytes, rows) = Self.threeMembersMiddleCorrupt()
        let stream = GzipStream()
        var decoded: [UInt8] = []
        try bytes.withUnsafeBytes { try stream.feed($0) { decoded += $0 } }
        #expect(throws: GzipStream.Failure.self) { try stream.finish { decoded += $0 } }
        let text = String(decoding: decoded, as: UTF8.self)
        #expect(!rows[10..<20].contains { text.contains($0) })
        #expect(rows[20..<30].allSatisfy { text.contains($0) })
        #expect(stream.membersDecoded == 2)
    }

    @Test("gzip through a pipe is recognised when the first read returns a single byte")
    func gzipRecognisedWhenFirstReadIsOneByte() throws {
        try withTemporaryDirectory { directory in
            let fifo = directory.appendingPathComponent("pipe").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let text = TrackingLogBuilder.log(rows: 5)
            let compressed = gzipMember(Array(text.utf8))
            let writer = Thread {
                let fd = open(fifo, O_WRONLY)
                _ = compressed.withUnsafeBytes { write(fd, $0.baseAddress!, 1) }
                usleep(50_000)
                _ = compressed.withUnsafeBytes { write(fd, $0.baseAddress! + 1, compressed.count - 1) }
                close(fd)
            }
            writer.start()
            var decoded: [UInt8] = []
            let info = try InputReader(path: fifo).read { decoded += $0 }
            #expect(info.isGzip)
            #expect(String(decoding: decoded, as: UTF8.self) == text)
        }
    }
}
