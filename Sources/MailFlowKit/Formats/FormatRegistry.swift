/// How the user asked ambiguous inputs to be read (`mailflow ingest --date-format … --year …`).
public struct ParseOptions: Sendable, Equatable {
    /// Day/month order of culture-formatted dates (`24/11/2026` vs `11/24/2026`).
    public enum DateOrder: String, Sendable, CaseIterable {
        case dayFirst = "dmy"
        case monthFirst = "mdy"
    }

    /// Forced date order; `nil` resolves it from the whole file.
    public var dateOrder: DateOrder?
    /// Year for syslog timestamps that carry none (`Nov 24 09:03:12`); `nil` takes the file's.
    public var year: Int?
    /// Modification time of the input (epoch ms), the default year source for syslog.
    public var fileModifiedMs: Int64?

    public init(dateOrder: DateOrder? = nil, year: Int? = nil, fileModifiedMs: Int64? = nil) {
        self.dateOrder = dateOrder
        self.year = year
        self.fileModifiedMs = fileModifiedMs
    }
}

/// The first lines of an input, decoded to UTF-8, from which its format is recognised.
public struct SniffSample: Sendable {
    public var path: String
    public var encoding: TextEncoding
    /// Up to ``maxLines`` lines from the start, without terminators.
    public var lines: [String]
    /// What the user said about ambiguous values; handed to the parser.
    public var options = ParseOptions()

    public static let maxLines = 40
    public static let maxBytes = 64 * 1024

    public init(path: String, encoding: TextEncoding, lines: [String]) {
        self.path = path
        self.encoding = encoding
        self.lines = lines
    }

    /// Builds a sample from the first decoded bytes of an input.
    public init(path: String, head: UnsafeRawBufferPointer) {
        let framer = LineFramer(maxLineLength: Self.maxBytes)
        var lines: [String] = []
        try? framer.consume(head) { line in
            if lines.count < Self.maxLines { lines.append(line.text) }
        }
        if lines.count < Self.maxLines { try? framer.finish { lines.append($0.text) } }
        self.init(path: path, encoding: framer.encoding ?? .utf8, lines: lines)
    }

    /// The file name, lower-cased (a hint only: formats are recognised from content).
    public var fileName: String {
        String(path.split(separator: "/").last ?? Substring(path)).lowercased()
    }

    /// The first line that is not empty.
    public var firstLine: String? { lines.first { !$0.isEmpty } }
}

/// One input format mailflow can read: how to recognise it and how to parse it.
public struct InputFormat: Sendable {
    /// A stable identifier, stored in `files.format` (`exchange-message-tracking`).
    public let id: String
    public let title: String
    /// How sure the format is that the sample is its own: 0 for no, 100 for a declared header.
    let confidence: @Sendable (SniffSample) -> Int
    let makeParser: @Sendable (SniffSample) -> any RecordParser
    /// For shapes recognised only to be turned away (a connector exported with `Export-Csv` has lost
    /// its lists): the sentence telling the user what to run instead.
    let refusal: (@Sendable (SniffSample) -> String)?

    public init(id: String, title: String, confidence: @escaping @Sendable (SniffSample) -> Int,
                makeParser: @escaping @Sendable (SniffSample) -> any RecordParser) {
        self.id = id
        self.title = title
        self.confidence = confidence
        self.makeParser = makeParser
        self.refusal = nil
    }

    /// A format that is recognised in order to be refused with guidance.
    public init(id: String, title: String, confidence: @escaping @Sendable (SniffSample) -> Int,
                refusal: @escaping @Sendable (SniffSample) -> String) {
        self.id = id
        self.title = title
        self.confidence = confidence
        self.makeParser = { _ in preconditionFailure("format '\(id)' is refused, never parsed") }
        self.refusal = refusal
    }

    /// Why this input is refused, or `nil` when it is read.
    public func refusalReason(for sample: SniffSample) -> String? { refusal?(sample) }

    public func parser(for sample: SniffSample) -> any RecordParser { makeParser(sample) }
}

/// The formats mailflow knows, asked in turn which of them an input is.
///
/// Adding a format is adding one ``InputFormat`` (usually in the parser's own file) to
/// ``standard``; nothing else needs to know.
public struct FormatRegistry: Sendable {
    public let formats: [InputFormat]

    public init(_ formats: [InputFormat]) {
        self.formats = formats
    }

    public static let standard = FormatRegistry([
        .exchangeMessageTracking,
        .exchangeProtocolLog,
        .elasticProtocolLogJSON,
        .exchangeOnlineMessageTraceCSV,
        .exchangeOnlineMessageTraceJSON,
        .exchangeOnlineTraceDetail,
        .exchangeOnlineHistoricalSummary,
        .exchangeOnlineHistoricalExtended,
        .postfixLog,
        .configurationJSON,
        .configurationCliXml,
        .connectorExportCSV,
    ])

    /// The most confident format for `sample`, or `nil` when none recognises it.
    public func detect(_ sample: SniffSample) -> InputFormat? {
        var best: (InputFormat, Int)?
        for format in formats {
            let score = format.confidence(sample)
            if score > 0, score > (best?.1 ?? 0) { best = (format, score) }
        }
        return best?.0
    }

    public func format(id: String) -> InputFormat? { formats.first { $0.id == id } }
}
