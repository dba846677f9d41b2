import Foundation
import Testing

@testable import MailFlowKit

@Suite("Hostile input: line ends")
struct LineEndingTests {
    @Test("a tracking log with CR-only line ends is read in folder mode, not skipped in silence")
    func crOnlyLogIsRead() throws {
        try withTemporaryDirectory { directory in
            let text = TrackingLogBuilder.log(rows: 4).replacingOccurrences(of: "\r\n", with: "\r")
            #expect(!text.contains("\n"))
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: directory.appendingPathComponent("logs/MSGTRK2026112409-1.LOG"))
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([directory.appendingPathComponent("logs").path], db: db)
            #expect(summary.files.first?.status == .ingested)
            #expect(try count("message_events", in: db) == 4)
            #expect(try count("quarantine", in: db) == 0)
        }
    }

    @Test("the framer splits CR-only input on CR and keeps byte offsets of the original file")
    func framerSplitsOnCarriageReturn() throws {
        let framer = LineFramer()
        var lines: [(String, Int64)] = []
        try Array("one\rtwo\rthree".utf8).withUnsafeBytes { try framer.consume($0) { lines.append((String(decoding: $0.bytes, as: UTF8.self), $0.offset)) } }
        try framer.finish { lines.append((String(decoding: $0.bytes, as: UTF8.self), $0.offset)) }
        #expect(lines.map(\.0) == ["one", "two", "three"])
        #expect(lines.map(\.1) == [0, 4, 8])
    }
}
