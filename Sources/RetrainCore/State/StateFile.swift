/// The reconciler's memory, `.retrain/state.json` by default: versioned JSON that retrain writes and
/// reads itself (so Codable is right here, unlike for schedule files).
public struct StateFile: Codable, Sendable, Equatable {
    /// The highest state version this build reads and the one it writes.
    public static let currentVersion = 1

    /// Format version.
    public var version: Int = StateFile.currentVersion
    /// Per schedule id.
    public var schedules: [String: ScheduleState] = [:]

    /// An empty state.
    public init() {}

    enum CodingKeys: String, CodingKey { case version, schedules }

    /// Decodes the schedules into a dictionary made at its final size once (the synthesized decoder
    /// grows it a dozen times for 10,000 schedules, moving every entry each time).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        let entries = try container.nestedContainer(keyedBy: JSONValue.Key.self, forKey: .schedules)
        let keys = entries.allKeys
        schedules = Dictionary(minimumCapacity: keys.count)
        for key in keys { schedules[key.stringValue] = try entries.decode(ScheduleState.self, forKey: key) }
    }
}

/// What the reconciler remembers about one schedule.
public struct ScheduleState: Codable, Sendable, Equatable {
    /// Hash of the spec as last seen.
    public var specHash: String
    /// Hash of the file's bytes when `specHash` and `timingHash` were taken (a shortcut: equal
    /// bytes, equal spec).
    public var sourceHash: String?
    /// Hash of the fields that decide when slots fall (start, timezone, repeat, end), as last seen.
    public var timingHash: String
    /// When the reconciler first saw this schedule, or saw its timing change: slots before
    /// `anchor` minus the first-sight grace are never run (see `Planner`).
    public var anchor: String
    /// The latest slot handled (run, skipped or missed), ISO 8601 UTC.
    public var lastSlot: String?
    /// The `trigger` value last acted on.
    public var trigger: String?
    /// The run in progress, if any.
    public var activeRun: ActiveRun?
    /// The promoted model, if any.
    public var champion: RunSummary?
    /// Failures since the last success.
    public var consecutiveFailures: Int = 0
    /// The latest runs, newest last, at most `historyLimit`.
    public var history: [RunSummary] = []
    /// The schedule file is gone; history is kept until `--prune`.
    public var orphaned: Bool = false
    /// A failed run's next attempt, waiting for its `retry_delay`.
    public var retry: PendingRetry?
    /// Notifications not yet delivered, oldest first (nil when none).
    public var outbox: [Notice]?
    /// The last promotion (or first sight) a stale notice was queued for, so it is queued once.
    public var staleNoticeFor: String?

    /// How many runs `history` keeps.
    public static let historyLimit = 50

    enum CodingKeys: String, CodingKey {
        case specHash = "spec_hash", sourceHash = "source_hash", timingHash = "timing_hash", anchor, lastSlot = "last_slot", trigger
        case activeRun = "active_run", champion, consecutiveFailures = "consecutive_failures", history, orphaned, retry
        case outbox, staleNoticeFor = "stale_notice_for"
    }

    /// A new entry.
    public init(specHash: String, timingHash: String, anchor: String) {
        self.specHash = specHash
        self.timingHash = timingHash
        self.anchor = anchor
    }
}

extension ScheduleState {
    /// When a model was last promoted, or when the schedule was first seen if never (ISO 8601 UTC).
    public var lastPromotion: String { champion?.finishedAt ?? anchor }

    /// Whether no model was promoted for longer than `after` at `now` (the dashboard's "stale" and
    /// the stale notification).
    public func isStale(after: Duration?, now: Instant) -> Bool {
        guard let after, let last = Instant.parse(lastPromotion) else { return false }
        return now.seconds - last.seconds > Int64(after.seconds)
    }
}

/// A run that has started and not yet been finished by a pass.
public struct ActiveRun: Codable, Sendable, Equatable {
    /// `schedule@20261201T010000Z`.
    public var id: String
    /// The slot it is for, ISO 8601 UTC.
    public var slot: String
    /// `local` or `slurm`.
    public var executor: String
    /// The supervising process (local runs).
    public var pid: Int32?
    /// The host it runs on (local runs).
    public var host: String?
    /// The Slurm job id (Slurm runs).
    public var slurmJob: String?
    /// When it started, ISO 8601 UTC.
    public var startedAt: String
    /// 1 for the first attempt.
    public var attempt: Int
    /// The attempt's folder (relative to the repository root unless absolute): request, outcome, lock.
    public var folder: String?

    enum CodingKeys: String, CodingKey {
        case id, slot, executor, pid, host, slurmJob = "slurm_job", startedAt = "started_at", attempt, folder
    }

    /// Creates a record of a started run.
    public init(id: String, slot: String, executor: String, pid: Int32? = nil, host: String? = nil, slurmJob: String? = nil,
                startedAt: String, attempt: Int, folder: String? = nil) {
        self.id = id
        self.slot = slot
        self.executor = executor
        self.pid = pid
        self.host = host
        self.slurmJob = slurmJob
        self.startedAt = startedAt
        self.attempt = attempt
        self.folder = folder
    }
}

/// The next attempt of a run that failed with retries left.
public struct PendingRetry: Codable, Sendable, Equatable {
    /// The run id (the same for every attempt).
    public var id: String
    /// The slot, ISO 8601 UTC.
    public var slot: String
    /// The attempt to start: 2 for the first retry.
    public var attempt: Int
    /// Not before this instant (`retry_delay`, doubled after each failure), ISO 8601 UTC.
    public var notBefore: String
    /// Why the previous attempt failed.
    public var reason: String

    enum CodingKeys: String, CodingKey { case id, slot, attempt, notBefore = "not_before", reason }

    /// Creates a pending retry.
    public init(id: String, slot: String, attempt: Int, notBefore: String, reason: String) {
        self.id = id
        self.slot = slot
        self.attempt = attempt
        self.notBefore = notBefore
        self.reason = reason
    }
}

/// A finished run, as history keeps it.
public struct RunSummary: Codable, Sendable, Equatable {
    /// The run id.
    public var id: String
    /// The slot, ISO 8601 UTC.
    public var slot: String
    /// completed, rejected, failed or skipped.
    public var status: String
    /// Why, for failed and skipped runs.
    public var reason: String?
    /// Which attempt.
    public var attempt: Int
    /// Start and end, ISO 8601 UTC (nil for skipped runs).
    public var startedAt: String?
    /// End, ISO 8601 UTC.
    public var finishedAt: String?
    /// The metrics the trainer reported.
    public var metrics: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case id, slot, status, reason, attempt, startedAt = "started_at", finishedAt = "finished_at", metrics
    }

    /// Creates a summary.
    public init(id: String, slot: String, status: String, reason: String? = nil, attempt: Int, startedAt: String? = nil,
                finishedAt: String? = nil, metrics: [String: Double]? = nil) {
        self.id = id
        self.slot = slot
        self.status = status
        self.reason = reason
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.metrics = metrics
    }
}
