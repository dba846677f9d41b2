/// One configuration export (`Get-InboundConnector | ConvertTo-Json`, `Get-SendConnector |
/// Export-Clixml`, …), normalised: what attribution needs to know about a tenant or a server.
///
/// Snapshots are dated and never overwritten: a later export of the same tenant adds a snapshot,
/// so a finding can say what the configuration was when mail broke.
public struct ConfigurationSnapshot: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case acceptedDomains = "accepted-domains"
        case inboundConnectors = "inbound-connectors"
        case outboundConnectors = "outbound-connectors"
        case sendConnectors = "send-connectors"
        case receiveConnectors = "receive-connectors"
        case certificates = "certificates"
    }

    /// Which side the export describes.
    public enum Side: String, Sendable {
        /// An Exchange Online tenant (accepted domains, inbound/outbound connectors).
        case exchangeOnline = "exchange-online"
        /// An Exchange Server organisation (send/receive connectors, certificates, accepted domains).
        case exchangeServer = "exchange-server"
    }

    public var kind: Kind
    public var side: Side
    /// When the configuration was in force: the newest `WhenChanged` in the export, else the file's mtime.
    public var takenAtMs: Int64?
    /// The tenant the data names (an accepted domain flagged `InitialDomain`), when it does.
    public var tenantName: String?
    public var line: Int = 1
    public var offset: Int64 = 0

    public var acceptedDomains: [AcceptedDomain] = []
    public var inboundConnectors: [InboundConnector] = []
    public var outboundConnectors: [OutboundConnector] = []
    public var sendConnectors: [SendConnector] = []
    public var receiveConnectors: [ReceiveConnector] = []
    public var certificates: [ExchangeCertificate] = []

    public init(kind: Kind, side: Side) {
        self.kind = kind
        self.side = side
    }
}

/// `Get-AcceptedDomain`.
public struct AcceptedDomain: Sendable, Equatable {
    /// Lower-cased; may be a wildcard on Exchange Server (`*.contoso.local`).
    public var domainName: String
    /// `Authoritative`, `InternalRelay` or `ExternalRelay`.
    public var domainType: String?
    public var isDefault = false
    public var isInitial = false
    public var matchSubDomains = false

    public init(domainName: String, domainType: String? = nil, isDefault: Bool = false, isInitial: Bool = false, matchSubDomains: Bool = false) {
        self.domainName = domainName.lowercased()
        self.domainType = domainType
        self.isDefault = isDefault
        self.isInitial = isInitial
        self.matchSubDomains = matchSubDomains
    }
}

/// `Get-InboundConnector` (Exchange Online).
public struct InboundConnector: Sendable, Equatable {
    public var name: String
    public var enabled = true
    /// `OnPremises` or `Partner` (normalised from PowerShell 5.1 integers where known).
    public var connectorType: String
    /// IPv4 addresses or CIDR ranges, as given.
    public var senderIPAddresses: [String] = []
    /// Domains with the `smtp:` prefix and `;1` cost removed (`*` for all).
    public var senderDomains: [String] = []
    /// The certificate name the connector accepts (`mail.contoso.com`, `*.contoso.com`), lower-cased.
    public var tlsSenderCertificateName: String?
    public var restrictDomainsToCertificate = false
    public var restrictDomainsToIPAddresses = false
    public var requireTls = false
    public var cloudServicesMailEnabled = false
    public var associatedAcceptedDomains: [String] = []
    public var connectorSource: String?
    public var comment: String?
    public var whenCreatedMs: Int64?
    public var whenChangedMs: Int64?

    public init(name: String, connectorType: String) {
        self.name = name
        self.connectorType = connectorType
    }

    public var isOnPremises: Bool { connectorType.caseInsensitiveEquals("OnPremises") }
}

/// `Get-OutboundConnector` (Exchange Online).
public struct OutboundConnector: Sendable, Equatable {
    public var name: String
    public var enabled = true
    public var connectorType: String?
    public var smartHosts: [String] = []
    public var recipientDomains: [String] = []
    public var tlsDomain: String?
    public var tlsSettings: String?
    public var useMXRecord = false
    public var routeAllMessagesViaOnPremises = false
    public var whenChangedMs: Int64?

    public init(name: String) {
        self.name = name
    }
}

/// `Get-SendConnector` (Exchange Server): how an on-premises server sends, e.g. to Exchange Online.
public struct SendConnector: Sendable, Equatable {
    public var name: String
    public var enabled = true
    /// `*`, `contoso.com` … (type prefix and cost removed).
    public var addressSpaces: [String] = []
    /// Lower-cased smart hosts (`fabrikam-com.mail.protection.outlook.com`).
    public var smartHosts: [String] = []
    /// The raw `<I>issuer<S>subject` value.
    public var tlsCertificateName: String?
    public var fqdn: String?
    public var cloudServicesMailEnabled = false
    public var requireTLS = false
    public var tlsAuthLevel: String?
    public var tlsDomain: String?
    public var sourceTransportServers: [String] = []
    public var whenChangedMs: Int64?

    public init(name: String) {
        self.name = name
    }

    /// The issuer and subject of ``tlsCertificateName`` (`<I>CN=R3, O=Let's Encrypt<S>CN=mail.contoso.com`).
    public var tlsCertificate: (issuer: String?, subject: String?) {
        guard let value = tlsCertificateName else { return (nil, nil) }
        guard let subjectMarker = value.range(ofLiteral: "<S>") else { return (nil, value) }
        let issuerPart = value[..<subjectMarker.lowerBound]
        let issuer = issuerPart.hasPrefix("<I>") ? String(issuerPart.dropFirst(3)) : String(issuerPart)
        return (issuer.isEmpty ? nil : issuer, String(value[subjectMarker.upperBound...]))
    }

    /// The subject CN of the certificate the connector presents, lower-cased.
    public var tlsCertificateCommonName: String? {
        tlsCertificate.subject.flatMap(DistinguishedName.commonName(in:))?.lowercased()
    }
}

/// `Get-ReceiveConnector` (Exchange Server).
public struct ReceiveConnector: Sendable, Equatable {
    public var name: String
    public var enabled = true
    public var bindings: [String] = []
    public var remoteIPRanges: [String] = []
    public var authMechanism: String?
    public var permissionGroups: String?
    public var tlsCertificateName: String?
    public var fqdn: String?
    public var transportRole: String?

    public init(name: String) {
        self.name = name
    }
}

/// `Get-ExchangeCertificate` (Exchange Server).
public struct ExchangeCertificate: Sendable, Equatable {
    public var thumbprint: String
    public var subject: String?
    public var issuer: String?
    /// `CertificateDomains`, lower-cased.
    public var domains: [String] = []
    public var notBefore: String?
    public var notAfter: String?
    public var services: String?
    /// Where the export showed it (filled when read back from the store).
    public var evidence: Evidence?

    public init(thumbprint: String) {
        self.thumbprint = thumbprint
    }
}

extension StringProtocol {
    /// The first range of a literal substring (no Foundation needed).
    func range(ofLiteral needle: String) -> Range<Index>? {
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<(self.index(index, offsetBy: needle.count))
            }
            index = self.index(after: index)
        }
        return nil
    }
}
