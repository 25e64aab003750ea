import Glibc

/// File-system calls that have no better home.
public enum FileSystem {
    /// Where `path` (relative to `root`, or absolute) leads when that is outside `root`, both with
    /// their links resolved; nil when it is inside, or does not resolve (does not exist).
    /// A `readdir` record's name, read in place: the record is `d_reclen` bytes, often fewer than a
    /// whole `dirent` (whose name has room for 256), so neither the record nor its name is copied
    /// whole (AddressSanitizer caught such a copy reading past the end of the kernel's buffer).
    package static func name(of entry: UnsafeMutablePointer<dirent>) -> UnsafeBufferPointer<UInt8> {
        let record = UnsafeRawPointer(entry)
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let length = Int(record.load(fromByteOffset: MemoryLayout<dirent>.offset(of: \dirent.d_reclen)!, as: UInt16.self))
        let start = record + offset
        return UnsafeBufferPointer(
            start: start.assumingMemoryBound(to: UInt8.self), count: strnlen(start.assumingMemoryBound(to: CChar.self), max(0, length - offset)))
    }

    /// A `readdir` record's type (`DT_REG`, `DT_LNK`, `DT_UNKNOWN`…), read in place.
    package static func type(of entry: UnsafeMutablePointer<dirent>) -> UInt8 {
        UnsafeRawPointer(entry).load(fromByteOffset: MemoryLayout<dirent>.offset(of: \dirent.d_type)!, as: UInt8.self)
    }

    /// `name(of:)` as a string.
    package static func nameString(of entry: UnsafeMutablePointer<dirent>) -> String {
        String(decoding: name(of: entry), as: UTF8.self)
    }

    /// With `dataRoots`, a file that resolves inside one of them (itself resolved) is not outside.
    public static func resolvedOutside(_ path: String, root: String, dataRoots: [String] = []) -> String? {
        guard let file = realpath(path.hasPrefix("/") ? path : root + "/" + path, nil) else { return nil }
        defer { free(file) }
        let resolved = String(cString: file)
        for top in [root] + dataRoots {
            guard let base = realpath(top, nil) else { continue }
            defer { free(base) }
            if isUnder(resolved, anyOf: [String(cString: base)]) { return nil }
        }
        return resolved
    }

    /// Whether `path` is one of `folders` or inside one, compared as text (no links followed).
    public static func isUnder(_ path: String, anyOf folders: [String]) -> Bool {
        folders.contains { top in path == top || path.hasPrefix(top == "/" ? "/" : top + "/") }
    }

    /// Makes everything written to the file system holding `folder` durable, and `folder`'s own
    /// entries: one call after writing thousands of files, instead of an fsync each.
    package static func sync(folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = syncFileSystem(fd)
        fsync(fd)
        close(fd)
    }

    /// Makes `folder`'s entries durable (a file created or renamed in it survives a power cut).
    package static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Removes the folder `path` and everything in it; links inside are removed, never followed
    /// (a run folder holding a link to elsewhere removes the link only). Returns the first error
    /// (`errno`'s text), or nil when it is gone (or was not there).
    public static func removeTree(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? nil : String(cString: strerror(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return unlink(path) == 0 || errno == ENOENT ? nil : String(cString: strerror(errno)) }
        var problem: String? = nil
        if let dir = opendir(path) {
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = nameString(of: entry)
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(dir)
            for name in names { problem = problem ?? removeTree(path + "/" + name) }
        }
        guard rmdir(path) == 0 || errno == ENOENT else { return problem ?? String(cString: strerror(errno)) }
        return problem
    }

    /// Whether `path` names a folder (links followed).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `name` (a schedule id, a notice key) names a file inside a folder and nothing else:
    /// no slash, no leading dot.
    public static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.hasPrefix(".")
    }
}

/// glibc's syncfs(2), which the Glibc module leaves out (it is a GNU extension).
@_silgen_name("syncfs")
private func syncFileSystem(_ fd: Int32) -> Int32
