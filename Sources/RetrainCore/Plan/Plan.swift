/// What one reconcile pass will do: a closed set of actions, each with a documented reason, computed
/// from the schedules, the state and `now` alone. `reconcile` carries out exactly this.
public struct Plan: Sendable, Equatable {
    /// The instant the plan was made for.
    public var now: Instant
    /// Actions in schedule id order (code points), then slot order.
    public var actions: [PlannedAction]

    /// True when anything but `noop` is planned.
    public var hasChanges: Bool { actions.contains { $0.kind != .noop } }
}

/// One action of a plan.
public struct PlannedAction: Sendable, Equatable {
    /// What happens.
    public enum Kind: String, Sendable, CaseIterable {
        /// Record the end of a started run: its outcome, history, a retry if one remains.
        case finish
        /// Start a run for `slot`.
        case run
        /// Record `slot` (and, with a count, the slots before it) as handled without running.
        case skip
        /// Record the schedule as seen (new, or its spec changed): hashes and first-sight anchor.
        case adopt
        /// The schedule file is gone: mark it orphaned; history is kept.
        case orphan
        /// Remove an orphaned schedule's state (`--prune`).
        case prune
        /// Nothing to do now.
        case noop
    }

    /// Why. Written to JSON as these snake_case strings, which are stable.
    public enum Reason: String, Sendable, CaseIterable {
        /// The latest slot is due and on time.
        case due
        /// Slots were missed; `catchup: latest` runs the latest once.
        case catchupLatest = "catchup_latest"
        /// Slots were missed; `catchup: all` runs each in turn, oldest first.
        case catchupAll = "catchup_all"
        /// `trigger` changed: one run now.
        case triggerChanged = "trigger_changed"
        /// The slot is later than `deadline` allows.
        case missedDeadline = "missed_deadline"
        /// The previous run of this schedule is still running.
        case previousStillRunning = "previous_still_running"
        /// Earlier missed slots, superseded by the latest (`catchup: latest`).
        case supersededByLatest = "superseded_by_latest"
        /// Missed slots with `catchup: none`.
        case catchupNone = "catchup_none"
        /// More than 100 missed slots with `catchup: all`: the oldest are not run.
        case catchupLimit = "catchup_limit"
        /// First time the schedule is seen.
        case newSchedule = "new_schedule"
        /// Its spec changed, but not when it runs.
        case specChanged = "spec_changed"
        /// When it runs changed (start, timezone, repeat, end, enabled): it is anchored anew.
        case timingChanged = "timing_changed"
        /// The file was deleted.
        case fileDeleted = "file_deleted"
        /// Not due yet.
        case notDue = "not_due"
        /// `enabled: false`.
        case disabled
        /// Held by an operator (`retrain pause`).
        case paused
        /// The file has errors: nothing is done and its state is kept.
        case invalid
        /// No slot remains (a `once` that ran, an `end` that passed).
        case noMoreSlots = "no_more_slots"
        /// A started run ended and left its outcome.
        case runEnded = "run_ended"
        /// A started run's process is gone without an outcome: failed (interrupted).
        case runInterrupted = "run_interrupted"
        /// The previous attempt failed and retries remain; its `retry_delay` has passed.
        case retryAfterFailure = "retry_after_failure"
        /// The previous attempt failed; the next waits for its `retry_delay`.
        case retryWaiting = "retry_waiting"
        /// A run of this schedule is in progress.
        case running
        /// Due, but `max_parallel` runs are going: it starts on a later pass.
        case maxParallel = "max_parallel"
        /// The file of an orphaned schedule is back: it is followed again, with its history.
        case restored
        /// Started by hand (`retrain run`).
        case manual
        /// A past slot run by `retrain backfill`.
        case backfill
        /// `on_data_change`: the data file's content changed since a run last read it.
        case dataChanged = "data_changed"
        /// `on_data_change`: it changed, and the last data run was less than an hour ago.
        case dataChangeWaiting = "data_change_waiting"
    }

    /// The schedule id.
    public var schedule: String
    /// What happens.
    public var kind: Kind
    /// Why.
    public var reason: Reason
    /// The slot acted on (run, skip), when there is one.
    public var slot: Slot?
    /// The run id (run): `schedule@20261201T010000Z`, or `schedule@trigger-VALUE`.
    public var runID: String?
    /// For skip: how many slots it covers (the slot and those before it).
    public var count: Int = 1
    /// For run and finish: which attempt (1, then 2… for retries).
    public var attempt: Int = 1
    /// For finish: how the run ended.
    public var outcome: TrainerOutcome?
    /// The schedule's next slot after now, for noop and adopt.
    public var next: Instant?
    /// One line for people.
    public var detail: String

    /// Creates an action.
    public init(
        schedule: String, kind: Kind, reason: Reason, slot: Slot? = nil, runID: String? = nil, count: Int = 1, attempt: Int = 1,
        outcome: TrainerOutcome? = nil, next: Instant? = nil, detail: String
    ) {
        self.schedule = schedule
        self.kind = kind
        self.reason = reason
        self.slot = slot
        self.runID = runID
        self.count = count
        self.attempt = attempt
        self.outcome = outcome
        self.next = next
        self.detail = detail
    }
}

/// `on_data_change`'s debounce: at most one run for a data change an hour. An upstream job that
/// rewrites the file several times in a burst causes one run; the next change waits out the hour.
public enum DataDebounce {
    public static let seconds: Int64 = 3600
}
