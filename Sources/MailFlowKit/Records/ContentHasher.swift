/// A fast, stable 64-bit hash for content keys and file fingerprints.
///
/// Stable across runs and machines (unlike `Hasher`, which is seeded per process), because keys
/// are stored in the database and compared by later runs. Not cryptographic: it guards against
/// storing the same event twice, where a collision (about 1 in 10^8 at a million rows) would drop
/// one row.
public struct ContentHasher {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD

    public init() {}

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        state = (state ^ word) &* Self.multiplier
        state ^= state >> 32
    }

    public mutating func combine(_ value: UInt64) { mix(value) }

    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            mix(base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            mix(tail ^ 0xA5A5_0000_0000_0000)
        }
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    public func finalize() -> UInt64 {
        var value = state
        value ^= value >> 33
        value = value &* 0xC4CE_B9FE_1A85_EC53
        value ^= value >> 33
        return value
    }

    /// The hash of one byte buffer.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = ContentHasher()
        hasher.combine(UInt64(bytes.count))
        hasher.combine(bytes)
        return hasher.finalize()
    }
}
