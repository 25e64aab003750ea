import Glibc

/// Notices waiting to be delivered: `outbox/<key>.json` beside the state file, one file a notice. The
/// state's `outbox` list names the ones that are committed; a file it does not name is left over from
/// a pass that died before saving the state (that pass is done again, and writes the same file) or
/// from a delivery that finished, and is swept under the lock.
public struct Outbox: Sendable {
    /// The folder.
    public let folder: String

    /// The outbox in `folder`.
    public init(folder: String) {
        self.folder = folder
    }

    /// The file of the notice named `key`.
    public func path(of key: String) -> String { "\(folder)/\(key).json" }

    /// Writes `notices` durably (before the state that names them is saved).
    public func write(_ notices: [Notice]) throws(AtomicFile.Failure) {
        guard !notices.isEmpty else { return }
        guard SourceFile.makeFolders(folder) else { throw AtomicFile.Failure(path: folder, reason: String(cString: strerror(errno))) }
        for notice in notices {
            guard FileSystem.isPlainName(notice.key) else {
                throw AtomicFile.Failure(path: path(of: notice.key), reason: "'\(notice.key)' cannot name a file")
            }
            try AtomicFile.writeJSON(notice, to: path(of: notice.key))
        }
    }

    /// The notice named `key`, if its file is there and reads.
    public func read(_ key: String) -> Notice? {
        guard FileSystem.isPlainName(key) else { return nil }
        return SourceFile.readJSON(Notice.self, path(of: key), limit: 16 << 20)
    }

    /// Records a delivery attempt (tries, last error, channels left). Not durable: losing it costs a
    /// second try, never a notice.
    public func update(_ notice: Notice) {
        try? AtomicFile.writeJSON(notice, to: path(of: notice.key), durable: false)
    }

    /// Removes the files no key in `committed` names.
    public func sweep(keeping committed: Set<String>) {
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        var leftovers: [String] = []
        while let entry = readdir(dir) {
            let name = FileSystem.nameString(of: entry)
            guard name.hasSuffix(".json"), !committed.contains(String(name.dropLast(5))) else { continue }
            leftovers.append(name)
        }
        for name in leftovers { unlink("\(folder)/\(name)") }
    }
}
