import FoundationEssentials
import Glibc

/// Why a file's bytes could not be had.
public enum SourceFileError: Error, Sendable {
    /// The file does not exist.
    case missing
    /// The system refused (permissions, a folder…).
    case unreadable(String)
    /// Larger than the limit; nothing was read.
    case tooLarge(bytes: Int, limit: Int)
}

/// Reading a file's bytes with the size limit checked before anything is read.
public enum SourceFile {
    /// The read limit when none is given: 1 MiB, a schedule file's limit (`YAMLLimits.standard`).
    public static let defaultLimit = 1 << 20

    /// The file's bytes, or why they could not be had. `path` is relative to the folder open as
    /// `directory` (the current directory by default).
    public static func read(_ path: String, in directory: Int32 = AT_FDCWD, limit: Int = SourceFile.defaultLimit) -> Result<
        [UInt8], SourceFileError
    > {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(.unreadable("it is a folder")) }
        let size = Int(info.st_size)
        if size > limit { return .failure(.tooLarge(bytes: size, limit: limit)) }
        // A size of 0 may be empty, or a file that does not know its size (/proc): read to the end,
        // up to the limit.
        if size == 0 { return readToEnd(fd, limit: limit) }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var got = 0
            while got < size {
                let n = Glibc.read(fd, buffer.baseAddress! + got, size - got)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                guard n > 0 else { break }
                got += n
            }
            initialized = got  // a file that shrank while being read is taken as it now is
        }
        if failure != 0 { return .failure(.unreadable(String(cString: strerror(failure)))) }
        return .success(bytes)
    }

    /// The JSON file at `path` decoded as `type`, or nil when it is missing, too large or not that shape.
    public static func readJSON<T: Decodable>(_ type: T.Type, _ path: String, limit: Int = 1 << 22) -> T? {
        guard case .success(let bytes) = read(path, limit: limit) else { return nil }
        return try? JSONDecoder().decode(type, from: Data(bytes))
    }

    static func readToEnd(_ fd: Int32, limit: Int) -> Result<[UInt8], SourceFileError> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(.unreadable(String(cString: strerror(errno)))) }
            if n == 0 { return .success(bytes) }
            if bytes.count + n > limit { return .failure(.tooLarge(bytes: bytes.count + n, limit: limit)) }
            bytes += chunk[..<n]
        }
    }

    /// Creates `path` and its missing parents (`mkdir -p`); false with `errno` set when one cannot be made.
    /// A folder that exists is only looked at: `mkdir` of an existing one takes its parent's write
    /// lock, and the reports' 10,000 schedule folders share one parent (a first write of 10,000
    /// schedules' pages, on two cores, spun on that lock for a sixth of a `perf` profile).
    public static func makeFolders(_ path: String) -> Bool {
        if isFolder(path) { return true }
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where part != "." {
            built += "/" + part
            if isFolder(built) { continue }
            if mkdir(built, 0o755) != 0 && errno != EEXIST { return false }
        }
        return true
    }

    /// Whether `path` is a folder (or a link to one).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether something exists at `path` (a symlink counts when its target exists).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
