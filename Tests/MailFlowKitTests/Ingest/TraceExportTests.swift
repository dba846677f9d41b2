import Foundation
import Testing

@testable import MailFlowKit

@Suite("Exchange Online trace exports in the store")
struct TraceExportTests {
    private static let header = "\"Organization\",\"MessageId\",\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Subject\",\"Status\",\"ToIP\",\"FromIP\",\"Size\",\"MessageTraceId\"\r\n"

    private static func row(day: Int, hour: Int, id: Int) -> String {
        "\"contoso.onmicrosoft.com\",\"<m\(id)@contoso.com>\",\"2026-11-\(day)T\(String(format: "%02d", hour)):00:00Z\",\"a@contoso.com\",\"b@fabrikam.example\",\"s\",\"Delivered\",\"\",\"203.0.113.10\",\"100\",\"0000000\(id)-0000-4000-8000-000000000000\"\r\n"
    }

    @Test("overlapping exports of the same window store each message, recipient and event once")
    func overlappingExportsDeduplicate() throws {
        try withTemporaryDirectory { directory in
            let tenant = directory.appendingPathComponent("contoso.onmicrosoft.com")
            try FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
            try FileManager.default.write(Self.header + (0..<6).map { Self.row(day: 24, hour: $0, id: $0) }.joined(), to: tenant.appendingPathComponent("trace-a.csv"))
            try FileManager.default.write(Self.header + (3..<9).map { Self.row(day: 24, hour: $0, id: $0) }.joined(), to: tenant.appendingPathComponent("trace-b.csv"))
            let db = directory.appendingPathComponent("s.db").path
            let summary = try ingest([directory.path], db: db)
            #expect(summary.events == 9)
            #expect(summary.duplicateEvents == 3)
            #expect(summary.warnings.isEmpty)
            #expect(try count("message_events", in: db, where: "tenant_id = (SELECT id FROM tenants WHERE name = 'contoso.onmicrosoft.com')") == 9)
        }
    }

    @Test("a gap between two exported windows is reported as a warning naming both files")
    func gapIsReported() throws {
        try withTemporaryDirectory { directory in
            let tenant = directory.appendingPathComponent("contoso.onmicrosoft.com")
            try FileManager.default.createDirectory(at: tenant, withIntermediateDirectories: true)
            try FileManager.default.write(Self.header + (0..<4).map { Self.row(day: 20, hour: $0, id: $0) }.joined(), to: tenant.appendingPathComponent("week1.csv"))
            try FileManager.default.write(Self.header + (0..<4).map { Self.row(day: 24, hour: $0, id: 10 + $0) }.joined(), to: tenant.appendingPathComponent("week2.csv"))
            let summary = try ingest([directory.path], db: directory.appendingPathComponent("s.db").path)
            #expect(summary.warnings.count == 1)
            let warning = try #require(summary.warnings.first)
            #expect(warning.hasPrefix("contoso.onmicrosoft.com: no message trace covers 2026-11-20T03:00:00.000Z – 2026-11-24T00:00:00.000Z (93 h"))
            #expect(warning.contains("week1.csv") && warning.contains("week2.csv"))
        }
    }
}
