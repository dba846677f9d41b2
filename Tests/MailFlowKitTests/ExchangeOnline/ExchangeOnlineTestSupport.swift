import Foundation
import Testing

@testable import MailFlowKit

/// The small export files written for these tests, beside this file in `Fixtures/`.
enum ExchangeOnlineFixture {
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The Elastic message trace samples in the shared corpus.
    static func corpus(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.path("elastic-integrations/\(name)"))))
    }
}

/// One export recognised through ``FormatRegistry/standard`` and parsed by the chosen format.
struct ParsedExport {
    let format: InputFormat
    let parser: any RecordParser
    let batch: RecordBatch

    var events: EventBatch { batch.events }

    func text(_ field: EventField, _ row: Int) -> String? { batch.events.string(field, row: row) }

    func time(_ row: Int) -> String { Timestamp.iso8601(batch.events.numbers[row].timeMs) }
}

/// Sniffs `bytes` as the ingest does (first 64 KiB, decoded), then parses them in chunks.
func parseExport(_ bytes: [UInt8], path: String = "export", options: ParseOptions = ParseOptions(),
                 chunkSize: Int = 1 << 20) throws -> ParsedExport {
    var sample = Array(bytes.prefix(SniffSample.maxBytes)).withUnsafeBytes { SniffSample(path: path, head: $0) }
    sample.options = options
    let format = try #require(FormatRegistry.standard.detect(sample), "no format recognises '\(path)'")
    let parser = format.parser(for: sample)
    let batch = try parse(bytes, with: parser, chunkSize: chunkSize)
    return ParsedExport(format: format, parser: parser, batch: batch)
}

func parseExport(_ text: String, options: ParseOptions = ParseOptions(), chunkSize: Int = 1 << 20) throws -> ParsedExport {
    try parseExport(Array(text.utf8), options: options, chunkSize: chunkSize)
}

/// The UTF-16LE bytes, with BOM, of `text` (as Exchange Online's report downloads are).
func utf16LittleEndianWithBOM(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = [0xFF, 0xFE]
    for unit in text.utf16 {
        bytes.append(UInt8(unit & 0xFF))
        bytes.append(UInt8(unit >> 8))
    }
    return bytes
}
