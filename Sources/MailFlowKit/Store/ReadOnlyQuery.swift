import CMailFlowSQLite

/// An administrator's own SQL against the store, which it can read and never change.
///
/// Two locks: the connection is opened `SQLITE_OPEN_READONLY` with `PRAGMA query_only`, and each
/// statement is checked with `sqlite3_stmt_readonly` before it runs, so a `DELETE` is refused with
/// a sentence instead of SQLite's "attempt to write a readonly database", and nothing is changed.
package enum ReadOnlyQuery {
    /// The columns and rows of one query.
    package struct Result: Sendable {
        package var columns: [String]
        package var rows: [[SQLValue]]
    }

    /// A refused or failed query, said for the person who typed it.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// The convenience views and what each row is (what `mailflow query --schema` lists first).
    package static let views: [(name: String, about: String)] = [
        ("messages", "one row per Message-ID seen in any log: first/last seen, sender, subject, recipients, events, and its verdict"),
        ("recipient_events", "one row per logged event and recipient, with tenant or server, file and line"),
        ("sessions", "one row per SMTP session of the protocol logs: direction, connector, remote IP, TLS, transactions"),
        ("tls_certificates", "certificates presented in SMTP sessions, with the number of sessions per role"),
        ("connectors", "Inbound connectors from the tenants' exports: type, IPs, certificate name, restrictions"),
        ("message_verdicts", "one row per message sent to Exchange Online: owner, attributed tenant, outcome, finding (run detect first)"),
        ("finding_summary", "one row per finding of the last detect: severity, pattern, messages, onset, title"),
    ]

    /// Questions to start from, as `mailflow query --help` shows them (SQL text lives in `Store/`).
    package static let examples: [(sql: String, format: String?)] = [
        ("SELECT outcome, count(*) FROM message_verdicts GROUP BY outcome", nil),
        ("SELECT * FROM recipient_events WHERE sender LIKE '%@contoso.com'", "csv"),
    ]

    /// Opens the database at `path` for reading only, after bringing its schema (and views) up to date.
    package static func open(path: String) throws -> Database {
        // Migrating needs a writable connection, once; a store this build already migrated is left as is.
        if let version = try? Database(path: path, mode: .readOnly).scalar("PRAGMA user_version"), Int(version) < Schema.currentVersion {
            _ = try Store.open(path: path)
        }
        let database = try Store.open(path: path, mode: .readOnly)
        try database.execute("PRAGMA query_only = ON")
        return database
    }

    /// Runs one read-only statement.
    package static func run(_ sql: String, in database: Database) throws -> Result {
        var handle: OpaquePointer?
        var rest = ""
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(database.handle, text, -1, &handle, &tail)
            if let tail { rest = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw Failure(description: "the query is not valid SQL: \(database.lastErrorMessage). List the tables, views and columns with 'mailflow query --schema'")
        }
        let statement = Statement(handle, database: database, sql: sql)
        guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            throw Failure(description: "the query holds more than one statement: give one SELECT at a time")
        }
        guard sqlite3_stmt_readonly(handle) != 0 else {
            throw Failure(description: "'mailflow query' only reads: the statement would change the database, and nothing was changed. "
                + "The store is written by 'mailflow ingest' and 'mailflow detect'; use SELECT or WITH … SELECT")
        }
        var result = Result(columns: (0..<statement.columnCount).map(statement.columnName), rows: [])
        while true {
            let more: Bool
            do {
                more = try statement.step()
            } catch {
                guard error.code == SQLITE_READONLY else { throw error }
                throw Failure(description: "'mailflow query' only reads: the statement tried to change the database, and nothing was changed")
            }
            guard more else { break }
            result.rows.append((0..<statement.columnCount).map(statement.value))
        }
        return result
    }

    /// One table or view with its columns.
    package struct SchemaObject: Sendable {
        package var name: String
        package var kind: String
        package var about: String?
        package var columns: [String]
    }

    /// The convenience views first, then every table, each with its columns.
    package static func schema(in database: Database) throws -> [SchemaObject] {
        let objects = try database.fetchAll("SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            (name: $0.string("name") ?? "", kind: $0.string("type") ?? "")
        }
        let about = Dictionary(views.map { ($0.name, $0.about) }, uniquingKeysWith: { first, _ in first })
        let order = Dictionary(views.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        return try objects.map { object in
            SchemaObject(name: object.name, kind: object.kind, about: about[object.name],
                         columns: try database.fetchAll("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(object.name)]) { $0.string("name") ?? "" })
        }.sorted { (order[$0.name] ?? Int.max, $0.kind == "view" ? 0 : 1, $0.name) < (order[$1.name] ?? Int.max, $1.kind == "view" ? 0 : 1, $1.name) }
    }
}
