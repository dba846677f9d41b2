import ArgumentParser
import MailFlowKit

extension WhatIfReport.Format: ExpressibleByArgument {}

extension MailFlowCommand {
    struct WhatIf: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whatif",
            abstract: "Replay every stored message on a proposed configuration: what it fixes, what it newly breaks.",
            discussion: """
                Nothing is changed, in the database or in any tenant. Run 'mailflow detect' first. \
                Changes can be combined and are applied in order:

                  mailflow whatif --set 'fabrikam/Inbound from CRM relay:SenderIPAddresses=198.51.100.25'
                  mailflow whatif --present-certificate 'EX01 › Outbound to Fabrikam=mail.fabrikam.com' \\
                                  --set 'fabrikam/Inbound from Contoso EX01:TlsSenderCertificateName=mail.fabrikam.com'
                  mailflow whatif --apply-remediation all       every finding's printed fix at once

                Tenants are named by tenant name, prefix or any accepted domain. Exit status: 0, or 4 when \
                the changes would newly break mail (for scripts that vet a change).
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("set"), help: ArgumentHelp("Set a property of an Inbound connector (TlsSenderCertificateName, SenderIPAddresses, ConnectorType, Enabled, …); lists comma-separated.", valueName: "tenant/connector:Property=Value"))
        var sets: [String] = []

        @Option(name: .customLong("add-connector"), help: ArgumentHelp("Add an Inbound connector (OnPremises unless ConnectorType says).", valueName: "tenant/name:Property=Value;…"))
        var addConnectors: [String] = []

        @Option(name: .customLong("remove-connector"), help: ArgumentHelp("Remove an Inbound connector.", valueName: "tenant/name"))
        var removeConnectors: [String] = []

        @Option(name: .customLong("add-accepted-domain"), help: ArgumentHelp("Add an accepted domain to a tenant.", valueName: "tenant:domain"))
        var addAcceptedDomains: [String] = []

        @Option(name: .customLong("present-certificate"), help: ArgumentHelp("The sending side of a path presents another certificate (PATH@TENANT for one tenant's mail only).", valueName: "path=name[,san…]"))
        var presentCertificates: [String] = []

        @Option(name: .customLong("apply-remediation"), help: ArgumentHelp("Apply the changes of a finding's remediation (its id), or of all findings.", valueName: "finding-id|all"))
        var remediations: [String] = []

        @Option(help: "Output: table (for people) or json (before, after, changed, newlyBroken, changes).")
        var format: WhatIfReport.Format = .table

        func validate() throws {
            if sets.isEmpty, addConnectors.isEmpty, removeConnectors.isEmpty, addAcceptedDomains.isEmpty, presentCertificates.isEmpty, remediations.isEmpty {
                throw ValidationError("say what to change: --set, --add-connector, --remove-connector, --add-accepted-domain, --present-certificate or --apply-remediation")
            }
        }

        func run() throws {
            var changes: [ConfigurationChange] = []
            for (kind, values) in [("set", sets), ("add-connector", addConnectors), ("remove-connector", removeConnectors),
                                   ("add-accepted-domain", addAcceptedDomains), ("present-certificate", presentCertificates)] {
                changes += try values.map { try ConfigurationChange.parse(kind: kind, $0) }
            }
            let store = try Store.open(path: try database.existingPath(), mode: .readOnly)
            let result = try DetectionRun(database: store).whatIf(changes, remediations: remediations)
            print(WhatIfReport.render(result, format: format))
            if result.newlyBroken > 0 { throw ExitCode(DetectOptions.findingsExitCode) }
        }
    }
}
