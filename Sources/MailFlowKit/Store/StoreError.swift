/// A failure of the SQLite store, with the statement and database it concerns.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The SQLite result code (`SQLITE_BUSY` = 5, `SQLITE_CORRUPT` = 11, …).
    public let code: Int32
    public let message: String
    public let sql: String?
    public let path: String

    public init(code: Int32, message: String, sql: String? = nil, path: String) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    public var isBusy: Bool { code == 5 || code == 6 }

    public var description: String {
        // mailflow's own refusals (not a mailflow database, upgrade mailflow) already read as a sentence naming the file.
        if code == 0 || message.hasPrefix("'\(path)'") { return message }
        var text = "database '\(path)': SQLite error \(code): \(message)"
        if let sql {
            let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " ") }.joined(separator: " ")
            text += " - while executing `\(oneLine.prefix(160))`"
        }
        if code == 26 { text += " (the file is not a mailflow database; give another path with --db)" }
        return text
    }
}
