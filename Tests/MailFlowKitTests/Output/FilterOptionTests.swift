import Foundation
import Testing

@testable import MailFlowKit

/// What `--tenant`, `--since` and `--until` accept.
@Suite("Filter options", .serialized)
struct FilterOptionTests {
    @Test("--since takes an ISO date, a time without seconds or zone, a time with an offset, or a span back from now")
    func timeBounds() {
        let nine = Timestamp.parseISO8601("2026-11-24T09:00:00Z")!
        #expect(TimeBound.parse("2026-11-24", now: 0) == Timestamp.parseISO8601("2026-11-24T00:00:00Z"))
        #expect(TimeBound.parse("2026-11-24 09:00", now: 0) == nine)
        #expect(TimeBound.parse("2026-11-24T09:00", now: 0) == nine)
        #expect(TimeBound.parse("2026-11-24T09:00Z", now: 0) == nine)
        #expect(TimeBound.parse("2026-11-24T10:00+01:00", now: 0) == nine)
        #expect(TimeBound.parse("2026-11-24T09:00:00Z", now: 0) == nine)
        #expect(TimeBound.parse("24h", now: nine) == nine - 86_400_000)
        #expect(TimeBound.parse("7d", now: nine) == nine - 7 * 86_400_000)
        #expect(TimeBound.parse("90m", now: nine) == nine - 90 * 60_000)
        #expect(TimeBound.parse("yesterday", now: nine) == nil)
        #expect(TimeBound.parse("2026-11-24T09", now: nine) == nil)
    }

    @Test("a tenant filter accepts the tenant's name, prefix, accepted domain in any case, and an unknown one lists the tenants")
    func tenantNames() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            let store = try Store.open(path: db, mode: .readOnly)
            for given in ["fabrikam.onmicrosoft.com", "fabrikam", "FABRIKAM.COM", "Fabrikam.OnMicrosoft.com"] {
                #expect(try TenantMatcher.resolve(given, in: store) == "fabrikam.onmicrosoft.com", "\(given)")
            }
            #expect(try TenantMatcher.resolve("contoso.com", in: store) == "contoso.onmicrosoft.com")
            do {
                _ = try TenantMatcher.resolve("woodgrove", in: store)
                Issue.record("an unknown tenant was accepted")
            } catch let unknown as TenantMatcher.Unknown {
                #expect(unknown.description.contains("contoso.onmicrosoft.com, fabrikam.onmicrosoft.com"))
            }
            // The filter then gives the same findings by any of the names.
            let byName = try DetectionRun(database: try Store.open(path: db)).run({ var o = DetectionRun.Options(); o.tenant = "fabrikam.onmicrosoft.com"; return o }())
            let byDomain = try DetectionRun(database: try Store.open(path: db)).run({
                var o = DetectionRun.Options(); o.tenant = try! TenantMatcher.resolve("fabrikam.com", in: store); return o }())
            #expect(byName.findings.map(\.id) == byDomain.findings.map(\.id) && !byName.findings.isEmpty)
        }
    }
}
