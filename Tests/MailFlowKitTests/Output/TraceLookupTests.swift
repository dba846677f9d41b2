import Foundation
import Testing

@testable import MailFlowKit

/// `mailflow trace` finds a message by whichever identifier the administrator has at hand.
@Suite("Trace lookup", .serialized)
struct TraceLookupTests {
    @Test("trace finds a sample message by Message-ID in another case and without brackets, by network message id, MessageTraceId and session id")
    func everyIdentifierKind() throws {
        try withTemporaryDirectory { directory in
            let db = directory.appendingPathComponent("s.db").path
            try ingest([Package.sampleLogs], db: db)
            _ = try DetectionRun(database: try Store.open(path: db)).run()
            let store = try Store.open(path: db, mode: .readOnly)
            let networkRow = try #require(try store.fetchOne(
                "SELECT message_id, network_message_id FROM message_events WHERE network_message_id IS NOT NULL AND message_id IS NOT NULL LIMIT 1") {
                    (id: $0.string("message_id")!, network: $0.string("network_message_id")!) })

            let exact = try #require(try MessageLookup.find(networkRow.id, in: store))
            #expect(exact.matchedBy == .messageId && exact.messageIds == [networkRow.id])
            let bare = networkRow.id.hasPrefix("<") ? String(networkRow.id.dropFirst().dropLast()) : networkRow.id
            #expect(try MessageLookup.find(bare, in: store)?.messageIds == [networkRow.id])
            let shouted = try #require(try MessageLookup.find("<\(bare.uppercased())>", in: store))
            #expect(shouted.messageIds == [networkRow.id] && shouted.matchedBy == .messageIdAnyCase)
            #expect(try MessageLookup.find(networkRow.network.uppercased(), in: store)?.messageIds.contains(networkRow.id) == true)

            if let traced = try store.fetchOne("SELECT message_id, trace_id FROM message_events WHERE trace_id IS NOT NULL AND message_id IS NOT NULL LIMIT 1", [], {
                (id: $0.string("message_id")!, trace: $0.string("trace_id")!) }) {
                let match = try #require(try MessageLookup.find(traced.trace, in: store))
                #expect(match.messageIds.contains(traced.id))
            }
            let session = try #require(try store.fetchOne("""
                SELECT s.session_id, t.message_id FROM smtp_sessions s JOIN smtp_transactions t ON t.session_id = s.id WHERE t.message_id IS NOT NULL LIMIT 1
                """) { (session: $0.string("session_id")!, id: $0.string("message_id")!) })
            let bySession = try #require(try MessageLookup.find(session.session, in: store))
            #expect(bySession.matchedBy == .sessionId && bySession.messageIds.contains(session.id))
            #expect(try MessageLookup.find("<nobody@nowhere.invalid>", in: store) == nil)

            let header = try MessageLookup.header(messageId: networkRow.id, in: store)
            #expect(header.sender != nil && !header.recipients.isEmpty)
            let json = TraceReport.render(query: bare, match: exact, messages: [TraceReport.Message(header: header,
                entries: try MessageHistory.entries(messageId: networkRow.id, in: store))], format: .json)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["matched_by"] as? String == "message-id")
            #expect(((object["messages"] as? [[String: Any]])?.first?["events"] as? [Any])?.isEmpty == false)
        }
    }
}
