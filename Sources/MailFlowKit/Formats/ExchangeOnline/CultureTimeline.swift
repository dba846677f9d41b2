/// Turns the timestamps of one Exchange Online export into times, deciding the day/month order
/// of culture-formatted dates from the whole file, and emits the rows built from them.
///
/// A slash date such as `05/11/2026` reads two ways. The order is decided by the first value that
/// tells: a number above 12 (it can only be a day), or dots (`05.11.2026`, written only by
/// day-first cultures). Until then, rows with ambiguous dates are held back in memory, up to
/// ``maxHeldRows``; at the end of the file (or past that bound) the default applies: month first
/// for AM/PM times (en-US), day first for 24-hour times. Whatever was decided is reported in
/// ``notes``, with the reason, because a wrong guess moves events by up to eleven months.
///
/// Rows emitted here get their content key from the time truncated to the second: culture dates
/// carry no fractions while JSON exports do, and the same trace row must dedupe across both.
final class CultureTimeline {
    /// What a timestamp field turned out to be.
    enum Stamp {
        /// A known UTC time.
        case time(Int64)
        /// An ambiguous culture date, held until the order is known.
        case pending(CultureDate)
        /// Not readable: a sentence for the quarantine.
        case unreadable(String)
    }

    static let defaultMaxHeldRows = 100_000

    let kind: EventSourceKind
    let keyExclusions: EventFieldSet
    let keyToTheSecond: Bool
    let maxHeldRows: Int
    private let forcedOrder: ParseOptions.DateOrder?
    private(set) var order: ParseOptions.DateOrder?
    private(set) var notes: [String] = []

    private var held = EventBatch()
    private var heldDates: [CultureDate] = []
    private var sawCultureDate = false
    private var sawDesignator = false
    private var sawTwentyFourHour = false

    init(kind: EventSourceKind, options: ParseOptions, keyExclusions: EventFieldSet = [.timeText],
         keyToTheSecond: Bool = false, maxHeldRows: Int = CultureTimeline.defaultMaxHeldRows) {
        self.kind = kind
        self.keyExclusions = keyExclusions
        self.keyToTheSecond = keyToTheSecond
        self.maxHeldRows = maxHeldRows
        self.forcedOrder = options.dateOrder
    }

    /// The first line whose rows are held back, if any.
    var heldBack: Checkpoint? {
        guard let first = held.numbers.first else { return nil }
        return Checkpoint(offset: first.offset, line: Int(first.line) - 1)
    }

    var heldRowCount: Int { heldDates.count }

    /// Reads a timestamp field of `line`; a value that decides the order releases held rows into `events`.
    ///
    /// - Parameter column: the column's name as the file writes it, for quarantine messages.
    func stamp(_ text: UnsafeRawBufferPointer, column: String, line: Int, into events: inout EventBatch) -> Stamp {
        if let exact = ExchangeOnlineTimestamp.parseExact(text) { return .time(exact) }
        let shown = "'\(ByteText.string(ByteText.trimmed(text)).prefix(60))'"
        guard text.count > 0, let date = CultureDate.parse(text) else {
            let found = ByteText.trimmed(text).count == 0 ? "is empty" : "is \(shown)"
            return .unreadable("line \(line): \(column) \(found), expected a date such as 2026-11-24T09:03:12Z, 11/24/2026 9:03:12 AM or 24.11.2026 09:03:12")
        }
        if date.style == .yearFirst {
            guard let time = date.epochMilliseconds(order: .dayFirst) else {
                return .unreadable("line \(line): \(column) \(shown) is not a valid year/month/day date")
            }
            return .time(time)
        }
        if !sawCultureDate {
            sawCultureDate = true
            if let forcedOrder { decide(forcedOrder, because: "as asked with --date-format \(forcedOrder.rawValue)", into: &events) }
        }
        if date.hasDesignator { sawDesignator = true } else { sawTwentyFourHour = true }
        if order == nil {
            if date.style == .dayFirstSeparator {
                decide(.dayFirst, because: "dates are written with dots or dashes from line \(line) on, as only day-first cultures such as de-DE write them", into: &events)
            } else if date.leading > 12 {
                decide(.dayFirst, because: "a day of \(date.leading) appears on line \(line)", into: &events)
            } else if date.middle > 12 {
                decide(.monthFirst, because: "a day of \(date.middle) appears on line \(line)", into: &events)
            }
        }
        guard let order else {
            if !date.isAmbiguous, let time = date.epochMilliseconds(order: .dayFirst) { return .time(time) }
            return .pending(date)
        }
        guard let time = date.epochMilliseconds(order: order) else {
            return .unreadable("line \(line): \(column) \(shown) is not a valid date when read as \(Self.describe(order)), the order used for this file")
        }
        return .time(time)
    }

    /// Reads the timestamp of `record` like ``stamp(_:column:line:into:)``, but quarantines the
    /// record when the timestamp is unreadable.
    ///
    /// - Returns: the stamp to ``emit(_:line:into:_:)`` the record's rows with; `nil` when the
    ///   record was quarantined.
    func readableStamp(_ text: UnsafeRawBufferPointer, column: String, record: Line, into batch: inout RecordBatch) -> Stamp? {
        let stamp = stamp(text, column: column, line: record.number, into: &batch.events)
        if case .unreadable(let detail) = stamp {
            batch.quarantine(record, .badTimestamp, detail)
            return nil
        }
        return stamp
    }

    /// Emits one row stamped `stamp` (not `.unreadable`); `fill` sets its fields between
    /// `beginRow` and the key, which this method computes.
    func emit(_ stamp: Stamp, line: Line, into events: inout EventBatch, _ fill: (inout EventBatch) -> Void) {
        switch stamp {
        case .time(let time):
            events.beginRow(kind: kind, line: line.number, offset: line.offset)
            events.current.timeMs = time
            fill(&events)
            finishRow(&events, time: time)
        case .pending(let date):
            held.beginRow(kind: kind, line: line.number, offset: line.offset)
            fill(&held)
            heldDates.append(date)
            if heldDates.count >= maxHeldRows {
                decide(defaultOrder, because: "no date in the first \(maxHeldRows) held-back rows has a day above 12; \(defaultReason)", into: &events)
            }
        case .unreadable:
            preconditionFailure("an unreadable timestamp has no row")
        }
    }

    /// Decides the default order for dates still held at the end of the input and releases them.
    func finish(into events: inout EventBatch) {
        if order == nil, !heldDates.isEmpty {
            decide(defaultOrder, because: "no date in the file has a day above 12; \(defaultReason)", into: &events)
        }
    }

    private var defaultOrder: ParseOptions.DateOrder {
        sawDesignator && !sawTwentyFourHour ? .monthFirst : .dayFirst
    }

    private var defaultReason: String {
        sawDesignator && !sawTwentyFourHour
            ? "AM/PM times are read the en-US way, month first; pass --date-format dmy if that is wrong"
            : "24-hour slash dates are read day first; pass --date-format mdy if that is wrong"
    }

    private func decide(_ order: ParseOptions.DateOrder, because reason: String, into events: inout EventBatch) {
        self.order = order
        notes.append("dates read as \(Self.describe(order)) (\(reason))")
        release(into: &events)
    }

    static func describe(_ order: ParseOptions.DateOrder) -> String {
        order == .dayFirst ? "day/month/year" : "month/day/year"
    }

    /// Moves held rows into `events`, now that their dates can be read.
    private func release(into events: inout EventBatch) {
        guard let order, !heldDates.isEmpty else { return }
        for row in 0..<held.count {
            let numbers = held.numbers[row]
            events.beginRow(kind: held.kinds[row], line: Int(numbers.line), offset: numbers.offset)
            for field in EventField.allCases {
                held.withField(field, row: row) { bytes in
                    if let bytes { events.set(field, bytes) }
                }
            }
            // Both readings of an ambiguous date are valid dates, so this cannot fail.
            let time = heldDates[row].epochMilliseconds(order: order) ?? 0
            events.current.timeMs = time
            events.current.smtpCode = numbers.smtpCode
            events.current.size = numbers.size
            finishRow(&events, time: time)
        }
        held.removeAll()
        heldDates.removeAll(keepingCapacity: false)
    }

    private func finishRow(_ events: inout EventBatch, time: Int64) {
        guard keyToTheSecond else {
            events.finishRow(excluding: keyExclusions)
            return
        }
        events.current.timeMs = time.floorDivided(by: 1000) * 1000
        events.finishRow(excluding: keyExclusions)
        events.current.timeMs = time
    }
}
