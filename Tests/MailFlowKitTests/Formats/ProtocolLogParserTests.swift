import Foundation
import Testing

@testable import MailFlowKit

@Suite("SMTP protocol logs")
struct ProtocolLogParserTests {
    static let sendHeader = "#Software: Microsoft Exchange Server\r\n#Version: 15.2.1544.4\r\n#Log-type: SMTP Send Protocol Log\r\n#Date: 2026-11-24T09:00:00.000Z\r\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"

    /// A hybrid send session to Exchange Online that presents a certificate in the newer one-line
    /// layout and is refused with 5.7.64 for one of two recipients.
    static let rejectedSession = sendHeader + """
        2026-11-24T09:01:00.000Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,0,,52.101.68.10:25,*,,attempting to connect\r
        2026-11-24T09:01:00.010Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,1,10.0.0.5:50123,52.101.68.10:25,+,,\r
        2026-11-24T09:01:00.050Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,2,10.0.0.5:50123,52.101.68.10:25,<,"220 AM0PR01.outlook.office365.com Microsoft ESMTP MAIL Service ready at Tue, 24 Nov 2026 09:01:00 +0000",\r
        2026-11-24T09:01:00.060Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,3,10.0.0.5:50123,52.101.68.10:25,>,EHLO mail.contoso.com,\r
        2026-11-24T09:01:00.070Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,4,10.0.0.5:50123,52.101.68.10:25,<,250-AM0PR01.outlook.office365.com Hello [198.51.100.7],\r
        2026-11-24T09:01:00.071Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,5,10.0.0.5:50123,52.101.68.10:25,<,250 XOORG,\r
        2026-11-24T09:01:00.080Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,6,10.0.0.5:50123,52.101.68.10:25,>,STARTTLS,\r
        2026-11-24T09:01:00.090Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,7,10.0.0.5:50123,52.101.68.10:25,<,220 2.0.0 SMTP server ready,\r
        2026-11-24T09:01:00.100Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,8,10.0.0.5:50123,52.101.68.10:25,*," CN=mail.contoso.com, O=Contoso Ltd, C=GB CN=R11, O=Let's Encrypt, C=US 04A1B2C3D4E5F60718293A4B 9F2E3D4C5B6A79880716253443526170819AABBC 2026-09-01T00:00:00.000Z 2026-11-30T00:00:00.000Z mail.contoso.com;autodiscover.contoso.com",Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\r
        2026-11-24T09:01:00.110Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,9,10.0.0.5:50123,52.101.68.10:25,*,,"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits"\r
        2026-11-24T09:01:00.120Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,10,10.0.0.5:50123,52.101.68.10:25,*,,sending message with RecordId 51539607553 and InternetMessageId <m42@fabrikam.com>\r
        2026-11-24T09:01:00.130Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,11,10.0.0.5:50123,52.101.68.10:25,>,MAIL FROM:<bob@fabrikam.com> SIZE=4096 XOORG=fabrikam.com,\r
        2026-11-24T09:01:00.131Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,12,10.0.0.5:50123,52.101.68.10:25,>,RCPT TO:<partner@external.example>,\r
        2026-11-24T09:01:00.132Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,13,10.0.0.5:50123,52.101.68.10:25,>,RCPT TO:<carol@fabrikam.com>,\r
        2026-11-24T09:01:00.200Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,14,10.0.0.5:50123,52.101.68.10:25,<,250 2.1.0 Sender OK,\r
        2026-11-24T09:01:00.210Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,15,10.0.0.5:50123,52.101.68.10:25,<,550 5.7.64 TenantAttribution; Relay Access Denied [AM0PR01.eop-EUR01.prod.protection.outlook.com],\r
        2026-11-24T09:01:00.220Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,16,10.0.0.5:50123,52.101.68.10:25,<,250 2.1.5 Recipient OK,\r
        2026-11-24T09:01:00.230Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,17,10.0.0.5:50123,52.101.68.10:25,>,BDAT 4096 LAST,\r
        2026-11-24T09:01:00.400Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,18,10.0.0.5:50123,52.101.68.10:25,<,"250 2.6.0 <m42@fabrikam.com> [InternalId=123, Hostname=AM0PR01.prod.outlook.com] 4096 bytes in 0.1 Queued mail for delivery",\r
        2026-11-24T09:01:00.410Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,19,10.0.0.5:50123,52.101.68.10:25,>,QUIT,\r
        2026-11-24T09:01:00.420Z,Outbound to Fabrikam,08DE2A1B3C4D5E6F,20,10.0.0.5:50123,52.101.68.10:25,-,,Local\r

        """

    @Test("a send session keeps the certificate it presented, MAIL FROM with XOORG, and each recipient's own reply")
    func rejectedSessionIsAssembled() throws {
        let batch = try parse(Self.rejectedSession, with: LineRecordParser(ProtocolLogParser()))
        #expect(batch.quarantined.isEmpty)
        let session = try #require(batch.sessions.first)
        #expect(batch.sessions.count == 1)
        #expect(session.direction == .send)
        #expect(session.connector == "Outbound to Fabrikam")
        #expect(session.remoteIP == "52.101.68.10")
        #expect(session.helo == "mail.contoso.com")
        #expect(session.tlsProtocol == "SP_PROT_TLS1_2_CLIENT")
        #expect(session.endReason == "Local")
        let certificate = try #require(session.certificates.first)
        #expect(certificate.role == .sending)
        #expect(certificate.certificate.subject == "CN=mail.contoso.com, O=Contoso Ltd, C=GB")
        #expect(certificate.certificate.issuer == "CN=R11, O=Let's Encrypt, C=US")
        #expect(certificate.certificate.thumbprint == "9F2E3D4C5B6A79880716253443526170819AABBC")
        #expect(certificate.certificate.notAfter == "2026-11-30T00:00:00.000Z")
        #expect(certificate.certificate.names == ["mail.contoso.com", "autodiscover.contoso.com"])
        let transaction = try #require(session.transactions.first)
        #expect(transaction.mailFrom == "bob@fabrikam.com")
        #expect(transaction.xoorg == "fabrikam.com")
        #expect(transaction.messageId == "<m42@fabrikam.com>")
        #expect(transaction.recipients.map(\.address) == ["partner@external.example", "carol@fabrikam.com"])
        #expect(transaction.recipients[0].reply?.code == 550)
        #expect(transaction.recipients[0].reply?.enhancedCode == "5.7.64")
        #expect(transaction.recipients[1].reply?.code == 250)
        #expect(transaction.dataReply?.enhancedCode == "2.6.0")
    }

    @Test("the older one-attribute-per-line certificate layout is assembled into one certificate")
    func olderCertificateLayout() throws {
        let text = Self.sendHeader + """
            2026-11-24T09:01:00.000Z,Outbound to Office 365,08DE000000000001,0,10.0.0.5:50123,52.101.68.10:25,+,,\r
            2026-11-24T09:01:00.100Z,Outbound to Office 365,08DE000000000001,1,10.0.0.5:50123,52.101.68.10:25,*,,Sending certificate\r
            2026-11-24T09:01:00.100Z,Outbound to Office 365,08DE000000000001,2,10.0.0.5:50123,52.101.68.10:25,*,"CN=*.contoso.com, O=Contoso, C=US",Certificate subject\r
            2026-11-24T09:01:00.100Z,Outbound to Office 365,08DE000000000001,3,10.0.0.5:50123,52.101.68.10:25,*,"CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US",Certificate issuer name\r
            2026-11-24T09:01:00.100Z,Outbound to Office 365,08DE000000000001,4,10.0.0.5:50123,52.101.68.10:25,*,0A1B2C3D4E5F,Certificate serial number\r
            2026-11-24T09:01:00.100Z,Outbound to Office 365,08DE000000000001,5,10.0.0.5:50123,52.101.68.10:25,*,352D244A535D94B576232ECC4A4000CFE06BE106,Certificate thumbprint\r
            2026-11-24T09:01:00.100Z,Outbound to Office 365,08DE000000000001,6,10.0.0.5:50123,52.101.68.10:25,*,*.contoso.com;contoso.com,Certificate alternate names\r
            2026-11-24T09:01:00.200Z,Outbound to Office 365,08DE000000000001,7,10.0.0.5:50123,52.101.68.10:25,-,,Local\r

            """
        let batch = try parse(text, with: LineRecordParser(ProtocolLogParser()))
        let certificate = try #require(batch.sessions.first?.certificates.first)
        #expect(certificate.role == .sending)
        #expect(certificate.certificate.subjectCommonName == "*.contoso.com")
        #expect(certificate.certificate.issuer == "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US")
        #expect(certificate.certificate.serialNumber == "0A1B2C3D4E5F")
        #expect(certificate.certificate.thumbprint == "352D244A535D94B576232ECC4A4000CFE06BE106")
        #expect(certificate.certificate.names == ["*.contoso.com", "contoso.com"])
    }

    @Test("receive logs pair the client's commands with our replies")
    func receiveDirection() throws {
        let text = "#Log-type: SMTP Receive Protocol Log\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
            + "2026-11-24T09:00:00Z,EX01\\Default Frontend EX01,08DE000000000002,0,10.0.0.5:25,203.0.113.9:4000,+,,\n"
            + "2026-11-24T09:00:00Z,EX01\\Default Frontend EX01,08DE000000000002,1,10.0.0.5:25,203.0.113.9:4000,<,MAIL FROM:<> SIZE=10,\n"
            + "2026-11-24T09:00:00Z,EX01\\Default Frontend EX01,08DE000000000002,2,10.0.0.5:25,203.0.113.9:4000,>,250 2.1.0 Sender OK,\n"
            + "2026-11-24T09:00:00Z,EX01\\Default Frontend EX01,08DE000000000002,3,10.0.0.5:25,203.0.113.9:4000,<,RCPT TO:<x@elsewhere.example>,\n"
            + "2026-11-24T09:00:00Z,EX01\\Default Frontend EX01,08DE000000000002,4,10.0.0.5:25,203.0.113.9:4000,>,550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain,\n"
            + "2026-11-24T09:00:01Z,EX01\\Default Frontend EX01,08DE000000000002,5,10.0.0.5:25,203.0.113.9:4000,-,,Remote(SocketError)\n"
        let batch = try parse(text, with: LineRecordParser(ProtocolLogParser()))
        let session = try #require(batch.sessions.first)
        #expect(session.direction == .receive)
        #expect(session.transactions.first?.mailFrom == "")
        #expect(session.transactions.first?.recipients.first?.reply?.enhancedCode == "5.7.54")
        #expect(session.endReason == "Remote(SocketError)")
    }

    @Test("a session still open at the end is kept, marked incomplete, and holds back the checkpoint")
    func openSessionAtEnd() throws {
        let text = Self.sendHeader + "2026-11-24T09:01:00.000Z,Outbound,08DE000000000003,0,10.0.0.5:1,52.101.68.10:25,+,,\r\n"
        let parser = LineRecordParser(ProtocolLogParser())
        var batch = RecordBatch()
        try Array(text.utf8).withUnsafeBytes { try parser.consume($0, into: &batch) }
        #expect(parser.checkpoint.offset == Int64(Self.sendHeader.utf8.count))
        try parser.finish(into: &batch)
        #expect(batch.sessions.first?.isIncomplete == true)
        #expect(parser.checkpoint.offset == Int64(Self.sendHeader.utf8.count))
    }

    @Test("corpus protocol-log files, including the JSON-wrapped lines, read without quarantine",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"),
          arguments: ["elastic-integrations/microsoft_exchange_server__sample_logs__SmtpRecive.log",
                      "elastic-integrations/microsoft_exchange_server__sample_logs__smtp_SmtpSend.log",
                      "elastic-integrations/microsoft_exchange_server__smtp__test-smtp.json"])
    func corpus(file: String) throws {
        let path = Corpus.path(file)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let sample = bytes.withUnsafeBytes { SniffSample(path: path, head: $0) }
        let format = try #require(FormatRegistry.standard.detect(sample))
        let batch = try parse(bytes, with: format.parser(for: sample))
        #expect(batch.quarantined.isEmpty)
        #expect(!batch.sessions.isEmpty)
        if file.hasSuffix(".json") {
            #expect(format.id == "elastic-protocol-log-json")
            #expect(Set(batch.sessions.map(\.direction)) == [.send, .receive])
            #expect(batch.sessions.contains { $0.banner?.hasPrefix("220 my-mail.my.domain.tld") == true })
            #expect(batch.sessions.contains { $0.endReason?.hasPrefix("Failed to connect. Winsock error code: 10061") == true })
        } else {
            #expect(format.id == "exchange-smtp-protocol")
            #expect(batch.sessions.first?.direction == (file.contains("Send") ? .send : .receive))
        }
    }
}
