import Foundation
import Testing

@testable import MailFlowKit

@Suite("Hostile input: a session held open across reads")
struct HeldSessionResumeTests {
    static func session(_ id: Int, minute: Int, disconnect: Bool = true) -> String {
        let key = String(format: "08DE%012X", id)
        let time = String(format: "2026-11-24T09:%02d:00.000Z", minute)
        var text = "\(time),Outbound,\(key),0,10.0.0.5:5000,52.101.68.10:25,+,,\r\n"
            + "\(time),Outbound,\(key),1,10.0.0.5:5000,52.101.68.10:25,>,MAIL FROM:<a\(id)@contoso.com>,\r\n"
            + "\(time),Outbound,\(key),2,10.0.0.5:5000,52.101.68.10:25,<,250 2.1.0 Sender OK,\r\n"
        if disconnect { text += "\(time),Outbound,\(key),3,10.0.0.5:5000,52.101.68.10:25,-,,Local\r\n" }
        return text
    }

    @Test("a session left open pins the checkpoint, yet a grown-file read stores and counts every session once, as a clean run does")
    func grownFileWithHeldSessionCountsOnce() throws {
        try withTemporaryDirectory { directory in
            let held = Self.session(1, minute: 1, disconnect: false)
            let later = (2...20).map { Self.session($0, minute: 2) }.joined()
            let close = "2026-11-24T09:03:00.000Z,Outbound,08DE000000000001,3,10.0.0.5:5000,52.101.68.10:25,-,,Local\r\n"
            let more = (21...30).map { Self.session($0, minute: 3) }.joined()
            let first = ProtocolLogParserTests.sendHeader + held + later
            let log = directory.appendingPathComponent("SEND20261124-1.LOG")
            let grown = directory.appendingPathComponent("store.db").path
            try first.write(to: log, atomically: false, encoding: .utf8)
            _ = try ingest([log.path], db: grown)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            handle.write(Data((close + more).utf8))
            try handle.close()
            _ = try ingest([log.path], db: grown)
            _ = try ingest([log.path], db: grown)

            let cleanLog = directory.appendingPathComponent("clean/SEND20261124-1.LOG")
            try FileManager.default.createDirectory(at: cleanLog.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: log, to: cleanLog)
            let clean = directory.appendingPathComponent("clean.db").path
            _ = try ingest([cleanLog.path], db: clean)

            #expect(try count("smtp_sessions", in: grown) == 30)
            #expect(try count("smtp_sessions", in: grown, where: "is_incomplete = 0") == 30)
            let counted = try Database(path: grown, mode: .readOnly).scalar("SELECT sum(sessions) FROM files")
            let cleanCounted = try Database(path: clean, mode: .readOnly).scalar("SELECT sum(sessions) FROM files")
            #expect(counted == 30)
            #expect(counted == cleanCounted)
            #expect(try count("smtp_transactions", in: grown) == count("smtp_transactions", in: clean))
        }
    }
}
