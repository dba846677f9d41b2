// mailflow-loggen: writes a synthetic Exchange 2013+ message tracking log for benchmarks.
//
//     mailflow-loggen --rows N [--seed S] [--out PATH]
//
// The output is deterministic for a given seed. Without --out the log goes to standard output.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: mailflow-loggen --rows N [--seed S] [--out PATH]

    Writes a synthetic Exchange message tracking log (UTF-8 BOM, CRLF, 30 fields) with N data rows
    of about 800 bytes each. The same seed (default 1) always gives the same file. Without --out
    the log is written to standard output.

    """

func fail(_ message: String, status: Int32) -> Never {
    let text = Array("mailflow-loggen: \(message)\n".utf8)
    _ = text.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

var rows: Int?
var seed: UInt64 = 1
var outputPath: String?
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

var writer = ByteWriter(fd: fd, path: outputPath ?? "<stdout>")
var generator = TrackingLogGenerator(seed: seed)
do {
    generator.writeHeader(into: &writer)
    for _ in 0..<rows {
        generator.writeRow(into: &writer)
        try writer.flushIfNeeded()
    }
    try writer.flush()
} catch {
    fail(error.description, status: 1)
}
if fd != 1, close(fd) != 0 {
    fail("cannot write '\(outputPath ?? "")': \(String(cString: strerror(errno)))", status: 1)
}
