import FoundationEssentials
import Glibc
import Synchronization

/// Why the state could not be read, written or locked. Each description says what to do.
public enum StateError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case damaged(path: String, line: Int, column: Int, problem: String)
    case wrongShape(path: String, field: String, problem: String)
    case newerVersion(path: String, found: Int, supported: Int)
    case locked(path: String, holder: LockInfo?, waitedSeconds: Double)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read the state file \(path): \(reason)"
        case .damaged(let path, let line, let column, let problem):
            return "\(path):\(line):\(column): error: the state file is damaged (\(problem)); nothing was changed. " + StateError.recovery(path)
        case .wrongShape(let path, let field, let problem):
            return "\(path):1:1: error: the state file does not have the expected shape at '\(field)' (\(problem)); nothing was changed. "
                + StateError.recovery(path)
        case .newerVersion(let path, let found, let supported):
            return
                "\(path):1:1: error: state version \(found) is newer than this retrain supports (\(supported)); nothing was changed. Upgrade retrain"
        case .locked(let path, let holder, let waited):
            let who = holder.map { "pid \($0.pid) on \($0.host) (\($0.operation) since \($0.acquiredAt))" } ?? "another process"
            return "the state file \(path) is locked by \(who); waited \(Int(waited)) s. Try again when it finishes, "
                + "or run `retrain unlock` if that process is gone"
        case .writeFailed(let path, let reason):
            return
                "cannot write the state file \(path): \(reason); the previous state is unchanged (a run started meanwhile is found and recorded by the next pass)"
        }
    }
}

extension StateError {
    /// How to get going again: the kept previous version when there is one, else a fresh start.
    static func recovery(_ path: String) -> String {
        if SourceFile.exists(path + ".previous") {
            return "Restore the version before the last change with `cp \(path).previous \(path)`, or move the file aside to start with no history"
        }
        return "There is no earlier version (\(path).previous) to restore; move the file aside to start with no history"
    }
}

/// Who holds the state lock, as recorded in the lock file.
public struct LockInfo: Codable, Sendable, Equatable {
    /// The holder's process id.
    public var pid: Int32
    /// The holder's host name.
    public var host: String
    /// What it is doing (`reconcile`, `run`…).
    public var operation: String
    /// Since when, ISO 8601 UTC.
    public var acquiredAt: String

    enum CodingKeys: String, CodingKey {
        case pid, host, operation
        case acquiredAt = "acquired_at"
    }
}

/// Reads and writes the state file: atomically, under an exclusive lock held only for a
/// read-modify-write, never while a training runs. It also owns what lives beside the state: each
/// schedule's ledger (`history/`), the outbox (`outbox/`), and the backup of a migrated version-1 file.
public struct StateStore: Sendable {
    /// The state file's path.
    public let path: String
    /// The lock file: `state.json.lock`. `flock` on it is the lock itself (released by the kernel if
    /// the holder dies); its content records the holder for messages.
    public var lockPath: String { path + ".lock" }
    /// The version before the last change.
    public var previousPath: String { path + ".previous" }
    /// A version-1 file as it was before it was migrated.
    public var backupPath: String { path + ".v1" }
    /// Each schedule's finished runs.
    public var history: HistoryLedger { HistoryLedger(folder: folderPath + "/history") }
    /// Notices waiting to be delivered.
    public var outbox: Outbox { Outbox(folder: folderPath + "/outbox") }
    /// The champion changes made by hand, per schedule.
    public var lineage: LineageLedger { LineageLedger(folder: folderPath + "/lineage") }
    /// Manual runs being started.
    public var started: StartJournal { StartJournal(folder: folderPath + "/started") }

    /// The last state read or written, by the file's identity then.
    private let memo = StateMemo()

    /// A store for the state file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The state; an absent file is an empty state. A damaged file is an error, never overwritten. A
    /// version-1 file is read as version 2 with its runs and notices in `legacy`. The file this store
    /// last read or wrote, unchanged since, is not decoded again (a version-1 one neither: the
    /// migrating pass read it while it read the schedules).
    public func load() throws -> StateFile {
        let before = FileIdentity(path)
        if let before, let known = memo.state(for: before) { return known }
        let (state, texts) = try decode()
        if let before, FileIdentity(path) == before { memo.remember(state, as: before) }
        if let texts { memo.remember(StateFile.EntryTexts(entries: state.schedules, texts: texts)) }
        return state
    }

    /// The state, and the text of each schedule's entry as the file holds it (nil for a version-1 file).
    private func decode() throws -> (StateFile, [String: String]?) {
        let bytes: [UInt8]
        switch SourceFile.read(path, limit: 1 << 30) {
        case .success(let b): bytes = b
        case .failure(.missing): return (StateFile(), nil)
        case .failure(.unreadable(let reason)): throw StateError.unreadable(path: path, reason: reason)
        case .failure(.tooLarge(let size, _)): throw StateError.unreadable(path: path, reason: "it is \(size) bytes")
        }
        // One decode on the way that matters; the version is looked at on its own only when the
        // whole does not decode (an older or newer version has another shape).
        struct Header: Decodable { var version: Int }
        // retrain writes `"version"` last: a file that ends as version 1 does is read as one first,
        // without a whole decode as version 2 that would fail (the whole read below still applies
        // when it is not one after all).
        if Self.endsAsVersion1(bytes), let state = try? StateMigration.decodeVersion1(bytes), state.version == StateFile.currentVersion {
            return (state, nil)
        }
        do {
            let (state, texts) = try JSONReader.decode(StateFile.self, from: bytes, membersOf: "schedules")
            guard state.version == StateFile.currentVersion else { throw VersionMismatch() }
            return (state, texts)
        } catch {
            guard let header = try? JSONReader.decode(Header.self, from: bytes), header.version != StateFile.currentVersion else {
                throw located(error)
            }
            if header.version > StateFile.currentVersion {
                throw StateError.newerVersion(path: path, found: header.version, supported: StateFile.currentVersion)
            }
            guard header.version == 1 else {
                throw StateError.wrongShape(path: path, field: "version", problem: "version \(header.version) was never written by retrain")
            }
            do {
                return (try StateMigration.decodeVersion1(bytes), nil)
            } catch {
                throw located(error)
            }
        }
    }

    private struct VersionMismatch: Error {}

    /// Whether the last bytes are `"version":1}` or `"version": 1` (and white space) then `}`.
    static func endsAsVersion1(_ bytes: [UInt8]) -> Bool {
        let tail = bytes.suffix(48).filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        return tail.count >= 12 && tail.suffix(12).elementsEqual("\"version\":1}".utf8)
    }

    private func located(_ error: Error) -> StateError {
        if let syntax = error as? JSONReader.SyntaxError {
            return .damaged(path: path, line: syntax.line, column: syntax.column, problem: syntax.problem)
        }
        switch error as? DecodingError {
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .keyNotFound(_, let c)?, .dataCorrupted(let c)?:
            var keys = c.codingPath
            if case .keyNotFound(let key, _)? = error as? DecodingError { keys.append(key) }
            let field = keys.map(\.stringValue).joined(separator: ".")
            return .wrongShape(path: path, field: field.isEmpty ? "the top" : field, problem: c.debugDescription)
        default:
            return .wrongShape(path: path, field: "the top", problem: "\(error)")
        }
    }

    /// Writes `state`: a temporary file, fsync, the old version kept as `.previous`, rename, fsync of
    /// the folder. A crash at any point leaves either the old or the new state, never half of one.
    /// Compact JSON with sorted keys: read and written by every pass, it is kept small (`retrain
    /// show ID --format json` is the readable view). The entries equal to those this store last
    /// read or wrote keep the text they had, so a pass that changes one schedule of 10,000 writes one.
    /// A partial state (`update(only:)`) writes its own entries and copies the others' text.
    public func save(_ state: StateFile) throws {
        try makeFolder()
        if state.isPartial {
            let (bytes, members) = state.splicedText()
            try write(bytes)
            if let written = FileIdentity(path) { memo.remember(Partial(bytes: bytes, members: members, outbox: state.outbox), as: written) }
            return
        }
        let (text, entries) = state.jsonText(reusing: memo.entryTexts())
        try write(text.utf8)
        memo.remember(entries)
        if let written = FileIdentity(path) { memo.remember(state, as: written) }
    }

    private func write(_ bytes: some Collection<UInt8>) throws {
        do {
            try AtomicFile.write(bytes, to: path, keepPrevious: true)
        } catch {
            throw StateError.writeFailed(path: path, reason: error.reason)
        }
    }

    /// A state file this store wrote in part, with where its entries are.
    struct Partial: Sendable {
        var bytes: [UInt8]
        var members: [JSONReader.Member]
        var outbox: [String]
    }

    /// The state with only the entries of `ids` decoded (`StateFile.partial`); nil when the file
    /// must be read whole (a version-1 file, a damaged one: `load` says what is wrong).
    func loadPartial(_ ids: Set<String>) -> StateFile? {
        guard let before = FileIdentity(path) else { return SourceFile.exists(path) ? nil : StateFile() }
        if let whole = memo.state(for: before) { return whole }
        if let known = memo.partial(for: before) {
            var state = StateFile()
            state.outbox = known.outbox
            for member in known.members where ids.contains(member.key) {
                guard
                    let entry = known.bytes.withUnsafeBufferPointer({
                        try? JSONReader.decode(ScheduleState.self, from: UnsafeBufferPointer(rebasing: $0[member.value]))
                    })
                else { return nil }
                state.schedules[member.key] = entry
            }
            state.unread = StateFile.Unread(bytes: known.bytes, members: known.members, decoded: ids)
            return state
        }
        guard case .success(let bytes) = SourceFile.read(path, limit: 1 << 30) else { return nil }
        return StateFile.partial(bytes, decoding: ids)
    }

    /// The folder the state file is in (its ledgers and logs beside it).
    public var folderPath: String { AtomicFile.folderOf(path) }

    /// Creates the state file's folder (and its parents) when missing.
    func makeFolder() throws {
        guard SourceFile.makeFolders(folderPath) else {
            throw StateError.writeFailed(path: path, reason: "cannot create \(folderPath): \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `body` on the state under the lock, then commits: the runs it recorded are appended to
    /// their ledgers and the notices it queued written to the outbox (both durable), and then the
    /// state is saved if it changed. A version-1 file is migrated first.
    /// `warn` receives one line when a lock left by a process that died was taken over.
    /// With `only`, the state holds the entries of those schedules alone (and of manual runs found
    /// in the start journal); the others are copied unchanged when it is saved (`StateFile.partial`):
    /// a command about one schedule costs the same whatever the others hold.
    public func update<T>(
        operation: String, now: Instant, only: Set<String>? = nil, waitSeconds: Double = 10, warn: (String) -> Void,
        _ body: (inout StateChange) throws -> T
    ) throws -> T {
        let lock = try StateLock.acquire(self, operation: operation, now: now, waitSeconds: waitSeconds, warn: warn)
        defer { lock.release() }
        // A process killed while it wrote the state left its temporary: no one else writes here now.
        AtomicFile.sweepTemporaries(in: AtomicFile.folderOf(path))
        var change = try begin(only: only, warn: warn)
        let result = try body(&change)
        try commit(change)
        return result
    }

    /// `update` with an asynchronous body (notification delivery runs commands under the lock, so two
    /// reconcilers never send the same notice).
    public func updateAsync<T>(
        operation: String, now: Instant, only: Set<String>? = nil, waitSeconds: Double = 10, warn: (String) -> Void,
        _ body: (inout StateChange) async throws -> T
    ) async throws -> T {
        let lock = try StateLock.acquire(self, operation: operation, now: now, waitSeconds: waitSeconds, warn: warn)
        defer { lock.release() }
        var change = try begin(only: only, warn: warn)
        let result = try await body(&change)
        try commit(change)
        return result
    }

    /// The state as read under the lock, migrated when it was version 1, with the manual runs
    /// whose start a killed process never recorded taken in (see `StartJournal`).
    private func begin(only: Set<String>?, warn: (String) -> Void) throws -> StateChange {
        let journal = started.entries(warn: warn)
        var state = try only.flatMap { loadPartial($0.union(journal.map(\.schedule))) } ?? load()
        let migrated = state.legacy != nil
        try StateMigration.migrate(&state, store: self)
        let before = migrated ? nil : state
        var recovered: [String] = []
        for entry in journal {
            guard let schedule = state.schedules[entry.schedule] else { continue }  // known once a pass adopts its schedule
            if schedule.activeRun?.id == entry.run.id || history.ids(entry.schedule).contains(entry.run.id) {
                recovered.append(entry.run.id)  // recorded already
            } else if schedule.activeRun == nil {
                state.schedules[entry.schedule]!.activeRun = entry.run
                recovered.append(entry.run.id)
                warn("\(entry.run.id) was started by a process that ended before recording it; it is followed from now on")
            }
        }
        var change = StateChange(state: state, before: before)
        change.journaled = recovered
        return change
    }

    private func commit(_ change: StateChange) throws {
        var state = change.state
        do {
            try history.append(change.records.map { ($0.schedule, $0.records) })
            try outbox.write(change.notices)
        } catch {
            throw StateError.writeFailed(path: path, reason: error.reason)
        }
        var queued = Set(state.outbox)
        for notice in change.notices where queued.insert(notice.key).inserted { state.outbox.append(notice.key) }
        if state != change.before { try save(state) }
        started.remove(change.journaled)
        for id in change.forgotten {
            history.remove(id)
            lineage.remove(id)
            if FileSystem.isPlainName(id) { unlink("\(folderPath)/retention/\(id).jsonl") }
        }
    }

    /// Removes the lock file by hand, returning who held it (if recorded).
    public func unlock() throws -> LockInfo? {
        let holder = StateLock.holder(at: lockPath)
        if unlink(lockPath) != 0 && errno != ENOENT {
            throw StateError.writeFailed(path: lockPath, reason: String(cString: strerror(errno)))
        }
        return holder
    }

    /// Who holds the lock now, if anyone does.
    public func currentHolder() -> LockInfo? {
        let fd = open(lockPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return StateLock.holder(at: lockPath)
    }
}

/// One read-modify-write of the state (`StateStore.update`): the state, and what goes beside it when
/// the change is committed.
public struct StateChange: Sendable {
    /// The state, to change.
    public var state: StateFile
    /// The state as read (nil after a migration: it is saved whatever the body does).
    let before: StateFile?
    /// Runs finished in this change, by schedule, in the order they were recorded.
    private(set) var records: [(schedule: String, records: [RunRecord])] = []
    private var recordIndex: [String: Int] = [:]
    /// Notices queued in this change.
    private(set) var notices: [Notice] = []
    /// Schedules whose ledgers are removed once the state is saved (`--prune`).
    private(set) var forgotten: [String] = []
    /// Runs whose `StartJournal` entries are removed once the state is saved: the state records them.
    var journaled: [String] = []

    init(state: StateFile, before: StateFile?) {
        self.state = state
        self.before = before
    }

    /// Appends `record` to `schedule`'s ledger when the change is committed.
    public mutating func record(_ record: RunRecord?, schedule: String) {
        guard let record else { return }
        if let index = recordIndex[schedule] {
            records[index].records.append(record)
        } else {
            recordIndex[schedule] = records.count
            records.append((schedule, [record]))
        }
    }

    /// Queues `notice` when the change is committed.
    public mutating func queue(_ notice: Notice?) {
        guard let notice else { return }
        notices.append(notice)
    }

    /// Removes `schedule`'s ledger once the state no longer has it.
    public mutating func forget(_ schedule: String) {
        forgotten.append(schedule)
    }
}

/// A held state lock.
final class StateLock {
    private var fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    static func acquire(_ store: StateStore, operation: String, now: Instant, waitSeconds: Double, warn: (String) -> Void) throws -> StateLock {
        let path = store.lockPath
        try store.makeFolder()
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        let pause: useconds_t = 50_000
        var waited = 0.0
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, waited < waitSeconds else {
                let holder = holder(at: path)
                close(fd)
                throw StateError.locked(path: store.path, holder: holder, waitedSeconds: waited)
            }
            // A wait of more than a moment is said once, with who is waited for.
            if !told && waited >= 1 {
                told = true
                let who = holder(fd: fd).map { "pid \($0.pid) on \($0.host) (\($0.operation) since \($0.acquiredAt))" } ?? "another process"
                warn("the state lock \(path) is held by \(who); waiting up to \(Int(waitSeconds)) s for it")
            }
            usleep(pause)
            waited += Double(pause) / 1_000_000
        }
        // A record left behind means its writer ended while holding the lock (the kernel let it
        // go): its pid may run something else by now, so only the lock is spoken of.
        if let stale = holder(fd: fd) {
            warn(
                "took over the state lock recorded for pid \(stale.pid) on \(stale.host) (\(stale.operation) since \(stale.acquiredAt)): "
                    + "the lock was free, so that process ended without clearing its record")
        }
        let info = LockInfo(pid: getpid(), host: Host.name, operation: operation, acquiredAt: now.description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The record is advisory (it names the holder in messages); when it cannot be written (a
        // full disk), the lock still holds, and the holder is "another process".
        if let data = try? encoder.encode(info) {
            ftruncate(fd, 0)
            _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            fsync(fd)
        }
        return StateLock(fd: fd)
    }

    /// Clears the record and lets go. The file stays: removing it could let a waiter that already
    /// opened it and a newcomer that creates a new one both believe they hold the lock.
    func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    static func holder(at path: String) -> LockInfo? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return holder(fd: fd)
    }

    static func holder(fd: Int32) -> LockInfo? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return try? JSONDecoder().decode(LockInfo.self, from: Data(buffer[..<n]))
    }
}

/// Which file a path names and which version of it: device, inode (a rename-replace makes a new
/// one), size and modification time.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }
}

/// The last state a store read or wrote (`run --wait` reads the file when it starts the run and
/// again when it finishes it; at 10,000 schedules a decode is 70 ms).
final class StateMemo: Sendable {
    private let last = Mutex<(FileIdentity, StateFile)?>(nil)
    /// The entries' texts last read or written: valid whatever the file holds now, as each text is
    /// the one of its entry.
    private let texts = Mutex<StateFile.EntryTexts?>(nil)

    func entryTexts() -> StateFile.EntryTexts? {
        texts.withLock { $0 }
    }

    func remember(_ entries: StateFile.EntryTexts) {
        texts.withLock { $0 = entries }
    }

    func state(for identity: FileIdentity) -> StateFile? {
        last.withLock { known in known.flatMap { $0.0 == identity ? $0.1 : nil } }
    }

    func remember(_ state: StateFile, as identity: FileIdentity) {
        last.withLock { $0 = (identity, state) }
    }

    /// The file last written in part.
    private let written = Mutex<(FileIdentity, StateStore.Partial)?>(nil)

    func partial(for identity: FileIdentity) -> StateStore.Partial? {
        written.withLock { known in known.flatMap { $0.0 == identity ? $0.1 : nil } }
    }

    func remember(_ partial: StateStore.Partial, as identity: FileIdentity) {
        written.withLock { $0 = (identity, partial) }
    }
}
