/// The `#`-header that Exchange Server's W3C-style logs start with (and repeat after a restart).
///
/// ```
/// #Software: Microsoft Exchange Server
/// #Version: 15.01.2375.007
/// #Log-type: Message Tracking Log
/// #Date: 2022-09-19T15:02:29.339Z
/// #Fields: date-time,client-ip,…
/// ```
public struct ExchangeLogHeader: Sendable, Equatable {
    public var software: String?
    public var version: String?
    public var logType: String?
    public var fields: [String]?

    public init() {}

    /// Reads one `#` line into the header; returns false when the line is not a header line.
    public mutating func read(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 0, line[0] == UInt8(ascii: "#") else { return false }
        guard let colon = ByteText.index(of: UInt8(ascii: ":"), in: line) else { return true }
        let key = ByteText.string(UnsafeRawBufferPointer(rebasing: line[1..<colon])).lowercased()
        let value = ByteText.string(ByteText.trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...])))
        switch key {
        case "software": software = value
        case "version": version = value
        case "log-type": logType = value
        case "fields": fields = Self.fieldNames(value)
        default: break
        }
        return true
    }

    static func fieldNames(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: " ").lowercased()
        }
    }
}
