import Foundation
import Testing

@testable import MailFlowKit

/// End-to-end checks of the `mailflow` executable: exit codes, a kill mid-ingest, two ingests at once.
@Suite("mailflow command line", .serialized)
struct CommandLineTests {
    static let binary: URL? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mailflow"),
            Package.root.appendingPathComponent(".build/debug/mailflow"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static var isAvailable: Bool { binary != nil }

    @discardableResult
    private func run(_ arguments: [String], wait: Bool = true) throws -> (process: Process, output: Pipe) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if wait { process.waitUntilExit() }
        return (process, output)
    }

    @Test("a truncated gzip makes ingest exit 3 and name the file and the byte where it broke",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func exitCodeForDamage() throws {
        try withTemporaryDirectory { directory in
            let compressed = gzipMember(Array(TrackingLogBuilder.log(rows: 200).utf8))
            let path = directory.appendingPathComponent("cut.gz").path
            try Data(compressed[..<(compressed.count / 2)]).write(to: URL(fileURLWithPath: path))
            let (process, output) = try run(["ingest", "--db", directory.appendingPathComponent("s.db").path, path])
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == IngestSummary.incompleteExitCode)
            #expect(text.contains("cut.gz' ends in the middle of a gzip member at compressed byte"))
        }
    }

    @Test("ingest --json prints a summary a script can read",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func jsonSummary() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 5), to: log)
            let (process, output) = try run(["ingest", "--json", "--db", directory.appendingPathComponent("s.db").path, log.path])
            let data = output.fileHandleForReading.readDataToEndOfFile()
            #expect(process.terminationStatus == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["events"] as? Int == 5)
            #expect(object["complete"] as? Bool == true)
        }
    }

    /// Kills an ingest with SIGKILL once it has committed some batches, then re-runs it: the store
    /// must hold exactly the rows of one clean ingest.
    @Test("a run killed mid-ingest resumes without losing or duplicating rows",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func killedRunResumes() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 200_000), to: log)
            let db = directory.appendingPathComponent("s.db").path
            let (process, _) = try run(["ingest", "--db", db, log.path], wait: false)
            var committed = 0
            for _ in 0..<600 where committed == 0 {
                usleep(20_000)
                committed = (try? Database(path: db, mode: .readOnly).scalar("SELECT checkpoint_offset FROM files").map(Int.init) ?? 0) ?? 0
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killedAt = try count("message_events", in: db)
            let (rerun, _) = try run(["ingest", "--db", db, log.path])
            #expect(rerun.terminationStatus == 0)
            #expect(committed > 0)
            #expect(killedAt < 200_000)
            #expect(try count("message_events", in: db) == 200_000)
            #expect(try count("message_events", in: db, where: "1 GROUP BY event_key HAVING count(*) > 1") == -1)
        }
    }

    @Test("two ingests on one database at once both finish and store each row once",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func concurrentIngests() throws {
        try withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a.log"), b = directory.appendingPathComponent("b.log")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 3000), to: a)
            try FileManager.default.write(TrackingLogBuilder.header(date: "2026-11-24T10:00:00.000Z")
                + (3000..<6000).map { TrackingLogBuilder.sendRow(second: $0, id: $0) }.joined(), to: b)
            let db = directory.appendingPathComponent("s.db").path
            let first = try run(["ingest", "--db", db, a.path, b.path], wait: false)
            let second = try run(["ingest", "--db", db, b.path, a.path], wait: false)
            first.process.waitUntilExit()
            second.process.waitUntilExit()
            #expect(first.process.terminationStatus == 0)
            #expect(second.process.terminationStatus == 0)
            #expect(try count("message_events", in: db) == 6000)
            #expect(try count("files", in: db) == 2)
        }
    }

    @Test("analyze --fail-on high exits 4 on the sample incident; --fail-on with no such finding exits 0",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func failOnExitCode() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            let (analyze, output) = try run(["analyze", "--db", db, "--fail-on", "high", Package.sampleLogs])
            _ = output.fileHandleForReading.readDataToEndOfFile()
            #expect(analyze.terminationStatus == 4)
            // Nothing after 2099 and nothing above low otherwise: no finding reported, so no failure.
            let (detect, _) = try run(["detect", "--db", db, "--since", "2099-01-01", "--min-severity", "medium", "--fail-on", "low"])
            #expect(detect.terminationStatus == 0)
            // An unknown tenant is an error now, not an empty report.
            let (unknown, _) = try run(["detect", "--db", db, "--tenant", "nobody.onmicrosoft.com", "--fail-on", "low"])
            #expect(unknown.terminationStatus == 1)
        }
    }

    @Test("--no-wait fails clearly while another ingest holds the database",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func noWaitFailsWhenBusy() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            _ = try Store.open(path: db)
            let lock = try DatabaseLock(path: db, wait: false)
            let log = directory.appendingPathComponent("MSGTRK.LOG")
            try FileManager.default.write(TrackingLogBuilder.log(rows: 2), to: log)
            let (process, output) = try run(["ingest", "--no-wait", "--db", db, log.path])
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 1)
            #expect(text.contains("another mailflow ingest is writing to"))
            withExtendedLifetime(lock) {}
        }
    }
}
