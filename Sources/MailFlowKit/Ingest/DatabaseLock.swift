#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock held for a whole ingest, so that two runs never write one store at once.
///
/// SQLite alone would serialise their transactions, but two runs reading the same new file would
/// both register it; one run at a time keeps checkpoints simple and true. The lock is a `flock`
/// on the database file, released by the kernel if the process dies.
public final class DatabaseLock {
    private let descriptor: Int32

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

    /// Takes the lock, waiting for another holder when `wait` is true (after calling `onWait`).
    public init(path: String, wait: Bool, onWait: () -> Void = {}) throws(Failure) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard wait else {
                close(fd)
                throw .busy(path: path)
            }
            onWait()
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR {
                    close(fd)
                    throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
                }
            }
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
