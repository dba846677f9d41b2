import CMailFlowSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection to a SQLite database, through the C API.
///
/// A thin, honest wrapper: prepared ``Statement``s, `execute` for DDL and pragmas, and errors that
/// carry the SQL and the path. Not thread-safe: one connection belongs to one thread at a time,
/// so it is not `Sendable`; the ingest hands its connection to the writer thread (`sending`) and
/// does not touch it again until that thread has ended.
public final class Database {
    public let path: String
    let handle: OpaquePointer
    /// Prepared statements by SQL text: a query run once per message is prepared once per run.
    private var statementCache: [String: Statement] = [:]

    public enum Mode: Sendable {
        case readWrite
        case readOnly
    }

    public init(path: String, mode: Mode = .readWrite) throws(StoreError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            throw StoreError(code: code, message: message, path: path)
        }
        sqlite3_extended_result_codes(handle, 1)
        if mode == .readOnly, let reopened = Self.immutableIfUnwritableFolder(handle, path: path) {
            self.handle = reopened
        } else {
            self.handle = handle
        }
        sqlite3_extended_result_codes(self.handle, 1)
        // Wait for another connection's short write transaction rather than failing at once.
        sqlite3_busy_timeout(self.handle, 30_000)
    }

    /// A read-only connection to a WAL database needs its `-shm` file; in a folder the user cannot
    /// write (a copied store on a read-only share) SQLite cannot create it and every read fails with
    /// "attempt to write a readonly database". When no `-wal` is there (nothing uncommitted to
    /// see) and the folder is not writable, the file is opened `immutable`: nobody can change it.
    /// Returns the new handle (having closed `handle`), or nil to keep `handle`.
    private static func immutableIfUnwritableFolder(_ handle: OpaquePointer, path: String) -> OpaquePointer? {
        let probe = sqlite3_exec(handle, "SELECT count(*) FROM sqlite_master", nil, nil, nil) & 0xFF
        guard probe == SQLITE_READONLY || probe == SQLITE_CANTOPEN else { return nil }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard access(folder.isEmpty ? "/" : folder, W_OK) != 0 else { return nil }
        var walInfo = stat()
        if stat(path + "-wal", &walInfo) == 0, walInfo.st_size > 0 { return nil }
        var escaped = ""
        for character in path {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.append(character)
            }
        }
        var immutable: OpaquePointer?
        let uri = "file:\(escaped)?immutable=1"
        guard sqlite3_open_v2(uri, &immutable, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let immutable else {
            sqlite3_close_v2(immutable)
            return nil
        }
        sqlite3_close_v2(handle)
        return immutable
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func error(_ code: Int32, sql: String? = nil) -> StoreError {
        StoreError(code: code & 0xFF, message: lastErrorMessage, sql: sql, path: path)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(StoreError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql: sql) }
    }

    public func prepare(_ sql: String, persistent: Bool = false) throws(StoreError) -> Statement {
        var statement: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql: sql) }
        return Statement(statement, database: self, sql: sql)
    }

    /// The prepared statement for `sql`, prepared on first use and kept for the connection's life.
    /// Callers reset it when done (``forEach(_:_:_:)`` does).
    package func cachedStatement(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// True while a transaction opened on this connection is not yet committed.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE`: the write lock is taken up front, so a
    /// second writer waits here instead of failing halfway).
    ///
    /// Inside a transaction already open (the ingest groups several batches into one commit),
    /// `body` simply runs as part of it; an error then rolls back the whole outer transaction.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        if isInTransaction { return try body() }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The single integer a query returns (or `nil` for no row / NULL).
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// Calls `body` with each row of a query in turn, without holding the result set in memory.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ body: ([SQLValue]) throws -> Void) throws {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var row: [SQLValue] = []
        while try statement.step() {
            row.removeAll(keepingCapacity: true)
            for index in 0..<statement.columnCount { row.append(statement.value(index)) }
            try body(row)
        }
    }

    /// All rows of a query, each as an array of values.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var result: [[SQLValue]] = []
        while try statement.step() {
            result.append((0..<statement.columnCount).map { statement.value($0) })
        }
        return result
    }
}

/// A value read from or bound to SQLite.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        }
    }

    public var int64: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var string: String? {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        default: return nil
        }
    }
}

extension SQLValue {
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}

@available(*, unavailable)
extension Database: Sendable {}
