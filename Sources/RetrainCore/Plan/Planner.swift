/// Decides what a pass does. A pure function of its input: no clock, no files, no processes.
///
/// **First sight.** When a schedule is first seen, or when what decides its timing changes (start,
/// timezone, repeat, end, enabled), the planner anchors it at that moment: slots up to one hour
/// (`grace`) before the anchor still run, older ones never do. So a schedule merged a few minutes
/// after its slot does not miss it, and a new or re-timed schedule does not replay history.
///
/// **On time.** The latest due slot runs if it is less than `grace` old or `catchup` is `latest` or
/// `all`; `catchup: none` skips slots older than that. `deadline`, when set, skips any slot older
/// than it whatever `catchup` says.
public enum Planner {
    /// The first-sight grace and the on-time window: one hour.
    public static let grace: Int64 = 3600
    /// `catchup: all` runs at most this many missed slots.
    public static let catchupAllLimit = 100

    /// The input of a plan.
    public struct Input: Sendable {
        /// Every valid schedule.
        public var schedules: [ScheduleSpec]
        /// Ids of schedule files that exist but have errors.
        public var invalid: Set<String>
        /// The state as read.
        public var state: StateFile
        /// Now.
        public var now: Instant
        /// Remove orphaned schedules' state.
        public var prune: Bool
        /// How each schedule's active run is doing, by schedule id (absent: taken as running).
        public var observations: [String: RunObservation]
        /// Most runs going at once, counting those already running.
        public var maxParallel: Int
        /// Run ids already recorded, for the schedules whose trigger changed (a trigger's run id must
        /// be one the schedule never used).
        public var takenRunIDs: [String: Set<String>]
        /// The data files of `on_data_change` schedules as they are now (`DataWatch`), by id.
        public var data: [String: DataSeen]

        /// Creates an input.
        public init(
            schedules: [ScheduleSpec], invalid: Set<String> = [], state: StateFile, now: Instant, prune: Bool = false,
            observations: [String: RunObservation] = [:], maxParallel: Int = .max, takenRunIDs: [String: Set<String>] = [:],
            data: [String: DataSeen] = [:]
        ) {
            self.takenRunIDs = takenRunIDs
            self.data = data
            self.schedules = schedules
            self.invalid = invalid
            self.state = state
            self.now = now
            self.prune = prune
            self.observations = observations
            self.maxParallel = maxParallel
        }
    }

    /// The plan for `input`.
    public static func plan(_ input: Input) -> Plan {
        var actions: [PlannedAction] = []
        // Each schedule's plan depends on it alone: plan them on every core, then visit the results in
        // id order through their positions (specs are large; sorting them would move them).
        let ids = input.schedules.map(\.id)
        let state = input.state
        let now = input.now
        let observations = input.observations
        let taken = input.takenRunIDs
        let data = input.data
        var perSchedule = Parallel.map(input.schedules) { spec in
            let entry = state.schedules[spec.id]
            return (
                actions: plan(spec, entry: entry, observation: observations[spec.id], now: now, taken: taken[spec.id] ?? [], data: data[spec.id]),
                known: entry != nil,
                running: entry?.activeRun != nil
            )
        }
        actions.reserveCapacity(perSchedule.reduce(0) { $0 + $1.actions.count } + input.invalid.count)
        var unique = true  // no id twice (validation sees to it; a caller might not)
        var previous: Int?
        for index in sortedPositions(ofIDs: ids) {
            if let previous, ids[previous] == ids[index] { unique = false }
            previous = index
            // Moved, not copied: nearly every schedule has one action.
            if perSchedule[index].actions.count == 1 {
                actions.append(perSchedule[index].actions.removeLast())
            } else {
                actions += perSchedule[index].actions
            }
        }
        // Every state entry belongs to a valid schedule: nothing is orphaned, invalid or left to
        // finish without its spec, and the actions are in order.
        if unique && input.invalid.isEmpty && perSchedule.count(where: \.known) == state.schedules.count {
            limitParallel(&actions, input: input, running: perSchedule.count(where: \.running))
            return Plan(now: input.now, actions: actions)
        }
        let present = Set(ids).union(input.invalid)
        // A run of a schedule whose file broke or went away still gets finished; it is not retried.
        func finishWithoutSpec(_ id: String) {
            guard let entry = state.schedules[id], let action = finish(id, entry: entry, spec: nil, observation: observations[id], now: now) else {
                return
            }
            actions.append(action.0)
        }
        for id in input.invalid.sorted(by: codePointLess) {
            finishWithoutSpec(id)
            actions.append(
                PlannedAction(
                    schedule: id, kind: .noop, reason: .invalid,
                    detail: "the file has errors (see `retrain validate`); nothing is run and its state is kept"))
        }
        // Only the ids no file claims are sorted (moving 10,000 state entries around costs more
        // than planning them).
        for id in input.state.schedules.keys.filter({ !present.contains($0) }).sorted(by: codePointLess) {
            let entry = input.state.schedules[id]!
            finishWithoutSpec(id)
            if input.prune {
                actions.append(PlannedAction(schedule: id, kind: .prune, reason: .fileDeleted, detail: "forget the schedule and its recorded runs"))
            } else if !entry.orphaned {
                actions.append(PlannedAction(schedule: id, kind: .orphan, reason: .fileDeleted, detail: "keep its history; `--prune` removes it"))
            }
        }
        // Schedules were visited in id order and each one's actions are in slot order; only the
        // invalid and orphaned ones, appended last, need merging in.
        if !input.invalid.isEmpty
            || actions.contains(where: { $0.kind == .orphan || $0.kind == .prune || ($0.kind == .finish && !present.contains($0.schedule)) })
        {
            let order = actions.indices.sorted {
                codePointLess(actions[$0].schedule, actions[$1].schedule) || (actions[$0].schedule == actions[$1].schedule && $0 < $1)
            }
            actions = order.map { actions[$0] }
        }
        limitParallel(&actions, input: input, running: input.state.schedules.values.count { $0.activeRun != nil })
        return Plan(now: input.now, actions: actions)
    }

    /// Holds back the runs beyond `maxParallel` (counting the `running` ones the state records, less
    /// those this plan finishes), in plan order; they stay due and start on a later pass.
    static func limitParallel(_ actions: inout [PlannedAction], input: Input, running: Int) {
        guard input.maxParallel < .max else { return }
        let finishing = actions.count { $0.kind == .finish }
        var going = running - finishing
        for index in actions.indices where actions[index].kind == .run {
            if going < input.maxParallel {
                going += 1
            } else {
                actions[index].kind = .noop
                actions[index].detail =
                    "waits: at most \(input.maxParallel) run\(input.maxParallel == 1 ? "" : "s") at once (max_parallel); it starts on a later pass"
                actions[index].reason = .maxParallel
            }
        }
    }

    /// The finish action for `entry`'s active run when it has ended, and the entry after it.
    static func finish(_ id: String, entry: ScheduleState, spec: ScheduleSpec?, observation: RunObservation?, now: Instant) -> (
        PlannedAction, ScheduleState
    )? {
        guard let run = entry.activeRun, let observation, let outcome = RunLedger.outcome(of: observation, run: run, now: now) else { return nil }
        var after = entry
        let finished = RunLedger.finish(&after, run: run, outcome: outcome, spec: spec, now: now)
        var detail = finished.status.rawValue
        if let reason = finished.reason { detail += " (\(reason))" }
        if let metrics = outcome.metrics, outcome.status == .trained {
            detail += ": " + metrics.keys.sorted().prefix(4).map { "\($0) \(JSONValue.short(metrics[$0]!))" }.joined(separator: ", ")
        }
        if let retry = finished.retry {
            detail += "; attempt \(retry.attempt) of \((spec?.retries ?? 0) + 1) from \(retry.notBefore)"
        }
        let reason: PlannedAction.Reason = if case .interrupted = observation { .runInterrupted } else { .runEnded }
        return (
            PlannedAction(schedule: id, kind: .finish, reason: reason, runID: run.id, attempt: run.attempt, outcome: outcome, detail: detail), after
        )
    }

    static func plan(
        _ spec: ScheduleSpec, entry: ScheduleState?, observation: RunObservation?, now: Instant, taken: Set<String> = [], data: DataSeen? = nil
    )
        -> [PlannedAction]
    {
        guard let calculator = SlotCalculator(spec) else {
            return [PlannedAction(schedule: spec.id, kind: .noop, reason: .invalid, detail: "time zone \(spec.timezone) cannot be read")]
        }
        var actions: [PlannedAction] = []
        var entry = entry
        if let current = entry, let (action, after) = finish(spec.id, entry: current, spec: spec, observation: observation, now: now) {
            actions.append(action)
            entry = after
        }
        let nextSlot = calculator.slots(after: now, count: 1).first?.instant
        var anchor = entry?.anchor ?? now
        var lastHandled = entry?.lastSlot
        if entry == nil {
            anchor = now
            actions.append(
                PlannedAction(
                    schedule: spec.id, kind: .adopt, reason: .newSchedule, next: nextSlot,
                    detail: "first seen now; slots before \(now.adding(-grace)) are not run"))
        } else if spec.sourceHash != nil && entry!.sourceHash == spec.sourceHash {
            if entry!.orphaned {
                actions.append(
                    PlannedAction(schedule: spec.id, kind: .adopt, reason: .restored, next: nextSlot, detail: "its file is back; its history is kept")
                )
            }
        } else if entry!.timingHash != spec.timingHash {
            anchor = now
            lastHandled = nil
            actions.append(
                PlannedAction(
                    schedule: spec.id, kind: .adopt, reason: .timingChanged, next: nextSlot,
                    detail: "when it runs changed; slots before \(now.adding(-grace)) are not run"))
        } else if entry!.specHash != spec.specHash {
            actions.append(
                PlannedAction(schedule: spec.id, kind: .adopt, reason: .specChanged, next: nextSlot, detail: "the spec changed; its slots did not"))
        } else if entry!.orphaned {
            actions.append(
                PlannedAction(schedule: spec.id, kind: .adopt, reason: .restored, next: nextSlot, detail: "its file is back; its history is kept"))
        }
        guard spec.enabled else {
            return actions + [PlannedAction(schedule: spec.id, kind: .noop, reason: .disabled, detail: "paused (enabled: false)")]
        }
        if let pause = entry?.pause {
            return actions + [
                PlannedAction(schedule: spec.id, kind: .noop, reason: .paused, detail: "\(pause.description) (`retrain resume \(spec.id)`)")
            ]
        }
        let busy = entry?.activeRun

        // A trigger change asks for one run now. Its id comes from the trigger's value, so two
        // reconcilers racing on the same change start it once.
        if let trigger = spec.trigger, let entry, entry.trigger != trigger {
            let runID = RunLedger.freshRunID("\(spec.id)@trigger-\(sanitized(trigger))", taken: taken, in: entry)
            let slot = Slot(instant: now, wall: calculator.zone.local(at: now), kind: .exact)
            if let busy {
                // Not recorded: the trigger stays unanswered and runs once the schedule is free.
                actions.append(
                    PlannedAction(
                        schedule: spec.id, kind: .noop, reason: .previousStillRunning, slot: slot, runID: runID,
                        detail: "trigger \(trigger) waits: \(busy.id) is still running"))
            } else {
                actions.append(
                    PlannedAction(
                        schedule: spec.id, kind: .run, reason: .triggerChanged, slot: slot, runID: runID,
                        detail: "trigger changed to \(trigger)"))
                return actions
            }
        }

        let floor = anchor.adding(-grace - 1)
        let after = max(lastHandled ?? floor, floor)
        let window = catchupAllLimit * 10
        var pending = calculator.slots(after: after, through: now, count: window)
        // More missed slots than the window holds (a schedule every minute, a year later): the
        // latest ones are found from now backwards, whatever the gap, and those before them are
        // skipped as one. Only then does `catchup` see the latest slot, and `all` at most its limit.
        var gap: Slot?
        if pending.count == window, let latest = calculator.last(atOrBefore: now), latest.instant > pending[window - 1].instant {
            var recent = [latest]
            while recent.count < catchupAllLimit, let previous = calculator.last(atOrBefore: recent[recent.count - 1].instant.adding(-1)),
                previous.instant > pending[window - 1].instant
            {
                recent.append(previous)
            }
            gap = calculator.last(atOrBefore: recent[recent.count - 1].instant.adding(-1))
            pending = recent.reversed()
        }
        guard !pending.isEmpty else {
            if let busy {
                return actions + [
                    PlannedAction(
                        schedule: spec.id, kind: .noop, reason: .running, runID: busy.id, attempt: busy.attempt, next: nextSlot,
                        detail: "\(busy.id) running since \(busy.startedAt)")
                ]
            }
            // A failed attempt's retry, once its delay has passed (a newer due slot replaces it).
            if let retry = entry?.retry {
                let notBefore = retry.notBefore
                let slot = Slot(instant: retry.slot, wall: calculator.zone.local(at: retry.slot), kind: .exact)
                if now >= notBefore {
                    return actions + [
                        PlannedAction(
                            schedule: spec.id, kind: .run, reason: .retryAfterFailure, slot: slot, runID: retry.id, attempt: retry.attempt,
                            detail: "attempt \(retry.attempt) of \(spec.retries + 1); the last failed: \(retry.reason)")
                    ]
                }
                return actions + [
                    PlannedAction(
                        schedule: spec.id, kind: .noop, reason: .retryWaiting, slot: slot, runID: retry.id, attempt: retry.attempt, next: notBefore,
                        detail: "attempt \(retry.attempt) of \(spec.retries + 1) from \(notBefore); the last failed: \(retry.reason)")
                ]
            }
            // The data changed since a run last read it: one run now, debounced (nothing else is due).
            if let data, let entry, let known = entry.dataSeen, known.sha256 != data.sha256 {
                let change = "\(spec.data ?? "the data") changed: sha256 \(known.sha256.prefix(12)) → \(data.sha256.prefix(12))"
                let slot = Slot(instant: now, wall: calculator.zone.local(at: now), kind: .exact)
                if let last = entry.lastDataRun, now.seconds < last.seconds + DataDebounce.seconds {
                    let next = last.adding(DataDebounce.seconds)
                    return actions + [
                        PlannedAction(
                            schedule: spec.id, kind: .noop, reason: .dataChangeWaiting, next: next,
                            detail: "\(change); runs from \(next) (at most one data run an hour)")
                    ]
                }
                let runID = RunLedger.freshRunID("\(spec.id)@data-\(now.compact)", taken: taken, in: entry)
                return actions + [PlannedAction(schedule: spec.id, kind: .run, reason: .dataChanged, slot: slot, runID: runID, detail: change)]
            }
            let (reason, detail) = nextSlot.map { (PlannedAction.Reason.notDue, "next \($0)") } ?? (.noMoreSlots, "no slot after \(now)")
            return actions + [PlannedAction(schedule: spec.id, kind: .noop, reason: reason, next: nextSlot, detail: detail)]
        }
        func age(_ slot: Slot) -> Int64 { now.seconds - slot.instant.seconds }
        func due(_ slot: Slot) -> String { age(slot) < 60 ? "due now" : "due \(age(slot) / 60) min ago" }
        func skip(_ slots: ArraySlice<Slot>, _ reason: PlannedAction.Reason, _ why: String) {
            guard let last = slots.last else { return }
            let what = slots.count == 1 ? "slot \(last.instant)" : "\(slots.count) slots through \(last.instant)"
            actions.append(PlannedAction(schedule: spec.id, kind: .skip, reason: reason, slot: last, count: slots.count, detail: "\(what): \(why)"))
        }
        func run(_ slot: Slot, _ reason: PlannedAction.Reason, _ detail: String) {
            let runID = "\(spec.id)@\(slot.instant.compact)"
            if let busy {
                actions.append(
                    PlannedAction(
                        schedule: spec.id, kind: .skip, reason: .previousStillRunning, slot: slot, runID: runID,
                        detail: "slot \(slot.instant): \(busy.id) is still running"))
            } else {
                let replacing = entry?.retry.map { "; replaces the pending retry of \($0.id)" } ?? ""
                actions.append(PlannedAction(schedule: spec.id, kind: .run, reason: reason, slot: slot, runID: runID, detail: detail + replacing))
            }
        }

        if let gap {
            let reason: PlannedAction.Reason =
                switch spec.catchup {
                case .latest: .supersededByLatest
                case .none: .catchupNone
                case .all: .catchupLimit
                }
            actions.append(
                PlannedAction(
                    schedule: spec.id, kind: .skip, reason: reason, slot: gap, count: window,
                    detail: "more than \(window) slots through \(gap.instant): missed; only the latest \(pending.count) are looked at"))
        }
        var live = pending[...]
        if let deadline = spec.deadline {
            let late = pending.prefix { age($0) > Int64(deadline.seconds) }
            skip(late, .missedDeadline, "later than the \(deadline) deadline")
            live = pending.dropFirst(late.count)
        }
        guard let newest = live.last else { return actions }
        switch spec.catchup {
        case .latest:
            skip(live.dropLast(), .supersededByLatest, "missed; catchup: latest runs only the latest")
            run(newest, live.count > 1 ? .catchupLatest : .due, live.count > 1 ? "the latest of \(live.count) missed slots" : due(newest))
        case .none:
            skip(live.dropLast(), .catchupNone, "missed; catchup: none")
            if age(newest) <= grace {
                run(newest, .due, due(newest))
            } else {
                skip(live.suffix(1), .catchupNone, "missed by more than \(grace / 60) min; catchup: none")
            }
        case .all:
            var queue = live
            if queue.count > catchupAllLimit {
                skip(queue.dropLast(catchupAllLimit), .catchupLimit, "catchup: all runs at most \(catchupAllLimit) missed slots")
                queue = queue.suffix(catchupAllLimit)
            }
            let oldest = queue.first!
            run(
                oldest, queue.count > 1 ? .catchupAll : .due,
                queue.count > 1 ? "oldest of \(queue.count) missed slots; the rest follow, one per pass" : due(oldest))
        }
        return actions
    }

    /// A trigger value made safe for a run id and a folder name.
    static func sanitized(_ text: String) -> String {
        let safe = text.unicodeScalars.map { s -> String in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_" || s == ".") ? String(s) : "_"
        }.joined()
        return String(safe.prefix(64))
    }
}
