/// The reconciler's memory, `.retrain/state.json` by default: versioned JSON that retrain writes and
/// reads itself (so Codable is right here, unlike for schedule files).
///
/// It holds what deciding needs and nothing more, a few hundred bytes per schedule, so one pass costs
/// the same whether the schedules ran ten times or ten thousand. Finished runs live in each schedule's
/// ledger (`HistoryLedger`), notices' texts in the outbox folder (`Outbox`).
public struct StateFile: Codable, Sendable, Equatable {
    /// The highest state version this build reads and the one it writes. Version 1 (history and
    /// notices inside the state) is read and migrated on the first write (`StateMigration`).
    public static let currentVersion = 2

    /// Format version.
    public var version: Int = StateFile.currentVersion
    /// Per schedule id.
    public var schedules: [String: ScheduleState] = [:]
    /// Notices queued and not yet delivered, oldest first: keys of files in the outbox folder. A key
    /// here commits its notice (it is written before the state that names it), so a notice is
    /// queued exactly once and never sent for a run the state did not record.
    public var outbox: [String] = []
    /// A version-1 file's runs and notices, while it is not migrated yet (never written).
    public var legacy: LegacyHistory? = nil
    /// The entries a partial read left as text (never written as such: the save copies them).
    public var unread: Unread? = nil

    /// An empty state.
    public init() {}

    enum CodingKeys: String, CodingKey { case version, schedules, outbox }

    /// Decodes the schedules into a dictionary made at its final size once (the synthesized decoder
    /// grows it a dozen times for 10,000 schedules, moving every entry each time).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        let entries = try container.nestedContainer(keyedBy: JSONValue.Key.self, forKey: .schedules)
        let keys = entries.allKeys
        schedules = Dictionary(minimumCapacity: keys.count)
        for key in keys { schedules[key.stringValue] = try entries.decode(ScheduleState.self, forKey: key) }
        outbox = try container.decodeIfPresent([String].self, forKey: .outbox) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(schedules, forKey: .schedules)
        if !outbox.isEmpty { try container.encode(outbox, forKey: .outbox) }
    }
}

/// How a finished run ended, as its ledger line and the state record it.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// Trained, every gate held: promoted to champion.
    case completed
    /// Trained, a gate failed: not promoted.
    case rejected
    /// It did not train (after its retries).
    case failed
    /// Its slot was not run (missed past its deadline, its previous run still running…).
    case skipped

    /// Whether a model was trained (completed or rejected).
    public var trained: Bool { self == .completed || self == .rejected }
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
    public var anchor: Instant
    /// The latest slot handled (run, skipped or missed).
    public var lastSlot: Instant?
    /// The `trigger` value last acted on.
    public var trigger: String?
    /// The run in progress, if any.
    public var activeRun: ActiveRun?
    /// A failed run's next attempt, waiting for its `retry_delay`.
    public var retry: PendingRetry?
    /// The promoted model, if any: what `champion.X` gates compare with.
    public var champion: RunPointer?
    /// The latest trained run (completed or rejected): what `previous.X` gates compare with. Not
    /// written when it is the champion.
    public var lastTrained: RunPointer?
    /// The latest finished run, whatever its status (the schedule's status, and whether a
    /// promotion is a recovery).
    public var lastRun: RunBrief?
    /// Failures since the last success.
    public var consecutiveFailures: Int = 0
    /// The schedule file is gone; history is kept until `--prune`.
    public var orphaned: Bool = false
    /// The last promotion (or first sight) a stale notice was queued for, so it is queued once.
    public var staleNoticeFor: Instant?
    /// An operator's hold on new runs (`retrain pause`), until `retrain resume`.
    public var pause: Pause?
    /// Finished runs by status (`completed`: 12), counted since this field came in (retrain 0.1.0
    /// after 2026-12-06): metrics.prom's `retrain_runs_total` counter.
    public var runs: [String: Int] = [:]
    /// `on_data_change`: the data file as the last run (or the first look) saw it.
    public var dataSeen: DataSeen?
    /// `on_data_change`: when the last run for a data change started (its debounce counts from it).
    public var lastDataRun: Instant?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case specHash = "spec_hash"
        case sourceHash = "source_hash"
        case timingHash = "timing_hash"
        case anchor
        case lastSlot = "last_slot"
        case trigger
        case activeRun = "active_run"
        case retry, champion
        case lastTrained = "last_trained"
        case lastRun = "last_run"
        case consecutiveFailures = "consecutive_failures"
        case orphaned
        case staleNoticeFor = "stale_notice_for"
        case pause = "paused"
        case runs
        case dataSeen = "data_seen"
        case lastDataRun = "last_data_run"
    }

    /// A new entry.
    public init(specHash: String, timingHash: String, anchor: Instant) {
        self.specHash = specHash
        self.timingHash = timingHash
        self.anchor = anchor
    }

    /// Every key an entry may have.
    static let keyNames = CodingKeys.allCases.map(\.rawValue)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A key this version does not know would be lost at the next save: refused, with where it is.
        if let unknown = JSONReader.unknownKey(in: decoder, known: Self.keyNames) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath + [AnyCodingKey(unknown)],
                    debugDescription:
                        "'\(unknown)' is not a key this version of retrain writes; was the file edited, or written by a newer retrain? Remove the key (or use that retrain): it would be lost at the next save"
                ))
        }
        specHash = try c.decode(String.self, forKey: .specHash)
        sourceHash = try c.decodeIfPresent(String.self, forKey: .sourceHash)
        timingHash = try c.decode(String.self, forKey: .timingHash)
        anchor = try c.decode(Instant.self, forKey: .anchor)
        lastSlot = try c.decodeIfPresent(Instant.self, forKey: .lastSlot)
        trigger = try c.decodeIfPresent(String.self, forKey: .trigger)
        activeRun = try c.decodeIfPresent(ActiveRun.self, forKey: .activeRun)
        retry = try c.decodeIfPresent(PendingRetry.self, forKey: .retry)
        champion = try c.decodeIfPresent(RunPointer.self, forKey: .champion)
        lastTrained = try c.decodeIfPresent(RunPointer.self, forKey: .lastTrained) ?? champion
        lastRun = try c.decodeIfPresent(RunBrief.self, forKey: .lastRun)
        consecutiveFailures = try c.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0
        orphaned = try c.decodeIfPresent(Bool.self, forKey: .orphaned) ?? false
        staleNoticeFor = try c.decodeIfPresent(Instant.self, forKey: .staleNoticeFor)
        pause = try c.decodeIfPresent(Pause.self, forKey: .pause)
        runs = try c.decodeIfPresent([String: Int].self, forKey: .runs) ?? [:]
        dataSeen = try c.decodeIfPresent(DataSeen.self, forKey: .dataSeen)
        lastDataRun = try c.decodeIfPresent(Instant.self, forKey: .lastDataRun)
    }

    /// Written without the fields at their defaults, so an idle schedule is a few hundred bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(specHash, forKey: .specHash)
        try c.encodeIfPresent(sourceHash, forKey: .sourceHash)
        try c.encode(timingHash, forKey: .timingHash)
        try c.encode(anchor, forKey: .anchor)
        try c.encodeIfPresent(lastSlot, forKey: .lastSlot)
        try c.encodeIfPresent(trigger, forKey: .trigger)
        try c.encodeIfPresent(activeRun, forKey: .activeRun)
        try c.encodeIfPresent(retry, forKey: .retry)
        try c.encodeIfPresent(champion, forKey: .champion)
        // Usually the champion itself: then left out (a trained run is never older than the champion).
        if lastTrained != champion { try c.encodeIfPresent(lastTrained, forKey: .lastTrained) }
        try c.encodeIfPresent(lastRun, forKey: .lastRun)
        if consecutiveFailures != 0 { try c.encode(consecutiveFailures, forKey: .consecutiveFailures) }
        if orphaned { try c.encode(orphaned, forKey: .orphaned) }
        try c.encodeIfPresent(staleNoticeFor, forKey: .staleNoticeFor)
        try c.encodeIfPresent(pause, forKey: .pause)
        if !runs.isEmpty { try c.encode(runs, forKey: .runs) }
        try c.encodeIfPresent(dataSeen, forKey: .dataSeen)
        try c.encodeIfPresent(lastDataRun, forKey: .lastDataRun)
    }
}

/// A data file as `on_data_change` last saw it: its content's SHA-256, and the size and
/// modification time that let a pass skip hashing it while they stay the same. Kept in the state as
/// one string, `SIZE:MTIME_NS:SHA256` (10,000 of them decode as strings, not as objects).
public struct DataSeen: Codable, Sendable, Equatable {
    public var sha256: String
    public var size: Int
    /// Nanoseconds since the epoch.
    public var mtime: Int64

    public init(sha256: String, size: Int, mtime: Int64) {
        self.sha256 = sha256
        self.size = size
        self.mtime = mtime
    }

    /// `SIZE:MTIME_NS:SHA256`.
    public var text: String { "\(size):\(mtime):\(sha256)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let bytes = text.utf8
        guard let first = bytes.firstIndex(of: UInt8(ascii: ":")),
            let second = bytes[bytes.index(after: first)...].firstIndex(of: UInt8(ascii: ":")),
            let size = Int(Substring(text.utf8[..<first])), let mtime = Int64(Substring(text.utf8[bytes.index(after: first)..<second])),
            bytes.distance(from: second, to: bytes.endIndex) == 65
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not SIZE:MTIME_NS:SHA256: \(text)"))
        }
        (self.size, self.mtime, sha256) = (size, mtime, String(Substring(text.utf8[bytes.index(after: second)...])))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// `retrain pause ID --reason …`: who held the schedule's new runs, when, and why.
public struct Pause: Codable, Sendable, Equatable {
    /// `user@host`.
    public var by: String
    public var at: Instant
    public var reason: String

    public init(by: String, at: Instant, reason: String) {
        self.by = by
        self.at = at
        self.reason = reason
    }

    /// `paused by ops@vm at 2026-12-06T07:00:00Z: bad data upstream`.
    public var description: String { "paused by \(by) at \(at): \(reason)" }
}

extension ScheduleState {
    /// When a model was last promoted, or when the schedule was first seen if never.
    public var lastPromotion: Instant { champion?.finishedAt ?? anchor }

    /// Whether no model was promoted for longer than `after` at `now` (the dashboard's "stale" and
    /// the stale notification).
    public func isStale(after: TimeSpan?, now: Instant) -> Bool {
        guard let after else { return false }
        return now.seconds - lastPromotion.seconds > Int64(after.seconds)
    }
}

/// A finished run as the state points at it: enough for gates (`champion.X`, `previous.X`) and for
/// staleness; the full record is in the ledger.
public struct RunPointer: Codable, Sendable, Equatable {
    /// The run id.
    public var id: String
    /// completed or rejected.
    public var status: RunStatus
    /// When it finished (for the champion: when it was promoted).
    public var finishedAt: Instant
    /// Its metrics.
    public var metrics: [String: Double]
    /// The SHA-256 of the data file it trained on, when it read one (`RETRAIN_PREVIOUS_DATA_SHA256`,
    /// and the data fingerprint the champion's scores are shown with).
    public var dataSHA256: String?

    enum CodingKeys: String, CodingKey {
        case id, status
        case finishedAt = "finished_at"
        case metrics
        case dataSHA256 = "data_sha256"
    }

    /// A pointer to `record` (a trained run).
    public init(_ record: RunRecord) {
        id = record.id
        status = record.status
        finishedAt = record.finishedAt ?? record.slot
        metrics = record.metrics ?? [:]
        dataSHA256 = record.data?.sha256
    }
}

/// The latest finished run, briefly: what `list` and the overview show without reading the ledger.
public struct RunBrief: Codable, Sendable, Equatable {
    /// The run id.
    public var id: String
    /// How it ended.
    public var status: RunStatus
    /// When it finished (its slot, for a skipped one).
    public var at: Instant
    /// Why, for failed, rejected and skipped runs.
    public var reason: String?

    /// The brief of `record`.
    public init(_ record: RunRecord) {
        id = record.id
        status = record.status
        at = record.finishedAt ?? record.slot
        reason = record.reason
    }
}

/// A run that has started and not yet been finished by a pass.
public struct ActiveRun: Codable, Sendable, Equatable {
    /// `schedule@20261201T010000Z`.
    public var id: String
    /// The slot it is for.
    public var slot: Instant
    /// `local` or `slurm`.
    public var executor: String
    /// The supervising process (local runs).
    public var pid: Int32?
    /// The host it runs on (local runs).
    public var host: String?
    /// The Slurm job id (Slurm runs).
    public var slurmJob: String?
    /// When it started.
    public var startedAt: Instant
    /// 1 for the first attempt.
    public var attempt: Int
    /// The attempt's folder (relative to the repository root unless absolute): request, outcome, lock.
    public var folder: String?

    enum CodingKeys: String, CodingKey {
        case id, slot, executor, pid, host
        case slurmJob = "slurm_job"
        case startedAt = "started_at"
        case attempt, folder
    }

    /// Creates a record of a started run.
    public init(
        id: String, slot: Instant, executor: String, pid: Int32? = nil, host: String? = nil, slurmJob: String? = nil,
        startedAt: Instant, attempt: Int, folder: String? = nil
    ) {
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
    /// The slot.
    public var slot: Instant
    /// The attempt to start: 2 for the first retry.
    public var attempt: Int
    /// Not before this instant (`retry_delay`, doubled after each failure).
    public var notBefore: Instant
    /// Why the previous attempt failed.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case id, slot, attempt
        case notBefore = "not_before"
        case reason
    }

    /// Creates a pending retry.
    public init(id: String, slot: Instant, attempt: Int, notBefore: Instant, reason: String) {
        self.id = id
        self.slot = slot
        self.attempt = attempt
        self.notBefore = notBefore
        self.reason = reason
    }
}

/// A coding key made from its name (a key of the file that no `CodingKeys` case names).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
