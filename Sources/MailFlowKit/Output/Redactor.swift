import Crypto
import Foundation

/// Replaces what identifies people (the local part of addresses, subjects) with stable keyed hashes,
/// keeping domains, IPs, codes and times: what a report handed to a vendor should show.
///
/// The same value gives the same hash under one key, so a reader can still follow one sender
/// across the report; without the key the hash cannot be reversed by guessing common names. The
/// key comes from `$MAILFLOW_REDACT_KEY` when set (hashes then match across reports), else is
/// random for this run.
package struct Redactor: Sendable {
    let key: SymmetricKey

    package init(key: String?) {
        if let key, !key.isEmpty {
            self.key = SymmetricKey(data: Data(key.utf8))
        } else {
            self.key = SymmetricKey(size: .bits256)
        }
    }

    /// An 8-hex-digit keyed hash of `value` (case-insensitive: addresses are).
    func hash(_ value: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(value.lowercased().utf8), using: key)
        return code.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// `alice@contoso.com` → `u-1a2b3c4d@contoso.com`; anything without `@` is hashed whole.
    package func address(_ address: String) -> String {
        guard !address.isEmpty else { return address }
        guard let at = address.lastIndex(of: "@") else { return "u-" + hash(address) }
        let local = address[..<at]
        let opening = local.hasPrefix("<") ? "<" : ""
        return opening + "u-" + hash(String(local.dropFirst(opening.count))) + String(address[at...])
    }

    package func subject(_ subject: String) -> String {
        subject.isEmpty ? subject : "subject-" + hash(subject)
    }

    /// Free text (a finding's summary, an SMTP reply) with every address's local part hashed.
    package func text(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        func isLocal(_ c: Character) -> Bool { c.isLetter || c.isNumber || "._%+-=!#$&'*/?^`{|}~".contains(c) }
        while index < characters.count {
            guard characters[index] == "@", index > 0, isLocal(characters[index - 1]) else {
                output.append(characters[index])
                index += 1
                continue
            }
            var start = index
            while start > 0, isLocal(characters[start - 1]) { start -= 1 }
            let local = String(characters[start..<index])
            output.removeLast(index - start)
            output += "u-" + hash(local) + "@"
            index += 1
        }
        return output
    }

    /// A finding as a redacted report shows it.
    package func finding(_ finding: Finding) -> Finding {
        var finding = finding
        finding.title = text(finding.title)
        finding.summary = text(finding.summary)
        finding.messages = finding.messages.map { var message = $0; message.messageId = address(message.messageId); return message }
        finding.evidence = finding.evidence.map { var item = $0; item.what = text(item.what); return item }
        return finding
    }

    /// A message row as a redacted report shows it.
    package func message(_ row: MessageExportRow) -> MessageExportRow {
        var row = row
        row.messageId = address(row.messageId)
        row.sender = address(row.sender)
        row.fromAddress = address(row.fromAddress)
        row.recipients = row.recipients.map(address)
        row.subject = subject(row.subject)
        row.finalReply = text(row.finalReply)
        return row
    }
}
