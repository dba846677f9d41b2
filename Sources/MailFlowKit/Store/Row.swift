/// One row of a query result, read by column name.
///
/// A `Row` borrows the statement it was stepped from: read what you need inside the closure that
/// received it and keep values, not the row. Column names are looked up once per prepared
/// statement, so reading by name costs a dictionary hit, not a scan of the result's columns.
package struct Row {
    let statement: Statement

    /// The value of the column `name`; a misspelt name is a programmer error and traps with it.
    package subscript(_ name: String) -> SQLValue {
        statement.value(index(name))
    }

    package func string(_ name: String) -> String? {
        let column = index(name)
        return statement.isNull(column) ? nil : statement.string(column)
    }

    package func int64(_ name: String) -> Int64? {
        let column = index(name)
        return statement.isNull(column) ? nil : statement.int64(column)
    }

    package func int(_ name: String) -> Int? { int64(name).map { Int($0) } }

    /// A 0/1 column as a Boolean; NULL reads as false.
    package func bool(_ name: String) -> Bool { int64(name).map { $0 != 0 } ?? false }

    /// A `;`-separated list column (how the store keeps address lists and ranges).
    package func list(_ name: String) -> [String] {
        string(name).map { $0.split(separator: ";").map(String.init).filter { !$0.isEmpty } } ?? []
    }

    private func index(_ name: String) -> Int {
        guard let column = statement.columnIndex[name] else {
            preconditionFailure("no column '\(name)' in `\(statement.sql.prefix(120))`")
        }
        return column
    }
}

/// A value the read API builds from one row, with the row ↔ struct mapping beside the type's
/// insert (the shape GRDB calls `FetchableRecord`).
package protocol FetchableRecord {
    init(row: Row) throws
}

extension Database {
    /// Calls `body` with each row of a query, through a cached statement, without holding the
    /// result set in memory.
    package func forEach(_ sql: String, _ arguments: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        let row = Row(statement: statement)
        while try statement.step() { try body(row) }
    }

    /// Every row of a query mapped to a value.
    package func fetchAll<T>(_ sql: String, _ arguments: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEach(sql, arguments) { result.append(try map($0)) }
        return result
    }

    package func fetchAll<T: FetchableRecord>(_ type: T.Type, _ sql: String, _ arguments: [SQLValue] = []) throws -> [T] {
        try fetchAll(sql, arguments) { try T(row: $0) }
    }

    /// The first row of a query mapped to a value, or `nil` when there is none.
    package func fetchOne<T>(_ sql: String, _ arguments: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return try map(Row(statement: statement))
    }
}
