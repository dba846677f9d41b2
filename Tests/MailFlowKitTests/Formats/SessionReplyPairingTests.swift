import Testing

@testable import MailFlowKit

/// Replies pair with the command they answer, not with "the last transaction" (RFC 2920, RFC 3030).
@Suite("SMTP reply pairing")
struct SessionReplyPairingTests {
    static func line(_ seq: Int, _ event: String, _ data: String) -> String {
        let ms = String(format: "%03d", seq)
        let quoted = data.contains(",") ? "\"\(data)\"" : data
        return "2026-11-24T09:01:00.\(ms)Z,Outbound,08DE00000000AAAA,\(seq),10.0.0.5:5000,52.101.68.10:25,\(event),\(quoted),\r\n"
    }

    static func session(_ lines: [(String, String)], disconnect: Bool = true) -> String {
        var text = ProtocolLogParserTests.sendHeader
        for (index, (event, data)) in lines.enumerated() { text += line(index, event, data) }
        if disconnect { text += line(lines.count, "-", "") }
        return text
    }

    @Test("a pipelined second MAIL FROM before the first transaction's RCPT replies neither traps nor misplaces replies")
    func pipelinedSecondMailFrom() throws {
        let text = Self.session([
            (">", "MAIL FROM:<a@contoso.com>"), (">", "RCPT TO:<x@fabrikam.com>"), (">", "RCPT TO:<y@fabrikam.com>"),
            (">", "DATA"),
            (">", "MAIL FROM:<b@contoso.com>"),
            ("<", "250 2.1.0 Sender OK"), ("<", "550 5.7.64 TenantAttribution; Relay Access Denied"),
            ("<", "250 2.1.5 Recipient OK"), ("<", "354 Start mail input"), ("<", "250 2.6.0 <m1@contoso.com> Queued mail for delivery"),
            ("<", "250 2.1.0 Sender OK"), (">", "RCPT TO:<z@fabrikam.com>"), ("<", "250 2.1.5 Recipient OK"),
        ])
        let batch = try parse(text, with: LineRecordParser(ProtocolLogParser()))
        let transactions = try #require(batch.sessions.first).transactions
        try #require(transactions.count == 2)
        #expect(transactions[0].recipients.map { $0.reply?.code } == [550, 250])
        #expect(transactions[0].dataReply?.enhancedCode == "2.6.0")
        #expect(transactions[1].mailFromReply?.code == 250)
        #expect(transactions[1].recipients.map { $0.reply?.enhancedCode } == ["2.1.5"])
        #expect(transactions[1].dataReply == nil)
    }

    @Test("the reply to BDAT … LAST belongs to its own transaction even after the next MAIL FROM is pipelined")
    func bdatLastReplyStaysWithItsTransaction() throws {
        let text = Self.session([
            (">", "MAIL FROM:<a@contoso.com>"), (">", "RCPT TO:<x@fabrikam.com>"),
            ("<", "250 2.1.0 Sender OK"), ("<", "250 2.1.5 Recipient OK"),
            (">", "BDAT 100"), (">", "BDAT 50 LAST"), (">", "MAIL FROM:<b@contoso.com>"),
            ("<", "250 2.0.0 100 bytes received"), ("<", "250 2.6.0 <m1@contoso.com> Queued mail for delivery"),
            ("<", "250 2.1.0 Sender OK"),
        ])
        let batch = try parse(text, with: LineRecordParser(ProtocolLogParser()))
        let transactions = try #require(batch.sessions.first).transactions
        try #require(transactions.count == 2)
        #expect(transactions[0].dataReply?.enhancedCode == "2.6.0")
        #expect(transactions[0].messageId == "<m1@contoso.com>")
        #expect(transactions[1].dataReply == nil)
        #expect(transactions[1].mailFromReply?.enhancedCode == "2.1.0")
    }

    @Test("a session whose MAIL FROM is in the previous file gives the RCPT its own reply, not the sender's 250 2.1.0")
    func rolloverSessionKeepsRecipientReply() throws {
        let text = Self.session([
            (">", "RCPT TO:<x@fabrikam.com>"), ("<", "250 2.1.0 Sender OK"),
            ("<", "550 5.7.64 TenantAttribution; Relay Access Denied"),
        ])
        let batch = try parse(text, with: LineRecordParser(ProtocolLogParser()))
        let transaction = try #require(batch.sessions.first?.transactions.first)
        #expect(transaction.mailFrom == "")
        #expect(transaction.mailFromReply?.enhancedCode == "2.1.0")
        #expect(transaction.recipients.first?.reply?.enhancedCode == "5.7.64")
    }

    @Test("replies with nothing pending, DATA and BDAT before any MAIL FROM are ignored without trapping")
    func strayCommandsAndReplies() throws {
        let text = Self.session([
            ("<", "250 2.6.0 queued"), (">", "DATA"), (">", "BDAT 10 LAST"), ("<", "354 go"), ("<", "250 ok"), ("<", "550 no"),
        ])
        let batch = try parse(text, with: LineRecordParser(ProtocolLogParser()))
        #expect(batch.sessions.count == 1)
        #expect(batch.sessions.first?.transactions.isEmpty == true)
    }
}
