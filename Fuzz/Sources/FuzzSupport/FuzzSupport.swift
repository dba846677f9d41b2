import MailFlowKit

/// What every fuzz target does with one input: recognise or force a format and parse it whole,
/// in chunks whose size the input's first byte picks (lines straddling chunks are the usual bugs).
public enum FuzzSupport {
    /// File names that make the sniffer consider each family (some formats look at the name).
    static let names = ["MSGTRK2026112409-1.LOG", "SEND20261124-1.LOG", "RECV20261124-1.LOG", "MessageTrace.csv", "trace.json",
                        "config.xml", "maillog", "export.csv"]

    /// Parses `data` with the format the registry recognises (nil `formatIds`) or with one of
    /// `formatIds`, chosen by the input's first byte.
    public static func parse(_ data: UnsafeRawBufferPointer, formatIds: [String]?) {
        guard data.count > 1 else { return }
        let selector = Int(data[0])
        let body = UnsafeRawBufferPointer(rebasing: data[1...])
        let path = names[selector % names.count]
        var sample = SniffSample(path: path, head: UnsafeRawBufferPointer(rebasing: body[..<min(body.count, SniffSample.maxBytes)]))
        sample.options.fileModifiedMs = 1_764_000_000_000
        let format: InputFormat?
        if let formatIds {
            format = FormatRegistry.standard.format(id: formatIds[(selector >> 3) % formatIds.count])
        } else {
            format = FormatRegistry.standard.detect(sample)
        }
        guard let format else { return }
        // Ingest never parses a refused input (a connector Export-Csv is refused with the command to run).
        if format.refusalReason(for: sample) != nil { return }
        let parser = format.parser(for: sample)
        var batch = RecordBatch()
        let chunk = [1, 7, 64, 4096, 1 << 20][(selector >> 5) % 5]
        var start = 0
        do {
            while start < body.count {
                let end = min(body.count, start + chunk)
                try parser.consume(UnsafeRawBufferPointer(rebasing: body[start..<end]), into: &batch)
                start = end
            }
            if selector & 0x80 != 0 { try parser.finishAfterDamage(into: &batch) } else { try parser.finish(into: &batch) }
        } catch {
            // A refusal is an answer, not a crash.
        }
    }

    /// Inflates `data` as gzip in chunks and frames the output into lines, as ingest does.
    public static func inflateAndFrame(_ data: UnsafeRawBufferPointer) {
        guard data.count > 1 else { return }
        let chunk = [1, 3, 100, 4096][Int(data[0]) % 4]
        let body = UnsafeRawBufferPointer(rebasing: data[1...])
        let stream = GzipStream(outputCapacity: 4096, memberBufferLimit: 1 << 16)
        let framer = LineFramer(maxLineLength: 1 << 12)
        var lines = 0
        var start = 0
        do {
            while start < body.count {
                let end = min(body.count, start + chunk)
                try stream.feed(UnsafeRawBufferPointer(rebasing: body[start..<end])) { piece in try framer.consume(piece) { _ in lines += 1 } }
                start = end
            }
            try stream.finish { piece in try framer.consume(piece) { _ in lines += 1 } }
        } catch {}
        try? framer.finish { _ in lines += 1 }
    }
}
