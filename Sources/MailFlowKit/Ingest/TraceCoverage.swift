/// Finds holes between a tenant's message-trace exports, which an investigation must know of:
/// a message missing from the traces may simply fall in a window nobody exported.
///
/// Message traces are exported window by window (at most 10 days a query). Each file's rows span a
/// window; where the next file of the same tenant starts more than ``minimumGap`` after the
/// previous ones end, the gap is reported.
struct TraceCoverage {
    let database: Database
    static let minimumGapMs: Int64 = 60 * 60_000

    func gaps() throws -> [String] {
        let spans = try database.traceSpans()
        var warnings: [String] = []
        var covered: (tenant: String, end: Int64, path: String)?
        for span in spans {
            let (tenant, path, start, end) = (span.tenant, span.path, span.start, span.end)
            if let previous = covered, previous.tenant == tenant {
                if start - previous.end > Self.minimumGapMs {
                    let hours = Double(start - previous.end) / 3_600_000
                    warnings.append("\(tenant): no message trace covers \(Timestamp.iso8601(previous.end)) – \(Timestamp.iso8601(start)) "
                        + "(\(String(Int(hours.rounded()))) h between '\(previous.path)' and '\(path)'); export that window if mail flowed then")
                }
                covered = (tenant, max(previous.end, end), end > previous.end ? path : previous.path)
            } else {
                covered = (tenant, end, path)
            }
        }
        return warnings
    }
}
