/// Reads one configuration export (`Get-InboundConnector | ConvertTo-Json -Depth 5`,
/// `Get-SendConnector | Export-Clixml …`) into ``ConfigurationSnapshot``s.
///
/// Exports are small, and neither JSON nor XML can be read record by record without a
/// streaming parser, so the whole file is held (decoded to UTF-8 by a ``LineFramer``, which
/// also handles the UTF-16 that Windows PowerShell's `Out-File` writes) and parsed when it ends.
/// Nothing is produced before ``finish(into:)``, so the checkpoint stays at the start until then:
/// an interrupted read starts over.
///
/// A document that does not parse is quarantined at the line where parsing stopped; a document
/// larger than ``maxDocumentBytes`` is quarantined whole.
public final class ConfigurationExportParser: RecordParser {
    public enum Syntax: String, Sendable {
        /// `ConvertTo-Json` (PowerShell 7 or Windows PowerShell 5.1), one value or several.
        case json
        /// `Export-Clixml`.
        case cliXml = "clixml"
    }

    /// The largest export read (decoded bytes); configuration exports are far smaller.
    public static let maxDocumentBytes = 64 << 20

    private struct LineStart {
        var documentOffset: Int
        var number: Int
        var offset: Int64
    }

    private let syntax: Syntax
    private let options: ParseOptions
    private let maxBytes: Int
    private let framer: LineFramer
    private var document: [UInt8] = []
    private var lineStarts: [LineStart] = []
    private var isTooLarge = false
    private var rawBytes: Int64 = 0
    private var lineCount = 0
    private var finalCheckpoint: Checkpoint?
    public private(set) var notes: [String] = []

    public init(syntax: Syntax, options: ParseOptions = ParseOptions(), maxDocumentBytes: Int = ConfigurationExportParser.maxDocumentBytes) {
        self.syntax = syntax
        self.options = options
        self.maxBytes = maxDocumentBytes
        self.framer = LineFramer(maxLineLength: maxDocumentBytes + 1)
    }

    public var encoding: TextEncoding? { framer.encoding }

    public var checkpoint: Checkpoint { finalCheckpoint ?? Checkpoint() }

    public func consume(_ chunk: UnsafeRawBufferPointer, into batch: inout RecordBatch) throws {
        rawBytes += Int64(chunk.count)
        try framer.consume(chunk) { append($0) }
    }

    public func finish(into batch: inout RecordBatch) throws {
        try framer.finish { append($0) }
        finalCheckpoint = Checkpoint(offset: rawBytes, line: lineCount)
        if framer.reencodedLines > 0 {
            notes.append("\(framer.reencodedLines) line(s) were not valid UTF-8 and were read as Windows-1252")
        }
        if isTooLarge {
            quarantine(at: 0, .lineTooLong,
                       "the export is larger than \(maxBytes >> 20) MiB, the most mailflow reads from one configuration export; export fewer objects per file",
                       into: &batch)
            return
        }
        guard let values = parseDocument(into: &batch) else { return }
        var builder = ConfigurationSnapshotBuilder(fileModifiedMs: options.fileModifiedMs)
        var snapshots = builder.build(values)
        let first = lineStarts.first
        for index in snapshots.indices {
            snapshots[index].line = first?.number ?? 1
            snapshots[index].offset = first?.offset ?? 0
        }
        batch.configurations += snapshots
        notes += builder.notes
        if snapshots.isEmpty {
            if builder.unrecognisedCount > 0 {
                quarantine(at: 0, .malformedLine,
                           "the export holds \(builder.unrecognisedCount) object(s) but none is an accepted domain, connector or certificate (no DomainName and DomainType, SenderIPAddresses, TlsSenderCertificateName, SmartHosts, AddressSpaces, Bindings or Thumbprint property)",
                           into: &batch)
            } else {
                notes.append("the export holds no objects")
            }
            return
        }
        if builder.unrecognisedCount > 0 {
            notes.append("\(builder.unrecognisedCount) object(s) of the export are not accepted domains, connectors or certificates and were skipped")
        }
        if builder.unnamedCount > 0 {
            notes.append("\(builder.unnamedCount) object(s) of the export have no name (Name, DomainName or Thumbprint) and were skipped")
        }
    }

    public func finishAfterDamage(into batch: inout RecordBatch) throws {
        try framer.finish { append($0) }
        finalCheckpoint = Checkpoint(offset: rawBytes, line: lineCount)
        quarantine(at: 0, .truncatedByDamage, "the export is cut off where the input is damaged, and a partial export is not read", into: &batch)
    }

    private func append(_ line: Line) {
        lineCount += 1
        guard !isTooLarge else { return }
        if line.isTruncated || document.count + line.bytes.count + 1 > maxBytes {
            // Keep only the first line, for the quarantine entry.
            isTooLarge = true
            if lineStarts.isEmpty {
                lineStarts = [LineStart(documentOffset: 0, number: line.number, offset: line.offset)]
                document = Array(line.bytes.prefix(QuarantinedLine.maxStoredBytes)) + [0x0A]
            } else {
                let firstEnd = lineStarts.count > 1 ? lineStarts[1].documentOffset : document.count
                document.removeSubrange(firstEnd...)
                lineStarts.removeSubrange(1...)
            }
            return
        }
        lineStarts.append(LineStart(documentOffset: document.count, number: line.number, offset: line.offset))
        document.append(contentsOf: line.bytes)
        document.append(0x0A)
    }

    /// The top-level values, or `nil` after quarantining the line where the document broke.
    private func parseDocument(into batch: inout RecordBatch) -> [ExportedValue]? {
        switch syntax {
        case .json:
            let result = document.withUnsafeBytes { bytes in Result { () throws(JSONSyntaxError) in try JSONValue.parseSequence(bytes) } }
            switch result {
            case .success(let values):
                return values.map(ExportedValue.init(json:))
            case .failure(let error):
                let index = lineIndex(containing: error.offset)
                let column = error.offset - (index < lineStarts.count ? lineStarts[index].documentOffset : 0) + 1
                quarantine(at: index, .badJSON, "line \(lineNumber(at: index)) is not valid JSON: expected \(error.expected) at column \(column); the export was not read", into: &batch)
                return nil
            }
        case .cliXml:
            do {
                return try CliXmlReader.read(document)
            } catch {
                let index = max(0, min(error.line - 1, lineStarts.count - 1))
                quarantine(at: index, .malformedLine, "line \(lineNumber(at: index)): \(error.message); the export was not read", into: &batch)
                return nil
            }
        }
    }

    private func lineIndex(containing documentOffset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle].documentOffset <= documentOffset { low = middle } else { high = middle - 1 }
        }
        return max(0, low)
    }

    private func lineNumber(at index: Int) -> Int {
        index < lineStarts.count ? lineStarts[index].number : 1
    }

    /// Quarantines the line at `index` of ``lineStarts`` (the first line when there are none).
    private func quarantine(at index: Int, _ reason: QuarantinedLine.Reason, _ detail: String, into batch: inout RecordBatch) {
        guard index < lineStarts.count else {
            let empty: [UInt8] = []
            empty.withUnsafeBytes { batch.quarantined.append(QuarantinedLine(line: 1, offset: 0, reason: reason, detail: detail, bytes: $0)) }
            return
        }
        let start = lineStarts[index]
        let lower = min(start.documentOffset, document.count)
        let end = index + 1 < lineStarts.count ? lineStarts[index + 1].documentOffset - 1 : document.count - 1
        document.withUnsafeBytes { bytes in
            let text = UnsafeRawBufferPointer(rebasing: bytes[lower..<min(max(lower, end), document.count)])
            batch.quarantined.append(QuarantinedLine(line: start.number, offset: start.offset, reason: reason, detail: detail, bytes: text))
        }
    }
}
