/// Writes parsed batches into the store with prepared statements, one transaction per batch.
///
/// A batch's rows and its file's checkpoint are committed together, so a crash or kill leaves the
/// store exactly as of some batch boundary and the next run resumes from the checkpoint. Rows are
/// inserted with `OR IGNORE` on their content key, so the same event read twice (a copy of a file,
/// overlapping exports, a replayed stretch) is stored once.
public final class StoreWriter {
    public let database: Database
    private let insertEvent: Statement
    private let insertQuarantine: Statement
    private let updateCheckpoint: Statement
    /// Certificate ids by content key, so each certificate is looked up once per run.
    var certificateIds: [Int64: Int64] = [:]
    /// Statements prepared once and reused, by SQL text.
    private var cachedStatements: [String: Statement] = [:]

    func cached(_ sql: String) throws -> Statement {
        if let statement = cachedStatements[sql] { return statement }
        let statement = try database.prepare(sql, persistent: true)
        cachedStatements[sql] = statement
        return statement
    }

    /// What one batch added.
    public struct Counts: Sendable, Equatable {
        public var events = 0
        public var duplicateEvents = 0
        public var sessions = 0
        public var quarantined = 0
        /// Rows that were the same event as a stored row but gave some field another value.
        public var variantEvents = 0
        public var quarantinedByReason: [String: Int] = [:]
        /// Quarantined lines counted but not stored, past ``StoreWriter/quarantineLinesKept`` per file and reason.
        public var quarantineNotStored = 0

        public static func += (lhs: inout Counts, rhs: Counts) {
            lhs.quarantineNotStored += rhs.quarantineNotStored
            lhs.events += rhs.events
            lhs.duplicateEvents += rhs.duplicateEvents
            lhs.sessions += rhs.sessions
            lhs.quarantined += rhs.quarantined
            lhs.variantEvents += rhs.variantEvents
            lhs.quarantinedByReason.merge(rhs.quarantinedByReason, uniquingKeysWith: +)
        }
    }

    /// Quarantined lines stored in full per file and per reason; the rest are only counted.
    /// 30 MB of junk lines once grew the store by 1.1 GB; the first lines show what is wrong, and
    /// `files.quarantined` keeps the true total.
    public static let quarantineLinesKept = 1_000
    /// Quarantine rows already stored, by file and reason (loaded from the store on a file's first batch).
    private var quarantineStored: [Int64: [String: Int]] = [:]

    private func storedQuarantine(fileId: Int64) throws -> [String: Int] {
        if let known = quarantineStored[fileId] { return known }
        var counts: [String: Int] = [:]
        try database.forEach("SELECT reason, count(*) AS n FROM quarantine WHERE file_id = ? GROUP BY reason", [.integer(fileId)]) { row in
            if let reason = row.string("reason") { counts[reason] = Int(row.int64("n") ?? 0) }
        }
        quarantineStored[fileId] = counts
        return counts
    }

    public init(database: Database) throws {
        self.database = database
        let textColumns = EventField.allCases.map(\.column)
        let columns = ["event_key", "file_id", "line", "byte_offset", "source_kind", "tenant_id", "origin_id", "time_ms", "smtp_code", "size"] + textColumns
        insertEvent = try database.prepare(
            "INSERT OR IGNORE INTO message_events (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))",
            persistent: true)
        insertQuarantine = try database.prepare(
            "INSERT OR IGNORE INTO quarantine (file_id, line, byte_offset, reason, detail, text) VALUES (?, ?, ?, ?, ?, ?)", persistent: true)
        updateCheckpoint = try database.prepare("""
            UPDATE files SET checkpoint_offset = ?, checkpoint_line = ?, window_hash = ?,
                events = events + ?, sessions = sessions + ?, quarantined = quarantined + ?, last_ingested_at = ?
            WHERE id = ?
            """, persistent: true)
    }

    /// Registers the start of an input: a new `files` row, or the existing one brought up to date.
    /// Fills in `plan`'s tenant and origin ids from their names.
    public func beginFile(_ plan: inout FilePlan, format: String, encoding: String?, now: String) throws -> Int64 {
        try database.transaction {
            if let name = plan.tenantName { plan.tenantId = try tenantId(named: name) }
            if let name = plan.originName { plan.originId = try originId(named: name, kind: format.hasPrefix("postfix") ? "relay" : "exchange-server") }
            if let id = plan.existingFileId {
                try database.prepare("""
                    UPDATE files SET path = ?, size = ?, fingerprint = ?, fingerprint_length = ?, format = ?, encoding = ?,
                        status = 'reading', damage = NULL, last_ingested_at = ?, tail_hash = ?, content_hash = ?,
                        tenant_id = coalesce(?, tenant_id), origin_id = coalesce(?, origin_id), assigned_by = coalesce(assigned_by, ?) WHERE id = ?
                    """).bindAndRun([.text(plan.path), .integer(plan.size), .integer(plan.fingerprint.hash), .integer(Int64(plan.fingerprint.length)),
                                     .text(format), SQLValue(encoding), .text(now), SQLValue(plan.tailHash), SQLValue(plan.contentHash),
                                     SQLValue(plan.tenantId), SQLValue(plan.originId), SQLValue(plan.assignedBy), .integer(id)])
                // Lines after the checkpoint are read again; their earlier verdicts are recomputed.
                try database.prepare("DELETE FROM quarantine WHERE file_id = ? AND byte_offset >= ?")
                    .bindAndRun([.integer(id), .integer(plan.resumeFrom.offset)])
                quarantineStored[id] = nil
                return id
            }
            let statement = try database.prepare("""
                INSERT INTO files (path, fingerprint, fingerprint_length, size, is_gzip, format, encoding, status,
                    tenant_id, origin_id, assigned_by, first_ingested_at, last_ingested_at, tail_hash, content_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'reading', ?, ?, ?, ?, ?, ?, ?)
                """)
            try statement.bind([.text(plan.path), .integer(plan.fingerprint.hash), .integer(Int64(plan.fingerprint.length)),
                                .integer(plan.size), SQLValue(plan.isGzip), .text(format), SQLValue(encoding),
                                SQLValue(plan.tenantId), SQLValue(plan.originId),
                                (plan.tenantId ?? plan.originId) == nil ? .null : SQLValue(plan.assignedBy), .text(now), .text(now),
                                SQLValue(plan.tailHash), SQLValue(plan.contentHash)])
            try statement.run()
            return database.lastInsertRowID
        }
    }

    /// The id of the tenant called `name` (lower-cased), created on first use.
    public func tenantId(named name: String) throws -> Int64 {
        let name = name.lowercased()
        try cached("INSERT OR IGNORE INTO tenants (name) VALUES (?)").bindAndRun([.text(name)])
        return try database.scalar("SELECT id FROM tenants WHERE name = ?", [.text(name)])!
    }

    /// The id of the sending server or relay called `name`, created on first use.
    public func originId(named name: String, kind: String) throws -> Int64 {
        try cached("INSERT OR IGNORE INTO origins (name, kind) VALUES (?, ?)").bindAndRun([.text(name), .text(kind)])
        return try database.scalar("SELECT id FROM origins WHERE name = ?", [.text(name)])!
    }

    /// Writes one batch and the file's new checkpoint in one transaction.
    ///
    /// Records from before `plan.resumeFrom` were stored by an earlier run and are skipped.
    public func write(_ batch: RecordBatch, fileId: Int64, plan: FilePlan, windowHash: Int64?, now: String) throws -> Counts {
        try database.transaction {
            var counts = Counts()
            try writeEvents(batch.events, fileId: fileId, plan: plan, counts: &counts)
            for session in batch.sessions where session.offset >= plan.resumeFrom.offset {
                if try write(session, fileId: fileId, originId: plan.originId) { counts.sessions += 1 }
            }
            for snapshot in batch.configurations where snapshot.offset >= plan.resumeFrom.offset {
                try write(snapshot, fileId: fileId, plan: plan)
            }
            var stored = batch.quarantined.isEmpty ? [:] : try storedQuarantine(fileId: fileId)
            defer { if !batch.quarantined.isEmpty { quarantineStored[fileId] = stored } }
            for line in batch.quarantined where line.offset >= plan.resumeFrom.offset {
                if stored[line.reason.rawValue, default: 0] >= Self.quarantineLinesKept {
                    counts.quarantined += 1
                    counts.quarantinedByReason[line.reason.rawValue, default: 0] += 1
                    counts.quarantineNotStored += 1
                    continue
                }
                try insertQuarantine.bind([.integer(fileId), .integer(Int64(line.line)), .integer(line.offset),
                                           .text(line.reason.rawValue), .text(line.detail), .text(line.text)])
                try insertQuarantine.run()
                if database.changes > 0 {
                    stored[line.reason.rawValue, default: 0] += 1
                    counts.quarantined += 1
                    counts.quarantinedByReason[line.reason.rawValue, default: 0] += 1
                }
            }
            try updateCheckpoint.bind([.integer(batch.checkpoint.offset), .integer(Int64(batch.checkpoint.line)), SQLValue(windowHash),
                                       .integer(Int64(counts.events)), .integer(Int64(counts.sessions)), .integer(Int64(counts.quarantined)),
                                       .text(now), .integer(fileId)])
            try updateCheckpoint.run()
            return counts
        }
    }

    private func writeEvents(_ events: EventBatch, fileId: Int64, plan: FilePlan, counts: inout Counts) throws {
        guard !events.isEmpty else { return }
        let statement = insertEvent
        let fieldCount = EventBatch.textFieldCount
        try events.arena.withUnsafeBytes { arena in
            try events.slots.withUnsafeBufferPointer { slots in
                for row in 0..<events.count {
                    let numbers = events.numbers[row]
                    guard numbers.offset >= plan.resumeFrom.offset else { continue }
                    statement.bind(numbers.key, at: 1)
                    statement.bind(fileId, at: 2)
                    statement.bind(numbers.line, at: 3)
                    statement.bind(numbers.offset, at: 4)
                    let kind = events.kinds[row].staticText
                    statement.bindStatic(UnsafeRawBufferPointer(start: kind.utf8Start, count: kind.utf8CodeUnitCount), at: 5)
                    if let tenant = plan.tenantId { statement.bind(tenant, at: 6) } else { statement.bindNull(at: 6) }
                    if let origin = plan.originId { statement.bind(origin, at: 7) } else { statement.bindNull(at: 7) }
                    statement.bind(numbers.timeMs, at: 8)
                    if let code = numbers.smtpCode { statement.bind(code, at: 9) } else { statement.bindNull(at: 9) }
                    if let size = numbers.size { statement.bind(size, at: 10) } else { statement.bindNull(at: 10) }
                    let base = row * 2 * fieldCount
                    for field in 0..<fieldCount {
                        let length = Int(slots[base + field * 2 + 1])
                        let index = Int32(11 + field)
                        if length < 0 {
                            statement.bindNull(at: index)
                        } else {
                            let start = Int(slots[base + field * 2])
                            statement.bindStatic(UnsafeRawBufferPointer(rebasing: arena[start..<start + length]), at: index)
                        }
                    }
                    try statement.run()
                    if database.changes > 0 {
                        counts.events += 1
                    } else {
                        counts.duplicateEvents += 1
                        if try recordVariants(of: row, in: events, arena: arena, slots: slots, fileId: fileId) { counts.variantEvents += 1 }
                    }
                }
            }
        }
    }

    /// Compares a row that was not inserted (its content key is stored already) with the stored
    /// row, and keeps every field the two disagree on in `event_variants`.
    ///
    /// The key covers what identifies an event; other fields can differ between two exports of the
    /// same event (one rounds the size, one has no subject). The stored row keeps its value, the
    /// other value stays visible beside it instead of being dropped. A field the new row lacks is
    /// no disagreement. Runs only for duplicates, which a resumed read never produces for rows
    /// before its checkpoint.
    ///
    /// - Returns: whether any field disagreed.
    private func recordVariants(of row: Int, in events: EventBatch, arena: UnsafeRawBufferPointer,
                                slots: UnsafeBufferPointer<Int32>, fileId: Int64) throws -> Bool {
        let numbers = events.numbers[row]
        let fieldCount = EventBatch.textFieldCount
        let base = row * 2 * fieldCount
        var differences: [(field: String, stored: String?, value: String)] = []
        let eventId = try database.fetchOne(Self.storedEventSQL, [.integer(numbers.key)]) { stored -> Int64? in
            for field in EventField.allCases where field != .timeText {
                let length = Int(slots[base + field.rawValue * 2 + 1])
                guard length >= 0 else { continue }
                let start = Int(slots[base + field.rawValue * 2])
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: arena[start..<start + length]), as: UTF8.self)
                let storedValue = stored.string(field.column)
                if storedValue != value { differences.append((field.column, storedValue, value)) }
            }
            if let size = numbers.size, stored.int64("size") != size {
                differences.append(("size", stored.int64("size").map { String($0) }, String(size)))
            }
            if let code = numbers.smtpCode, stored.int64("smtp_code") != code {
                differences.append(("smtp_code", stored.int64("smtp_code").map { String($0) }, String(code)))
            }
            return stored.int64("id")
        } ?? nil
        guard let eventId, !differences.isEmpty else { return false }
        let insert = try cached(Self.insertVariantSQL)
        for difference in differences {
            try insert.bindAndRun([.integer(eventId), .integer(fileId), .integer(numbers.line), .text(difference.field),
                                   SQLValue(difference.stored), .text(difference.value)])
        }
        return true
    }

    private static let storedEventSQL =
        "SELECT id, size, smtp_code, \(EventField.allCases.map(\.column).joined(separator: ", ")) FROM message_events WHERE event_key = ?"
    private static let insertVariantSQL =
        "INSERT OR IGNORE INTO event_variants (event_id, file_id, line, field, stored_value, value) VALUES (?, ?, ?, ?, ?, ?)"

    /// Records how reading the file ended.
    public func endFile(_ fileId: Int64, status: String, damage: String?, notes: [String], format: String, encoding: String?, now: String) throws {
        try database.transaction {
            try database.prepare("UPDATE files SET status = ?, damage = ?, notes = ?, format = ?, encoding = ?, last_ingested_at = ? WHERE id = ?")
                .bindAndRun([.text(status), SQLValue(damage), SQLValue(notes.isEmpty ? nil : notes.joined(separator: "\n")),
                             .text(format), SQLValue(encoding), .text(now), .integer(fileId)])
        }
    }
}

extension Statement {
    /// Binds, steps once and resets: for statements run a single time.
    func bindAndRun(_ values: [SQLValue]) throws {
        try bind(values)
        try run()
    }
}
