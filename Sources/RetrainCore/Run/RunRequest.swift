import Crypto

#if canImport(Glibc)
    import Glibc
#endif

/// What the reconciler hands a run: written as `request.json` into the attempt's folder before the
/// run starts, so the process that supervises it (or a Slurm job) needs nothing else.
public struct RunRequest: Codable, Sendable, Equatable {
    /// The trainer's part: command, environment, folders, timeout.
    public var trainer: TrainerRequest
    /// The slot (the start time for manual and trigger runs).
    public var slot: Instant
    /// Why it runs: a plan reason (`due`, `trigger_changed`, `retry_after_failure`…) or `manual`.
    public var reason: String
    /// Where it came from, for the result.
    public var provenance: Provenance

    /// Creates a request.
    public init(trainer: TrainerRequest, slot: Instant, reason: String, provenance: Provenance) {
        self.trainer = trainer
        self.slot = slot
        self.reason = reason
        self.provenance = provenance
    }
}

/// Where a run came from: enough to reproduce it.
public struct Provenance: Codable, Sendable, Equatable {
    /// The git commit the schedules folder was at (nil outside a git repository).
    public var gitCommit: String?
    /// Whether the schedule file had uncommitted changes.
    public var scheduleModified: Bool?
    /// The schedule file, relative to the repository root.
    public var scheduleFile: String
    /// SHA-256 of the schedule's canonical spec (see `ScheduleSpec.specHash`).
    public var specHash: String
    /// The external trainer's argv, or nil for the built-in trainer.
    public var command: [String]?
    /// The retrain version that started the run.
    public var retrainVersion: String
    /// The executor: `local` or `slurm`.
    public var executor: String

    enum CodingKeys: String, CodingKey {
        case gitCommit = "git_commit"
        case scheduleModified = "schedule_modified"
        case scheduleFile = "schedule_file"
        case specHash = "spec_hash"
        case command
        case retrainVersion = "retrain_version"
        case executor
    }

    /// Creates a provenance record.
    public init(
        gitCommit: String?, scheduleModified: Bool?, scheduleFile: String, specHash: String, command: [String]?, retrainVersion: String,
        executor: String
    ) {
        self.gitCommit = gitCommit
        self.scheduleModified = scheduleModified
        self.scheduleFile = scheduleFile
        self.specHash = specHash
        self.command = command
        self.retrainVersion = retrainVersion
        self.executor = executor
    }
}

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

/// What the supervising process records when it starts, beside the request.
public struct SupervisorRecord: Codable, Sendable, Equatable {
    /// The supervisor's pid.
    public var pid: Int32
    /// Its host.
    public var host: String
    /// When it started, ISO 8601 UTC.
    public var startedAt: String
    /// The trainer's pid (and process group), once it runs.
    public var trainerPID: Int32?

    enum CodingKeys: String, CodingKey {
        case pid, host
        case startedAt = "started_at"
        case trainerPID = "trainer_pid"
    }
}

/// What a pass sees of a started run.
public enum RunObservation: Sendable, Equatable {
    /// Still going.
    case running
    /// It cannot be told from here (it runs on another host): left alone.
    case elsewhere(String)
    /// It ended and left its outcome.
    case ended(TrainerOutcome)
    /// Its process is gone without an outcome: why, as the reason of a failed run.
    case interrupted(String)
}

/// How starting a run went.
public enum RunStart: Sendable, Equatable {
    /// It was started; state records this.
    case started(ActiveRun)
    /// An earlier pass that died before saving the state had started it already: recorded as is,
    /// never started twice.
    case alreadyStarted(ActiveRun)
    /// It could not be started: why.
    case failed(String)
}

/// Where runs execute. A pass starts runs through it and asks it how started runs are doing; Slurm
/// and other executors plug in here.
public protocol RunExecutor: Sendable {
    /// The name recorded in state and results (`local`, `slurm`).
    var name: String { get }
    /// Starts `request` at `now`, unless its attempt was started already.
    func start(_ request: RunRequest, now: Instant) -> RunStart
    /// How `run` is doing.
    func observe(_ run: ActiveRun, now: Instant) -> RunObservation
}
