/// An operator's hand on one schedule, on the record: `retrain cancel` stops its run, `retrain
/// pause` holds its new runs until `retrain resume`. Each is one update of the state under its lock,
/// then the schedule's reports and any notice. The schedule file stays the source of truth for
/// everything else; `enabled: false` in a reviewed change stays the lasting way to stop one.
extension Workspace {
    /// What `retrain cancel` did.
    public struct Cancelled: Presentable {
        public var schedule: String
        public var run: String
        public var attempt: Int
        public var executor: String
        public var slurmJob: String?
        /// What stopping it took (`Slurm job 12 cancelled (scancel)`); nil when only a pending retry was dropped.
        public var stopped: String?
        public var reason: String

        public func table() -> String {
            "\(run): failed (\(reason))\(stopped.map { "; \($0)" } ?? "; its pending retry was dropped"); not retried, and \(schedule) goes on at its next slot\n"
        }

        public var payload: Payload {
            Payload(
                schedule: schedule, run: run, attempt: attempt, status: "failed", reason: reason, executor: executor, slurmJob: slurmJob,
                stopped: stopped)
        }

        public struct Payload: Encodable {
            public var schedule: String
            public var run: String
            public var attempt: Int
            public var status: String
            public var reason: String
            public var executor: String
            public var slurmJob: String?
            public var stopped: String?

            enum CodingKeys: String, CodingKey {
                case schedule, run, attempt, status, reason, executor
                case slurmJob = "slurm_job"
                case stopped
            }
        }
    }

    /// `retrain pause` or `resume`: the hold as it now stands.
    public struct Hold: Presentable {
        public var schedule: String
        /// The hold in force (nil: resumed).
        public var pause: Pause?
        /// What changed: `paused`, `resumed`, or `unchanged`.
        public var change: String

        public func table() -> String {
            switch (change, pause) {
            case ("paused", let p?): "\(schedule): \(p.description); no new run starts until `retrain resume \(schedule)`\n"
            case (_, let p?): "\(schedule): already \(p.description)\n"
            case ("resumed", nil): "\(schedule): resumed; slots missed while it was paused are not run (`retrain run \(schedule)` trains now)\n"
            default: "\(schedule): not paused; nothing to resume\n"
            }
        }

        public var payload: Payload { Payload(schedule: schedule, change: change, paused: pause) }

        public struct Payload: Encodable {
            public var schedule: String
            public var change: String
            public var paused: Pause?
        }
    }

    /// The state entry `id` refers to, or an error that says what ids there are.
    func requireKnown(_ id: String, in state: StateFile) throws(CommandError) -> ScheduleState {
        if let entry = state.schedules[id] { return entry }
        if report.schedules.contains(where: { $0.id == id }) {
            throw CommandError("'\(id)' has not been reconciled yet, so it has no run; `retrain reconcile` records it")
        }
        let hint = Suggestion.closest(to: id, in: Array(state.schedules.keys)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists them"
        throw CommandError("no schedule '\(id)' in the state\(hint)")
    }

    /// Stops the run of `id` that is going (or drops its pending retry), `wanted` naming it when
    /// given, and records it failed (cancelled by `who`): not retried; the schedule goes on at its
    /// next slot.
    public func cancel(_ id: String, run wanted: String?, by who: String, now: Instant, clockFixed: Bool, warn: @escaping (String) -> Void)
        async throws(CommandError) -> Cancelled
    {
        try requireConfig()
        let reconciler = reconciler(clockFixed: clockFixed)
        let spec = report.schedules.first { $0.id == id }
        let reason = "cancelled by \(who)"
        let done: Cancelled = try CommandError.from {
            try store.update(operation: "cancel", now: now, only: [id], waitSeconds: reconciler.options.lockWaitSeconds, warn: warn) { change in
                var entry = try requireKnown(id, in: change.state)
                if let run = entry.activeRun, wanted == nil || wanted == run.id {
                    let stopped: String
                    switch reconciler.executor.cancel(run) {
                    case .success(let how): stopped = how
                    case .failure(let refusal): throw CommandError("cannot cancel \(run.id): \(refusal.message)")
                    }
                    let outcome = TrainerOutcome(
                        status: .failed, reason: reason, exitCode: nil, metrics: nil, startedAt: run.startedAt, finishedAt: now)
                    let finished = RunLedger.finish(&entry, run: run, outcome: outcome, spec: spec, now: now, retrying: false)
                    change.state.schedules[id] = entry
                    change.record(reconciler.writeResult(run: run, outcome: outcome, finished: finished), schedule: id)
                    reconciler.notify(finished, schedule: id, spec: spec, change: &change)
                    return Cancelled(
                        schedule: id, run: run.id, attempt: run.attempt, executor: run.executor, slurmJob: run.slurmJob, stopped: stopped,
                        reason: reason)
                }
                if let retry = entry.retry, wanted == nil || wanted == retry.id {
                    let record = RunRecord(
                        id: retry.id, slot: retry.slot, status: .failed, reason: "\(retry.reason); its retry \(reason)", attempt: retry.attempt - 1,
                        finishedAt: now)
                    entry.retry = nil
                    RunLedger.recorded(record, in: &entry)
                    entry.consecutiveFailures += 1
                    change.state.schedules[id] = entry
                    change.record(record, schedule: id)
                    return Cancelled(
                        schedule: id, run: retry.id, attempt: retry.attempt - 1,
                        executor: spec?.executor?.rawValue ?? reconciler.options.defaultExecutor.rawValue,
                        slurmJob: nil, stopped: nil, reason: record.reason ?? reason)
                }
                let going = entry.activeRun?.id ?? entry.retry?.id
                if let wanted, let going { throw CommandError("\(wanted) is not going; \(id)'s run going is \(going)") }
                throw CommandError("\(id) has no run going and no retry pending; nothing to cancel")
            }
        }
        try writeReports(now: now, state: try CommandError.from { try store.load() })
        await deliverNotices(now: now) { warn($0.rendered) }
        return done
    }

    /// Holds new runs of `id` (`reason` given) or, with `reason` nil, lets them go again. A run
    /// going is not touched (`retrain cancel` stops it). Resuming anchors the schedule at `now`, as
    /// turning `enabled` back on does: slots missed while it was paused are not run.
    public func hold(_ id: String, reason: String?, by who: String, now: Instant, warn: @escaping (String) -> Void) throws(CommandError) -> Hold {
        try requireConfig()
        let hold: Hold = try CommandError.from {
            try store.update(operation: reason == nil ? "resume" : "pause", now: now, only: [id], warn: warn) { change in
                var entry: ScheduleState
                if let known = change.state.schedules[id] {
                    entry = known
                } else if let spec = report.schedules.first(where: { $0.id == id }) {
                    // Paused before any reconcile saw it: recorded now, as a first pass would.
                    entry = ScheduleState(specHash: spec.specHash, timingHash: spec.timingHash, anchor: now)
                    entry.trigger = spec.trigger
                    entry.sourceHash = spec.sourceHash
                } else {
                    entry = try requireKnown(id, in: change.state)
                }
                defer { change.state.schedules[id] = entry }
                switch (reason, entry.pause) {
                case (let reason?, nil):
                    entry.pause = Pause(by: who, at: now, reason: reason)
                    return Hold(schedule: id, pause: entry.pause, change: "paused")
                case (nil, _?):
                    entry.pause = nil
                    entry.anchor = now
                    entry.lastSlot = nil
                    return Hold(schedule: id, pause: nil, change: "resumed")
                case (_, let current):
                    return Hold(schedule: id, pause: current, change: "unchanged")
                }
            }
        }
        if hold.change != "unchanged" { try writeReports(now: now, state: try CommandError.from { try store.load() }) }
        return hold
    }
}
