import Foundation
import Testing

@testable import MailFlowKit

@Suite("Exchange Online format detection and dedupe keys")
struct ExchangeOnlineDetectionTests {
    @Test("the standard registry picks the Exchange Online format of each fixture", arguments: [
        ("message-trace-v1-ps51-en-US.csv", "exo-message-trace-csv"),
        ("message-trace-v2-de-DE-semicolon.csv", "exo-message-trace-csv"),
        ("message-trace-v2-en-GB-pwsh7.csv", "exo-message-trace-csv"),
        ("message-trace-v1-ps51.json", "exo-message-trace-json"),
        ("message-trace-graph.json", "exo-message-trace-json"),
        ("message-trace-odata-verbose.json", "exo-message-trace-json"),
        ("trace-detail-ps51-en-US.csv", "exo-trace-detail"),
        ("trace-detail-graph.json", "exo-trace-detail"),
        ("historical-summary-utf16le.csv", "exo-historical-summary"),
        ("historical-extended-utf8bom.csv", "exo-historical-extended"),
    ])
    func detectsFixture(name: String, id: String) throws {
        let bytes = try ExchangeOnlineFixture.bytes(name)
        let sample = bytes.withUnsafeBytes { SniffSample(path: name, head: $0) }
        #expect(FormatRegistry.standard.detect(sample)?.id == id)
    }

    @Test("the standard registry picks the message trace JSON format for the corpus samples",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"),
          arguments: ["microsoft_exchange_online_message_trace__test-log.log", "microsoft_exchange_online_message_trace__test.ndjson.log"])
    func detectsCorpus(name: String) throws {
        let bytes = try ExchangeOnlineFixture.corpus(name)
        let sample = bytes.withUnsafeBytes { SniffSample(path: name, head: $0) }
        #expect(FormatRegistry.standard.detect(sample)?.id == "exo-message-trace-json")
    }

    @Test("on-premises tracking logs are not claimed by the Exchange Online formats")
    func trackingLogStaysOnPremises() throws {
        let text = TrackingLogBuilder.log(rows: 2)
        let sample = Array(text.utf8).withUnsafeBytes { SniffSample(path: "MSGTRK2026112409-1.LOG", head: $0) }
        #expect(FormatRegistry.standard.detect(sample)?.id == "exchange-message-tracking")
    }

    @Test("the same trace row gets the same key from a PowerShell 5.1 CSV and a PowerShell 5.1 JSON export")
    func sameKeyFromCSVAndJSON() throws {
        let csv = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v1-ps51-en-US.csv"))
        let json = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v1-ps51.json"))
        // The CSV time has whole seconds (9:03:12 AM), the JSON one milliseconds (…457).
        #expect(csv.events.numbers[0].timeMs != json.events.numbers[0].timeMs)
        #expect(csv.events.numbers[0].key == json.events.numbers[0].key)
        #expect(csv.events.numbers[1].key == json.events.numbers[1].key)
        #expect(csv.events.numbers[0].key != csv.events.numbers[1].key)
    }

    @Test("the same trace row gets the same key from a V2 CSV and a Graph page, but not for another status")
    func sameKeyFromV2CSVAndGraph() throws {
        let graph = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-graph.json"))
        let row = "\"7f3c2a1e-9b8d-4e6f-a5c4-08de2b1f0a11\",\"<PH0PR11MB4968A1B2C3D4E5F6@PH0PR11MB4968.namprd11.prod.outlook.com>\",\"2026-11-24T09:03:12.4570000Z\",\"scanner@contoso.com\",\"alice@fabrikam.com\",\"203.0.113.25\",\"\",\"Scan from MFP-3F\",\"STATUS\",\"48213\""
        let header = "\"MessageTraceId\",\"MessageId\",\"Received\",\"SenderAddress\",\"RecipientAddress\",\"FromIP\",\"ToIP\",\"Subject\",\"Status\",\"Size\"\n"
        let failed = try parseExport(header + row.replacingOccurrences(of: "STATUS", with: "Failed") + "\n")
        let delivered = try parseExport(header + row.replacingOccurrences(of: "STATUS", with: "Delivered") + "\n")
        #expect(failed.events.numbers[0].key == graph.events.numbers[0].key)
        #expect(delivered.events.numbers[0].key != graph.events.numbers[0].key)
    }
}

@Suite("Exchange Online culture dates")
struct ExchangeOnlineCultureDateTests {
    private func parse(_ text: String) -> CultureDate? {
        var text = text
        return text.withUTF8 { CultureDate.parse(UnsafeRawBufferPointer($0)) }
    }

    private func iso(_ text: String, _ order: ParseOptions.DateOrder) -> String? {
        parse(text)?.epochMilliseconds(order: order).map(Timestamp.iso8601)
    }

    @Test("culture formats of the common locales read as expected")
    func cultureFormats() {
        #expect(iso("11/24/2026 9:03:12 AM", .monthFirst) == "2026-11-24T09:03:12.000Z")
        #expect(iso("11/24/2026 12:00:00 PM", .monthFirst) == "2026-11-24T12:00:00.000Z")
        #expect(iso("24.11.2026 09:03:12", .monthFirst) == "2026-11-24T09:03:12.000Z")  // dots: day first always
        #expect(iso("24-11-2026 09:03", .dayFirst) == "2026-11-24T09:03:00.000Z")
        #expect(iso("2026/11/24 9:03:12", .dayFirst) == "2026-11-24T09:03:12.000Z")
        #expect(iso("05/11/2026 08:15:02", .dayFirst) == "2026-11-05T08:15:02.000Z")
        #expect(iso("05/11/2026 08:15:02", .monthFirst) == "2026-05-11T08:15:02.000Z")
        #expect(iso("11/24/2026, 9:03:12 p.m.", .monthFirst) == "2026-11-24T21:03:12.000Z")
        #expect(iso("24/11/2026 09:03:12.250", .dayFirst) == "2026-11-24T09:03:12.250Z")
        #expect(parse("05/11/2026 08:15:02")?.isAmbiguous == true)
        #expect(parse("05/05/2026 08:15:02")?.isAmbiguous == false)
    }

    @Test("values that are not dates are refused", arguments: ["", "yesterday", "11/24/26 9:03 AM", "13:00 11/24/2026", "11/24/2026 25:00", "11/24/2026 0:15 AM", "11/24/2026 9:03:12 XM"])
    func notDates(text: String) {
        let parsed = parse(text)
        let time = parsed?.epochMilliseconds(order: .monthFirst)
        #expect(time == nil)
    }

    @Test("Microsoft JSON dates read with and without an offset")
    func microsoftJSONDates() {
        var plain = "/Date(1661344992170)/"
        var offset = "/Date(1661344992170+0200)/"
        #expect(plain.withUTF8 { ExchangeOnlineTimestamp.parseExact(UnsafeRawBufferPointer($0)) } == 1_661_344_992_170)
        #expect(offset.withUTF8 { ExchangeOnlineTimestamp.parseExact(UnsafeRawBufferPointer($0)) } == 1_661_344_992_170)
    }
}
