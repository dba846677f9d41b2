import Foundation
import Testing

@testable import MailFlowKit

/// The investigation commands end to end, through the built `mailflow` executable.
@Suite("Investigation commands", .serialized)
struct InvestigationCommandLineTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("analyze of a folder of unrelated files or of a mistyped path exits 3 saying nothing was read, not 'No findings'",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func nothingRead() throws {
        try withTemporaryDirectory { directory in
            try FileManager.default.write("just notes\n", to: directory.appendingPathComponent("notes.txt"))
            let db = directory.appendingPathComponent("s.db").path
            for path in [directory.path, directory.appendingPathComponent("no-such-folder").path] {
                let (status, output) = try run(["analyze", "--db", db, path])
                #expect(status == 3)
                #expect(output.contains("nothing was read"))
                #expect(!output.contains("No findings"))
            }
        }
    }

    @Test("query, messages, files and trace answer on the sample; a DELETE through query fails with exit 1 and changes nothing; trace of an unknown id exits 2",
          .enabled(if: CommandLineTests.isAvailable, "needs the built mailflow executable"))
    func sampleCommands() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            #expect(try run(["analyze", "--db", db, Package.sampleLogs]).status == 0)
            let counted = try run(["query", "--db", db, "--format", "CSV", "SELECT count(*) AS n FROM message_verdicts"])
            #expect(counted.status == 0 && counted.output.hasPrefix("n\n"))
            let delete = try run(["query", "--db", db, "DELETE FROM message_events"])
            #expect(delete.status == 1 && delete.output.contains("nothing was changed"))
            #expect(try count("message_events", in: db) > 0)
            #expect(try run(["messages", "--db", db, "--format", "ndjson", "--outcome", "rejected"]).output.contains("\"outcome\":\"rejected\""))
            #expect(try run(["files", "--db", db]).output.contains("(by folder)"))
            #expect(try run(["trace", "--db", db, "<NOBODY@NOWHERE.INVALID>"]).status == 2)
            #expect(try run(["detect", "--db", db, "--tenant", "woodgrove"]).output.contains("Tenants: contoso.onmicrosoft.com, fabrikam.onmicrosoft.com"))
        }
    }
}
