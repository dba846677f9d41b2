extension InputFormat {
    /// A Postfix relay's syslog (`mail.log`, `maillog`), classic or RFC 3339 timestamps.
    public static let postfixLog = InputFormat(
        id: "postfix-log",
        title: "Postfix mail log (syslog)",
        confidence: { sample in
            var postfixLines = 0
            var otherLines = 0
            for line in sample.lines where !line.isEmpty {
                var text = line
                let isPostfix = text.withUTF8 { SyslogLine(UnsafeRawBufferPointer($0))?.isPostfix ?? false }
                if isPostfix { postfixLines += 1 } else { otherLines += 1 }
            }
            if postfixLines >= 3 { return 85 }
            if postfixLines >= 1, postfixLines >= otherLines { return 75 }
            return postfixLines == 2 ? 50 : 0
        },
        makeParser: { sample in LineRecordParser(PostfixLogParser(options: sample.options)) }
    )
}
