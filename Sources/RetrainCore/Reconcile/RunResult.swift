/// `reports/<schedule>/<run-id>/result.json`: everything about one run, written when a pass finishes
/// an attempt (so while a retry is pending it says `failed` and names the retry it waits for).
public struct RunResult: Codable, Sendable, Equatable {
    /// The result.json of `run` of `schedule` under the reports folder `reports`, when it exists and
    /// reads (nil for a name that is not a plain file name).
    public static func read(reports: String, schedule: String, run: String) -> RunResult? {
        guard FileSystem.isPlainName(schedule), FileSystem.isPlainName(run) else { return nil }
        return SourceFile.readJSON(RunResult.self, "\(reports)/\(schedule)/\(run)/result.json")
    }

    /// One attempt of the run.
    public struct Attempt: Codable, Sendable, Equatable {
        /// 1, 2…
        public var attempt: Int
        /// `trained` or `failed`.
        public var status: TrainerOutcome.Status
        /// Why it failed.
        public var reason: String?
        /// The trainer's exit code.
        public var exitCode: Int32?
        /// Start (nil when the attempt left no outcome).
        public var startedAt: Instant?
        /// End.
        public var finishedAt: Instant?

        enum CodingKeys: String, CodingKey {
            case attempt, status, reason
            case exitCode = "exit_code"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    /// The schedule id.
    public var schedule: String
    /// The run id.
    public var runID: String
    /// The model name.
    public var model: String
    /// `completed`, `rejected` or `failed`.
    public var status: RunStatus
    /// Why it failed.
    public var reason: String?
    /// The slot.
    public var slot: Instant
    /// Why it ran: `due`, `catchup_latest`, `trigger_changed`, `retry_after_failure`, `manual`….
    public var trigger: String
    /// The latest attempt.
    public var attempt: Int
    /// Every attempt so far, oldest first.
    public var attempts: [Attempt]
    /// The latest attempt's start.
    public var startedAt: Instant
    /// Its end.
    public var finishedAt: Instant
    /// Seconds the latest attempt took, to the millisecond.
    public var durationSeconds: Double?
    /// `params` as the trainer received them.
    public var params: JSONValue
    /// The metrics the trainer reported.
    public var metrics: [String: Double]?
    /// The next attempt, when one is pending.
    public var retry: PendingRetry?
    /// Where the run came from.
    public var provenance: Provenance
    /// The training data as read.
    public var data: DataFingerprint?
    /// The trained artifact's folder.
    public var modelFolder: String
    /// The host it ran on.
    public var host: String?
    /// Each gate's outcome (trained runs).
    public var gates: [GateCheck] = []
    /// The champion's run id before this run finished, and after (equal unless it was promoted).
    public var championBefore: String? = nil
    public var championAfter: String? = nil
    /// The Slurm job that ran the latest attempt (Slurm runs).
    public var slurmJob: String? = nil
    /// The champion its gates judged it against: its scores on this run's holdout and recorded,
    /// and the data it was trained on (a trained run, when there was a champion).
    public var champion: ChampionBaseline? = nil

    enum CodingKeys: String, CodingKey {
        case schedule
        case runID = "run_id"
        case model, status, reason, slot, trigger, attempt, attempts
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationSeconds = "duration_seconds"
        case params, metrics, retry, provenance, data
        case modelFolder = "model_folder"
        case host
        case gates
        case championBefore = "champion_before"
        case championAfter = "champion_after"
        case slurmJob = "slurm_job"
        case champion
    }
}
