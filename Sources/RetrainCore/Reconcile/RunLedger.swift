/// How runs change a schedule's state: pure functions shared by the planner (to plan what follows a
/// finished run in the same pass) and the reconciler (to record it), so both agree by construction.
public enum RunLedger {
    /// What finishing one attempt decided.
    public struct Finished: Sendable, Equatable {
        /// `completed` (trained, every gate held, promoted), `rejected` (trained, a gate failed) or `failed`.
        public var status: String
        /// Why it failed.
        public var reason: String?
        /// The next attempt, when retries remain.
        public var retry: PendingRetry?
        /// What history recorded (nil while a retry is pending: the run is not over).
        public var summary: RunSummary?
        /// Each gate's outcome, for a trained run.
        public var gates: [GateCheck] = []
        /// The champion's run id before this run finished, and after.
        public var championBefore: String? = nil
        public var championAfter: String? = nil
    }

    /// The outcome a pass assigns to a run it observed ending, or nil while it runs.
    public static func outcome(of observation: RunObservation, run: ActiveRun, now: Instant) -> TrainerOutcome? {
        switch observation {
        case .running, .elsewhere: nil
        case .ended(let outcome): outcome
        case .interrupted(let why):
            TrainerOutcome(status: .failed, reason: why, exitCode: nil, metrics: nil, startedAt: run.startedAt, finishedAt: now.description)
        }
    }

    /// Records the end of `run`: a trained run's gates (all held: it is promoted to champion; one
    /// failed: `rejected`, the champion stays), history, consecutive failures, and a retry with the doubling
    /// `retry_delay` when the spec allows another attempt (an orphaned or invalid schedule, `spec`
    /// nil, gets none).
    @discardableResult
    public static func finish(_ entry: inout ScheduleState, run: ActiveRun, outcome: TrainerOutcome, spec: ScheduleSpec?, now: Instant) -> Finished {
        entry.activeRun = nil
        entry.retry = nil
        if outcome.status == .trained {
            // Gates: against the champion and the previous trained run (completed or rejected).
            let metrics = outcome.metrics ?? [:]
            let previous = entry.history.last { $0.status == "completed" || $0.status == "rejected" }?.metrics
            let checks = (spec?.gates ?? []).map { $0.check(metrics, champion: entry.champion?.metrics, previous: previous) }
            let failed = checks.filter { !$0.held }
            let before = entry.champion?.id
            let status = failed.isEmpty ? "completed" : "rejected"
            let reason = failed.isEmpty ? nil : "gate failed: " + failed.map(\.explanation).joined(separator: "; ")
            let summary = RunSummary(id: run.id, slot: run.slot, status: status, reason: reason, attempt: run.attempt, startedAt: outcome.startedAt,
                                     finishedAt: outcome.finishedAt, metrics: outcome.metrics)
            append(summary, to: &entry)
            entry.consecutiveFailures = 0
            if failed.isEmpty { entry.champion = summary }
            return Finished(status: status, reason: reason, retry: nil, summary: summary, gates: checks, championBefore: before, championAfter: entry.champion?.id)
        }
        let reason = outcome.reason ?? "failed"
        if let spec, run.attempt <= spec.retries {
            let ended = Instant.parse(outcome.finishedAt) ?? now
            let delay = Int64(spec.retryDelay.seconds) << Int64(min(run.attempt - 1, 20))
            let retry = PendingRetry(id: run.id, slot: run.slot, attempt: run.attempt + 1, notBefore: ended.adding(delay).description, reason: reason)
            entry.retry = retry
            return Finished(status: "failed", reason: reason, retry: retry, summary: nil)
        }
        let summary = RunSummary(id: run.id, slot: run.slot, status: "failed", reason: reason, attempt: run.attempt,
                                 startedAt: outcome.startedAt, finishedAt: outcome.finishedAt, metrics: outcome.metrics)
        append(summary, to: &entry)
        entry.consecutiveFailures += 1
        return Finished(status: "failed", reason: reason, retry: nil, summary: summary)
    }

    /// Records that `run` started. A pending retry of another run is given up: a newer run replaced
    /// it, so that run ends failed with its last reason.
    public static func started(_ entry: inout ScheduleState, run: ActiveRun) {
        if let retry = entry.retry, retry.id != run.id {
            append(RunSummary(id: retry.id, slot: retry.slot, status: "failed", reason: retry.reason + " (its retry gave way to a newer run)",
                              attempt: retry.attempt - 1), to: &entry)
            entry.consecutiveFailures += 1
        }
        entry.retry = nil
        entry.activeRun = run
    }

    /// Records skipped slots: the latest handled slot moves to `slot`, and history keeps one line.
    public static func skipped(_ entry: inout ScheduleState, id: String, slot: Instant, reason: String) {
        advance(&entry, to: slot)
        append(RunSummary(id: id, slot: slot.description, status: "skipped", reason: reason, attempt: 0), to: &entry)
    }

    /// `base`, or `base-2`, `base-3`… when history already has a run with that id: a trigger value
    /// used again, or two manual runs in the same second, must not be taken for the earlier run (an
    /// id that is not in history is the same run, found again after a pass died).
    public static func freshRunID(_ base: String, in entry: ScheduleState?) -> String {
        guard let entry else { return base }
        var used = Set(entry.history.map(\.id))
        if let retry = entry.retry { used.insert(retry.id) }
        guard used.contains(base) else { return base }
        var n = 2
        while used.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    /// Moves the latest handled slot forward to `slot` (never back).
    public static func advance(_ entry: inout ScheduleState, to slot: Instant) {
        if let last = entry.lastSlot.flatMap(Instant.parse), last >= slot { return }
        entry.lastSlot = slot.description
    }

    static func append(_ summary: RunSummary, to entry: inout ScheduleState) {
        entry.history.append(summary)
        if entry.history.count > ScheduleState.historyLimit { entry.history.removeFirst(entry.history.count - ScheduleState.historyLimit) }
    }
}
