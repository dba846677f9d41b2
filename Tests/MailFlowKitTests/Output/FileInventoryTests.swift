import Foundation
import Testing

@testable import MailFlowKit

/// `mailflow files`: which tenant or source each input got, and how.
@Suite("File inventory", .serialized)
struct FileInventoryTests {
    @Test("on the sample every input has a tenant or a source assigned by its folder, with rows, time span and status, and each tenant's missing evidence is named")
    func sampleFiles() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            let store = try Store.open(path: db, mode: .readOnly)
            let files = try FileInventory.files(in: store)
            #expect(files.count == 17)
            #expect(files.allSatisfy { ($0.tenant ?? $0.source) != nil && $0.assignedBy == "folder" && $0.status == "complete" })
            let trace = try #require(files.first { $0.path.hasSuffix("contoso.onmicrosoft.com/messagetrace-2026-11-24.csv") })
            #expect(trace.tenant == "contoso.onmicrosoft.com" && trace.rows > 0 && trace.firstMs != nil)
            #expect(files.first { $0.path.hasSuffix("MSGTRK2026112408-1.LOG") }?.quarantined == 2)
            let tenants = try FileInventory.tenants(in: store)
            let contoso = try #require(tenants.first { $0.name == "contoso.onmicrosoft.com" })
            #expect(contoso.missing == [.traceDetail])
            #expect(tenants.first { $0.name == "fabrikam.onmicrosoft.com" }?.missing == [])
            let text = FileReport.text(files: files, tenants: tenants)
            #expect(text.contains("tenant contoso.onmicrosoft.com (by folder)"))
            #expect(text.contains("Get-MessageTraceDetailV2"))
        }
    }

    @Test("in a flat download folder the accepted-domain export names its tenant (by data), the trace beside it follows (by folder), and --tenant is recorded as flag")
    func assignmentKinds() throws {
        try withTemporaryDirectory { directory in
            let flat = directory.appendingPathComponent("downloads")
            try FileManager.default.createDirectory(at: flat, withIntermediateDirectories: true)
            let tenantFolder = URL(fileURLWithPath: Package.sampleLogs).appendingPathComponent("contoso.onmicrosoft.com")
            for name in ["accepted-domains.json", "messagetrace-2026-11-24.csv"] {
                try FileManager.default.copyItem(at: tenantFolder.appendingPathComponent(name), to: flat.appendingPathComponent(name))
            }
            let db = directory.appendingPathComponent("s.db").path
            try ingest([flat.path], db: db)
            let files = try FileInventory.files(in: try Store.open(path: db, mode: .readOnly))
            #expect(files.first { $0.path.hasSuffix("accepted-domains.json") }?.assignedBy == "data")
            let trace = try #require(files.first { $0.path.hasSuffix("messagetrace-2026-11-24.csv") })
            #expect(trace.assignedBy == "folder" && trace.tenant == "contoso.onmicrosoft.com")

            let other = directory.appendingPathComponent("other")
            try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: Package.sampleLogs).appendingPathComponent("fabrikam.onmicrosoft.com/messagetrace-v2-2026-11-24.json"),
                                             to: other.appendingPathComponent("trace.json"))
            var options = Ingestor.Options(databasePath: db)
            options.tenant = "fabrikam.onmicrosoft.com"
            _ = try Ingestor(options: options).run(paths: [other.path])
            let flagged = try #require(try FileInventory.files(in: try Store.open(path: db, mode: .readOnly)).first { $0.path.hasSuffix("trace.json") })
            #expect(flagged.assignedBy == "flag" && flagged.tenant == "fabrikam.onmicrosoft.com")
        }
    }
}
