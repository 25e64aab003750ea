import FoundationEssentials
import Glibc

/// Whole-file replacement that a crash cannot tear: a temporary file beside the target, fsync,
/// rename over the target, fsync of the folder. Readers see the old content or the new, never half.
public enum AtomicFile {
    /// Why a write failed, as `strerror` says it.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Replaces `path` with `bytes`. With `keepPrevious`, the content being replaced is kept as
    /// `path.previous` (by hard link, so that step is atomic too). `durable: false` skips the two
    /// fsyncs: still never torn, but a power cut may lose the new content (for files that can be
    /// derived again, or whose loss a later pass handles).
    /// With `temporaryIn`, the temporary is made in that folder (on the same filesystem), named after
    /// `path`'s part below `namedBelow` (that folder when nil): a writer killed mid-write then leaves
    /// it where one sweep finds it (`sweepTemporaries`), not in one of thousands of folders.
    public static func write(
        _ bytes: some Collection<UInt8>, to path: String, keepPrevious: Bool = false, durable: Bool = true, temporaryIn: String? = nil,
        namedBelow: String? = nil
    ) throws(Failure) {
        var temporary = "\(path).tmp-\(getpid())"
        if let folder = temporaryIn {
            let base = namedBelow ?? folder
            if path.hasPrefix(base + "/") {
                temporary = folder + "/" + path.dropFirst(base.count + 1).replacing("/", with: "%") + ".tmp-\(getpid())"
            }
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        let contiguous = Array(bytes)
        var ok = contiguous.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && (!durable || fsync(fd) == 0)
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok else {
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
        if keepPrevious && SourceFile.exists(path) {
            let previousTemporary = "\(path).previous.tmp-\(getpid())"
            unlink(previousTemporary)
            if link(path, previousTemporary) == 0 { rename(previousTemporary, path + ".previous") }
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
        guard durable else { return }
        FileSystem.syncFolder(folderOf(path))
    }

    /// Removes the temporaries (`NAME.tmp-PID`, `NAME.previous.tmp-PID`) in `folder` that a process
    /// killed part-way through `write` left, whatever PID it had, when that process is gone. Call it
    /// where no other live writer can be mid-write into `folder` (under the state's lock).
    public static func sweepTemporaries(in folder: String) {
        guard let dir = opendir(folder) else { return }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let name = FileSystem.nameString(of: entry)
            guard let mark = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[mark.upperBound...]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { stale.append(name) }
        }
        closedir(dir)
        for name in stale { unlink(folder + "/" + name) }
    }

    /// Encodes `value` as sorted, indented JSON (one trailing newline) and writes it atomically.
    public static func writeJSON(_ value: some Encodable, to path: String, keepPrevious: Bool = false, durable: Bool = true) throws(Failure) {
        let data: Data
        do { data = try jsonEncoder.encode(value) } catch { throw Failure(path: path, reason: "\(error)") }
        try write(data + [0x0A], to: path, keepPrevious: keepPrevious, durable: durable)
    }

    /// The encoder retrain's own JSON files use: sorted keys, so output is deterministic.
    public static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The folder holding `path`.
    public static func folderOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
