import Glibc

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
    /// The `sbatch` settings of a Slurm run (the schedule's over retrain.yaml's defaults).
    public var slurm: SlurmOptions?

    /// Creates a request.
    public init(trainer: TrainerRequest, slot: Instant, reason: String, provenance: Provenance, slurm: SlurmOptions? = nil) {
        self.trainer = trainer
        self.slot = slot
        self.reason = reason
        self.provenance = provenance
        self.slurm = slurm
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
