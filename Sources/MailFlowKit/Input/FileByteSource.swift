#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or standard input) with plain `read(2)` calls into a caller-owned buffer.
///
/// The source owns its file descriptor and closes it on deinit; it never buffers more than the
/// caller's buffer, so memory stays flat whatever the file size.
public final class FileByteSource {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Bytes delivered so far: the offset of the next byte in the file.
    public private(set) var offset: Int64 = 0

    /// The conventional path that names standard input.
    public static let standardInputPath = "-"

    public init(path: String) throws(InputError) {
        self.path = path
        if path == Self.standardInputPath {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        var fd = open(path, O_RDONLY | O_CLOEXEC)
        // Opening a named pipe waits for its writer, and a signal may interrupt the wait.
        while fd < 0, errno == EINTR { fd = open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .cannotOpen(path: path, reason: "it is a directory")
        }
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Fills as much of `buffer` as one read allows; returns 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                offset += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            throw .readFailed(path: path, offset: offset, reason: String(cString: strerror(errno)))
        }
    }

    /// Skips `count` bytes from the current position (seeks when possible, reads otherwise).
    public func skip(_ count: Int64) throws(InputError) {
        guard count > 0 else { return }
        if ownsDescriptor, lseek(descriptor, off_t(offset + count), SEEK_SET) >= 0 {
            offset += count
            return
        }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { scratch.deallocate() }
        var remaining = count
        while remaining > 0 {
            let slice = UnsafeMutableRawBufferPointer(rebasing: scratch[..<Int(min(Int64(scratch.count), remaining))])
            let n = try read(into: slice)
            if n == 0 { return }
            remaining -= Int64(n)
        }
    }
}
