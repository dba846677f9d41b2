import CMailFlowZlib
import Foundation
import Testing

@testable import MailFlowKit

/// The shared corpus of real public samples, beside the repository in CI and on developers'
/// machines, absent from a user's clone (tests that need it are skipped there).
enum Corpus {
    static let root: URL = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// The package root (for `sample-logs/` and the built executable).
enum Package {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var sampleLogs: String { root.appendingPathComponent("sample-logs").path }
}

/// A fresh temporary folder, removed when the test ends.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mailflow-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Compresses `data` into one gzip member (level 6), through the same zlib mailflow links.
func gzipMember(_ data: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(cmailflowzlib_deflateInit2(&stream, 6, 15 + 16) == Z_OK)
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: data.count + 1024)
    var input = data
    let produced: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            stream.next_out = outputBuffer.baseAddress
            stream.avail_out = uInt(outputBuffer.count)
            let code = deflate(&stream, Z_FINISH)
            precondition(code == Z_STREAM_END, "deflate returned \(code)")
            return outputBuffer.count - Int(stream.avail_out)
        }
    }
    return Array(output[..<produced])
}

/// Builds Exchange 2013+ message tracking logs line by line, as Exchange writes them.
struct TrackingLogBuilder {
    static let fields = "date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"

    static func header(date: String = "2026-11-24T09:00:00.000Z") -> String {
        "#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: Message Tracking Log\r\n#Date: \(date)\r\n#Fields: \(fields)\r\n"
    }

    /// One SENDEXTERNAL row to Exchange Online with `recipients` and matching statuses.
    static func sendRow(second: Int, id: Int, recipients: [String] = ["user@fabrikam.com"], status: String = "250 2.1.5 Recipient OK",
                        subject: String = "Quarterly report", sender: String = "alice@contoso.com") -> String {
        let time = String(format: "2026-11-24T09:%02d:%02d.%03dZ", (second / 60) % 60, second % 60, id % 1000)
        let statuses = recipients.map { _ in status }.joined(separator: ";")
        let quotedSubject = subject.contains(",") || subject.contains("\"") ? "\"" + subject.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : subject
        return "\(time),10.0.0.5,EX01,52.101.68.10,contoso-com.mail.protection.outlook.com,\";250 2.6.0 <m\(id)@contoso.com> [InternalId=1, Hostname=AM0PR01.prod.outlook.com] Queued mail for delivery;ClientSubmitTime:\",Outbound to Office 365 - 5b1c,SMTP,SENDEXTERNAL,\(1000 + id),<m\(id)@contoso.com>,9d1c\(String(format: "%04d", id))-0000-4000-8000-08dc00000000,\(recipients.joined(separator: ";")),\(statuses),4096,\(recipients.count),,,\(quotedSubject),\(sender),\(sender),2026-11-24T09:00:00.000Z;SRV=EX01,Originating,,10.0.0.9,,S:ToEntity=Internet,Email,00000000-0000-0000-0000-000000000001,15.02.1544.004\r\n"
    }

    static func log(rows: Int, start: Int = 0) -> String {
        header() + (start..<(start + rows)).map { sendRow(second: $0, id: $0) }.joined()
    }
}

extension FileManager {
    func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }
}

/// Parses `bytes` with `parser`, fed in chunks of `chunkSize`, into one batch.
func parse(_ bytes: [UInt8], with parser: any RecordParser, chunkSize: Int = 1 << 20) throws -> RecordBatch {
    var batch = RecordBatch()
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + chunkSize)
        try bytes[index..<end].withUnsafeBytes { try parser.consume($0, into: &batch) }
        index = end
    }
    try parser.finish(into: &batch)
    return batch
}

func parse(_ text: String, with parser: any RecordParser, chunkSize: Int = 1 << 20) throws -> RecordBatch {
    try parse(Array(text.utf8), with: parser, chunkSize: chunkSize)
}

/// Ingests `paths` into the database at `db` and returns the summary.
@discardableResult
func ingest(_ paths: [String], db: String, batchRecords: Int = 20_000) throws -> IngestSummary {
    var options = Ingestor.Options(databasePath: db)
    options.batchRecords = batchRecords
    return try Ingestor(options: options).run(paths: paths)
}

func count(_ table: String, in db: String, where condition: String = "1") throws -> Int {
    let database = try Database(path: db, mode: .readOnly)
    return Int(try database.scalar("SELECT count(*) FROM \(table) WHERE \(condition)") ?? -1)
}
