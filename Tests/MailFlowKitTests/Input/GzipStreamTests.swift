import Foundation
import Testing

@testable import MailFlowKit

@Suite("Gzip input")
struct GzipStreamTests {
    private func inflate(_ compressed: [UInt8], chunkSize: Int = 7) throws -> [UInt8] {
        let stream = GzipStream(outputCapacity: 64)
        var output: [UInt8] = []
        var index = 0
        while index < compressed.count {
            let end = min(compressed.count, index + chunkSize)
            try compressed[index..<end].withUnsafeBytes { try stream.feed($0) { output += $0 } }
            index = end
        }
        try stream.finish()
        return output
    }

    @Test("concatenated gzip members decode to the concatenated text")
    func multiMember() throws {
        let parts = ["first member\n", "second member\n", String(repeating: "third ", count: 500) + "\n"]
        let compressed = parts.flatMap { gzipMember(Array($0.utf8)) }
        #expect(try inflate(compressed) == Array(parts.joined().utf8))
    }

    @Test("a gzip cut short reports truncation after delivering what was decoded")
    func truncated() throws {
        let text = (0..<2000).map { "line \($0) of a log that will be cut\n" }.joined()
        let compressed = gzipMember(Array(text.utf8))
        let cut = Array(compressed[..<(compressed.count / 2)])
        let stream = GzipStream(outputCapacity: 4096)
        var output: [UInt8] = []
        try cut.withUnsafeBytes { try stream.feed($0) { output += $0 } }
        #expect(throws: GzipStream.Failure.self) { try stream.finish { output += $0 } }
        #expect(output.count > 0)
        #expect(output == Array(text.utf8.prefix(output.count)))
    }

    @Test("plain text given to the inflater is reported as corrupt data")
    func corrupt() throws {
        let bytes: [UInt8] = [0x1F, 0x8B] + Array("this is not deflate data at all".utf8)
        #expect(throws: GzipStream.Failure.self) { _ = try inflate(bytes) }
    }

    @Test("InputReader recognises gzip by magic bytes whatever the file is called")
    func detectionByMagic() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("MSGTRK2026112409-1.LOG")
            let text = "hello\nworld\n"
            try Data(gzipMember(Array(text.utf8)) + gzipMember(Array("again\n".utf8))).write(to: url)
            var output: [UInt8] = []
            let info = try InputReader(path: url.path).read { output += $0 }
            #expect(info.isGzip)
            #expect(info.gzipMembers == 2)
            #expect(String(decoding: output, as: UTF8.self) == "hello\nworld\nagain\n")
        }
    }

    @Test("a missing file is reported with its path and the system's reason")
    func missingFile() {
        #expect(throws: InputError.cannotOpen(path: "/nonexistent/x.log", reason: "No such file or directory")) {
            try InputReader(path: "/nonexistent/x.log").read { _ in }
        }
    }
}
