/// A batch of message events stored column-wise in one byte arena.
///
/// Parsers copy each field's bytes once into the arena and record where they are; the store binds
/// them straight from the arena with `SQLITE_STATIC`. No `String` is created per field, which is
/// what lets one core parse and another write at hundreds of thousands of rows a second.
public struct EventBatch: Sendable {
    public static let textFieldCount = EventField.allCases.count

    /// Integer columns of each row.
    public struct Numbers: Sendable {
        public var timeMs: Int64 = 0
        /// SMTP reply code of the recipient status, or `nil`.
        public var smtpCode: Int64? = nil
        public var size: Int64? = nil
        public var line: Int64 = 0
        public var offset: Int64 = 0
        /// Content hash that makes re-ingesting the same event a no-op.
        public var key: Int64 = 0
    }

    public private(set) var arena: [UInt8] = []
    /// `2 * textFieldCount` entries per row: start and length (length -1 means NULL).
    public private(set) var slots: [Int32] = []
    public private(set) var numbers: [Numbers] = []
    public private(set) var kinds: [EventSourceKind] = []

    public var count: Int { numbers.count }
    public var isEmpty: Bool { numbers.isEmpty }

    public init() {}

    public mutating func reserve(rows: Int, bytesPerRow: Int = 320) {
        arena.reserveCapacity(rows * bytesPerRow)
        slots.reserveCapacity(rows * 2 * Self.textFieldCount)
        numbers.reserveCapacity(rows)
    }

    /// Empties the batch, keeping its buffers for the next one (a recycled batch allocates nothing).
    public mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
    }

    /// Starts a row whose text fields are all NULL.
    public mutating func beginRow(kind: EventSourceKind, line: Int, offset: Int64) {
        for _ in 0..<Self.textFieldCount {
            slots.append(0)
            slots.append(-1)
        }
        var numbers = Numbers()
        numbers.line = Int64(line)
        numbers.offset = offset
        self.numbers.append(numbers)
        kinds.append(kind)
    }

    /// The numbers of the row being built.
    public var current: Numbers {
        get { numbers[numbers.count - 1] }
        set { numbers[numbers.count - 1] = newValue }
    }

    /// Sets a text field of the current row; empty input leaves it NULL.
    public mutating func set(_ field: EventField, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let slot = (numbers.count - 1) * 2 * Self.textFieldCount + field.rawValue * 2
        slots[slot] = Int32(arena.count)
        slots[slot + 1] = Int32(bytes.count)
        arena.append(contentsOf: bytes)
    }

    public mutating func set(_ field: EventField, _ text: String) {
        var text = text
        text.withUTF8 { set(field, UnsafeRawBufferPointer($0)) }
    }

    /// Sets a field to the ASCII-lower-cased copy of `bytes` (domains are compared lower-case).
    public mutating func setLowercased(_ field: EventField, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let slot = (numbers.count - 1) * 2 * Self.textFieldCount + field.rawValue * 2
        slots[slot] = Int32(arena.count)
        slots[slot + 1] = Int32(bytes.count)
        for byte in bytes {
            arena.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
    }

    /// Copies a field already set on the current row to another field.
    public mutating func copy(_ source: EventField, to target: EventField) {
        let base = (numbers.count - 1) * 2 * Self.textFieldCount
        slots[base + target.rawValue * 2] = slots[base + source.rawValue * 2]
        slots[base + target.rawValue * 2 + 1] = slots[base + source.rawValue * 2 + 1]
    }

    /// The bytes of a field of `row`, or `nil` when it is NULL. Valid while `arena` is not mutated.
    public func withField<R>(_ field: EventField, row: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        let slot = row * 2 * Self.textFieldCount + field.rawValue * 2
        let length = Int(slots[slot + 1])
        guard length >= 0 else { return try body(nil) }
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[Int(slots[slot])..<Int(slots[slot]) + length])) }
    }

    /// A field as a String, for tests and diagnostics.
    public func string(_ field: EventField, row: Int) -> String? {
        withField(field, row: row) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Finishes the current row by computing its content key from every field but `excluded`.
    ///
    /// Two rows with the same key are the same event: that is what makes overlapping inputs and
    /// re-runs harmless.
    public mutating func finishRow(excluding excluded: EventFieldSet = [.timeText]) {
        let row = numbers.count - 1
        var hasher = ContentHasher()
        hasher.combine(kinds[row].rawValue)
        hasher.combine(UInt64(bitPattern: numbers[row].timeMs))
        let base = row * 2 * Self.textFieldCount
        arena.withUnsafeBytes { arena in
            for field in EventField.allCases where !excluded.contains(field) {
                let length = Int(slots[base + field.rawValue * 2 + 1])
                hasher.combine(UInt64(bitPattern: Int64(length)))
                if length > 0 {
                    let start = Int(slots[base + field.rawValue * 2])
                    hasher.combine(UnsafeRawBufferPointer(rebasing: arena[start..<start + length]))
                }
            }
        }
        numbers[row].key = Int64(bitPattern: hasher.finalize())
    }

    /// Drops the row being built (a line that turned out to be bad after some fields were set).
    public mutating func discardCurrentRow() {
        numbers.removeLast()
        kinds.removeLast()
        slots.removeLast(2 * Self.textFieldCount)
    }
}
