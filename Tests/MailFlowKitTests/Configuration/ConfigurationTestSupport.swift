import Foundation
import Testing

@testable import MailFlowKit

/// Reads configuration fixtures (and the shared corpus) through the registry, as ingest does.
enum ConfigurationTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `<package root>/../shared/corpus`: present beside the repository in CI, absent from a user's clone.
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var isCorpusAvailable: Bool {
        FileManager.default.fileExists(atPath: corpus.appendingPathComponent("CSS-Exchange").path)
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func corpusFile(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: corpus.appendingPathComponent(relative)))
    }

    static func sample(_ bytes: [UInt8], path: String, options: ParseOptions = ParseOptions()) -> SniffSample {
        var sample = bytes.withUnsafeBytes { SniffSample(path: path, head: UnsafeRawBufferPointer(rebasing: $0.prefix(SniffSample.maxBytes))) }
        sample.options = options
        return sample
    }

    struct Result {
        var format: InputFormat
        var batch: RecordBatch
        var parser: any RecordParser

        var snapshot: ConfigurationSnapshot? { batch.configurations.first }
    }

    /// Detects the format of `bytes` (failing the test when none or a refusal is chosen), then
    /// feeds them to its parser in `chunkSize` pieces.
    static func read(_ bytes: [UInt8], path: String, options: ParseOptions = ParseOptions(), chunkSize: Int = 4096,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let sample = sample(bytes, path: path, options: options)
        let format = try #require(FormatRegistry.standard.detect(sample), sourceLocation: sourceLocation)
        try #require(format.refusalReason(for: sample) == nil, sourceLocation: sourceLocation)
        let parser = format.parser(for: sample)
        return Result(format: format, batch: try feed(bytes, to: parser, chunkSize: chunkSize), parser: parser)
    }

    static func feed(_ bytes: [UInt8], to parser: any RecordParser, chunkSize: Int = 4096) throws -> RecordBatch {
        try parse(bytes, with: parser, chunkSize: chunkSize)
    }

    static func milliseconds(_ iso: String) -> Int64? { Timestamp.parseISO8601(iso) }
}
