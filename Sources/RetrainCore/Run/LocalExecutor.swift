import FoundationEssentials
import Glibc

/// Runs on this machine: each attempt is a detached `retrain __supervise` process in a session of its
/// own, so it outlives the reconciler that started it, and it writes only into its attempt folder.
///
/// Whether an attempt is still going is told by a lock, not a pid: the reconciler takes an
/// open-file-description lock on `attempt-N/lock` before starting the supervisor, which inherits it
/// and holds it until it exits, whatever way it exits. A free lock and an `outcome.json` mean it
/// ended; a free lock and none mean it died (`interrupted`). Pids get reused; this does not.
public struct LocalExecutor: RunExecutor {
    public let name = "local"
    /// The repository root, absolute: relative run paths are resolved from it.
    public let repositoryRoot: String
    /// The retrain binary that supervises runs.
    public let program: String
    /// This host's name, recorded with each run.
    public let host: String
    /// When set, supervisors count time from this instant instead of reading the clock (`--now`).
    public let clockBase: Bool

    /// An executor for the repository at `repositoryRoot`, supervising runs with `program`.
    public init(repositoryRoot: String, program: String, host: String = Host.name, clockBase: Bool = false) {
        self.repositoryRoot = repositoryRoot
        self.program = program
        self.host = host
        self.clockBase = clockBase
    }

    /// The lock, request, record and outcome files of an attempt folder.
    enum File {
        static let lock = "lock", request = "request.json", supervisor = "supervisor.json", outcome = "outcome.json"
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : repositoryRoot + "/" + path
    }

    public func start(_ request: RunRequest, now: Instant) -> RunStart {
        let trainer = request.trainer
        let folder = absolute(trainer.attemptFolder)
        let record = ActiveRun(
            id: trainer.runID, slot: request.slot, executor: name, pid: nil, host: host,
            startedAt: now, attempt: trainer.attempt, folder: trainer.attemptFolder)
        guard SourceFile.makeFolders(absolute(trainer.runFolder)) else {
            return .failed("cannot create \(trainer.runFolder): \(String(cString: strerror(errno)))")
        }
        // The folder is the claim. If it exists, an earlier pass got this far and died before its
        // state was saved: whatever that pass started is recorded, never started again.
        if mkdir(folder, 0o755) != 0 {
            guard errno == EEXIST else { return .failed("cannot create \(trainer.attemptFolder): \(String(cString: strerror(errno)))") }
            if Self.isLocked(folder + "/" + File.lock) || SourceFile.exists(folder + "/" + File.outcome)
                || SourceFile.exists(folder + "/" + File.supervisor)
            {
                var found = record
                found.pid = readSupervisor(folder)?.pid
                return .alreadyStarted(found)
            }
            // Claimed but never launched: launch it now.
        }
        do {
            // Not fsynced: after a power cut the supervisor is gone too, and the next pass sees an
            // interrupted attempt and retries it with a request of its own.
            try AtomicFile.writeJSON(request, to: folder + "/" + File.request, durable: false)
        } catch {
            return .failed(error.description)
        }
        let opened = open(folder + "/" + File.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else { return .failed("cannot create \(trainer.attemptFolder)/lock: \(String(cString: strerror(errno)))") }
        // Above the standard descriptors, so that it can be placed at 3 in the supervisor.
        let lock = fcntl(opened, F_DUPFD_CLOEXEC, Int32(10))
        close(opened)
        defer { close(lock) }
        guard Self.setLock(lock) else {
            return .alreadyStarted(record)  // someone supervises it right now
        }
        var arguments = [program, "__supervise", folder, "--lock-fd", "3"]
        if clockBase { arguments += ["--now", now.description] }
        switch Self.spawnDetached(arguments, lockFD: lock, log: absolute(trainer.logPath)) {
        case .success(let pid):
            var started = record
            started.pid = pid
            return .started(started)
        case .failure(let reason):
            return .failed("cannot start the run's supervisor \(program): \(reason)")
        }
    }

    public func observe(_ run: ActiveRun, now: Instant) -> RunObservation {
        if let other = run.host, other != host {
            return .elsewhere("it runs on \(other); a pass there finishes it")
        }
        guard let relative = run.folder else { return .interrupted("interrupted: no run folder was recorded") }
        let folder = absolute(relative)
        if Self.isLocked(folder + "/" + File.lock) { return .running }
        switch SourceFile.read(folder + "/" + File.outcome, limit: 1 << 20) {
        case .success(let bytes):
            if let outcome = try? JSONDecoder().decode(TrainerOutcome.self, from: Data(bytes)) { return .ended(outcome) }
            return .interrupted("interrupted: its outcome file \(relative)/\(File.outcome) is damaged")
        case .failure:
            break
        }
        guard let supervisor = readSupervisor(folder) else {
            return .interrupted("interrupted: its process never started (see \(AtomicFile.folderOf(relative))/log.txt)")
        }
        // The supervisor died (killed, machine rebooted) and may have left its trainer running.
        if let trainer = supervisor.trainerPID, Self.isTrainer(trainer, of: run.id) { kill(-trainer, SIGKILL) }
        return .interrupted("interrupted: its process (pid \(supervisor.pid)) ended without a result")
    }

    /// Tells the supervisor to stop (SIGTERM: it stops its trainer's session, then exits without an
    /// outcome), waits up to 10 s for its lock to be free, then kills what is left: the supervisor
    /// and the trainer's process group.
    public func cancel(_ run: ActiveRun) -> Result<String, CancelRefusal> {
        if let other = run.host, other != host {
            return .failure(CancelRefusal("it runs on \(other); cancel it there"))
        }
        guard let relative = run.folder else { return .failure(CancelRefusal("no run folder was recorded for it")) }
        let folder = absolute(relative)
        let lock = folder + "/" + File.lock
        guard Self.isLocked(lock) else {
            return .failure(CancelRefusal("it has ended already; the next `retrain reconcile` records how"))
        }
        let record = readSupervisor(folder)
        guard let pid = record?.pid ?? run.pid, Self.isSupervisor(pid, of: folder) else {
            return .failure(CancelRefusal("its supervisor cannot be found on this machine; nothing was stopped"))
        }
        kill(pid, SIGTERM)
        for _ in 0..<200 where Self.isLocked(lock) { usleep(50_000) }
        guard Self.isLocked(lock) else { return .success("its supervisor (pid \(pid)) stopped the trainer and exited") }
        kill(pid, SIGKILL)
        if let trainer = readSupervisor(folder)?.trainerPID, Self.isTrainer(trainer, of: run.id) { kill(-trainer, SIGKILL) }
        return .success("its supervisor (pid \(pid)) and trainer were killed after 10 s")
    }

    /// Whether process `pid` is the supervisor of the attempt in `folder` (its command line says so),
    /// so that a reused pid is never signalled.
    static func isSupervisor(_ pid: Int32, of folder: String) -> Bool {
        guard case .success(let bytes) = SourceFile.read("/proc/\(pid)/cmdline", limit: 1 << 16) else { return false }
        let words = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.contains("__supervise") && words.contains(folder)
    }

    func readSupervisor(_ folder: String) -> SupervisorRecord? {
        SourceFile.readJSON(SupervisorRecord.self, folder + "/" + File.supervisor)
    }

    /// Whether process `pid` is still the trainer of `runID` (its environment says so), so that a
    /// reused pid is never signalled.
    static func isTrainer(_ pid: Int32, of runID: String) -> Bool {
        guard case .success(let bytes) = SourceFile.read("/proc/\(pid)/environ", limit: 1 << 22) else { return false }
        let wanted = Array("RETRAIN_RUN_ID=\(runID)".utf8)
        return bytes.split(separator: 0).contains { $0.elementsEqual(wanted) }
    }

    // MARK: Locks (open-file-description locks: owned by the open file, so inherited by the
    // supervisor and released when its last descriptor closes; testing one does not take it).

    static let ofdGetLock: Int32 = 36, ofdSetLock: Int32 = 37

    static func setLock(_ fd: Int32) -> Bool {
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        return fcntl(fd, ofdSetLock, &request) == 0
    }

    /// Whether some process holds the lock on `path`.
    public static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, ofdGetLock, &probe) == 0 else { return false }
        return probe.l_type != Int16(F_UNLCK)
    }

    // MARK: Spawning

    /// Starts `arguments` in a new session with stdin from /dev/null, stdout and stderr appended to
    /// `log`, and `lockFD` as descriptor 3. The child is not waited for here.
    static func spawnDetached(_ arguments: [String], lockFD: Int32, log: String) -> Result<pid_t, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, lockFD, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session of its own: a Ctrl-C or hang-up aimed at the reconciler does not reach the run.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(posixSpawnSetSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        markDescriptorsCloseOnExec()
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard status == 0 else { return .failure(SpawnFailure(reason: String(cString: strerror(status)))) }
        return .success(pid)
    }

    struct SpawnFailure: Error { let reason: String }

    /// Marks every open descriptor above 2 close-on-exec, so that a supervisor inherits none but
    /// its lock: a pipe from cron or a test harness held open by a run would keep them waiting until
    /// the training ends. (glibc's posix_spawn_file_actions_addclosefrom_np would do this at spawn
    /// time, but Swift's Glibc module does not export it; a supervisor cannot close them itself, as
    /// by then the Swift runtime has opened descriptors of its own.)
    static func markDescriptorsCloseOnExec() {
        guard let folder = opendir("/proc/self/fd") else { return }
        let own = dirfd(folder)
        var open: [Int32] = []
        while let entry = readdir(folder) {
            let name = FileSystem.nameString(of: entry)
            if let fd = Int32(name), fd > 2, fd != own { open.append(fd) }
        }
        closedir(folder)
        for fd in open {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Collects every child that has exited (PID 1's duty: orphans in its namespace are re-parented
    /// to it). Only while nothing else of this process waits for a child: between passes, never
    /// during a git or mail command, whose status swift-subprocess collects itself.
    public static func reapOrphans() {
        var status: Int32 = 0
        while waitpid(-1, &status, WNOHANG) > 0 {}
    }

    /// Collects the supervisors in `children` (started by this process) that have exited, so a
    /// long-running reconciler leaves no zombies; they are removed from the set. Never blocks, and
    /// never touches other children (swift-subprocess waits for its own).
    public static func reap(_ children: inout Set<Int32>) {
        for pid in children {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { children.remove(pid) }
        }
    }
}

/// glibc's POSIX_SPAWN_SETSID (a GNU extension the Glibc module leaves out): the child starts a
/// session of its own, so its process group can be stopped whole.
private let posixSpawnSetSID: Int32 = 0x80
