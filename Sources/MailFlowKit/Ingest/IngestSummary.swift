/// What an ingest did, per input and in total: the basis of the printed summary and the exit code.
public struct IngestSummary: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Read to the end.
        case ingested
        /// Continued from a checkpoint (a grown log, or a run that was interrupted).
        case resumed
        /// Same content as already stored: nothing to do.
        case unchanged
        /// Read up to damage (a cut or corrupt gzip); what came before was kept.
        case damaged
        /// Could not be opened or read at all.
        case unreadable
        /// Not a format mailflow reads.
        case unrecognized
        /// Recognised, but in a shape that lost what mailflow needs; the problem says what to export instead.
        case refused
        /// The same content was given twice in this run.
        case duplicate
        /// Found inside a folder but not in a format mailflow reads (a README, a script).
        case skipped
    }

    public struct FileOutcome: Sendable, Codable {
        public var path: String
        public var status: Status
        public var format: String?
        public var encoding: String?
        public var compressed: Bool = false
        public var bytes: Int64 = 0
        public var events = 0
        public var duplicateEvents = 0
        public var sessions = 0
        public var quarantined = 0
        public var resumedAt: Int64?
        /// For damaged, unreadable or unrecognised inputs: what happened, where, and what to do.
        public var problem: String?
        public var notes: [String] = []
    }

    public var database: String
    public var files: [FileOutcome] = []
    public var quarantinedByReason: [String: Int] = [:]
    public var elapsedSeconds: Double = 0
    /// Things the user should know that are not errors (a gap between trace exports).
    public var warnings: [String] = []

    public var events: Int { files.reduce(0) { $0 + $1.events } }
    public var duplicateEvents: Int { files.reduce(0) { $0 + $1.duplicateEvents } }
    public var sessions: Int { files.reduce(0) { $0 + $1.sessions } }
    public var quarantined: Int { files.reduce(0) { $0 + $1.quarantined } }
    public var bytesRead: Int64 { files.reduce(0) { $0 + $1.bytes } }

    public var megabytesPerSecond: Double {
        elapsedSeconds > 0 ? Double(bytesRead) / 1_000_000 / elapsedSeconds : 0
    }

    /// Inputs that were not read in full: the reason for a non-zero exit.
    public var incompleteInputs: [FileOutcome] {
        files.filter { [.damaged, .unreadable, .unrecognized, .refused].contains($0.status) }
    }

    public var isComplete: Bool { incompleteInputs.isEmpty }
}

extension IngestSummary {
    /// Exit status of `mailflow ingest` when some input could not be read in full.
    public static let incompleteExitCode: Int32 = 3
}
