/// An SMTP reply as the peer sent it: `550 5.7.64 TenantAttribution; Relay Access Denied [...]`.
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    /// The RFC 3463 enhanced status code (`5.7.64`), when the reply carries one.
    public var enhancedCode: String?
    public var text: String

    public init(code: Int, enhancedCode: String?, text: String) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.text = text
    }

    public var isSuccess: Bool { code >= 200 && code < 400 }
    public var isPermanentFailure: Bool { code >= 500 }
}

/// Which certificate a protocol-log line describes.
public enum CertificateRole: String, Sendable {
    /// The certificate this server presented (as TLS client on Send logs, as server on Receive logs).
    case sending
    /// The certificate the peer presented.
    case remote
}

/// An X.509 certificate as the protocol log describes it.
public struct CertificateRecord: Sendable, Equatable {
    public var subject: String?
    public var issuer: String?
    public var serialNumber: String?
    public var thumbprint: String?
    public var notBefore: String?
    public var notAfter: String?
    /// Subject alternative names, in the order logged.
    public var alternateNames: [String] = []

    public init(subject: String? = nil, issuer: String? = nil, serialNumber: String? = nil, thumbprint: String? = nil,
                notBefore: String? = nil, notAfter: String? = nil, alternateNames: [String] = []) {
        self.subject = subject
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.thumbprint = thumbprint
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.alternateNames = alternateNames
    }

    /// The `CN=` value of the subject (`mail.contoso.com` in `CN=mail.contoso.com, O=Contoso`).
    public var subjectCommonName: String? {
        guard let subject else { return nil }
        return DistinguishedName.commonName(in: subject)
    }

    /// Every DNS name the certificate answers for: the subject CN and the SANs, lower-cased, unique.
    public var names: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for name in [subjectCommonName].compactMap({ $0 }) + alternateNames {
            let lowered = name.lowercased()
            if !lowered.isEmpty, seen.insert(lowered).inserted { result.append(lowered) }
        }
        return result
    }

    var isEmpty: Bool {
        subject == nil && issuer == nil && thumbprint == nil && serialNumber == nil && alternateNames.isEmpty
    }
}

/// A certificate seen in a session, with the role it played.
public struct PresentedCertificate: Sendable, Equatable {
    public var role: CertificateRole
    public var certificate: CertificateRecord
    public var line: Int
    public var offset: Int64
}

/// One `RCPT TO` in an SMTP transaction, with the reply the server gave.
public struct SMTPRecipient: Sendable, Equatable {
    public var address: String
    public var reply: SMTPReply?
    public var line: Int
    public var offset: Int64
}

/// One mail transaction (`MAIL FROM` … `DATA`) in a session.
public struct SMTPTransaction: Sendable, Equatable {
    public var mailFrom: String
    /// The organisation hint hybrid Exchange appends to `MAIL FROM` (`XOORG=contoso.com`).
    public var xoorg: String?
    public var mailFromReply: SMTPReply?
    public var recipients: [SMTPRecipient] = []
    /// The final reply to `DATA`/`BDAT` (`250 2.6.0 <id> Queued mail for delivery`, or a rejection).
    public var dataReply: SMTPReply?
    /// The Internet Message-ID of the message sent, when the log names it.
    public var messageId: String?
    public var timeMs: Int64
    public var line: Int
    public var offset: Int64
}

/// One SMTP session from an Exchange Server protocol log.
public struct SMTPSession: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case send
        case receive
    }

    public var direction: Direction
    public var connector: String
    public var sessionId: String
    public var localEndpoint: String?
    public var remoteEndpoint: String?
    public var startMs: Int64
    public var endMs: Int64
    public var startText: String
    public var line: Int
    public var offset: Int64
    /// The name the client gave in `EHLO`/`HELO`.
    public var helo: String?
    /// The server's greeting line (`220 ...`).
    public var banner: String?
    /// `SP_PROT_TLS1_2_CLIENT` and the like, from the TLS negotiation line.
    public var tlsProtocol: String?
    /// `TlsDomainCapabilities='…'; Status='…'[; Domain='…']`, when logged.
    public var tlsStatus: String?
    public var certificates: [PresentedCertificate] = []
    public var transactions: [SMTPTransaction] = []
    /// Why the session ended (`Local`, `Remote(SocketError)`), or a connect failure.
    public var endReason: String?
    /// True when the log ended before the session's disconnect line.
    public var isIncomplete = false

    public init(direction: Direction, connector: String, sessionId: String, startMs: Int64, startText: String, line: Int, offset: Int64) {
        self.direction = direction
        self.connector = connector
        self.sessionId = sessionId
        self.startMs = startMs
        self.endMs = startMs
        self.startText = startText
        self.line = line
        self.offset = offset
    }

    /// The IP part of the remote endpoint (`52.101.1.2` of `52.101.1.2:25`, brackets removed).
    public var remoteIP: String? { remoteEndpoint.map(Endpoint.host(of:)) }
    public var localIP: String? { localEndpoint.map(Endpoint.host(of:)) }
}

/// `ip:port` handling for protocol-log endpoints, IPv4 and IPv6.
public enum Endpoint {
    /// The address part: `52.101.1.2` of `52.101.1.2:25`, `2001:db8::1` of `[2001:db8::1]:25`.
    ///
    /// An unbracketed IPv6 address is kept whole, since a port cannot be told from its last group.
    public static func host(of endpoint: String) -> String {
        if endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") {
            return String(endpoint[endpoint.index(after: endpoint.startIndex)..<close])
        }
        if endpoint.utf8.count(where: { $0 == UInt8(ascii: ":") }) == 1, let colon = endpoint.lastIndex(of: ":") {
            return String(endpoint[..<colon])
        }
        return endpoint
    }
}
