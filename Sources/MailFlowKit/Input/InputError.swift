/// Why an input could not be read, or could be read only in part.
///
/// Every case names the file and, where the damage is inside the data, the byte offset at which it
/// starts, so that a user can look at the bytes and a script can report them.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not exist or cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The operating system refused a read in the middle of the file.
    case readFailed(path: String, offset: Int64, reason: String)
    /// The gzip data is damaged; everything decoded before `decodedOffset` was delivered.
    case corruptGzip(path: String, compressedOffset: Int64, decodedOffset: Int64, message: String)
    /// The gzip data stops in the middle of a member (an interrupted copy or download).
    case truncatedGzip(path: String, compressedOffset: Int64, decodedOffset: Int64)

    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .readFailed(let path, _, _),
            .corruptGzip(let path, _, _, _), .truncatedGzip(let path, _, _):
            return path
        }
    }

    /// True when rows before the damage were read and kept: the input is damaged, not unreadable.
    public var isPartial: Bool {
        switch self {
        case .cannotOpen: return false
        case .readFailed, .corruptGzip, .truncatedGzip: return true
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open '\(path)': \(reason)"
        case .readFailed(let path, let offset, let reason):
            return "reading '\(path)' failed at byte \(offset): \(reason)"
        case .corruptGzip(let path, let compressedOffset, let decodedOffset, let message):
            return "'\(path)' is damaged gzip data at compressed byte \(compressedOffset) (\(message)); "
                + "the \(decodedOffset) bytes decoded before the damage were kept"
        case .truncatedGzip(let path, let compressedOffset, let decodedOffset):
            return "'\(path)' ends in the middle of a gzip member at compressed byte \(compressedOffset); "
                + "the \(decodedOffset) bytes decoded before the cut were kept"
        }
    }
}
