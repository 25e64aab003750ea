import FoundationEssentials

/// One reconcile pass, the controller pattern: observe (the schedules, the state, how started runs are
/// doing), decide (`Planner.plan`), act (exactly that plan: record, finish, start). The whole pass is
/// one read-modify-write of the state under its lock; trainings run detached and never hold it.
///
/// A pass that dies anywhere loses nothing: the state is saved once, at the end, and a run it started
/// before dying is found again by its folder the next time the same run is planned (`RunExecutor`).
public struct Reconciler: Sendable {
    /// Where things go and how much runs at once.
    public struct Options: Sendable {
        /// The reports folder (relative to the repository root, or absolute).
        public var reports: String
        /// The models folder.
        public var models: String
        /// Most runs going at once.
        public var maxParallel: Int
        /// Forget orphaned schedules.
        public var prune: Bool
        /// How long to wait for another pass holding the state lock.
        public var lockWaitSeconds: Double
        /// `notify:` for schedules that give none (retrain.yaml's `defaults.notify`).
        public var defaultNotify: NotifySpec?
        /// Folders outside the repository built-in models may read data from (retrain.yaml's `data_roots`).
        public var dataRoots: [String] = []
        /// Environment variables no trainer gets (what `retrain.yaml` and every schedule's `notify`
        /// refer to); a run's own schedule's are added.
        public var hiddenEnvironment: Set<String> = []
        /// The executor of schedules that name none (retrain.yaml's `defaults.executor`).
        public var defaultExecutor: ScheduleSpec.Executor = .local
        /// retrain.yaml's `defaults.slurm`, under each Slurm schedule's own `slurm:`.
        public var defaultSlurm: SlurmOptions?
        /// retrain.yaml's `defaults.keep_runs`.
        public var defaultKeepRuns: Int?

        /// Creates options.
        public init(
            reports: String, models: String, maxParallel: Int, prune: Bool = false, lockWaitSeconds: Double = 300, defaultNotify: NotifySpec? = nil
        ) {
            self.reports = reports
            self.defaultNotify = defaultNotify
            self.models = models
            self.maxParallel = maxParallel
            self.prune = prune
            self.lockWaitSeconds = lockWaitSeconds
        }
    }

    /// What the pass saw of the repository.
    public struct Observed: Sendable {
        /// Valid schedules.
        public var schedules: [ScheduleSpec]
        /// Ids of schedule files with errors.
        public var invalid: Set<String>
        /// The git commit and the modified schedule files, when in a git work tree.
        public var workingTree: (commit: String, modified: Set<String>)?

        /// Creates an observation.
        public init(schedules: [ScheduleSpec], invalid: Set<String>, workingTree: (commit: String, modified: Set<String>)?) {
            self.schedules = schedules
            self.invalid = invalid
            self.workingTree = workingTree
        }
    }

    /// What a pass did.
    public struct Pass: Sendable {
        /// The plan it carried out.
        public var plan: Plan
        /// What came of each action, by index in `plan.actions` (nil for noop).
        public var results: [String?]
        /// Runs it started (or found started), by schedule id.
        public var started: [(schedule: String, run: ActiveRun)]
        /// Attempts that ended failed in this pass (including those that could not start).
        public var failures: Int
        /// Every run going after the pass (started now or earlier), by schedule id.
        public var going: [(schedule: String, run: ActiveRun)] = []
        /// Notifications waiting to be delivered after the pass.
        public var queuedNotices = 0
        /// The state as the pass saved it (for the reports, without reading it again).
        public var state = StateFile()
        /// Older runs' folders removed by `keep_runs`.
        public var pruned: [Pruned] = []
        /// The `on_data_change` data files as this pass saw them: a run started records its own.
        var data: [String: DataSeen] = [:]
    }

    /// The state file.
    public let store: StateStore
    /// Where runs execute.
    public let executor: any RunExecutor
    /// Options.
    public let options: Options
    /// The repository root, absolute.
    public let repositoryRoot: String
    /// Called after each run is started, before the state is saved: a fault-injection point for tests.
    public var afterStart: @Sendable () -> Void = {}

    /// Creates a reconciler.
    public init(store: StateStore, executor: any RunExecutor, options: Options, repositoryRoot: String) {
        self.store = store
        self.executor = executor
        self.options = options
        self.repositoryRoot = repositoryRoot
    }

    /// How each active run is doing.
    public func observations(_ state: StateFile, now: Instant) -> [String: RunObservation] {
        var schedules: [String: String] = [:]
        var runs: [ActiveRun] = []
        for (id, entry) in state.schedules {
            guard let run = entry.activeRun else { continue }
            schedules[run.id] = id
            runs.append(run)
        }
        var seen: [String: RunObservation] = [:]
        for (runID, observation) in executor.observe(all: runs, now: now) {
            if let id = schedules[runID] { seen[id] = observation }
        }
        return seen
    }

    /// The plan a pass would carry out now, without the lock and without acting (`--dry-run`, `plan`).
    public func preview(_ observed: Observed, now: Instant) throws -> Plan {
        let state = try store.load()
        return plan(observed, state: state, now: now)
    }

    /// The plan for `observed` over `state` (read by the caller) at `now`.
    public func plan(
        _ observed: Observed, state: StateFile, now: Instant, seen: [String: RunObservation]? = nil, data: [String: DataSeen]? = nil
    ) -> Plan {
        Planner.plan(
            Planner.Input(
                schedules: observed.schedules, invalid: observed.invalid, state: state, now: now, prune: options.prune,
                observations: seen ?? observations(state, now: now), maxParallel: options.maxParallel,
                takenRunIDs: takenRunIDs(observed.schedules, state: state),
                data: data ?? DataWatch.observe(observed.schedules, state: state, root: repositoryRoot)))
    }

    /// The recorded run ids of the schedules whose trigger changed (their run id must be new), read
    /// from those schedules' ledgers only.
    func takenRunIDs(_ schedules: [ScheduleSpec], state: StateFile) -> [String: Set<String>] {
        var taken: [String: Set<String>] = [:]
        for spec in schedules {
            guard let trigger = spec.trigger, let entry = state.schedules[spec.id], entry.trigger != trigger else { continue }
            taken[spec.id] = store.history.ids(spec.id, legacy: state.legacy)
        }
        return taken
    }

    /// One pass at `now`. Throws only when the state cannot be read, locked or written, and then
    /// nothing was changed (runs it started are found again by the next pass).
    public func pass(_ observed: Observed, now: Instant, warn: (String) -> Void) throws -> Pass {
        var pass = try store.update(operation: "reconcile", now: now, waitSeconds: options.lockWaitSeconds, warn: warn) { change in
            let seen = observations(change.state, now: now)
            let data = DataWatch.observe(observed.schedules, state: change.state, root: repositoryRoot)
            let plan = plan(observed, state: change.state, now: now, seen: seen, data: data)
            var specs: [String: ScheduleSpec] = [:]
            for spec in observed.schedules { specs[spec.id] = spec }
            var pass = Pass(plan: plan, results: Array(repeating: nil, count: plan.actions.count), started: [], failures: 0)
            pass.data = data
            // A run that cannot be looked at now stays as it is; the pass says so and fails.
            for (id, observation) in seen.sorted(by: { codePointLess($0.key, $1.key) }) {
                guard case .unknown(let why) = observation, let run = change.state.schedules[id]?.activeRun else { continue }
                warn("\(id): \(run.id): \(why); it stays running in the state and the next pass looks again")
                pass.failures += 1
            }
            for (index, action) in plan.actions.enumerated() {
                pass.results[index] = apply(action, spec: specs[action.schedule], change: &change, observed: observed, now: now, pass: &pass)
            }
            // Files whose bytes changed but not their spec (a comment, a reordering) get their new
            // bytes' hash recorded, so later passes take the shortcut again.
            for spec in observed.schedules {
                guard let entry = change.state.schedules[spec.id], spec.sourceHash != nil, entry.sourceHash != spec.sourceHash,
                    entry.specHash == spec.specHash, entry.timingHash == spec.timingHash
                else { continue }
                change.state.schedules[spec.id]!.sourceHash = spec.sourceHash
            }
            // on_data_change: a first look is the baseline, and a file written again with the same
            // content is remembered by its new size and time (no hashing it every pass).
            for (id, look) in data {
                guard let known = change.state.schedules[id], known.dataSeen != look else { continue }
                if known.dataSeen == nil || known.dataSeen?.sha256 == look.sha256 { change.state.schedules[id]!.dataSeen = look }
            }
            // Stale alerts: queued once per period without a promotion.
            for spec in observed.schedules {
                guard let entry = change.state.schedules[spec.id],
                    let notice = NoticeBook.stale(
                        entry, schedule: spec.id, spec: spec, notify: spec.notify ?? options.defaultNotify,
                        reports: options.reports, now: now)
                else { continue }
                change.state.schedules[spec.id]!.staleNoticeFor = entry.lastPromotion
                change.queue(notice)
            }
            pass.pruned = retain(change, specs: specs, now: now, warn: warn)
            pass.going = change.state.schedules.compactMap { id, entry in entry.activeRun.map { (id, $0) } }
            pass.queuedNotices = change.state.outbox.count + change.notices.count
            pass.state = change.state
            return pass
        }
        // `--prune` forgot these schedules (saved): their reports and models go too, said in the result.
        for (index, action) in pass.plan.actions.enumerated() where action.kind == .prune && FileSystem.isPlainName(action.schedule) {
            var gone: [String] = []
            for folder in ["\(options.reports)/\(action.schedule)", "\(options.models)/\(action.schedule)"]
            where FileSystem.isDirectory(absolute(folder)) {
                if let problem = FileSystem.removeTree(absolute(folder)) {
                    warn("\(action.schedule): cannot remove \(folder): \(problem)")
                } else {
                    gone.append(folder + "/")
                }
            }
            if !gone.isEmpty { pass.results[index] = (pass.results[index] ?? "forgotten") + "; removed " + gone.joined(separator: " and ") }
        }
        return pass
    }

    /// What `startManual` did.
    public enum ManualStart: Sendable {
        /// Started (or found started): the run and what happened, as a pass reports it.
        case started(ActiveRun, String)
        /// The schedule has a run going; a second is not started beside it.
        case busy(ActiveRun)
        /// It could not start; recorded as a failed run.
        case failed(String)
        /// Nothing to start, and nothing recorded: a backfilled slot trained meanwhile (another
        /// backfill or pass), or a retry another pass recorded.
        case done(String)
    }

    /// `retrain run ID`: one run of `spec` now, outside its slots, with the id `ID@manual-<now>`.
    /// A finished earlier run is recorded first; a running one makes this refuse.
    /// Returns the state it left, for the reports.
    /// With `backfilling`, the run is for that past slot (`retrain backfill`): its id is the slot's
    /// (`ID@<slot>`, or a fresh one when that is taken) and `RETRAIN_SLOT` is the slot.
    public func startManual(_ spec: ScheduleSpec, observed: Observed, now: Instant, backfilling: Instant? = nil, warn: (String) -> Void) throws
        -> (ManualStart, StateFile)
    {
        try store.update(operation: "run \(spec.id)", now: now, only: [spec.id], waitSeconds: options.lockWaitSeconds, warn: warn) { change in
            var pass = Pass(plan: Plan(now: now, actions: []), results: [], started: [], failures: 0)
            pass.data = DataWatch.observe([spec], state: change.state, root: repositoryRoot)
            if change.state.schedules[spec.id] == nil {
                _ = apply(
                    PlannedAction(schedule: spec.id, kind: .adopt, reason: .newSchedule, detail: ""), spec: spec, change: &change, observed: observed,
                    now: now, pass: &pass)
            }
            if let run = change.state.schedules[spec.id]!.activeRun {
                let (finish, _) =
                    Planner.finish(
                        spec.id, entry: change.state.schedules[spec.id]!, spec: spec, observation: executor.observe(run, now: now), now: now) ?? (
                        nil, nil
                    )
                guard let finish else { return (.busy(run), change.state) }
                _ = apply(finish, spec: spec, change: &change, observed: observed, now: now, pass: &pass)
            }
            // The schedule's runs, read once: the ids taken, and (under the lock) a backfilled slot
            // another process trained meanwhile, which is not run twice.
            let recorded =
                store.history.read(spec.id, legacy: change.state.legacy).records + change.records.filter { $0.schedule == spec.id }.flatMap(\.records)
            if let slot = backfilling, let trained = recorded.last(where: { $0.slot == slot && $0.status.trained }) {
                return (.done("slot \(slot) trained already (\(trained.id) \(trained.status.rawValue)); not run again"), change.state)
            }
            let at = backfilling ?? now
            let slot = Slot(instant: at, wall: SlotCalculator(spec)?.zone.local(at: at) ?? at.utc, kind: .exact)
            let base = backfilling.map { "\(spec.id)@\($0.compact)" } ?? "\(spec.id)@manual-\(now.compact)"
            let taken = Set(recorded.map(\.id))
            let action = PlannedAction(
                schedule: spec.id, kind: .run, reason: backfilling == nil ? .manual : .backfill, slot: slot,
                runID: RunLedger.freshRunID(base, taken: taken, in: change.state.schedules[spec.id]),
                detail: backfilling == nil ? "started by hand" : "backfill of slot \(at)")
            let result = apply(action, spec: spec, change: &change, observed: observed, now: now, pass: &pass) ?? ""
            if let started = pass.started.first { return (.started(started.run, result), change.state) }
            return (.failed(result), change.state)
        }
    }

    /// `run --wait` going on through retries: starts the pending retry of `runID` (its delay has
    /// passed), through the same claim a pass uses, so it starts once. A retry another pass has
    /// started already is returned as started; `.failed` when there is no retry of it to start.
    public func startRetry(_ spec: ScheduleSpec, runID: String, observed: Observed, now: Instant, warn: (String) -> Void) throws
        -> (ManualStart, StateFile)
    {
        try store.update(operation: "run \(spec.id)", now: now, only: [spec.id], waitSeconds: options.lockWaitSeconds, warn: warn) { change in
            guard let entry = change.state.schedules[spec.id] else { return (.done("\(spec.id) is no longer in the state"), change.state) }
            if let active = entry.activeRun {
                return (active.id == runID ? .started(active, "started by another pass") : .busy(active), change.state)
            }
            guard let retry = entry.retry, retry.id == runID else {
                return (.done("\(runID) has no retry pending (another pass recorded it)"), change.state)
            }
            var pass = Pass(plan: Plan(now: now, actions: []), results: [], started: [], failures: 0)
            let slot = Slot(instant: retry.slot, wall: SlotCalculator(spec)?.zone.local(at: retry.slot) ?? retry.slot.utc, kind: .exact)
            let action = PlannedAction(
                schedule: spec.id, kind: .run, reason: .retryAfterFailure, slot: slot, runID: retry.id, attempt: retry.attempt,
                detail: "attempt \(retry.attempt) of \(spec.retries + 1); the last failed: \(retry.reason)")
            let result = apply(action, spec: spec, change: &change, observed: observed, now: now, pass: &pass) ?? ""
            if let started = pass.started.first { return (.started(started.run, result), change.state) }
            return (.failed(result), change.state)
        }
    }

    /// Finishes the runs of `ids` that have ended (for `run --wait`), and nothing else. Returns what
    /// came of each and the state it left.
    public func finishEnded(_ ids: Set<String>, specs: [ScheduleSpec], observed: Observed, now: Instant, warn: (String) -> Void) throws
        -> (finished: [(PlannedAction, String?)], state: StateFile, pruned: [Pruned])
    {
        try store.update(operation: "finish runs", now: now, only: ids, waitSeconds: options.lockWaitSeconds, warn: warn) { change in
            var pass = Pass(plan: Plan(now: now, actions: []), results: [], started: [], failures: 0)
            var done: [(PlannedAction, String?)] = []
            for id in ids.sorted(by: codePointLess) {
                guard let entry = change.state.schedules[id], let run = entry.activeRun else { continue }
                let spec = specs.first { $0.id == id }
                guard let (finish, _) = Planner.finish(id, entry: entry, spec: spec, observation: executor.observe(run, now: now), now: now) else {
                    continue
                }
                done.append((finish, apply(finish, spec: spec, change: &change, observed: observed, now: now, pass: &pass)))
            }
            var specsByID: [String: ScheduleSpec] = [:]
            for spec in specs { specsByID[spec.id] = spec }
            return (done, change.state, retain(change, specs: specsByID, now: now, warn: warn))
        }
    }

    /// Carries out one action on the state; says what came of it.
    func apply(_ action: PlannedAction, spec: ScheduleSpec?, change: inout StateChange, observed: Observed, now: Instant, pass: inout Pass) -> String?
    {
        let id = action.schedule
        switch action.kind {
        case .noop:
            return nil
        case .orphan:
            change.state.schedules[id]?.orphaned = true
            return "orphaned"
        case .prune:
            change.state.schedules[id] = nil
            change.forget(id)
            return "forgotten"
        case .adopt:
            guard let spec else { return nil }
            var entry = change.state.schedules[id] ?? ScheduleState(specHash: spec.specHash, timingHash: spec.timingHash, anchor: now)
            if action.reason == .newSchedule { entry.trigger = spec.trigger }
            if action.reason == .timingChanged {
                entry.anchor = now
                entry.lastSlot = nil
            }
            entry.specHash = spec.specHash
            entry.timingHash = spec.timingHash
            entry.sourceHash = spec.sourceHash
            entry.orphaned = false
            change.state.schedules[id] = entry
            return "recorded"
        case .skip:
            guard let slot = action.slot, change.state.schedules[id] != nil else { return nil }
            let reason = action.count > 1 ? "\(action.reason.rawValue) (\(action.count) slots)" : action.reason.rawValue
            let record = RunLedger.skipped(
                &change.state.schedules[id]!, id: action.runID ?? "\(id)@\(slot.instant.compact)", slot: slot.instant, reason: reason)
            change.record(record, schedule: id)
            return "recorded"
        case .finish:
            guard let run = change.state.schedules[id]?.activeRun, let outcome = action.outcome else { return nil }
            let finished = RunLedger.finish(&change.state.schedules[id]!, run: run, outcome: outcome, spec: spec, now: now)
            if finished.status == .failed { pass.failures += 1 }
            change.record(writeResult(run: run, outcome: outcome, finished: finished), schedule: id)
            notify(finished, schedule: id, spec: spec, change: &change)
            return action.detail
        case .run:
            guard let spec, let slot = action.slot, let runID = action.runID, change.state.schedules[id] != nil else { return nil }
            let request = request(
                spec, runID: runID, slot: slot.instant, attempt: action.attempt, reason: action.reason.rawValue, workingTree: observed.workingTree,
                entry: change.state.schedules[id])
            let start: RunStart
            if action.reason == .manual || action.reason == .backfill {
                // Nothing plans a manual run's id again: it is noted before it starts, so a process
                // killed before this state is saved leaves it findable (`StartJournal`).
                let noted = ActiveRun(
                    id: runID, slot: slot.instant, executor: request.provenance.executor, pid: nil, host: nil,
                    startedAt: now, attempt: action.attempt, folder: request.trainer.attemptFolder)
                do throws(AtomicFile.Failure) {
                    try store.started.note(noted, schedule: id)
                    change.journaled.append(runID)
                    start = dataProblem(spec).map(RunStart.failed) ?? executor.start(request, now: now)
                } catch {
                    start = .failed("cannot note that it is starting (\(error)); nothing was started")
                }
            } else {
                start = dataProblem(spec).map(RunStart.failed) ?? executor.start(request, now: now)
            }
            afterStart()
            if case .unavailable(let why) = start, action.reason != .manual, action.reason != .backfill {
                // Nothing started and no attempt spent: the same attempt is due again next pass.
                if action.reason != .triggerChanged && action.reason != .retryAfterFailure {
                    RunLedger.advance(&change.state.schedules[id]!, to: slot.instant)
                } else if action.reason == .triggerChanged {
                    change.state.schedules[id]!.trigger = spec.trigger
                }
                let gaveWay = RunLedger.held(
                    &change.state.schedules[id]!, id: runID, slot: slot.instant, attempt: action.attempt, reason: "not started: \(why)", now: now)
                if let gaveWay { change.record(gaveWay, schedule: id) }
                pass.failures += 1
                return "not started: \(why); the next pass tries again"
            }
            // The slot (or trigger) is answered whatever happens next, so it is never started twice.
            switch action.reason {
            case .triggerChanged: change.state.schedules[id]!.trigger = spec.trigger
            case .retryAfterFailure, .manual, .backfill: break
            default: RunLedger.advance(&change.state.schedules[id]!, to: slot.instant)
            }
            switch start {
            case .started(let run), .alreadyStarted(let run):
                change.record(RunLedger.started(&change.state.schedules[id]!, run: run), schedule: id)
                // It reads the data as it is now: a change is answered by the run that read it.
                if let data = pass.data[id] {
                    change.state.schedules[id]!.dataSeen = data
                    if action.reason == .dataChanged { change.state.schedules[id]!.lastDataRun = now }
                }
                pass.started.append((id, run))
                if case .alreadyStarted = start { return "already started by an earlier pass; recorded" }
                if let job = run.slurmJob { return "submitted as Slurm job \(job)" }
                return "started" + (run.pid.map { " (pid \($0))" } ?? "")
            case .failed(let why), .unavailable(let why):
                // Recorded as a failed attempt, so retries apply and nothing loops.
                let run = ActiveRun(
                    id: runID, slot: slot.instant, executor: request.provenance.executor, pid: nil, host: nil,
                    startedAt: now, attempt: action.attempt, folder: request.trainer.attemptFolder)
                change.record(RunLedger.started(&change.state.schedules[id]!, run: run), schedule: id)
                let outcome = TrainerOutcome(status: .failed, reason: why, exitCode: nil, metrics: nil, startedAt: now, finishedAt: now)
                let finished = RunLedger.finish(&change.state.schedules[id]!, run: run, outcome: outcome, spec: spec, now: now)
                change.record(writeResult(run: run, outcome: outcome, finished: finished, request: request), schedule: id)
                pass.failures += 1
                notify(finished, schedule: id, spec: spec, change: &change)
                return "could not start: \(why)"
            }
        }
    }

    /// For a built-in model, what is wrong with its data (`validate --data`'s check, at the
    /// schedule's line and column), or nil: such a run fails at once with that reason instead of
    /// starting a trainer that would exit 1 with it buried in its log.
    func dataProblem(_ spec: ScheduleSpec) -> String? {
        guard spec.command == nil, spec.builtinModel != nil, let data = spec.data, !data.contains("://"),
            case .success(let bytes) = SourceFile.read(absolute(spec.file), limit: 1 << 20)
        else { return nil }
        var context = ValidationContext(defaultExecutor: options.defaultExecutor)
        context.repositoryRoot = repositoryRoot
        context.dataRoots = options.dataRoots
        context.checksData = true
        context.hashesSource = false
        let loaded = ScheduleLoader.decode(bytes: bytes, path: spec.file, id: spec.id, context: context)
        guard let error = loaded.diagnostics.first(where: { $0.severity == .error }) else { return nil }
        return "data: \(error.file):\(error.position.line):\(error.position.column): \(error.message)"
    }

    /// Queues the notice a finished run calls for, in the same state update that records the run.
    func notify(_ finished: RunLedger.Finished, schedule id: String, spec: ScheduleSpec?, change: inout StateChange) {
        guard let entry = change.state.schedules[id] else { return }
        change.queue(
            NoticeBook.afterRun(
                finished, entry: entry, schedule: id, spec: spec, notify: spec?.notify ?? options.defaultNotify,
                reports: options.reports, gates: finished.gates))
    }

    /// The request for one attempt of `runID`.
    public func request(
        _ spec: ScheduleSpec, runID: String, slot: Instant, attempt: Int, reason: String,
        workingTree: (commit: String, modified: Set<String>)?, entry: ScheduleState? = nil
    ) -> RunRequest {
        let runFolder = "\(options.reports)/\(spec.id)/\(runID)"
        let params = JSONValue.object(spec.params.map { JSONValue.Member($0.0, JSONValue($0.1)) })
        var trainer = TrainerRequest(
            schedule: spec.id, runID: runID, model: spec.model, command: spec.command ?? [], paramsJSON: params.compact,
            data: spec.data, target: spec.target, features: spec.features, repositoryRoot: repositoryRoot, runFolder: runFolder, attempt: attempt,
            outputFolder: "\(options.models)/\(spec.id)/\(runID)", timeoutSeconds: spec.timeout.seconds)
        trainer.dataRoots = options.dataRoots.isEmpty ? nil : options.dataRoots
        // A run by hand (and each retry of one) is for no slot: RETRAIN_SLOT is empty.
        let byHand = reason == PlannedAction.Reason.manual.rawValue || runID.hasPrefix("\(spec.id)@manual-")
        trainer.slot = byHand ? nil : slot
        trainer.champion = entry?.champion.map { "\(options.models)/\(spec.id)/\($0.id)" }
        trainer.previousDataSHA256 = entry?.lastTrained?.dataSHA256
        let hidden = options.hiddenEnvironment.union(spec.notify?.referencedNames ?? [])
        trainer.hiddenEnvironment = hidden.isEmpty ? nil : hidden.sorted(by: codePointLess)
        let file = spec.file.hasPrefix("./") ? String(spec.file.dropFirst(2)) : spec.file
        let placement = spec.executor ?? options.defaultExecutor
        let provenance = Provenance(
            gitCommit: workingTree?.commit, scheduleModified: workingTree.map { $0.modified.contains(file) }, scheduleFile: file,
            specHash: spec.specHash, command: spec.command, retrainVersion: RetrainVersion.current, executor: placement.rawValue)
        let slurm = placement == .slurm ? (spec.slurm ?? SlurmOptions()).over(options.defaultSlurm) : nil
        return RunRequest(trainer: trainer, slot: slot, reason: reason, provenance: provenance, slurm: slurm)
    }

    // MARK: result.json and champion.json

    /// `models/<schedule>/champion.json`: the model in service, written when a run is promoted.
    public struct Champion: Codable, Sendable, Equatable {
        public var schedule: String
        public var runID: String
        public var slot: Instant
        /// The artifact's folder (`model.json` inside for built-in models), relative to the repository.
        public var modelFolder: String
        public var promotedAt: Instant
        public var metrics: [String: Double]
        /// The champion it replaced.
        public var previousChampion: String?
        /// Who made it champion by hand (`retrain promote` or `rollback`); nil when its gates did.
        public var promotedBy: String? = nil
        /// Why, as they said.
        public var reason: String? = nil

        enum CodingKeys: String, CodingKey {
            case schedule
            case runID = "run_id"
            case slot
            case modelFolder = "model_folder"
            case promotedAt = "promoted_at"
            case metrics
            case previousChampion = "previous_champion"
            case promotedBy = "promoted_by"
            case reason
        }
    }

    func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : repositoryRoot + "/" + path }

    /// Writes the run's result.json (and champion.json when it was promoted) and returns the
    /// finished run's ledger record with what the request and outcome add: params, duration,
    /// git commit and data (the record alone when the request cannot be read).
    func writeResult(run: ActiveRun, outcome: TrainerOutcome, finished: RunLedger.Finished, request known: RunRequest? = nil) -> RunRecord? {
        var record = finished.record
        record?.durationSeconds = outcome.durationSeconds
        record?.data = outcome.data.map { RunRecord.DataSummary(sha256: $0.sha256, rows: $0.rows) }
        guard let attemptFolder = run.folder else { return record }
        let runFolder = AtomicFile.folderOf(attemptFolder)
        let request = known ?? SourceFile.readJSON(RunRequest.self, absolute(attemptFolder) + "/" + LocalExecutor.File.request)
        guard let request else { return record }
        var attempts: [RunResult.Attempt] = []
        for number in 1..<max(run.attempt, 1) {
            let earlier = SourceFile.readJSON(TrainerOutcome.self, absolute(runFolder) + "/attempt-\(number)/" + LocalExecutor.File.outcome)
            attempts.append(
                RunResult.Attempt(
                    attempt: number, status: earlier?.status ?? .failed, reason: earlier == nil ? "interrupted" : earlier!.reason,
                    exitCode: earlier?.exitCode, startedAt: earlier?.startedAt, finishedAt: earlier?.finishedAt))
        }
        attempts.append(
            RunResult.Attempt(
                attempt: run.attempt, status: outcome.status, reason: outcome.reason, exitCode: outcome.exitCode,
                startedAt: outcome.startedAt, finishedAt: outcome.finishedAt))
        let params = (try? JSONDecoder().decode(JSONValue.self, from: Data(request.trainer.paramsJSON.utf8))) ?? .object([])
        let duration = outcome.durationSeconds
        record?.params = params
        record?.gitCommit = request.provenance.gitCommit
        var result = RunResult(
            schedule: request.trainer.schedule, runID: run.id, model: request.trainer.model, status: finished.status, reason: finished.reason,
            slot: run.slot, trigger: request.reason, attempt: run.attempt, attempts: attempts, startedAt: outcome.startedAt,
            finishedAt: outcome.finishedAt, durationSeconds: duration, params: params, metrics: outcome.metrics, retry: finished.retry,
            provenance: request.provenance, data: outcome.data, modelFolder: request.trainer.outputFolder, host: run.host)
        result.gates = finished.gates
        result.slurmJob = run.slurmJob
        result.champion = finished.champion
        // A Slurm run's host is the node its supervisor ran on.
        if run.host == nil, let supervisor = SourceFile.readJSON(SupervisorRecord.self, absolute(attemptFolder) + "/" + LocalExecutor.File.supervisor)
        {
            result.host = supervisor.host
        }
        result.championBefore = finished.championBefore
        result.championAfter = finished.championAfter
        // Derived from the request and outcomes, which stay: not fsynced (the state is). The run
        // folder is made here for a run that never started (its data failed the check).
        _ = SourceFile.makeFolders(absolute(runFolder))
        // What a process killed while it wrote these files left (under the lock: only a dead
        // writer's; the redo of its work writes them again).
        AtomicFile.sweepTemporaries(in: absolute(runFolder))
        try? AtomicFile.writeJSON(result, to: absolute(runFolder) + "/result.json", durable: false)
        if finished.status == .completed, finished.championAfter == run.id {
            let champion = Champion(
                schedule: request.trainer.schedule, runID: run.id, slot: run.slot, modelFolder: request.trainer.outputFolder,
                promotedAt: outcome.finishedAt, metrics: outcome.metrics ?? [:], previousChampion: finished.championBefore)
            // The schedule's models folder exists unless the trainer left no artifact.
            let folder = absolute("\(options.models)/\(request.trainer.schedule)")
            _ = SourceFile.makeFolders(folder)
            AtomicFile.sweepTemporaries(in: folder)
            try? AtomicFile.writeJSON(champion, to: folder + "/champion.json")
        }
        return record
    }
}
