/// How runs change a schedule's state: pure functions shared by the planner (to plan what follows a
/// finished run in the same pass) and the reconciler (to record it), so both agree by construction.
/// Each returns the ledger records it made; the reconciler appends them (`StateChange.record`).
public enum RunLedger {
    /// What finishing one attempt decided.
    public struct Finished: Sendable, Equatable {
        /// `completed` (trained, every gate held, promoted), `rejected` (trained, a gate failed) or `failed`.
        public var status: RunStatus
        /// Why it failed.
        public var reason: String?
        /// The next attempt, when retries remain.
        public var retry: PendingRetry?
        /// What the ledger records (nil while a retry is pending: the run is not over).
        public var record: RunRecord?
        /// Each gate's outcome, for a trained run.
        public var gates: [GateCheck] = []
        /// The champion's run id before this run finished, and after.
        public var championBefore: String? = nil
        public var championAfter: String? = nil
        /// The runs before it (skipped slots aside) had failed or been rejected: a promotion now is a recovery.
        public var recovering = false
        /// The champion its gates compared with (a trained run with a champion).
        public var champion: ChampionBaseline? = nil
    }

    /// The outcome a pass assigns to a run it observed ending, or nil while it runs.
    public static func outcome(of observation: RunObservation, run: ActiveRun, now: Instant) -> TrainerOutcome? {
        switch observation {
        case .running, .elsewhere, .unknown: nil
        case .ended(let outcome): outcome
        case .interrupted(let why):
            TrainerOutcome(status: .failed, reason: why, exitCode: nil, metrics: nil, startedAt: run.startedAt, finishedAt: now)
        }
    }

    /// Records the end of `run`: a trained run's gates (all held: it is promoted to champion; one
    /// failed: `rejected`, the champion stays), consecutive failures, and a retry with the doubling
    /// `retry_delay` when the spec allows another attempt (an orphaned or invalid schedule, `spec`
    /// nil, gets none; nor does a cancelled run, `retrying` false).
    @discardableResult
    public static func finish(
        _ entry: inout ScheduleState, run: ActiveRun, outcome: TrainerOutcome, spec: ScheduleSpec?, now: Instant, retrying: Bool = true
    ) -> Finished {
        entry.activeRun = nil
        entry.retry = nil
        let recovering = entry.consecutiveFailures > 0 || entry.lastTrained?.status == .rejected
        if outcome.status == .trained {
            // Gates: against the champion and the previous trained run (completed or rejected).
            let metrics = outcome.metrics ?? [:]
            let baseline = entry.champion.map { champion in
                // Scores of another champion (promoted by hand while this run went) do not count.
                let same = outcome.championRun == nil || outcome.championRun == champion.id
                let onHoldout = same ? outcome.championMetrics : nil
                return ChampionBaseline(
                    run: champion.id, onHoldout: onHoldout, recorded: champion.metrics,
                    unscored: onHoldout != nil ? nil : same ? outcome.championUnscored : "it was promoted after this run started",
                    dataSHA256: champion.dataSHA256)
            }
            let checks = (spec?.gates ?? []).map { $0.check(metrics, champion: baseline, previous: entry.lastTrained?.metrics) }
            let failed = checks.filter { !$0.held }
            let before = entry.champion?.id
            let status: RunStatus = failed.isEmpty ? .completed : .rejected
            let reason = failed.isEmpty ? nil : "gate failed: " + failed.map(\.explanation).joined(separator: "; ")
            var record = RunRecord(
                id: run.id, slot: run.slot, status: status, reason: reason, attempt: run.attempt, startedAt: outcome.startedAt,
                finishedAt: outcome.finishedAt, metrics: outcome.metrics)
            record.data = outcome.data.map { RunRecord.DataSummary(sha256: $0.sha256, rows: $0.rows) }
            record.championOnHoldout = baseline?.onHoldout
            recorded(record, in: &entry)
            entry.consecutiveFailures = 0
            return Finished(
                status: status, reason: reason, retry: nil, record: record, gates: checks, championBefore: before,
                championAfter: entry.champion?.id, recovering: recovering, champion: baseline)
        }
        let reason = outcome.reason ?? "failed"
        if let spec, retrying, run.attempt <= spec.retries {
            let delay = Int64(spec.retryDelay.seconds) << Int64(min(run.attempt - 1, 20))
            let retry = PendingRetry(
                id: run.id, slot: run.slot, attempt: run.attempt + 1, notBefore: outcome.finishedAt.adding(delay), reason: reason)
            entry.retry = retry
            return Finished(status: .failed, reason: reason, retry: retry, record: nil)
        }
        let record = RunRecord(
            id: run.id, slot: run.slot, status: .failed, reason: reason, attempt: run.attempt,
            startedAt: outcome.startedAt, finishedAt: outcome.finishedAt, metrics: outcome.metrics)
        recorded(record, in: &entry)
        entry.consecutiveFailures += 1
        return Finished(status: .failed, reason: reason, retry: nil, record: record, recovering: recovering)
    }

    /// Records that `run` started. A pending retry of another run is given up: a newer run replaced
    /// it, so that run ends failed with its last reason (the record returned).
    public static func started(_ entry: inout ScheduleState, run: ActiveRun) -> RunRecord? {
        let gaveWay = giveWay(&entry, to: run.id)
        entry.retry = nil
        entry.activeRun = run
        return gaveWay
    }

    /// Ends a pending retry of a run other than `id`, failed with its last reason (its record).
    static func giveWay(_ entry: inout ScheduleState, to id: String) -> RunRecord? {
        guard let retry = entry.retry, retry.id != id else { return nil }
        let record = RunRecord(
            id: retry.id, slot: retry.slot, status: .failed, reason: retry.reason + " (its retry gave way to a newer run)",
            attempt: retry.attempt - 1)
        recorded(record, in: &entry)
        entry.consecutiveFailures += 1
        return record
    }

    /// Records that attempt `attempt` of `id` could not start for want of its executor (Slurm
    /// unreachable): it waits as a retry due at once, so the next pass starts the same attempt and no
    /// retry is spent. A pending retry of another run gives way, as when a run starts (its record returned).
    public static func held(_ entry: inout ScheduleState, id: String, slot: Instant, attempt: Int, reason: String, now: Instant) -> RunRecord? {
        let gaveWay = giveWay(&entry, to: id)
        entry.retry = PendingRetry(id: id, slot: slot, attempt: attempt, notBefore: now, reason: reason)
        return gaveWay
    }

    /// Records skipped slots: the latest handled slot moves to `slot`, and the ledger gets one line.
    public static func skipped(_ entry: inout ScheduleState, id: String, slot: Instant, reason: String) -> RunRecord {
        advance(&entry, to: slot)
        let record = RunRecord(id: id, slot: slot, status: .skipped, reason: reason, attempt: 0)
        recorded(record, in: &entry)
        return record
    }

    /// `base`, or `base-2`, `base-3`… when the schedule already recorded a run with that id
    /// (`taken`, from its ledger): a trigger value used again, or two manual runs in the same second,
    /// must not be taken for the earlier run (an id that was never recorded is the same run, found
    /// again after a pass died).
    public static func freshRunID(_ base: String, taken: Set<String>, in entry: ScheduleState?) -> String {
        var used = taken
        if let retry = entry?.retry { used.insert(retry.id) }
        guard used.contains(base) else { return base }
        var n = 2
        while used.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    /// Moves the latest handled slot forward to `slot` (never back).
    public static func advance(_ entry: inout ScheduleState, to slot: Instant) {
        if let last = entry.lastSlot, last >= slot { return }
        entry.lastSlot = slot
    }

    /// What the state keeps of a finished run: the latest run, the latest trained one, the champion.
    static func recorded(_ record: RunRecord, in entry: inout ScheduleState) {
        entry.runs[record.status.rawValue, default: 0] += 1
        entry.lastRun = RunBrief(record)
        if record.status.trained { entry.lastTrained = RunPointer(record) }
        if record.status == .completed { entry.champion = RunPointer(record) }
    }
}
