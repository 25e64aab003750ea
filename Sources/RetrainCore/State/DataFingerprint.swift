import Crypto
import Glibc

/// The training data as a run read it.
public struct DataFingerprint: Codable, Sendable, Equatable {
    /// The path, as the schedule gives it.
    public var path: String
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String
    /// Its size in bytes.
    public var bytes: Int
    /// Lines after the header (a quoted field spanning lines counts once per line).
    public var rows: Int

    /// Reads `path` once, in 1 MiB blocks: hash, size and line count together.
    public static func of(_ path: String, displayPath: String) -> Result<DataFingerprint, AtomicFile.Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(
                AtomicFile.Failure(path: displayPath, reason: errno == ENOENT ? "the file does not exist" : String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        var lines = 0
        var last: UInt8 = 0x0A
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(AtomicFile.Failure(path: displayPath, reason: String(cString: strerror(errno)))) }
            if n == 0 { break }
            buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[..<n])
                hasher.update(bufferPointer: chunk)
                lines += ByteSearch.count(0x0A, in: chunk)
            }
            last = buffer[n - 1]
            total += n
        }
        if last != 0x0A { lines += 1 }  // a last line without its newline
        return .success(DataFingerprint(path: displayPath, sha256: hex(hasher.finalize()), bytes: total, rows: max(lines - 1, 0)))
    }
}
