#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input named on the command line, or found inside a folder that was.
public struct InputFile: Sendable, Equatable {
    public var path: String
    /// Size in bytes, or `nil` for standard input.
    public var size: Int64?
    /// True when the user named this file; false when it was found inside a folder.
    public var isExplicit = true
    /// Last modification time (epoch ms), when known.
    public var modifiedMs: Int64?
    public var isStandardInput: Bool { path == FileByteSource.standardInputPath }
}

/// Expands the paths a user gave into the files to read.
///
/// Folders are walked recursively in a stable (byte-wise sorted) order, so two runs over the same
/// tree read files in the same order; hidden files and folders (`.name`) are skipped.
public enum InputDiscovery {
    public struct Problem: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public static func expand(_ paths: [String], excluding storeFiles: [String] = []) -> (files: [InputFile], problems: [Problem]) {
        var walk = Walk(storeFiles: storeFiles)
        for path in paths {
            if path == FileByteSource.standardInputPath {
                walk.files.append(InputFile(path: path, size: nil))
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                walk.problems.append(Problem(path: path, reason: String(cString: strerror(errno))))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk.directory(path, info)
            } else if walk.isStoreFile(path, info) {
                walk.problems.append(Problem(path: path, reason: "it is this mailflow store's own file, not an input"))
            } else {
                walk.files.append(InputFile(path: path, size: Int64(info.st_size), modifiedMs: modifiedMs(info)))
            }
        }
        return (walk.files, walk.problems)
    }

    /// One expansion's state: what was found, and the folders already walked.
    private struct Walk {
        var files: [InputFile] = []
        var problems: [Problem] = []
        /// Device and inode of every folder entered: two symlinks to their own folder would
        /// otherwise make the walk endless.
        private var visited: Set<FileIdentity> = []
        private var storeIdentities: Set<FileIdentity> = []
        /// `folder/name` of the store's files, folder resolved, for the ones not created yet (`-wal`).
        private var storeNames: Set<String> = []

        init(storeFiles: [String]) {
            for path in storeFiles {
                var info = stat()
                if stat(path, &info) == 0 { storeIdentities.insert(FileIdentity(info)) }
                storeNames.insert(Self.resolved(path))
            }
        }

        func isStoreFile(_ path: String, _ info: stat) -> Bool {
            storeIdentities.contains(FileIdentity(info)) || (!storeNames.isEmpty && storeNames.contains(Self.resolved(path)))
        }

        /// The path with its folder resolved through symlinks (`./mailflow.db` → `/work/x/mailflow.db`).
        static func resolved(_ path: String) -> String {
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            guard let real = realpath(folder.isEmpty ? "/" : folder, nil) else { return path }
            defer { free(real) }
            return String(cString: real) + "/" + name
        }

        mutating func directory(_ directory: String, _ info: stat) {
            guard visited.insert(FileIdentity(info)).inserted else { return }
            guard let handle = opendir(directory) else {
                problems.append(Problem(path: directory, reason: String(cString: strerror(errno))))
                return
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let raw = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
                if raw.first == UInt8(ascii: ".") { continue }
                guard let name = String(validating: raw, as: UTF8.self) else {
                    // A Swift String cannot carry these bytes to open(2); say so rather than skip in silence.
                    let shown = String(decoding: raw, as: UTF8.self)
                    let hex = raw.map { String($0, radix: 16) }.joined(separator: " ")
                    let base = directory.hasSuffix("/") ? directory : directory + "/"
                    problems.append(Problem(path: base + shown, reason: "its name is not valid UTF-8 (bytes \(hex)), so mailflow cannot open it; rename it and ingest again"))
                    continue
                }
                names.append(name)
            }
            closedir(handle)
            for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var info = stat()
                guard stat(path, &info) == 0 else {
                    let reason = errno
                    var link = stat()
                    let isDangling = reason == ENOENT && lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
                    if !isDangling { problems.append(Problem(path: path, reason: String(cString: strerror(reason)))) }
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: self.directory(path, info)
                case S_IFREG:
                    if isStoreFile(path, info) { continue }
                    files.append(InputFile(path: path, size: Int64(info.st_size), isExplicit: false, modifiedMs: InputDiscovery.modifiedMs(info)))
                default: break
                }
            }
        }
    }

    /// A file's device and inode.
    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// The mtime in epoch milliseconds, clamped to the years timestamps can name: a file dated
    /// far in the future (`touch -d @9223372036854775`) would overflow `seconds * 1000`.
    static func modifiedMs(_ info: stat) -> Int64 {
        modifiedMs(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
    }

    static func modifiedMs(seconds: Int64, nanoseconds: Int64) -> Int64 {
        let range = Timestamp.supportedMilliseconds
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? range.lowerBound : range.upperBound }
        return min(max(ms, range.lowerBound), range.upperBound - 999) + nanoseconds / 1_000_000
    }

    /// Reads up to `count` bytes from `offset` of a regular file (for fingerprints and windows).
    public static func readBytes(path: String, offset: Int64, count: Int) -> [UInt8]? {
        try? readBytesOrReason(path: path, offset: offset, count: count).get()
    }

    /// The operating system's reason a file cannot be read (`Permission denied`).
    public struct ReadFailure: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Like ``readBytes(path:offset:count:)``, with the operating system's reason when it fails.
    public static func readBytesOrReason(path: String, offset: Int64, count: Int) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadFailure(reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .failure(ReadFailure(reason: String(cString: strerror(errno)))) }
            if n == 0 { break }
            filled += n
        }
        return .success(Array(bytes[..<filled]))
    }
}
