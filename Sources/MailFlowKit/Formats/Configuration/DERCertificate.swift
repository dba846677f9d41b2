import Crypto
import Foundation
import SwiftASN1
import X509

/// An X.509 certificate decoded from its DER bytes: what an `Export-Clixml` of
/// `Get-ExchangeCertificate` from the Exchange Management Shell carries (`RawData` alone, no
/// `Thumbprint` or `Subject` property).
struct DERCertificate {
    var thumbprint: String
    var subject: String
    var issuer: String
    var serialNumber: String
    var dnsNames: [String]
    var notBeforeMs: Int64
    var notAfterMs: Int64

    /// Decodes `der`, or returns `nil` when the bytes are not a certificate.
    init?(der: [UInt8]) {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        thumbprint = Insecure.SHA1.hash(data: der).map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
        subject = Self.windowsOrder(certificate.subject)
        issuer = Self.windowsOrder(certificate.issuer)
        serialNumber = certificate.serialNumber.bytes.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
        var names: [String] = []
        if let alternativeNames = try? certificate.extensions.subjectAlternativeNames {
            for name in alternativeNames {
                if case .dnsName(let dns) = name { names.append(dns.lowercased()) }
            }
        }
        dnsNames = names
        notBeforeMs = Int64((certificate.notValidBefore.timeIntervalSince1970 * 1000).rounded())
        notAfterMs = Int64((certificate.notValidAfter.timeIntervalSince1970 * 1000).rounded())
    }

    /// `init(base64:)` for the text of a CliXml `<BA>` element (white space allowed).
    init?(base64 text: String) {
        guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else { return nil }
        self.init(der: Array(data))
    }

    /// A distinguished name the way Windows prints it (`CN=mail.contoso.com, O=Contoso Ltd, C=GB`):
    /// most specific first, which is the reverse of the DER order swift-certificates prints.
    static func windowsOrder(_ name: X509.DistinguishedName) -> String {
        name.reversed().map { (rdn: RelativeDistinguishedName) in rdn.map { $0.description }.joined(separator: "+") }.joined(separator: ", ")
    }

    var record: ExchangeCertificate {
        var certificate = ExchangeCertificate(thumbprint: thumbprint)
        certificate.subject = subject
        certificate.issuer = issuer
        certificate.domains = dnsNames
        certificate.notBefore = Timestamp.iso8601(notBeforeMs)
        certificate.notAfter = Timestamp.iso8601(notAfterMs)
        return certificate
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
