/// Turns the objects of one configuration export into ``ConfigurationSnapshot``s: recognises what
/// each object is from its properties and normalises the values attribution compares.
///
/// What an object is comes from the properties only the cmdlet's output has (CliXml type names
/// are consulted first when present):
///
/// | kind | properties |
/// |---|---|
/// | certificate | `Thumbprint` + `CertificateDomains` |
/// | accepted domain | `DomainName` + `DomainType` |
/// | outbound connector | `SmartHosts` + `UseMXRecord` or `RecipientDomains` |
/// | send connector | `AddressSpaces` |
/// | receive connector | `Bindings` or `RemoteIPRanges` |
/// | inbound connector | `SenderIPAddresses`, `TlsSenderCertificateName`, or `ConnectorType` + `SenderDomains` |
///
/// Normalisation: `SenderDomains`/`AddressSpaces` lose their type prefix and cost (`smtp:*;1` →
/// `*`, `SMTP:contoso.com;1` → `contoso.com`) and are lower-cased, as are smart hosts, domains and
/// `TlsSenderCertificateName`; IP ranges and bindings are kept as given (trimmed);
/// `TlsCertificateName` keeps its raw `<I>issuer<S>subject` form; enums written as integers are
/// named through ``ExchangeEnum`` (and the assumption noted).
struct ConfigurationSnapshotBuilder {
    /// The file's modification time, the snapshot time when no object says when it changed.
    let fileModifiedMs: Int64?
    /// Enums whose integers were named, in the order first met.
    private var namedIntegerEnums: [ExchangeEnum] = []
    /// Objects that are none of the kinds above.
    private(set) var unrecognisedCount = 0
    /// Objects of a known kind that lack the property that names them.
    private(set) var unnamedCount = 0

    init(fileModifiedMs: Int64?) {
        self.fileModifiedMs = fileModifiedMs
    }

    /// What the reader should tell the user: which enums written as integers were named, and how.
    var notes: [String] {
        namedIntegerEnums.isEmpty ? [] : [ExchangeEnum.assumptionNote(for: namedIntegerEnums)]
    }

    /// Properties that exist only in Exchange Online's `Get-AcceptedDomain` output.
    static let exchangeOnlineDomainProperties = ["SmtpDaneStatus", "SendingFromDomainDisabled", "MailFlowRegion", "AzureProvisioningRegion"]
    private static let domainKeys = ["Address", "Domain", "SmtpDomain", "HostnameString", "Name"]

    /// One snapshot per kind of object found, in the order the kinds first appear.
    mutating func build(_ values: [ExportedValue]) -> [ConfigurationSnapshot] {
        var objects: [ExportedObject] = []
        flatten(values, into: &objects)
        var order: [ConfigurationSnapshot.Kind] = []
        var groups: [ConfigurationSnapshot.Kind: [ExportedObject]] = [:]
        for object in objects {
            guard let kind = Self.kind(of: object) else {
                unrecognisedCount += 1
                continue
            }
            if groups[kind] == nil { order.append(kind) }
            groups[kind, default: []].append(object)
        }
        return order.map { snapshot(of: $0, from: groups[$0] ?? []) }
    }

    private mutating func flatten(_ values: [ExportedValue], into objects: inout [ExportedObject]) {
        for value in values {
            switch value {
            case .list(let elements):
                flatten(elements, into: &objects)
            case .object(let object):
                if let elements = object.wrappedList {
                    flatten(elements, into: &objects)
                } else {
                    objects.append(object)
                }
            case .null:
                continue
            default:
                unrecognisedCount += 1
            }
        }
    }

    /// What an exported object is, or `nil` when it is none of the supported kinds.
    static func kind(of object: ExportedObject) -> ConfigurationSnapshot.Kind? {
        if !object.typeNames.isEmpty {
            if object.isType(endingWith: "ExchangeCertificate") { return .certificates }
            if object.isType(endingWith: "AcceptedDomain") { return .acceptedDomains }
            if object.isType(endingWith: "TenantOutboundConnector") || object.isType(endingWith: "OutboundConnector") { return .outboundConnectors }
            if object.isType(endingWith: "SmtpSendConnectorConfig") { return .sendConnectors }
            if object.isType(endingWith: "ReceiveConnector") { return .receiveConnectors }
            if object.isType(endingWith: "TenantInboundConnector") || object.isType(endingWith: "InboundConnector") { return .inboundConnectors }
        }
        if object.has("Thumbprint"), object.has("CertificateDomains") { return .certificates }
        if object.has("RawData"), object.isType(endingWith: "X509Certificate2") || object.isType(endingWith: "ExchangeCertificate") || object.has("PSComputerName") {
            return .certificates
        }
        if object.has("DomainName"), object.has("DomainType") { return .acceptedDomains }
        if object.has("SmartHosts"), object.has("UseMXRecord") || object.has("RecipientDomains") { return .outboundConnectors }
        if object.has("AddressSpaces") { return .sendConnectors }
        if object.has("Bindings") || object.has("RemoteIPRanges") { return .receiveConnectors }
        if object.has("SenderIPAddresses") || object.has("TlsSenderCertificateName") || (object.has("ConnectorType") && object.has("SenderDomains")) {
            return .inboundConnectors
        }
        return nil
    }

    private mutating func snapshot(of kind: ConfigurationSnapshot.Kind, from objects: [ExportedObject]) -> ConfigurationSnapshot {
        var snapshot = ConfigurationSnapshot(kind: kind, side: .exchangeServer)
        switch kind {
        case .acceptedDomains:
            snapshot.acceptedDomains = objects.compactMap { acceptedDomain($0) }
            let isExchangeOnline = snapshot.acceptedDomains.contains { $0.isInitial }
                || objects.contains { object in Self.exchangeOnlineDomainProperties.contains { object.has($0) } }
            snapshot.side = isExchangeOnline ? .exchangeOnline : .exchangeServer
            snapshot.tenantName = snapshot.acceptedDomains.first { $0.isInitial }?.domainName
        case .inboundConnectors:
            snapshot.side = .exchangeOnline
            snapshot.inboundConnectors = objects.compactMap { inboundConnector($0) }
        case .outboundConnectors:
            snapshot.side = .exchangeOnline
            snapshot.outboundConnectors = objects.compactMap { outboundConnector($0) }
        case .sendConnectors:
            snapshot.sendConnectors = objects.compactMap { sendConnector($0) }
        case .receiveConnectors:
            snapshot.receiveConnectors = objects.compactMap { receiveConnector($0) }
        case .certificates:
            snapshot.certificates = objects.compactMap { certificate($0) }
        }
        snapshot.takenAtMs = objects.compactMap { Self.whenChanged($0) }.max() ?? fileModifiedMs
        return snapshot
    }

    // MARK: - Kinds

    private mutating func acceptedDomain(_ object: ExportedObject) -> AcceptedDomain? {
        guard let name = object["DomainName"].flatMap(Self.domain) else {
            unnamedCount += 1
            return nil
        }
        return AcceptedDomain(domainName: name, domainType: enumName(object["DomainType"], .acceptedDomainType),
                              isDefault: object.bool("Default") ?? false, isInitial: object.bool("InitialDomain") ?? false,
                              matchSubDomains: object.bool("MatchSubDomains") ?? false)
    }

    private mutating func inboundConnector(_ object: ExportedObject) -> InboundConnector? {
        guard let name = Self.name(of: object) else {
            unnamedCount += 1
            return nil
        }
        // New-InboundConnector's default type is Partner.
        var connector = InboundConnector(name: name, connectorType: enumName(object["ConnectorType"], .connectorType) ?? "Partner")
        connector.enabled = object.bool("Enabled") ?? true
        connector.senderIPAddresses = object.elements("SenderIPAddresses").compactMap(Self.ipRange)
        connector.senderDomains = object.elements("SenderDomains").compactMap(Self.addressSpace)
        connector.tlsSenderCertificateName = object.string("TlsSenderCertificateName", preferring: Self.domainKeys)?.lowercased()
        connector.restrictDomainsToCertificate = object.bool("RestrictDomainsToCertificate") ?? false
        connector.restrictDomainsToIPAddresses = object.bool("RestrictDomainsToIPAddresses") ?? false
        connector.requireTls = object.bool("RequireTls") ?? false
        connector.cloudServicesMailEnabled = object.bool("CloudServicesMailEnabled") ?? false
        connector.associatedAcceptedDomains = object.elements("AssociatedAcceptedDomains").compactMap(Self.domain)
        connector.connectorSource = enumName(object["ConnectorSource"], .connectorSource)
        connector.comment = object.string("Comment")
        connector.whenCreatedMs = object.date("WhenCreatedUTC") ?? object.date("WhenCreated")
        connector.whenChangedMs = Self.whenChanged(object)
        return connector
    }

    private mutating func outboundConnector(_ object: ExportedObject) -> OutboundConnector? {
        guard let name = Self.name(of: object) else {
            unnamedCount += 1
            return nil
        }
        var connector = OutboundConnector(name: name)
        connector.enabled = object.bool("Enabled") ?? true
        connector.connectorType = enumName(object["ConnectorType"], .connectorType)
        connector.smartHosts = Self.smartHosts(of: object)
        connector.recipientDomains = object.elements("RecipientDomains").compactMap(Self.domain)
        connector.tlsDomain = object["TlsDomain"].flatMap(Self.domain)
        connector.tlsSettings = enumName(object["TlsSettings"], .tlsAuthLevel)
        connector.useMXRecord = object.bool("UseMXRecord") ?? false
        connector.routeAllMessagesViaOnPremises = object.bool("RouteAllMessagesViaOnPremises") ?? false
        connector.whenChangedMs = Self.whenChanged(object)
        return connector
    }

    private mutating func sendConnector(_ object: ExportedObject) -> SendConnector? {
        guard let name = Self.name(of: object) else {
            unnamedCount += 1
            return nil
        }
        var connector = SendConnector(name: name)
        connector.enabled = object.bool("Enabled") ?? true
        connector.addressSpaces = object.elements("AddressSpaces").compactMap(Self.addressSpace)
        connector.smartHosts = Self.smartHosts(of: object)
        connector.tlsCertificateName = object["TlsCertificateName"].flatMap(Self.certificateName)
        connector.fqdn = object.string("Fqdn", preferring: Self.domainKeys)
        connector.cloudServicesMailEnabled = object.bool("CloudServicesMailEnabled") ?? false
        connector.requireTLS = object.bool("RequireTLS") ?? false
        connector.tlsAuthLevel = enumName(object["TlsAuthLevel"], .tlsAuthLevel)
        connector.tlsDomain = object["TlsDomain"].flatMap(Self.domain)
        connector.sourceTransportServers = object.elements("SourceTransportServers").compactMap { $0.text(preferring: ["Name"]) }
        connector.whenChangedMs = Self.whenChanged(object)
        return connector
    }

    private mutating func receiveConnector(_ object: ExportedObject) -> ReceiveConnector? {
        guard let name = Self.name(of: object) else {
            unnamedCount += 1
            return nil
        }
        var connector = ReceiveConnector(name: name)
        connector.enabled = object.bool("Enabled") ?? true
        connector.bindings = object.elements("Bindings").compactMap(Self.binding)
        connector.remoteIPRanges = object.elements("RemoteIPRanges").compactMap(Self.ipRange)
        connector.authMechanism = enumName(object["AuthMechanism"], .receiveAuthMechanism)
        connector.permissionGroups = enumName(object["PermissionGroups"], .permissionGroups)
        connector.tlsCertificateName = object["TlsCertificateName"].flatMap(Self.certificateName)
        connector.fqdn = object.string("Fqdn", preferring: Self.domainKeys)
        connector.transportRole = object.string("TransportRole")
        return connector
    }

    private mutating func certificate(_ object: ExportedObject) -> ExchangeCertificate? {
        // The Exchange Management Shell serialises only the DER bytes: decode them.
        if object.string("Thumbprint") == nil, let raw = object.string("RawData") {
            guard let decoded = DERCertificate(base64: raw) else {
                unnamedCount += 1
                return nil
            }
            var certificate = decoded.record
            certificate.services = enumName(object["Services"], .allowedServices)
            return certificate
        }
        guard let thumbprint = object.string("Thumbprint") else {
            unnamedCount += 1
            return nil
        }
        var certificate = ExchangeCertificate(thumbprint: thumbprint.uppercased())
        certificate.subject = object.string("Subject")
        certificate.issuer = object.string("Issuer")
        certificate.domains = object.elements("CertificateDomains").compactMap(Self.domain)
        certificate.notBefore = Self.dateText(object["NotBefore"])
        certificate.notAfter = Self.dateText(object["NotAfter"])
        certificate.services = enumName(object["Services"], .allowedServices)
        return certificate
    }

    // MARK: - Values

    /// The name of an enum value, mapping integers through `type` (and noting that it did).
    private mutating func enumName(_ value: ExportedValue?, _ type: ExchangeEnum) -> String? {
        switch value {
        case .none, .null?:
            return nil
        case .integer(let number)?:
            if !namedIntegerEnums.contains(where: { $0.property == type.property }) { namedIntegerEnums.append(type) }
            return type.name(of: number)
        case .string(let text)?:
            let trimmed = ExportedValue.trimmed(text)
            if let number = Int64(trimmed) { return enumName(.integer(number), type) }
            return trimmed.isEmpty ? nil : trimmed
        case .object(let object)?:
            if let text = object.text { return text }
            return enumName(object.primitive, type)
        case let other?:
            return other.text
        }
    }

    static func whenChanged(_ object: ExportedObject) -> Int64? {
        object.date("WhenChangedUTC") ?? object.date("WhenChanged")
    }

    static func name(of object: ExportedObject) -> String? {
        object.string("Name") ?? object.string("Identity", preferring: ["Name"]) ?? object.text.map(ExportedValue.trimmed).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A domain, lower-cased: a string, or an `SmtpDomainWithSubdomains` (`Address` keeps the `*.`).
    static func domain(_ value: ExportedValue) -> String? {
        if case .object(let object) = value, object.text == nil, object["Address"] == nil,
            let domain = object.string("Domain"), object.bool("IncludeSubDomains") == true, !domain.hasPrefix("*")
        {
            return "*." + domain.lowercased()
        }
        guard let text = value.text(preferring: domainKeys) else { return nil }
        let trimmed = ExportedValue.trimmed(text)
        return trimmed.isEmpty ? nil : trimmed.lowercased()
    }

    /// An address space or sender domain without type prefix and cost: `smtp:*;1` → `*`,
    /// `SMTP:contoso.com;1` → `contoso.com`, `contoso.com;1` → `contoso.com`.
    static func addressSpace(_ value: ExportedValue) -> String? {
        guard let raw = value.text(preferring: ["AddressSpace", "Address", "Domain"]) else { return nil }
        var text = Substring(ExportedValue.trimmed(raw))
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber }), colon != text.startIndex {
            text = text[text.index(after: colon)...]
        }
        if let semicolon = text.lastIndex(of: ";"), text[text.index(after: semicolon)...].allSatisfy(\.isNumber) {
            text = text[..<semicolon]
        }
        let result = ExportedValue.trimmed(String(text)).lowercased()
        return result.isEmpty ? nil : result
    }

    /// Smart hosts, lower-cased, from `SmartHosts` (or `SmartHostsString` when the list is absent).
    static func smartHosts(of object: ExportedObject) -> [String] {
        let hosts = object.elements("SmartHosts").compactMap(smartHost)
        if !hosts.isEmpty || object.has("SmartHosts") { return hosts }
        guard let text = object.string("SmartHostsString") else { return [] }
        return text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { ExportedValue.trimmed(String($0)).lowercased() }.filter { !$0.isEmpty }
    }

    /// One smart host: a string, a CliXml `SmartHost` (its `ToString`), or a JSON `SmartHost`
    /// object (`Domain` unless `IsIPAddress`, then `Address`).
    static func smartHost(_ value: ExportedValue) -> String? {
        var text: String?
        if case .object(let object) = value, object.text == nil {
            if object.bool("IsIPAddress") == true {
                text = object.string("Address", preferring: ["IPAddressToString", "Address"])
            } else {
                text = object.string("Domain", preferring: ["HostnameString", "Domain", "Address"])
                    ?? object.string("Address", preferring: ["HostnameString", "IPAddressToString", "Address"])
            }
        } else {
            text = value.text
        }
        guard let text else { return nil }
        let trimmed = ExportedValue.trimmed(text)
        return trimmed.isEmpty ? nil : trimmed.lowercased()
    }

    /// An IP address or range as given (`203.0.113.0/29`, `0.0.0.0-255.255.255.255`).
    static func ipRange(_ value: ExportedValue) -> String? {
        if case .object(let object) = value, object.text == nil {
            if let expression = object.string("Expression", preferring: ["IPAddressToString"]) { return expression }
            if let lower = object.string("LowerBound", preferring: ["IPAddressToString"]) {
                if let length = object.string("CIDRLength"), object.string("RangeFormat")?.lowercased() != "lohi" { return "\(lower)/\(length)" }
                if let upper = object.string("UpperBound", preferring: ["IPAddressToString"]), upper != lower { return "\(lower)-\(upper)" }
                return lower
            }
            return object.string("Address", preferring: ["IPAddressToString"])
        }
        guard let text = value.text else { return nil }
        let trimmed = ExportedValue.trimmed(text)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A receive connector binding, `0.0.0.0:25` or `[::]:25`.
    static func binding(_ value: ExportedValue) -> String? {
        if case .object(let object) = value, object.text == nil {
            guard let address = object.string("Address", preferring: ["IPAddressToString"]) else { return nil }
            guard let port = object.string("Port") else { return address }
            return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        }
        return ipRange(value)
    }

    /// `TlsCertificateName` in its raw `<I>issuer<S>subject` form.
    static func certificateName(_ value: ExportedValue) -> String? {
        if case .object(let object) = value, object.text == nil {
            let issuer = object.string("CertificateIssuer")
            guard let subject = object.string("CertificateSubject") else { return nil }
            return issuer.map { "<I>\($0)<S>\(subject)" } ?? "<S>\(subject)"
        }
        guard let text = value.text else { return nil }
        let trimmed = ExportedValue.trimmed(text)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func dateText(_ value: ExportedValue?) -> String? {
        guard let value else { return nil }
        if let milliseconds = value.epochMilliseconds { return Timestamp.iso8601(milliseconds) }
        return value.text.map(ExportedValue.trimmed).flatMap { $0.isEmpty ? nil : $0 }
    }
}
