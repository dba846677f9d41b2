/// Reads protocol-log lines wrapped in JSON documents, as Elastic's Exchange integration and log
/// shippers store them: `{"events":[{"log":{"file":{"path":"SmtpSend"}},"message":"<raw line>"}]}`.
///
/// Each `"message"` value is one raw protocol-log line and goes through ``ProtocolLogParser``;
/// the nearest preceding `"path"` tells whether it came from a Send or a Receive log. The
/// wrapper is read line by line, so evidence points at the JSON line that holds the message.
public final class ElasticProtocolLogJSONParser: LineParser {
    private let send = ProtocolLogParser(direction: .send)
    private let receive = ProtocolLogParser(direction: .receive)
    private var currentDirection: SMTPSession.Direction = .receive
    private var value: [UInt8] = []

    public init() {}

    public var notes: [String] { [] }

    public var heldBack: Checkpoint? {
        [send.heldBack, receive.heldBack].compactMap { $0 }.min { $0.offset < $1.offset }
    }

    public func parse(_ line: Line, into batch: inout RecordBatch) {
        let bytes = line.bytes
        var index = 0
        while let key = Self.nextKey(in: bytes, from: index) {
            guard let valueEnd = JSONStringLiteral.decode(bytes, from: key.valueStart, into: &value) else { break }
            index = valueEnd
            if key.name == "path" {
                let path = String(decoding: value, as: UTF8.self)
                currentDirection = InputFormat.directionHint(path: path) ?? currentDirection
            } else if key.name == "message" {
                let parser = currentDirection == .send ? send : receive
                value.withUnsafeBytes { raw in
                    parser.parse(Line(bytes: raw, number: line.number, offset: line.offset), into: &batch)
                }
            }
        }
    }

    public func finish(into batch: inout RecordBatch) {
        send.finish(into: &batch)
        receive.finish(into: &batch)
    }

    /// The next `"path"` or `"message"` key whose value is a string.
    private static func nextKey(in bytes: UnsafeRawBufferPointer, from start: Int) -> (name: String, valueStart: Int)? {
        var index = start
        while let quote = ByteText.index(of: UInt8(ascii: "\""), in: bytes, from: index) {
            for name in ["message", "path"] {
                let literal = Array("\"\(name)\"".utf8)
                guard quote + literal.count <= bytes.count,
                    zip(literal.indices, literal).allSatisfy({ bytes[quote + $0.0] == $0.1 })
                else { continue }
                var cursor = quote + literal.count
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { continue }
                cursor += 1
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") { return (name, cursor) }
            }
            // Skip this string literal entirely so keys inside values are not matched.
            var scratch: [UInt8] = []
            guard let end = JSONStringLiteral.decode(bytes, from: quote, into: &scratch) else { return nil }
            index = end
        }
        return nil
    }
}

extension InputFormat {
    /// Protocol-log lines inside JSON wrapper documents (Elastic's `events[].message`).
    public static let elasticProtocolLogJSON = InputFormat(
        id: "elastic-protocol-log-json",
        title: "Exchange protocol-log lines wrapped in JSON (Elastic events)",
        confidence: { sample in
            let text = sample.lines.prefix(20).joined(separator: "\n")
            guard text.first(where: { !$0.isWhitespace }) == "{", text.contains("\"events\""), text.contains("\"message\"") else { return 0 }
            return 80
        },
        makeParser: { _ in LineRecordParser(ElasticProtocolLogJSONParser()) }
    )
}
