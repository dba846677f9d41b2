import MailFlowKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error while writing the generated log.
struct WriteError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot write '\(path)': \(reason)" }
}

/// Appends bytes to a large buffer and hands it to `write(2)` in big chunks.
///
/// Rows are built in place (no `String` per row or per field), and the buffer is flushed only
/// between rows, once it holds more than ``flushThreshold`` bytes. A row must therefore stay
/// well below `capacity - flushThreshold` bytes (1 MiB); generated rows are a few KiB at most.
struct ByteWriter: ~Copyable {
    private let fd: Int32
    private let path: String
    private let capacity = 4 << 20
    private let flushThreshold = 3 << 20
    private let base: UnsafeMutablePointer<UInt8>
    private var count = 0
    /// Where ``transcodeToUTF16LE(from:)`` copies a row before widening it; allocated on first use.
    private var scratch: UnsafeMutablePointer<UInt8>?
    private let scratchCapacity = 512 << 10
    /// Bytes handed to `write(2)` so far.
    private(set) var bytesWritten = 0

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
        scratch?.deallocate()
    }

    /// How many bytes are buffered (the start of the next byte); see ``transcodeToUTF16LE(from:)``.
    var position: Int { count }

    @inline(__always) mutating func byte(_ value: UInt8) {
        base[count] = value
        count += 1
    }

    @inline(__always) mutating func comma() { byte(UInt8(ascii: ",")) }

    @inline(__always) mutating func crlf() {
        base[count] = 0x0D
        base[count + 1] = 0x0A
        count += 2
    }

    mutating func text(_ value: StaticString) {
        let length = value.utf8CodeUnitCount
        (base + count).update(from: value.utf8Start, count: length)
        count += length
    }

    mutating func bytes(_ value: [UInt8]) {
        value.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return }
            (base + count).update(from: start, count: buffer.count)
            count += buffer.count
        }
    }

    /// Appends a non-negative integer in decimal.
    mutating func decimal(_ value: Int) {
        precondition(value >= 0, "value (\(value)) must not be negative")
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var remaining = value
        var index = count + digits - 1
        repeat {
            base[index] = UInt8(truncatingIfNeeded: 48 + remaining % 10)
            remaining /= 10
            index -= 1
        } while remaining > 0
        count += digits
    }

    /// Appends a non-negative integer in decimal, left-padded with zeros to `width` digits.
    mutating func decimal(_ value: Int, width: Int) {
        var remaining = value
        var index = count + width - 1
        while index >= count {
            base[index] = UInt8(truncatingIfNeeded: 48 + remaining % 10)
            remaining /= 10
            index -= 1
        }
        count += width
    }

    /// Appends the low `digits` hexadecimal digits of `value`.
    mutating func hex(_ value: UInt64, digits: Int, uppercase: Bool = false) {
        let table: StaticString = uppercase ? "0123456789ABCDEF" : "0123456789abcdef"
        let letters = table.utf8Start
        var remaining = value
        var index = count + digits - 1
        while index >= count {
            base[index] = letters[Int(remaining & 0xF)]
            remaining >>= 4
            index -= 1
        }
        count += digits
    }

    /// Appends a lower-case GUID (`8-4-4-4-12`) made of the two halves.
    mutating func guid(_ high: UInt64, _ low: UInt64) {
        hex(high >> 32, digits: 8)
        byte(UInt8(ascii: "-"))
        hex(high >> 16, digits: 4)
        byte(UInt8(ascii: "-"))
        hex(high, digits: 4)
        byte(UInt8(ascii: "-"))
        hex(low >> 48, digits: 4)
        byte(UInt8(ascii: "-"))
        hex(low, digits: 12)
    }

    /// Appends an ISO 8601 UTC timestamp with milliseconds: `2026-11-24T09:03:12.345Z`.
    mutating func timestamp(milliseconds: Int64) {
        let days = Int(milliseconds / 86_400_000)
        let inDay = Int(milliseconds % 86_400_000)
        let (year, month, day) = Timestamp.civil(fromDays: days)
        decimal(year, width: 4)
        byte(UInt8(ascii: "-"))
        decimal(month, width: 2)
        byte(UInt8(ascii: "-"))
        decimal(day, width: 2)
        byte(UInt8(ascii: "T"))
        decimal(inDay / 3_600_000, width: 2)
        byte(UInt8(ascii: ":"))
        decimal(inDay / 60_000 % 60, width: 2)
        byte(UInt8(ascii: ":"))
        decimal(inDay / 1000 % 60, width: 2)
        byte(UInt8(ascii: "."))
        decimal(inDay % 1000, width: 3)
        byte(UInt8(ascii: "Z"))
    }

    /// Appends an ISO 8601 UTC timestamp with .NET's seven fractional digits, as PowerShell 7 and
    /// the Exchange Online reports write `DateTime` values: `2026-11-24T09:03:12.3450000Z`.
    mutating func timestampTicks(milliseconds: Int64) {
        timestamp(milliseconds: milliseconds)
        count -= 1
        text("0000Z")
    }

    /// Appends a duration in seconds with three decimals (`1.921`).
    mutating func seconds(milliseconds: Int) {
        decimal(milliseconds / 1000)
        byte(UInt8(ascii: "."))
        decimal(milliseconds % 1000, width: 3)
    }

    /// Re-encodes the UTF-8 bytes appended since `start` as UTF-16LE, in place.
    ///
    /// Used for the UTF-16 reports: a row is built in UTF-8 like every other row, then widened in
    /// one pass. The UTF-8 row must stay below 512 KiB (generated rows are a few KiB).
    mutating func transcodeToUTF16LE(from start: Int) {
        let length = count - start
        precondition(length <= scratchCapacity && start + 2 * length <= capacity, "row too long to transcode (\(length) bytes)")
        let source: UnsafeMutablePointer<UInt8>
        if let scratch { source = scratch } else {
            source = .allocate(capacity: scratchCapacity)
            scratch = source
        }
        source.update(from: base + start, count: length)
        var out = start
        var index = 0
        while index < length {
            let lead = UInt32(source[index])
            var scalar: UInt32
            if lead < 0x80 {
                base[out] = UInt8(truncatingIfNeeded: lead)
                base[out + 1] = 0
                out += 2
                index += 1
                continue
            } else if lead < 0xE0 {
                scalar = (lead & 0x1F) << 6 | UInt32(source[index + 1] & 0x3F)
                index += 2
            } else if lead < 0xF0 {
                scalar = (lead & 0x0F) << 12 | UInt32(source[index + 1] & 0x3F) << 6 | UInt32(source[index + 2] & 0x3F)
                index += 3
            } else {
                scalar = (lead & 0x07) << 18 | UInt32(source[index + 1] & 0x3F) << 12 | UInt32(source[index + 2] & 0x3F) << 6
                    | UInt32(source[index + 3] & 0x3F)
                index += 4
            }
            if scalar >= 0x10000 {
                let value = scalar - 0x10000
                let high = 0xD800 + (value >> 10)
                let low = 0xDC00 + (value & 0x3FF)
                base[out] = UInt8(truncatingIfNeeded: high)
                base[out + 1] = UInt8(truncatingIfNeeded: high >> 8)
                base[out + 2] = UInt8(truncatingIfNeeded: low)
                base[out + 3] = UInt8(truncatingIfNeeded: low >> 8)
                out += 4
            } else {
                base[out] = UInt8(truncatingIfNeeded: scalar)
                base[out + 1] = UInt8(truncatingIfNeeded: scalar >> 8)
                out += 2
            }
        }
        count = out
    }

    /// Writes the buffer out once it is nearly full; call between rows.
    mutating func flushIfNeeded() throws(WriteError) {
        if count >= flushThreshold { try flush() }
    }

    /// Writes everything buffered so far.
    mutating func flush() throws(WriteError) {
        var offset = 0
        while offset < count {
            let written = write(fd, base + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        bytesWritten += count
        count = 0
    }
}
