#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock held for a whole ingest, so that two runs never write one store at once.
///
/// SQLite alone would serialise their transactions, but two runs reading the same new file would
/// both register it; one run at a time keeps checkpoints simple and true. The lock is a `flock` on
/// a separate file beside the database (`mailflow.db.lock`), released by the kernel if the process
/// dies. Never on the database itself: closing any descriptor of a file drops SQLite's POSIX locks
/// on it (SQLite's "How To Corrupt An SQLite Database File", §2.2).
public final class DatabaseLock {
    private let descriptor: Int32
    /// The lock file's path.
    public let path: String

    public enum Failure: Error, CustomStringConvertible {
        case busy(path: String)
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case .busy(let path):
                return "another mailflow ingest is writing to '\(path)'; wait for it to finish or use another --db"
            case .cannotOpen(let path, let reason):
                return "cannot lock database '\(path)': \(reason)"
            }
        }
    }

    /// Takes the lock for the database at `databasePath`, waiting for another holder when `wait`
    /// is true (after calling `onWait`).
    public init(path databasePath: String, wait: Bool, onWait: () -> Void = {}) throws(Failure) {
        let lockPath = StoreIdentity.lockPath(forDatabase: databasePath)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .cannotOpen(path: databasePath, reason: "cannot open its lock file '\(lockPath)': \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard wait else {
                close(fd)
                throw .busy(path: databasePath)
            }
            onWait()
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR {
                    close(fd)
                    throw .cannotOpen(path: databasePath, reason: String(cString: strerror(errno)))
                }
            }
        }
        descriptor = fd
        path = lockPath
    }

    /// True while some process holds the ingest lock of the database at `databasePath`: an ingest is writing.
    package static func isHeld(forDatabase databasePath: String) -> Bool {
        let fd = open(StoreIdentity.lockPath(forDatabase: databasePath), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
