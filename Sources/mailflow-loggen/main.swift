// mailflow-loggen: writes a synthetic Exchange log for benchmarks: an Exchange 2013+ message
// tracking log (default), a PowerShell 7 Export-Csv of Get-MessageTraceV2, or an Exchange Online
// Extended historical search report.
//
//     mailflow-loggen --rows N [--seed S] [--format tracking|v2csv|extended] [--out PATH]
//
// The output is deterministic for a given seed and format. Without --out it goes to standard output.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: mailflow-loggen --rows N [--seed S] [--format F] [--out PATH]

    Writes a synthetic Exchange log with N data rows. Formats:
      tracking  Exchange Server message tracking log (UTF-8 BOM, CRLF, 30 fields, ~800 bytes a row;
                the default)
      v2csv     Get-MessageTraceV2 | Export-Csv from PowerShell 7 (UTF-8 without BOM, 10 quoted
                columns, one row per recipient, ~265 bytes a row)
      extended  Exchange Online historical search report "Extended" (UTF-16LE with BOM, 30 quoted
                snake_case columns, ~1.8 KB a row)
    The same seed (default 1) always gives the same file. Without --out the log is written to
    standard output.

    """

func fail(_ message: String, status: Int32) -> Never {
    let text = Array("mailflow-loggen: \(message)\n".utf8)
    _ = text.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

var rows: Int?
var seed: UInt64 = 1
var outputPath: String?
var format = "tracking"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    func value() -> String {
        guard let value = arguments.next() else { fail("missing value for '\(argument)'\n\n\(usage)", status: 64) }
        return value
    }
    switch argument {
    case "--rows":
        let text = value()
        guard let count = Int(text), count >= 0 else { fail("invalid row count '\(text)'", status: 64) }
        rows = count
    case "--seed":
        let text = value()
        guard let number = UInt64(text) else { fail("invalid seed '\(text)'", status: 64) }
        seed = number
    case "--out":
        outputPath = value()
    case "--format":
        format = value()
        guard ["tracking", "v2csv", "extended"].contains(format) else {
            fail("unknown format '\(format)' (expected tracking, v2csv or extended)", status: 64)
        }
    case "-h", "--help":
        _ = Array(usage.utf8).withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count) }
        exit(0)
    default:
        fail("unknown argument '\(argument)'\n\n\(usage)", status: 64)
    }
}
guard let rows else { fail("missing --rows\n\n\(usage)", status: 64) }

let fd: Int32
if let outputPath, outputPath != "-" {
    fd = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0 { fail("cannot open '\(outputPath)': \(String(cString: strerror(errno)))", status: 1) }
} else {
    fd = 1
}

func generate<Generator: LogGenerator>(_ generator: inout Generator, rows: Int, into writer: inout ByteWriter) throws(WriteError) {
    generator.writeHeader(into: &writer)
    for _ in 0..<rows {
        generator.writeRow(into: &writer)
        try writer.flushIfNeeded()
    }
    try writer.flush()
}

var writer = ByteWriter(fd: fd, path: outputPath ?? "<stdout>")
do {
    switch format {
    case "v2csv":
        var generator = MessageTraceV2Generator(seed: seed)
        try generate(&generator, rows: rows, into: &writer)
    case "extended":
        var generator = ExtendedReportGenerator(seed: seed)
        try generate(&generator, rows: rows, into: &writer)
    default:
        var generator = TrackingLogGenerator(seed: seed)
        try generate(&generator, rows: rows, into: &writer)
    }
} catch {
    fail(error.description, status: 1)
}
if fd != 1, close(fd) != 0 {
    fail("cannot write '\(outputPath ?? "")': \(String(cString: strerror(errno)))", status: 1)
}
