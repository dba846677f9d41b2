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

    public static func expand(_ paths: [String]) -> (files: [InputFile], problems: [Problem]) {
        var files: [InputFile] = []
        var problems: [Problem] = []
        for path in paths {
            if path == FileByteSource.standardInputPath {
                files.append(InputFile(path: path, size: nil))
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                problems.append(Problem(path: path, reason: String(cString: strerror(errno))))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(path, into: &files, problems: &problems)
            } else {
                files.append(InputFile(path: path, size: Int64(info.st_size), modifiedMs: modifiedMs(info)))
            }
        }
        return (files, problems)
    }

    private static func walk(_ directory: String, into files: inout [InputFile], problems: inout [Problem]) {
        guard let handle = opendir(directory) else {
            problems.append(Problem(path: directory, reason: String(cString: strerror(errno))))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(handle)
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: walk(path, into: &files, problems: &problems)
            case S_IFREG: files.append(InputFile(path: path, size: Int64(info.st_size), isExplicit: false, modifiedMs: modifiedMs(info)))
            default: break
            }
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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        return Array(bytes[..<filled])
    }
}
