import Foundation
import Testing

@testable import MailFlowKit

/// Cases that need another user or a small file system: run as root, the suite drops to `nobody`
/// with `setpriv` and mounts a small tmpfs; without those it skips and says why.
@Suite("Hostile input: permissions and a full disk", .serialized)
struct PrivilegeAndDiskTests {
    static let isRoot = getuid() == 0
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var canDropToNobody: Bool { isRoot && setpriv != nil && CommandLineTests.isAvailable }

    /// Runs the mailflow executable as `nobody`; returns its exit status and output.
    static func runAsNobody(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv!)
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", CommandLineTests.binary!.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A folder `nobody` can enter (temporary folders are created owner-only).
    static func sharedFolder(in directory: URL) throws -> URL {
        chmod(directory.path, 0o755)
        let folder = directory.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o777)
        return folder
    }

    @Test("a chmod 000 file is reported as unreadable with the operating system's reason, the other files stored (exit 3)",
          .enabled(if: PrivilegeAndDiskTests.canDropToNobody, "needs root, setpriv and the built mailflow executable to run as nobody"))
    func unreadableFileAsNobody() throws {
        try withTemporaryDirectory { directory in
            let folder = try Self.sharedFolder(in: directory)
            let locked = folder.appendingPathComponent("MSGTRK2026112409-1.LOG")
            let open = folder.appendingPathComponent("MSGTRK2026112410-1.LOG")
            try Data(TrackingLogBuilder.log(rows: 3).utf8).write(to: locked)
            try Data(TrackingLogBuilder.log(rows: 4, start: 10).utf8).write(to: open)
            chmod(locked.path, 0)
            chmod(open.path, 0o644)
            let db = folder.appendingPathComponent("store.db").path
            let (status, output) = try Self.runAsNobody(["ingest", "--db", db, folder.path])
            #expect(status == IngestSummary.incompleteExitCode)
            #expect(output.contains("MSGTRK2026112409-1.LOG"))
            #expect(output.contains("Permission denied"))
            #expect(try count("message_events", in: db) == 4)
        }
    }

    @Test("trace and quarantine work on a store in a folder the user cannot write",
          .enabled(if: PrivilegeAndDiskTests.canDropToNobody, "needs root, setpriv and the built mailflow executable to run as nobody"))
    func readCommandsInReadOnlyFolder() throws {
        try withTemporaryDirectory { directory in
            let folder = try Self.sharedFolder(in: directory)
            let log = folder.appendingPathComponent("MSGTRK2026112409-1.LOG")
            try Data((TrackingLogBuilder.log(rows: 3) + "junk,line\r\n").utf8).write(to: log)
            let db = folder.appendingPathComponent("store.db").path
            _ = try ingest([log.path], db: db)
            try? FileManager.default.removeItem(atPath: db + "-shm")
            try? FileManager.default.removeItem(atPath: db + "-wal")
            chmod(db, 0o644)
            chmod(folder.path, 0o755)  // owned by root: read-only for nobody
            let trace = try Self.runAsNobody(["trace", "--db", db, "<m1@contoso.com>"])
            #expect(trace.status == 0, "\(trace.output)")
            #expect(!trace.output.contains("readonly database"))
            let quarantine = try Self.runAsNobody(["quarantine", "--db", db])
            #expect(quarantine.status == 0, "\(quarantine.output)")
            #expect(quarantine.output.contains("junk"))
        }
    }

    @Test("a full disk fails the ingest clearly, leaves the database consistent, and the next run resumes to a complete store",
          .enabled(if: PrivilegeAndDiskTests.isRoot, "needs root to mount a small tmpfs"))
    func fullDisk() throws {
        try withTemporaryDirectory { directory in
            let mountPoint = directory.appendingPathComponent("small")
            try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
            func mount(_ options: String) -> Int32 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/mount")
                process.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", mountPoint.path]
                try? process.run()
                process.waitUntilExit()
                return process.terminationStatus
            }
            guard mount("size=2m") == 0 else {
                print("skipped: mount -t tmpfs is not permitted here")
                return
            }
            defer {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/umount")
                process.arguments = [mountPoint.path]
                try? process.run()
                process.waitUntilExit()
            }
            let log = directory.appendingPathComponent("MSGTRK2026112409-1.LOG")
            try Data(TrackingLogBuilder.log(rows: 20_000).utf8).write(to: log)
            let db = mountPoint.appendingPathComponent("store.db").path
            var message = ""
            do {
                let summary = try ingest([log.path], db: db, batchRecords: 1_000)
                message = summary.files.compactMap(\.problem).joined()
                #expect(!summary.isComplete)
            } catch {
                message = "\(error)"
            }
            #expect(message.contains("full") || message.contains("space"), "\(message)")
            #expect(try Database(path: db, mode: .readOnly).scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1)
            #expect(mount("remount,size=64m") == 0)
            let summary = try ingest([log.path], db: db)
            #expect(summary.isComplete)
            #expect(try count("message_events", in: db) == 20_000)
        }
    }
}
