/// One change to a tenant's configuration, or to what a sending path presents, that `whatif`
/// replays every message against.
///
/// The textual forms are the command line's (`--set 'TENANT/CONNECTOR:Property=Value'` …), and
/// remediations carry their changes in the same form, so a printed fix and its simulation are
/// one and the same.
public enum ConfigurationChange: Sendable, Equatable, CustomStringConvertible {
    /// `TENANT/CONNECTOR:Property=Value` — a property of an existing Inbound connector.
    case set(tenant: String, connector: String, property: ConnectorProperty, value: String)
    /// `TENANT/NAME:Property=Value;…` — a new Inbound connector (OnPremises unless said).
    case addConnector(tenant: String, name: String, properties: [(ConnectorProperty, String)])
    case removeConnector(tenant: String, name: String)
    case addAcceptedDomain(tenant: String, domain: String)
    /// `PATH[@OWNER]=NAME[,SAN…]` — the sending side of a path presents another certificate (for
    /// the mail of one owner only, when a platform gives each customer its own).
    case presentCertificate(path: String, owner: String?, names: [String])

    /// The Inbound connector properties a change can set.
    public enum ConnectorProperty: String, Sendable, CaseIterable {
        case tlsSenderCertificateName = "TlsSenderCertificateName"
        case senderIPAddresses = "SenderIPAddresses"
        case connectorType = "ConnectorType"
        case enabled = "Enabled"
        case restrictDomainsToCertificate = "RestrictDomainsToCertificate"
        case restrictDomainsToIPAddresses = "RestrictDomainsToIPAddresses"
        case senderDomains = "SenderDomains"

        init?(named name: String) {
            guard let property = Self.allCases.first(where: { $0.rawValue.caseInsensitiveEquals(name.trimmingCharacters(in: " ")) }) else { return nil }
            self = property
        }
    }

    public static func == (lhs: ConfigurationChange, rhs: ConfigurationChange) -> Bool { lhs.description == rhs.description }

    public var description: String {
        switch self {
        case let .set(tenant, connector, property, value):
            return "set \(property.rawValue) of \(tenant)/\(connector) to \(value.isEmpty ? "nothing" : value)"
        case let .addConnector(tenant, name, properties):
            return "add the Inbound connector \(tenant)/\(name) (\(properties.map { "\($0.0.rawValue)=\($0.1)" }.joined(separator: "; ")))"
        case let .removeConnector(tenant, name):
            return "remove the Inbound connector \(tenant)/\(name)"
        case let .addAcceptedDomain(tenant, domain):
            return "add \(domain) to the accepted domains of \(tenant)"
        case let .presentCertificate(path, owner, names):
            return "\(path) presents a certificate for \(names.joined(separator: ", "))" + (owner.map { " for \($0)'s mail" } ?? "")
        }
    }

    /// The PowerShell that makes the change, every value from the logs single-quoted.
    public var powerShell: String {
        func quoted(_ value: String) -> String { PowerShellLiteral.quoted(value) }
        func argument(_ property: ConnectorProperty, _ value: String) -> String {
            switch property {
            case .enabled, .restrictDomainsToCertificate, .restrictDomainsToIPAddresses:
                return "-\(property.rawValue) $\(value.lowercased() == "true" ? "true" : "false")"
            case .senderIPAddresses, .senderDomains:
                let items = value.split(separator: ",").map { quoted(String($0).trimmingCharacters(in: " ")) }
                return "-\(property.rawValue) " + (items.isEmpty ? "$null" : items.joined(separator: ","))
            case .tlsSenderCertificateName:
                return "-\(property.rawValue) " + (value.isEmpty ? "$null" : quoted(value))
            case .connectorType:
                return "-\(property.rawValue) " + quoted(value)
            }
        }
        switch self {
        case let .set(tenant, connector, property, value):
            return "Set-InboundConnector -Identity \(quoted(connector)) \(argument(property, value))   " + PowerShellLiteral.comment("in \(tenant)")
        case let .addConnector(tenant, name, properties):
            let type = properties.first { $0.0 == .connectorType }?.1 ?? "OnPremises"
            return "New-InboundConnector -Name \(quoted(name)) -ConnectorType \(quoted(type)) "
                + properties.filter { $0.0 != .connectorType }.map { argument($0.0, $0.1) }.joined(separator: " ") + "   " + PowerShellLiteral.comment("in \(tenant)")
        case let .removeConnector(tenant, name):
            return "Remove-InboundConnector -Identity \(quoted(name))   " + PowerShellLiteral.comment("in \(tenant)")
        case let .addAcceptedDomain(tenant, domain):
            return "New-AcceptedDomain -Name \(quoted(domain)) -DomainName \(quoted(domain)) -DomainType InternalRelay   " + PowerShellLiteral.comment("in \(tenant)")
        case let .presentCertificate(path, _, names):
            return "New-ExchangeCertificate -SubjectName \(quoted("CN=" + (names.first ?? ""))) -DomainName \(names.map(quoted).joined(separator: ",")) -PrivateKeyExportable $true   " + PowerShellLiteral.comment("on \(path)")
        }
    }

    /// The command-line form, as `--apply-remediation` and the findings' `remediation.changes` carry it.
    public var argument: String {
        switch self {
        case let .set(tenant, connector, property, value): return "set \(tenant)/\(connector):\(property.rawValue)=\(value)"
        case let .addConnector(tenant, name, properties):
            return "add-connector \(tenant)/\(name):" + properties.map { "\($0.0.rawValue)=\($0.1)" }.joined(separator: ";")
        case let .removeConnector(tenant, name): return "remove-connector \(tenant)/\(name)"
        case let .addAcceptedDomain(tenant, domain): return "add-accepted-domain \(tenant):\(domain)"
        case let .presentCertificate(path, owner, names): return "present-certificate \(path)\(owner.map { "@" + $0 } ?? "")=\(names.joined(separator: ","))"
        }
    }
}

/// A change that could not be read, said as a sentence with the form expected.
public struct ConfigurationChangeError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension ConfigurationChange {
    /// Reads one change in its command-line form: `kind` is the option without dashes (`set`,
    /// `add-connector`, `remove-connector`, `add-accepted-domain`, `present-certificate`).
    public static func parse(kind: String, _ text: String) throws(ConfigurationChangeError) -> ConfigurationChange {
        func split(_ text: Substring, at separator: Character, _ expected: String) throws(ConfigurationChangeError) -> (Substring, Substring) {
            guard let index = text.firstIndex(of: separator) else {
                throw ConfigurationChangeError(description: "--\(kind) '\(text)' is not of the form \(expected)")
            }
            return (text[..<index], text[text.index(after: index)...])
        }
        let text = Substring(text.trimmingCharacters(in: " "))
        switch kind {
        case "set":
            let form = "'TENANT/CONNECTOR:Property=Value'"
            let (target, assignment) = try split(text, at: ":", form)
            let (tenant, connector) = try split(target, at: "/", form)
            let (name, value) = try split(assignment, at: "=", form)
            guard let property = ConnectorProperty(named: String(name)) else {
                throw ConfigurationChangeError(description: "--set: '\(name)' is not a connector property mailflow simulates (\(ConnectorProperty.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .set(tenant: String(tenant), connector: String(connector), property: property, value: Self.normalised(String(value)))
        case "add-connector":
            let form = "'TENANT/NAME:Property=Value;…'"
            let (target, assignments) = try split(text, at: ":", form)
            let (tenant, name) = try split(target, at: "/", form)
            var properties: [(ConnectorProperty, String)] = []
            for assignment in assignments.split(separator: ";") {
                let (key, value) = try split(assignment, at: "=", form)
                guard let property = ConnectorProperty(named: String(key)) else {
                    throw ConfigurationChangeError(description: "--add-connector: '\(key)' is not a connector property mailflow simulates")
                }
                properties.append((property, Self.normalised(String(value))))
            }
            return .addConnector(tenant: String(tenant), name: String(name), properties: properties)
        case "remove-connector":
            let (tenant, name) = try split(text, at: "/", "TENANT/NAME")
            return .removeConnector(tenant: String(tenant), name: String(name))
        case "add-accepted-domain":
            let (tenant, domain) = try split(text, at: ":", "TENANT:DOMAIN")
            return .addAcceptedDomain(tenant: String(tenant), domain: domain.lowercased())
        case "present-certificate":
            let (target, names) = try split(text, at: "=", "'PATH=NAME[,SAN…]' or 'PATH@OWNER=NAME'")
            let parts = target.split(separator: "@", maxSplits: 1)
            let list = names.split(separator: ",").map { $0.trimmingCharacters(in: " ").lowercased() }.filter { !$0.isEmpty }
            guard !list.isEmpty else { throw ConfigurationChangeError(description: "--present-certificate '\(text)' names no certificate") }
            return .presentCertificate(path: String(parts[0]).trimmingCharacters(in: " "), owner: parts.count > 1 ? String(parts[1]) : nil, names: list)
        default:
            throw ConfigurationChangeError(description: "'\(kind)' is not a kind of change (set, add-connector, remove-connector, add-accepted-domain, present-certificate)")
        }
    }

    /// Reads the form findings carry: the kind, a space, the change.
    public static func parse(argument: String) throws(ConfigurationChangeError) -> ConfigurationChange {
        guard let space = argument.firstIndex(of: " ") else { throw ConfigurationChangeError(description: "'\(argument)' is not a change") }
        return try parse(kind: String(argument[..<space]), String(argument[argument.index(after: space)...]))
    }

    /// `$null` and an empty value both clear a property.
    private static func normalised(_ value: String) -> String {
        let value = value.trimmingCharacters(in: " ")
        return value.caseInsensitiveEquals("$null") ? "" : value
    }
}
