#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits one CSV line into fields, RFC 4180 style, without allocating per field.
///
/// Fields are returned as byte slices that point into the line, or into the scanner's scratch
/// buffer for quoted fields that needed unescaping (`""` → `"`). They are valid until the next
/// call to ``scan(_:)``. The scanner is lenient where Exchange and PowerShell are: a quote inside
/// an unquoted field is kept literally, and text after a closing quote is appended.
public struct CSVScanner {
    public let delimiter: UInt8
    public private(set) var fields: [UnsafeRawBufferPointer] = []
    private var scratch: UnsafeMutableRawBufferPointer
    private var scratchCapacity: Int

    public enum Outcome: Equatable {
        case complete
        /// The line ended inside a quoted field.
        case unterminatedQuote
    }

    public init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.delimiter = delimiter
        scratchCapacity = 4096
        scratch = .allocate(byteCount: scratchCapacity, alignment: 1)
        fields.reserveCapacity(64)
    }

    /// Frees the scratch buffer; the scanner must not be used afterwards.
    public mutating func deallocate() {
        scratch.deallocate()
        scratchCapacity = 0
    }

    /// Splits `line`; the fields are in ``fields`` afterwards.
    @discardableResult
    public mutating func scan(_ line: UnsafeRawBufferPointer) -> Outcome {
        fields.removeAll(keepingCapacity: true)
        guard let base = line.baseAddress, line.count > 0 else {
            fields.append(UnsafeRawBufferPointer(start: nil, count: 0))
            return .complete
        }
        if line.count > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = line.count * 2
            scratch = .allocate(byteCount: scratchCapacity, alignment: 1)
        }
        let count = line.count
        var scratchUsed = 0
        var index = 0
        let quote = UInt8(ascii: "\"")
        while true {
            if index < count, line[index] == quote {
                // Quoted field: copy into scratch only if an escaped quote or trailing text appears.
                index += 1
                let contentStart = index
                var copyStart = -1
                var closed = false
                while index < count {
                    let byte = line[index]
                    if byte == quote {
                        if index + 1 < count, line[index + 1] == quote {
                            if copyStart < 0 {
                                copyStart = scratchUsed
                                let run = index - contentStart
                                (scratch.baseAddress! + scratchUsed).copyMemory(from: base + contentStart, byteCount: run)
                                scratchUsed += run
                            }
                            scratch[scratchUsed] = quote
                            scratchUsed += 1
                            index += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if copyStart >= 0 {
                        scratch[scratchUsed] = byte
                        scratchUsed += 1
                    }
                    index += 1
                }
                guard closed else { return .unterminatedQuote }
                let contentEnd = index
                index += 1  // past the closing quote
                // Text between the closing quote and the delimiter is kept (lenient).
                var tailStart = index
                while index < count, line[index] != delimiter { index += 1 }
                if tailStart < index {
                    if copyStart < 0 {
                        copyStart = scratchUsed
                        let run = contentEnd - contentStart
                        (scratch.baseAddress! + scratchUsed).copyMemory(from: base + contentStart, byteCount: run)
                        scratchUsed += run
                    }
                    while tailStart < index {
                        scratch[scratchUsed] = line[tailStart]
                        scratchUsed += 1
                        tailStart += 1
                    }
                }
                if copyStart >= 0 {
                    fields.append(UnsafeRawBufferPointer(start: scratch.baseAddress! + copyStart, count: scratchUsed - copyStart))
                } else {
                    fields.append(UnsafeRawBufferPointer(start: base + contentStart, count: contentEnd - contentStart))
                }
            } else {
                let start = index
                if let hit = memchr(base + index, Int32(delimiter), count - index) {
                    index = base.distance(to: UnsafeRawPointer(hit))
                } else {
                    index = count
                }
                fields.append(UnsafeRawBufferPointer(start: base + start, count: index - start))
            }
            if index >= count { break }
            index += 1  // past the delimiter
            if index == count {
                fields.append(UnsafeRawBufferPointer(start: base + count, count: 0))
                break
            }
        }
        return .complete
    }
}
