import FoundationEssentials
import Glibc

/// An append-only file of JSON lines (a lineage, a retention log): each line written whole with
/// O_APPEND and made durable before `append` returns, the folder too when the file is new.
public enum JSONLines {
    /// Appends `value` as one compact line (sorted keys) to `path` in `folder`, making the folder.
    public static func append(_ value: some Encodable, to path: String, folder: String) throws(AtomicFile.Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line: [UInt8]
        do { line = Array(try encoder.encode(value)) + [0x0A] } catch { throw AtomicFile.Failure(path: path, reason: "\(error)") }
        guard SourceFile.makeFolders(folder) else { throw AtomicFile.Failure(path: folder, reason: String(cString: strerror(errno))) }
        let created = !SourceFile.exists(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var written = 0
        while written < line.count {
            let n = line[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
            written += n
        }
        guard fsync(fd) == 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
        if created { FileSystem.syncFolder(folder) }
    }

    /// Every line of `path` that decodes as `T`, in order (others are passed over); none when the
    /// file is missing.
    public static func read<T: Decodable>(_ type: T.Type, from path: String) -> [T] {
        guard case .success(let bytes) = SourceFile.read(path, limit: 1 << 30) else { return [] }
        let decoder = JSONDecoder()
        return bytes.split(separator: 0x0A).compactMap { try? decoder.decode(T.self, from: Data($0)) }
    }
}
