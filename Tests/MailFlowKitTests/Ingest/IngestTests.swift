import Foundation
import Testing

@testable import MailFlowKit

@Suite("Ingest into the store")
struct IngestTests {
    @Test("re-running ingest on the same inputs adds nothing and says the files are unchanged")
    func reingestAddsNothing() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("MSGTRK2026112409-1.LOG")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 50), to: log)
            let db = directory.appendingPathComponent("store.db").path
            let first = try ingest([directory.path], db: db)
            #expect(first.events == 50)
            #expect(first.files.first { $0.path == log.path }?.status == .ingested)
            let second = try ingest([directory.path], db: db)
            #expect(second.events == 0)
            #expect(second.files.first { $0.path == log.path }?.status == .unchanged)
            #expect(try count("message_events", in: db) == 50)
            #expect(try count("files", in: db) == 1)
        }
    }

    @Test("a log that grew is read from where the last run stopped, adding only the new rows")
    func grownFileAddsOnlyNewRows() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("MSGTRK2026112409-1.LOG")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 30), to: log)
            let db = directory.appendingPathComponent("store.db").path
            try ingest([log.path], db: db, batchRecords: 7)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            handle.write(Data((30..<45).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }.joined().utf8))
            try handle.close()
            let second = try ingest([log.path], db: db)
            let outcome = try #require(second.files.first)
            #expect(outcome.status == .resumed)
            #expect(outcome.events == 15)
            #expect(outcome.duplicateEvents == 0)
            #expect(try count("message_events", in: db) == 45)
            #expect(try count("files", in: db) == 1)
        }
    }

    @Test("a renamed copy of a file already read is recognised by content, not by name")
    func identityByContent() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("a.log")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 10), to: log)
            let db = directory.appendingPathComponent("store.db").path
            try ingest([log.path], db: db)
            let renamed = directory.appendingPathComponent("renamed.log")
            try FileManager.default.moveItem(at: log, to: renamed)
            let second = try ingest([renamed.path], db: db)
            #expect(second.files.first?.status == .unchanged)
            #expect(try count("message_events", in: db) == 10)
        }
    }

    @Test("the same rows arriving in a different file (plain and gzip copies) are stored once")
    func sameRowsInTwoFilesAreStoredOnce() throws {
        try withTemporaryDirectory { directory in
            let text = TrackingLogBuilder.log(rows: 20)
            try FileManager.default.write(text, to: directory.appendingPathComponent("plain.log"))
            try Data(gzipMember(Array(text.utf8))).write(to: directory.appendingPathComponent("copy.log.gz"))
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([directory.path], db: db)
            #expect(summary.events == 20)
            #expect(summary.duplicateEvents == 20)
            #expect(try count("message_events", in: db) == 20)
        }
    }

    @Test("a multi-member gzip log stores exactly the rows of its plain text")
    func multiMemberGzip() throws {
        try withTemporaryDirectory { directory in
            let first = TrackingLogBuilder.log(rows: 12)
            let second = (12..<25).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }.joined()
            try Data(gzipMember(Array(first.utf8)) + gzipMember(Array(second.utf8))).write(to: directory.appendingPathComponent("MSGTRK.LOG.gz"))
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([directory.path], db: db)
            #expect(summary.isComplete)
            #expect(summary.files.first?.compressed == true)
            #expect(try count("message_events", in: db) == 25)
        }
    }

    @Test("a truncated gzip keeps every complete row before the cut and reports where it broke")
    func truncatedGzipKeepsRowsBeforeDamage() throws {
        try withTemporaryDirectory { directory in
            let text = TrackingLogBuilder.log(rows: 400)
            let compressed = gzipMember(Array(text.utf8))
            let cut = Array(compressed[..<(compressed.count * 2 / 3)])
            let path = directory.appendingPathComponent("cut.log.gz")
            try Data(cut).write(to: path)
            // What a correct reader can recover: every complete line of the decodable prefix.
            let stream = GzipStream()
            var decoded: [UInt8] = []
            try? cut.withUnsafeBytes { try stream.feed($0) { decoded += $0 } }
            try? stream.finish { decoded += $0 }
            let completeRows = decoded.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
                .filter { $0.first != UInt8(ascii: "#") }.count
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([path.path], db: db)
            let outcome = try #require(summary.files.first)
            #expect(outcome.status == .damaged)
            #expect(outcome.problem?.contains("ends in the middle of a gzip member at compressed byte \(cut.count)") == true)
            #expect(!summary.isComplete)
            #expect(try count("message_events", in: db) == completeRows)
            #expect(try count("quarantine", in: db, where: "reason = 'truncated-by-damage'") == 1)
            #expect(try count("files", in: db, where: "status = 'damaged'") == 1)
        }
    }

    @Test("quarantined lines are stored with their file, line number, byte offset and reason")
    func quarantineIsStored() throws {
        try withTemporaryDirectory { directory in
            let header = TrackingLogBuilder.header()
            let good = TrackingLogBuilder.sendRow(second: 1, id: 1)
            let bad = "2026-11-24T09:00:02.000Z,too,few,fields\r\n"
            let path = directory.appendingPathComponent("MSGTRK.LOG")
            try FileManager.default.write(header + good + bad + TrackingLogBuilder.sendRow(second: 3, id: 3), to: path)
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([path.path], db: db)
            #expect(summary.quarantinedByReason == ["field-count-mismatch": 1])
            let rows = try QuarantineReport.rows(in: Database(path: db, mode: .readOnly), limit: 10)
            #expect(rows.count == 1)
            #expect(rows[0].path == path.path)
            #expect(rows[0].line == 7)
            #expect(rows[0].offset == Int64(header.utf8.count + good.utf8.count))
            #expect(rows[0].text == "2026-11-24T09:00:02.000Z,too,few,fields")
            #expect(try count("message_events", in: db) == 2)
        }
    }

    @Test("every tracking and protocol log of the corpus ingests with zero quarantined lines",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"))
    func corpusIngestsCleanly() throws {
        try withTemporaryDirectory { directory in
            let files = [
                "elastic-beats/bom8_MSGTRK_Exchange2010.log",
                "elastic-integrations/microsoft_exchange_server__messagetracking__test-messagetracking.log",
                "elastic-integrations/microsoft_exchange_server__sample_logs__SmtpRecive.log",
                "elastic-integrations/microsoft_exchange_server__sample_logs__smtp_SmtpSend.log",
                "elastic-integrations/microsoft_exchange_server__smtp__test-smtp.json",
            ].map(Corpus.path)
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest(files, db: db)
            #expect(summary.isComplete)
            #expect(summary.quarantined == 0)
            #expect(summary.events == 8)
            #expect(try count("smtp_sessions", in: db) >= 4)
            #expect(try count("message_events", in: db, where: "session_id = '08DC1DB12C345BE5' AND event = 'RECEIVE'") == 1)
        }
    }

    @Test("an unreadable path and an unrecognised file make the run incomplete and are named")
    func unreadableInputs() throws {
        try withTemporaryDirectory { directory in
            let notes = directory.appendingPathComponent("notes.txt")
            try FileManager.default.write("just some text\n", to: notes)
            let db = directory.appendingPathComponent("store.db").path
            let summary = try ingest([notes.path, directory.appendingPathComponent("missing.log").path], db: db)
            #expect(!summary.isComplete)
            #expect(summary.files.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.unreadable, .unrecognized])
            #expect(summary.files.contains { $0.problem?.contains("missing.log': No such file or directory") == true })
        }
    }

    @Test("a file inside a folder that is not a log is skipped without failing the run")
    func skippedInFolder() throws {
        try withTemporaryDirectory { directory in
            try FileManager.default.write("# Notes\n", to: directory.appendingPathComponent("README.md"))
            try FileManager.default.write(TrackingLogBuilder.log(rows: 3), to: directory.appendingPathComponent("MSGTRK.LOG"))
            let summary = try ingest([directory.path], db: directory.appendingPathComponent("store.db").path)
            #expect(summary.isComplete)
            #expect(summary.files.first { $0.path.hasSuffix("README.md") }?.status == .skipped)
        }
    }

    @Test("a database from a newer mailflow is refused rather than misread")
    func newerSchemaRefused() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("store.db").path
            _ = try Store.open(path: db)
            try Database(path: db).execute("PRAGMA user_version = 999")
            #expect(throws: StoreError.self) { _ = try Store.open(path: db) }
        }
    }
}
