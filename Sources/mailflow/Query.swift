import ArgumentParser
import MailFlowKit

extension QueryReport.Format: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension MailFlowCommand {
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the database your own question in SQL, read-only (no sqlite3 shell needed).",
            discussion: """
                The database is opened read-only: a statement that would change it is refused \
                and nothing is changed. Start with the convenience views (messages, \
                recipient_events, sessions, tls_certificates, connectors, message_verdicts, \
                finding_summary); 'mailflow query --schema' lists every table and view with \
                its columns.


                """ + ReadOnlyQuery.examples.map { example in
                    "  mailflow query " + (example.format.map { "--format \($0) " } ?? "") + "\"\(example.sql)\""
                }.joined(separator: "\n")
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Output: table, csv, json or ndjson.")
        var format: QueryReport.Format = .table

        @Flag(help: "In a table, print every cell whole instead of fitting the terminal's width.")
        var wide = false

        @Flag(help: "List the convenience views, then every table, with their columns.")
        var schema = false

        @Argument(help: ArgumentHelp("One SQL statement (SELECT, WITH … SELECT, EXPLAIN, read-only PRAGMA).", valueName: "sql"))
        var sql: String?

        func validate() throws {
            if schema == (sql != nil) { throw ValidationError("give either one SQL statement or --schema") }
        }

        func run() throws {
            let store = try ReadOnlyQuery.open(path: try database.existingPath())
            if schema {
                print(QueryReport.schema(try ReadOnlyQuery.schema(in: store)))
                return
            }
            do {
                let result = try ReadOnlyQuery.run(sql ?? "", in: store)
                print(QueryReport.render(result, format: format, width: wide ? nil : Terminal.standardOutputWidth))
            } catch let failure as ReadOnlyQuery.Failure {
                throw CommandError(failure.description)
            }
        }
    }
}
