import Foundation
import Testing

@testable import MailFlowKit

/// `mailflow report`: one HTML page, with everything from the logs escaped.
@Suite("HTML report", .serialized)
struct HTMLReportTests {
    /// The sample incident's report, its first message given a hostile subject (and sender).
    static func sampleReport(in directory: URL, subject: String, sender: String? = nil) throws -> (DetectionRun.Result, [MessageExportRow], String) {
        let db = directory.appendingPathComponent("s.db").path
        try ingest([Package.sampleLogs], db: db)
        let store = try Store.open(path: db)
        let result = try DetectionRun(database: store).run()
        var messages = try MessageExportRow.all(in: store)
        messages[0].subject = subject
        if let sender { messages[0].sender = sender }
        return (result, messages, HTMLReport.render(result: result, messages: messages, generatedAt: "2026-12-01T00:00:00.000Z"))
    }

    @Test("the sample's report lists every finding, draws a timeline per path with the onsets, and shows a <script> subject as text")
    func sampleReport() throws {
        try withTemporaryDirectory { directory in
            let (result, messages, html) = try Self.sampleReport(in: directory, subject: "<script>alert(1)</script>",
                                                                 sender: "\"><img src=x onerror=alert(2)>@evil.example")

            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<span id=\"finding-count\">\(result.findings.count)</span>"))
            #expect(html.components(separatedBy: "<article class=\"finding ").count - 1 == result.findings.count)
            let paths = Set(messages.map(\.path))
            #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == paths.count)
            let onsets = result.findings.filter { $0.onset != nil && $0.path != nil }.count
            #expect(onsets > 0 && html.components(separatedBy: "<line class=\"onset\"").count - 1 == onsets)
            #expect(html.components(separatedBy: "<tr class=").count - 1 == messages.count)

            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<img"))
            #expect(html.components(separatedBy: "<script>").count - 1 == 1, "only the report's own sorting script")
            // Self-contained: nothing is fetched (URLs in SMTP replies are text, not resources).
            #expect(!html.contains("<link") && !html.contains("src=\"") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
        }
    }

    @Test("HTML escaping covers the five characters that matter in content and quoted attributes")
    func escaping() {
        #expect(HTMLText.escaped("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
    }
}

/// `--redact`: people's names out, the investigation's facts in.
@Suite("Redaction")
struct RedactionTests {
    @Test("redaction hashes local parts and subjects with a stable key, keeps domains and codes, and the report says it is redacted")
    func redactsPeopleNotFacts() throws {
        let redactor = Redactor(key: "test-key")
        let alice = redactor.address("alice@contoso.com")
        #expect(alice.hasPrefix("u-") && alice.hasSuffix("@contoso.com") && !alice.contains("alice"))
        #expect(redactor.address("Alice@contoso.com") == alice)
        #expect(Redactor(key: "test-key").address("alice@contoso.com") == alice)
        #expect(Redactor(key: "other").address("alice@contoso.com") != alice)
        #expect(redactor.address("<C0FFEE@EX01.contoso.local>").hasPrefix("<u-"))
        #expect(redactor.subject("Quarterly report").hasPrefix("subject-"))
        let reply = redactor.text("550 5.7.64 TenantAttribution; relay for bob@fabrikam.com denied [10.0.0.5]")
        #expect(reply.hasPrefix("550 5.7.64 TenantAttribution; relay for u-") && reply.hasSuffix("@fabrikam.com denied [10.0.0.5]") && !reply.contains("bob"))

        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            let store = try Store.open(path: db)
            let result = try DetectionRun(database: store).run()
            let messages = try MessageExportRow.all(in: store)
            let html = HTMLReport.render(result: result, messages: messages, generatedAt: "now", redactor: redactor)
            #expect(html.contains("id=\"redacted\""))
            let sender = try #require(messages.first { !$0.sender.isEmpty }?.sender)
            #expect(!html.contains(HTMLText.escaped(sender)))
            #expect(html.contains(HTMLText.escaped(redactor.address(sender))))
            let subject = try #require(messages.first { $0.subject.count > 3 }?.subject)
            #expect(!html.contains(HTMLText.escaped(subject)))
        }
    }
}
