import Foundation
import Testing

@testable import MailFlowKit

@Suite("Exchange Online message trace JSON exports")
struct ExchangeOnlineMessageTraceJSONTests {
    @Test("a Windows PowerShell 5.1 ConvertTo-Json array spanning lines reads /Date()/ times and nested date objects",
          arguments: [1, 13, 1 << 20])
    func powerShell51Array(chunkSize: Int) throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-v1-ps51.json"), chunkSize: chunkSize)
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.events.numbers[0].timeMs == 1_795_510_992_457)
        #expect(export.text(.timeText, 0) == "/Date(1795510992457)/")
        #expect(export.text(.messageId, 0) == "<PH0PR11MB4968A1B2C3D4E5F6@PH0PR11MB4968.namprd11.prod.outlook.com>")
        #expect(export.text(.event, 0) == "Failed")
        #expect(export.text(.serverIP, 0) == nil)  // "ToIP": null
        #expect(export.text(.clientIP, 0) == "203.0.113.25")
        #expect(export.text(.tenantHint, 0) == "contoso.onmicrosoft.com")
        #expect(export.events.numbers[0].size == 48213)
        #expect(export.events.numbers[0].line == 2)
        // `"Received": {"value": "\/Date(…)\/", "DisplayHint": 2, …}` as 5.1 writes some dates.
        #expect(export.events.numbers[1].timeMs == 1_795_526_140_120)
        #expect(export.text(.subject, 1) == "Your order has shipped {\"ref\": [42]}")
        #expect(export.events.numbers[1].line == 21)
        #expect(export.parser.notes.isEmpty)
    }

    @Test("ConvertTo-Json saved by Out-File in UTF-16LE (the Windows PowerShell 5.1 default) reads the same")
    func powerShell51ArrayInUTF16() throws {
        let utf8 = try ExchangeOnlineFixture.bytes("message-trace-v1-ps51.json")
        let export = try parseExport(utf16LittleEndianWithBOM(String(decoding: utf8, as: UTF8.self)), chunkSize: 7)
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.parser.encoding == .utf16LE)
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.events.numbers[1].timeMs == 1_795_526_140_120)
        #expect(export.events.numbers[1].line == 21)
    }

    @Test("a Microsoft Graph messageTraces page reads with camelCase names, id as trace id and statuses capitalised")
    func graphMessageTraces() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-graph.json"))
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.events.numbers[0].timeMs == 1_795_510_992_457)
        #expect(export.text(.traceId, 0) == "7f3c2a1e-9b8d-4e6f-a5c4-08de2b1f0a11")
        #expect(export.text(.event, 0) == "Failed")
        #expect(export.text(.serverIP, 0) == nil)  // "toIP": ""
        #expect(export.text(.event, 1) == "FilteredAsSpam")
        #expect(export.text(.serverIP, 1) == "2a01:111:f403:c10c::1")
        #expect(export.text(.clientIP, 1) == nil)
        #expect(export.time(1) == "2026-11-24T11:27:45.000Z")
        #expect(export.text(.tenantHint, 0) == nil)
    }

    @Test("a Reporting Web Service OData verbose page reads its d.results with __metadata and /Date()/ times")
    func odataVerbose() throws {
        let export = try parseExport(try ExchangeOnlineFixture.bytes("message-trace-odata-verbose.json"))
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.events.numbers[0].timeMs == 1_661_344_992_170)
        #expect(export.text(.subject, 0) == nil)
        #expect(export.events.numbers[0].size == 0)
        #expect(export.text(.recipient, 1) == "partner@northwind.example")
        #expect(export.text(.event, 1) == "Failed")
        #expect(export.events.numbers[1].line == 3)
    }

    @Test("the Elastic NDJSON sample with an empty OData page reads with nothing quarantined",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"))
    func corpusTestLog() throws {
        let bytes = try ExchangeOnlineFixture.corpus("microsoft_exchange_online_message_trace__test-log.log")
        let export = try parseExport(bytes, path: "test-log.log")
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 4)
        // "Received":"2022-09-05T18:10:13.4907658" has no zone: UTC.
        #expect(export.time(0) == "2022-09-05T18:10:13.490Z")
        #expect(export.text(.messageId, 0) == "<a210cf91-4f2e-484c-8ada-3b27064ee5e3@az.uksouth.production.microsoft.com>")
        #expect(export.text(.serverIP, 0) == "216.160.83.56")
        #expect(export.text(.serverIP, 1) == nil)
        #expect(export.events.numbers[3].line == 4)
    }

    @Test("the Elastic NDJSON sample of V1 records reads with nothing quarantined",
          .enabled(if: Corpus.isAvailable, "needs ../shared/corpus"))
    func corpusNDJSON() throws {
        let bytes = try ExchangeOnlineFixture.corpus("microsoft_exchange_online_message_trace__test.ndjson.log")
        let export = try parseExport(bytes, path: "test.ndjson.log", chunkSize: 64)
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.time(1) == "2022-10-21T17:25:30.600Z")
        #expect(export.text(.subject, 1) == "testmail 1")
        #expect(export.text(.clientIP, 1) == "40.107.23.81")
    }

    @Test("an OData light page on one line yields each element of value")
    func odataLightOneLine() throws {
        let text = #"{"odata.metadata":"https://reports.office365.com/ecp/ReportingWebService/Reporting.svc/$metadata#MessageTrace","value":[{"Organization":"contoso.com","MessageId":"<a@b>","Received":"2022-09-05T18:10:13.4907658","SenderAddress":"x@contoso.com","RecipientAddress":"y@fabrikam.com","Status":"Delivered","Size":10},{"Organization":"contoso.com","MessageId":"<c@d>","Received":"2022-09-05T18:10:14Z","SenderAddress":"x@contoso.com","RecipientAddress":"z@fabrikam.com","Status":"Failed","Size":11}]}"#
        let export = try parseExport(text)
        #expect(export.format.id == "exo-message-trace-json")
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 2)
        #expect(export.text(.recipient, 1) == "z@fabrikam.com")
    }

    @Test("a single pretty-printed object (ConvertTo-Json of one trace row) is one record")
    func singleObject() throws {
        let text = "{\n  \"MessageId\": \"<a@b>\",\n  \"Received\": \"2026-11-24T09:03:12.457Z\",\n  \"SenderAddress\": \"x@contoso.com\",\n  \"RecipientAddress\": \"y@fabrikam.com\",\n  \"Status\": \"Delivered\"\n}\n"
        let export = try parseExport(text)
        #expect(export.batch.quarantined.isEmpty)
        #expect(export.events.count == 1)
        #expect(export.events.numbers[0].line == 1)
    }

    @Test("a broken NDJSON line is quarantined and the lines after it are read")
    func brokenNDJSONLine() throws {
        let good = #"{"MessageId":"<a@b>","Received":"2026-11-24T09:03:12Z","RecipientAddress":"y@fabrikam.com","Status":"Delivered"}"#
        let text = good + "\n" + #"{"MessageId":"<c@d>","Received":"2026-11-24T09:03:13Z","Recipient"# + "\n" + good + "\n"
            + #"{"MessageId":"<e@f>","Received":"2026-11-24T09:03:14Z","RecipientAddress":"q@fabrikam.com" "Status":"Failed"}"# + "\n"
            + #"{"MessageId":"<e@f>","Received":"not a date","RecipientAddress":"q@fabrikam.com","Status":"Failed"}"# + "\n" + good
        let export = try parseExport(text)
        #expect(export.events.count == 3)
        #expect(export.batch.quarantined.map(\.line) == [2, 4, 5])
        #expect(export.batch.quarantined[0].reason == .badJSON)
        #expect(export.batch.quarantined[0].detail.hasPrefix("line 2 ends inside a JSON string"))
        #expect(export.batch.quarantined[1].detail == "the JSON object that starts on line 4 is not valid: expected ',' or '}' at byte 92 of the object")
        #expect(export.batch.quarantined[2].reason == .badTimestamp)
        #expect(export.batch.quarantined[2].detail.hasPrefix("line 5: Received is 'not a date'"))
    }

    @Test("an object of unknown shape is quarantined naming its members, OData metadata alone is not")
    func unknownObject() throws {
        let text = "[{\"RecipientAddress\":\"y@fabrikam.com\",\"Received\":\"2026-11-24T09:03:12Z\",\"Status\":\"Delivered\"},{\"foo\":1,\"bar\":2}]\n{\"odata.metadata\":\"x\"}\n"
        let export = try parseExport(text)
        #expect(export.events.count == 1)
        #expect(export.batch.quarantined.count == 1)
        #expect(export.batch.quarantined[0].detail.hasSuffix("its members are foo, bar"))
    }

    @Test("a JSON array cut off at the end of the input quarantines the open record only")
    func truncatedArray() throws {
        let text = "[\n  {\"RecipientAddress\":\"y@fabrikam.com\",\"Received\":\"2026-11-24T09:03:12Z\",\"Status\":\"Delivered\"},\n  {\"RecipientAddress\":\"z@fabrikam.com\",\n"
        let export = try parseExport(text)
        #expect(export.events.count == 1)
        #expect(export.batch.quarantined.count == 1)
        #expect(export.batch.quarantined[0].line == 3)
        #expect(export.batch.quarantined[0].detail == "the JSON object that starts on line 3 is not closed at the end of the input")
    }

    @Test("a record still open keeps the checkpoint at its first line")
    func openRecordHoldsCheckpoint() throws {
        let head = "[\n  {\n    \"RecipientAddress\": \"y@fabrikam.com\",\n"
        let parser = LineRecordParser(ExchangeOnlineJSONParser())
        var batch = RecordBatch()
        try Array(head.utf8).withUnsafeBytes { try parser.consume($0, into: &batch) }
        #expect(parser.checkpoint == Checkpoint(offset: 2, line: 1))
    }
}
