/// How runs change a schedule's state: pure functions shared by the planner (to plan what follows a
/// finished run in the same pass) and the reconciler (to record it), so both agree by construction.
public enum RunLedger {
    /// What finishing one attempt decided.
    public struct Finished: Sendable, Equatable {
        /// `completed` or `failed`.
        public var status: String
        /// Why it failed.
        public var reason: String?
        /// The next attempt, when retries remain.
        public var retry: PendingRetry?
        /// What history recorded (nil while a retry is pending: the run is not over).
        public var summary: RunSummary?
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

    /// Records the end of `run`: history, consecutive failures, and a retry with the doubling
    /// `retry_delay` when the spec allows another attempt (an orphaned or invalid schedule, `spec`
    /// nil, gets none).
    @discardableResult
    public static func finish(_ entry: inout ScheduleState, run: ActiveRun, outcome: TrainerOutcome, spec: ScheduleSpec?, now: Instant) -> Finished {
        entry.activeRun = nil
        entry.retry = nil
        if outcome.status == .trained {
            let summary = RunSummary(id: run.id, slot: run.slot, status: "completed", attempt: run.attempt, startedAt: outcome.startedAt,
                                     finishedAt: outcome.finishedAt, metrics: outcome.metrics)
            append(summary, to: &entry)
            entry.consecutiveFailures = 0
            return Finished(status: "completed", reason: nil, retry: nil, summary: summary)
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
