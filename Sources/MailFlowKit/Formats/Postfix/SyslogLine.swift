/// The parts of one syslog line: `Nov 24 09:03:12 host postfix/smtp[123]: message`.
///
/// A leading `<PRI>` (as forwarded syslog carries it) is skipped. The views point into the
/// line's bytes and are valid only as long as they are.
struct SyslogLine {
    var timestamp: SyslogTimestamp
    var timestampText: UnsafeRawBufferPointer
    var host: UnsafeRawBufferPointer
    /// The tag without its process id: `postfix/smtp`, `postfix-out/relay/smtp`.
    var program: UnsafeRawBufferPointer
    /// Everything after `tag: `.
    var message: UnsafeRawBufferPointer

    init?(_ line: UnsafeRawBufferPointer) {
        var bytes = line
        if bytes.count > 3, bytes[0] == UInt8(ascii: "<"), let close = ByteText.index(of: UInt8(ascii: ">"), in: bytes), close <= 4,
            (1..<close).allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 })
        {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[(close + 1)...])
        }
        guard let (timestamp, end) = SyslogTimestamp.parse(bytes) else { return nil }
        self.timestamp = timestamp
        timestampText = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
        var index = end
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        let hostStart = index
        while index < bytes.count, bytes[index] != 0x20 { index += 1 }
        guard index > hostStart, index < bytes.count else { return nil }
        host = UnsafeRawBufferPointer(rebasing: bytes[hostStart..<index])
        index += 1
        // The tag runs to the first ": "; the process id in brackets is not part of the program.
        let tagStart = index
        var programEnd: Int?
        while index < bytes.count, bytes[index] != 0x20 {
            if bytes[index] == UInt8(ascii: "["), programEnd == nil { programEnd = index }
            index += 1
        }
        guard index > tagStart, bytes[index - 1] == UInt8(ascii: ":") else { return nil }
        let tagEnd = index - 1
        program = UnsafeRawBufferPointer(rebasing: bytes[tagStart..<(programEnd.map { min($0, tagEnd) } ?? tagEnd)])
        guard program.count > 0 else { return nil }
        message = index < bytes.count ? UnsafeRawBufferPointer(rebasing: bytes[(index + 1)...]) : UnsafeRawBufferPointer(rebasing: bytes[bytes.count...])
    }

    /// True when the program is a Postfix daemon (`postfix/…`, or a named instance `postfix-out/…`).
    var isPostfix: Bool {
        ByteText.hasPrefix(program, "postfix") && ByteText.index(of: UInt8(ascii: "/"), in: program) != nil
    }

    /// The daemon: the last part of the program (`smtp` of `postfix/relay/smtp`).
    var daemon: UnsafeRawBufferPointer {
        var index = program.count - 1
        while index >= 0, program[index] != UInt8(ascii: "/") { index -= 1 }
        return UnsafeRawBufferPointer(rebasing: program[(index + 1)...])
    }
}
