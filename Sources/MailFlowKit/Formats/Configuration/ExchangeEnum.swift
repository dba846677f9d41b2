/// The Exchange enums that configuration exports may write as integers, with their names.
///
/// Windows PowerShell 5.1's `ConvertTo-Json` writes an enum property of a live (not deserialised)
/// object as its integer value; PowerShell 7 does the same unless `-EnumsAsStrings` is given.
/// Objects that came over remote PowerShell, and every CliXml export, carry the name instead.
///
/// The integer values below are **assumptions**: they are the values declared by the enums of
/// Exchange's own assemblies (`Microsoft.Exchange.Data.TenantConnectorType` declares
/// `OnPremises = 1, Partner` — so `1` is OnPremises and `2` is Partner), cross-checked where a
/// CliXml export shows both name and number (`AcceptedDomainType` `Authoritative` 0 and
/// `InternalRelay` 2, `TlsAuthLevel` `CertificateValidation` 2, receive `AuthMechanism`
/// `Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer` 31). None has been checked
/// against a real PowerShell 5.1 JSON export of a connector, so a reader that maps one says so
/// in its notes.
struct ExchangeEnum: Sendable {
    /// The property it is read from, for notes (`ConnectorType`).
    let property: String
    /// The .NET enum (`TenantConnectorType`).
    let typeName: String
    let names: [(value: Int64, name: String)]
    /// A `[Flags]` enum: an integer is a sum of values, named as PowerShell does (`Tls, BasicAuth`).
    let isFlags: Bool

    /// `ConnectorType` of inbound and outbound connectors: 1 = OnPremises, 2 = Partner (assumed).
    static let connectorType = ExchangeEnum(property: "ConnectorType", typeName: "TenantConnectorType",
                                            names: [(1, "OnPremises"), (2, "Partner")], isFlags: false)
    /// `ConnectorSource`: 0 = Default, 1 = Migrated, 2 = HybridWizard.
    static let connectorSource = ExchangeEnum(property: "ConnectorSource", typeName: "TenantConnectorSource",
                                              names: [(0, "Default"), (1, "Migrated"), (2, "HybridWizard")], isFlags: false)
    /// `DomainType` of accepted domains: 0 = Authoritative, 1 = ExternalRelay, 2 = InternalRelay.
    static let acceptedDomainType = ExchangeEnum(property: "DomainType", typeName: "AcceptedDomainType",
                                                 names: [(0, "Authoritative"), (1, "ExternalRelay"), (2, "InternalRelay")], isFlags: false)
    /// `TlsAuthLevel` (send connectors) and `TlsSettings` (outbound connectors): 1, 2, 4.
    static let tlsAuthLevel = ExchangeEnum(property: "TlsAuthLevel", typeName: "TlsAuthLevel",
                                           names: [(1, "EncryptionOnly"), (2, "CertificateValidation"), (4, "DomainValidation")], isFlags: false)
    /// Receive connector `AuthMechanism` flags.
    static let receiveAuthMechanism = ExchangeEnum(
        property: "AuthMechanism", typeName: "AuthMechanisms",
        names: [(0, "None"), (1, "Tls"), (2, "Integrated"), (4, "BasicAuth"), (8, "BasicAuthRequireTLS"), (16, "ExchangeServer"), (32, "ExternalAuthoritative")],
        isFlags: true)
    /// Receive connector `PermissionGroups` flags.
    static let permissionGroups = ExchangeEnum(
        property: "PermissionGroups", typeName: "PermissionGroups",
        names: [(0, "None"), (1, "AnonymousUsers"), (2, "ExchangeUsers"), (4, "ExchangeServers"), (8, "ExchangeLegacyServers"), (16, "Partners"), (32, "Custom")],
        isFlags: true)
    /// Certificate `Services` flags (`AllowedServices`).
    static let allowedServices = ExchangeEnum(
        property: "Services", typeName: "AllowedServices",
        names: [(0, "None"), (1, "IMAP"), (2, "POP"), (4, "UM"), (8, "IIS"), (16, "SMTP"), (32, "Federation"), (64, "UMCallRouter")],
        isFlags: true)

    /// The name of `value` (flags joined as PowerShell shows them); an unknown number stays digits.
    func name(of value: Int64) -> String {
        if let exact = names.first(where: { $0.value == value }) { return exact.name }
        guard isFlags, value > 0 else { return String(value) }
        var remaining = value
        var parts: [String] = []
        for (flag, name) in names where flag != 0 && remaining & flag == flag {
            parts.append(name)
            remaining &= ~flag
        }
        return remaining == 0 ? parts.joined(separator: ", ") : String(value)
    }

    /// `ConnectorType (TenantConnectorType) 1 = OnPremises, 2 = Partner`, for notes.
    var mappingText: String {
        "\(property) (\(typeName)) " + names.map { "\($0.value) = \($0.name)" }.joined(separator: ", ")
    }

    /// The sentence a reader adds to its notes after naming integers of `enums`.
    static func assumptionNote(for enums: [ExchangeEnum]) -> String {
        let properties = enums.map(\.property).joined(separator: ", ")
        let verb = enums.count == 1 ? "was written as a number" : "were written as numbers"
        return "\(properties) \(verb) (ConvertTo-Json without -EnumsAsStrings) and read as Exchange declares the enum: "
            + enums.map(\.mappingText).joined(separator: "; ")
            + " (not verified against a real export; to be sure, export with PowerShell 7 and -EnumsAsStrings, or with Export-Clixml)"
    }
}
