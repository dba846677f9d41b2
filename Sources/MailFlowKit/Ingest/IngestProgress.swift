/// A snapshot of a running ingest, for progress displays.
public struct IngestProgress: Sendable {
    public var fileIndex: Int
    public var fileCount: Int
    public var currentPath: String
    /// Raw bytes read so far, over all inputs.
    public var bytesRead: Int64
    /// Raw bytes of all regular-file inputs (standard input counts as unknown).
    public var bytesTotal: Int64
    /// Records (events, sessions, quarantined lines) parsed so far.
    public var records: Int
    public var elapsedSeconds: Double

    public var recordsPerSecond: Double { elapsedSeconds > 0 ? Double(records) / elapsedSeconds : 0 }

    /// Seconds left at the current rate, when the total is known.
    public var estimatedSecondsLeft: Double? {
        guard bytesTotal > 0, bytesRead > 0, elapsedSeconds > 0.5 else { return nil }
        return elapsedSeconds * Double(bytesTotal - bytesRead) / Double(bytesRead)
    }
}
