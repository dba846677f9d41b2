/// A line that could not be turned into records, kept aside with where it was and why.
public struct QuarantinedLine: Sendable, Equatable {
    public enum Reason: String, Sendable {
        case fieldCountMismatch = "field-count-mismatch"
        case unterminatedQuote = "unterminated-quote"
        case badTimestamp = "bad-timestamp"
        case missingHeader = "missing-header"
        case malformedLine = "malformed-line"
        case lineTooLong = "line-too-long"
        case truncatedByDamage = "truncated-by-damage"
        case badJSON = "bad-json"
    }

    public var line: Int
    public var offset: Int64
    public var reason: Reason
    /// A sentence for the user: what was expected and what was found.
    public var detail: String
    /// The line's first bytes (up to ``maxStoredBytes``), for inspection.
    public var text: String

    public static let maxStoredBytes = 2048

    public init(line: Int, offset: Int64, reason: Reason, detail: String, bytes: UnsafeRawBufferPointer) {
        self.line = line
        self.offset = offset
        self.reason = reason
        self.detail = detail
        let kept = UnsafeRawBufferPointer(rebasing: bytes[..<min(bytes.count, Self.maxStoredBytes)])
        self.text = String(decoding: kept, as: UTF8.self)
    }
}
