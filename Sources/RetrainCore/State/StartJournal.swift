import Glibc

/// Manual runs being started: `started/<run id>.json` beside the state file, written durably before
/// the run's supervisor is spawned and removed once the state that records the run is saved.
///
/// A slot run killed between its start and the state's save is found again, because the next pass
/// plans the same slot and so the same run id. A manual run's id comes from the clock when it was
/// started, so nothing would plan it again: its journal entry is what finds it. The next update under
/// the lock takes each entry the state does not know into the state as the schedule's active run,
/// and the run is then observed and finished like any other (an entry whose supervisor never started
/// is recorded as interrupted).
public struct StartJournal: Sendable {
    /// The folder.
    public let folder: String

    /// One run being started.
    public struct Entry: Codable, Sendable, Equatable {
        public var schedule: String
        public var run: ActiveRun
    }

    public init(folder: String) {
        self.folder = folder
    }

    func path(of runID: String) -> String { "\(folder)/\(runID).json" }

    /// Writes `run`'s entry durably; the run must not be started when this throws.
    public func note(_ run: ActiveRun, schedule: String) throws(AtomicFile.Failure) {
        guard FileSystem.isPlainName(run.id) else { throw AtomicFile.Failure(path: path(of: run.id), reason: "'\(run.id)' cannot name a file") }
        guard SourceFile.makeFolders(folder) else { throw AtomicFile.Failure(path: folder, reason: String(cString: strerror(errno))) }
        try AtomicFile.writeJSON(Entry(schedule: schedule, run: run), to: path(of: run.id))
    }

    /// The entries there, in run-id order (none when the folder does not exist). A file that does
    /// not read is left where it is, with a warning.
    public func entries(warn: (String) -> Void) -> [Entry] {
        guard let dir = opendir(folder) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = FileSystem.nameString(of: entry)
            if name.hasSuffix(".json") { names.append(name) }
        }
        closedir(dir)
        return names.sorted(by: codePointLess).compactMap { name in
            let path = "\(folder)/\(name)"
            guard let entry = SourceFile.readJSON(Entry.self, path, limit: 1 << 20), "\(entry.run.id).json" == name else {
                warn("\(path):1:1: this is not the record of a run being started; it is left as it is. Delete it once no run of it is going")
                return nil
            }
            return entry
        }
    }

    /// Removes the entries of `runIDs` (their runs are in a saved state now).
    public func remove(_ runIDs: [String]) {
        for id in runIDs where FileSystem.isPlainName(id) { unlink(path(of: id)) }
    }
}
