import Foundation

/// Renders an ``IngestSummary`` for people (a short text summary) or machines (JSON).
public enum IngestReport {
    public static func text(_ summary: IngestSummary) -> String {
        var lines: [String] = []
        let counted = summary.files.filter { ![.unreadable, .unrecognized, .refused].contains($0.status) }
        let byStatus = Dictionary(grouping: summary.files, by: \.status).mapValues(\.count)
        var fileParts = ["\(summary.files.count) input\(summary.files.count == 1 ? "" : "s")"]
        for status in [IngestSummary.Status.ingested, .resumed, .unchanged, .duplicate, .skipped, .damaged, .unreadable, .unrecognized, .refused] {
            if let count = byStatus[status] { fileParts.append("\(count) \(status.rawValue)") }
        }
        lines.append("files:        " + fileParts.joined(separator: ", "))
        lines.append("events:       \(grouped(summary.events)) new" + (summary.duplicateEvents > 0 ? ", \(grouped(summary.duplicateEvents)) already stored" : ""))
        lines.append("sessions:     \(grouped(summary.sessions)) SMTP sessions")
        if summary.quarantined > 0 {
            let reasons = summary.quarantinedByReason.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("quarantined:  \(grouped(summary.quarantined)) lines (\(reasons)); see 'mailflow quarantine'")
        } else {
            lines.append("quarantined:  0 lines")
        }
        let megabytes = Double(summary.bytesRead) / 1_000_000
        lines.append(String(format: "read:         %.1f MB in %.2f s (%.1f MB/s)", megabytes, summary.elapsedSeconds, summary.megabytesPerSecond))
        lines.append("database:     \(summary.database)")
        for file in counted where !file.notes.isEmpty {
            for note in file.notes { lines.append("note:         \(file.path): \(note)") }
        }
        for warning in summary.warnings { lines.append("warning:      " + warning) }
        for file in summary.incompleteInputs {
            let label = file.status == .damaged ? "damaged:" : file.status == .refused ? "refused:" : "unreadable:"
            lines.append(label.padding(toLength: 14) + (file.problem ?? file.path))
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ summary: IngestSummary) -> String {
        struct Payload: Encodable {
            let database: String
            let complete: Bool
            let events: Int
            let duplicateEvents: Int
            let sessions: Int
            let quarantined: Int
            let quarantinedByReason: [String: Int]
            let bytesRead: Int64
            let elapsedSeconds: Double
            let megabytesPerSecond: Double
            let files: [IngestSummary.FileOutcome]
            let warnings: [String]
        }
        let payload = Payload(database: summary.database, complete: summary.isComplete, events: summary.events,
                              duplicateEvents: summary.duplicateEvents, sessions: summary.sessions, quarantined: summary.quarantined,
                              quarantinedByReason: summary.quarantinedByReason, bytesRead: summary.bytesRead,
                              elapsedSeconds: (summary.elapsedSeconds * 1000).rounded() / 1000,
                              megabytesPerSecond: (summary.megabytesPerSecond * 10).rounded() / 10, files: summary.files,
                              warnings: summary.warnings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(payload)) ?? Data(), as: UTF8.self)
    }

    /// One progress line: `[3/12] 412.0/786.3 MB  612,000 rows/s  ETA 0:07  MSGTRK2026112410-1.LOG`.
    public static func progressLine(_ progress: IngestProgress) -> String {
        let done = Double(progress.bytesRead) / 1_000_000
        let total = Double(progress.bytesTotal) / 1_000_000
        var line = String(format: "[%d/%d] %.1f/%.1f MB  %@ records/s", progress.fileIndex + 1, progress.fileCount, done, total,
                          grouped(Int(progress.recordsPerSecond)))
        if let left = progress.estimatedSecondsLeft {
            line += String(format: "  ETA %d:%02d", Int(left) / 60, Int(left) % 60)
        }
        let name = progress.currentPath.split(separator: "/").last.map(String.init) ?? progress.currentPath
        return line + "  " + name
    }

    /// `1234567` → `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }
}

extension String {
    func padding(toLength width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

extension IngestSummary {
    /// True when at least one input was a log or export mailflow reads (read now, resumed, or read before).
    package var readAnything: Bool {
        files.contains { [.ingested, .resumed, .unchanged, .damaged, .duplicate].contains($0.status) }
    }
}

extension IngestReport {
    /// Why a run read nothing, with what to do: for the error that replaces "No findings".
    package static func nothingReadReason(_ summary: IngestSummary) -> String {
        let unreadable = summary.files.filter { $0.status == .unreadable }.count
        let unrecognized = summary.files.filter { [.unrecognized, .skipped, .refused].contains($0.status) }.count
        if summary.files.isEmpty { return "no files were found at the paths given; check the paths" }
        var parts: [String] = []
        if unreadable > 0 { parts.append("\(unreadable) path(s) could not be opened (mistyped?)") }
        if unrecognized > 0 { parts.append("\(unrecognized) file(s) are not a log or export mailflow reads ('mailflow formats' lists those it does)") }
        return parts.isEmpty ? "none of the \(summary.files.count) input(s) was read" : parts.joined(separator: "; ")
    }
}
