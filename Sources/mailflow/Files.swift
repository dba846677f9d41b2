import ArgumentParser
import MailFlowKit

extension MailFlowCommand {
    struct Files: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every input in the database: format, tenant or source and how it was assigned, time span, rows, status; and each tenant's missing evidence.",
            discussion: """
                'by data' means the file (or an accepted-domain export beside it) named the tenant; \
                'by flag' that --tenant or --source did; 'by folder' that a folder in its path did. \
                For each tenant, the evidence mailflow has (message trace, trace details, Inbound \
                connectors, accepted domains) and the PowerShell command that exports what is missing.
                """,
            aliases: ["status"]
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try Store.open(path: try database.existingPath(), mode: .readOnly)
            print(FileReport.text(files: try FileInventory.files(in: store), tenants: try FileInventory.tenants(in: store)))
        }
    }
}
