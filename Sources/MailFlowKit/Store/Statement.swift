import CMailFlowSQLite

/// A prepared SQLite statement.
///
/// Text can be bound from Swift strings (copied by SQLite) or, on the ingest hot path, straight
/// from byte buffers that outlive the `step` (``bindStatic(_:_:)``), which saves a copy per field.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    let sql: String

    init(_ handle: OpaquePointer, database: Database, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private static let transient = cmailflowsqlite_transient()

    public func bind(_ values: [SQLValue]) throws(StoreError) {
        for (index, value) in values.enumerated() {
            try bind(value, at: Int32(index + 1))
        }
    }

    public func bind(_ value: SQLValue, at index: Int32) throws(StoreError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let integer): code = sqlite3_bind_int64(handle, index, integer)
        case .real(let real): code = sqlite3_bind_double(handle, index, real)
        case .text(let text): code = sqlite3_bind_text(handle, index, text, -1, Self.transient)
        }
        guard code == SQLITE_OK else { throw database.error(code, sql: sql) }
    }

    @inline(__always)
    public func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    @inline(__always)
    public func bindNull(at index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    /// Binds bytes without copying them: they must stay valid and unchanged until the next `step`.
    @inline(__always)
    public func bindStatic(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        sqlite3_bind_text(handle, index, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
    }

    /// Steps once: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps a statement that returns no rows, then resets it for the next use.
    public func run() throws(StoreError) {
        defer { sqlite3_reset(handle) }
        try step()
    }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Result column names to their index, computed once for the statement's lifetime.
    lazy var columnIndex: [String: Int] = {
        var index: [String: Int] = [:]
        for column in 0..<columnCount where index[columnName(column)] == nil { index[columnName(column)] = column }
        return index
    }()

    public func columnName(_ index: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(index))) }

    public func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    public func int64(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    public func string(_ index: Int) -> String? {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        return String(cString: text)
    }

    public func value(_ index: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, Int32(index)))
        default: return .text(string(index) ?? "")
        }
    }
}
