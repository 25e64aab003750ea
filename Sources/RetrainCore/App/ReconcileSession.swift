import Glibc

/// What `retrain reconcile` does, without its command line: passes over the repository, each
/// followed by its reports and notifications; with `wait`, passes until no run is going on this
/// machine; with `watch`, all that again every `interval` until SIGINT or SIGTERM. What happens is
/// told to `events` as it happens; the command renders it.
public struct ReconcileSession {
    public struct Options: Sendable {
        public var maxParallel: Int?
        public var prune = false
        public var dryRun = false
        public var wait = false
        public var watch = false
        public var intervalSeconds = 300
        /// Whether `--now` gave the time (the supervisors are told the same base).
        public var clockFixed = false
        /// Fault injection for the tests (`--crash-after-start`): SIGKILL itself right after
        /// starting a run, before the state is saved.
        public var crashAfterStart = false

        public init() {}
    }

    /// One thing that happened, in order.
    public enum Event {
        /// A pass: its plan, and each action's result (nil: a dry run, nothing done).
        case pass(Plan, results: [String?]?, failures: Int)
        /// Runs being waited for (`--wait`), by id.
        case waiting([String])
        /// A line for the log, with its level: a warning, a notification sent, a problem that does
        /// not stop the passes (the reports could not be written: an error).
        case log(LogLine)
    }

    /// Whether the passes wait for runs: those going on this machine (`--wait`), only the local ones
    /// (they would die with this process: a container's main process), or none.
    enum Waiting { case none, local, onThisMachine }

    /// `options.wait`, or `local` when this process's children die with it (`Host.childrenDieWithThisProcess`).
    func waiting(events: (Event) -> Void) -> Waiting {
        if options.wait { return .onThisMachine }
        guard !options.dryRun, let why = Host.childrenDieWithThisProcess else { return .none }
        events(.log(.info("note: \(why): the runs it starts would die when it exits, so it waits for them (as --wait does)")))
        return .local
    }

    public let options: Options
    /// Reads the repository for each pass (the command prints its diagnostics).
    public let load: () -> Workspace

    public init(options: Options, load: @escaping () -> Workspace) {
        self.options = options
        self.load = load
    }

    /// Runs the passes. Returns whether all went well: false when a run failed, a schedule is
    /// invalid or the reports could not be written. Throws when nothing could be done (the state,
    /// the settings, the schedules folder).
    public func run(clock: RunningClock, events: (Event) -> Void) async throws(CommandError) -> Bool {
        if options.watch { StopSignals.install() }
        var failed = false
        var children = Set<Int32>()
        let waiting = waiting(events: events)
        repeat {
            let workspace = load()
            try workspace.requireConfig()
            try workspace.requireSchedules()
            failed = failed || workspace.report.errorCount > 0
            var reconciler = workspace.reconciler(maxParallel: options.maxParallel, prune: options.prune, clockFixed: options.clockFixed)
            if options.dryRun {
                let observed = await workspace.observed { events(.log(.warning($0))) }
                let plan = try CommandError.from { try reconciler.preview(observed, now: clock.now()) }
                events(.pass(plan, results: nil, failures: 0))
                break
            }
            workspace.rememberHiddenEnvironment()
            if options.crashAfterStart { reconciler.afterStart = { kill(getpid(), SIGKILL) } }
            if try await !passes(workspace, reconciler, waiting: waiting, clock: clock, children: &children, events: events) { failed = true }
            LocalExecutor.reap(&children)
        } while options.watch && StopSignals.sleep(Double(options.intervalSeconds))
        return !failed
    }

    /// One pass, then (with `wait`) more until no run is going on this machine. Returns whether all
    /// went well.
    func passes(
        _ workspace: Workspace, _ reconciler: Reconciler, waiting: Waiting, clock: RunningClock, children: inout Set<Int32>,
        events: (Event) -> Void
    ) async throws(CommandError) -> Bool {
        var ok = true
        while true {
            let stopwatch = Supervisor.Stopwatch()
            let observed = await workspace.observed { events(.log(.warning($0))) }
            let pass = try CommandError.from { try reconciler.pass(observed, now: clock.now(), warn: { events(.log(.warning($0))) }) }
            ok = ok && pass.failures == 0
            events(.pass(pass.plan, results: pass.results, failures: pass.failures))
            for pruned in pass.pruned { events(.log(.info(pruned.line))) }
            if pass.plan.actions.contains(where: { $0.kind != .noop }) || !workspace.reportsExist {
                do {
                    try workspace.writeReports(now: clock.now(), state: pass.state)
                } catch {
                    events(.log(.error(error.message)))
                    ok = false
                }
            }
            if pass.queuedNotices > 0 { await workspace.deliverNotices(now: clock.now()) { events(.log($0)) } }
            do {
                try workspace.writePassMetrics(now: clock.now(), seconds: stopwatch.seconds, state: pass.state)
            } catch {
                events(.log(.error(error.message)))
                ok = false
            }
            for (_, run) in pass.started { if let pid = run.pid { children.insert(pid) } }
            guard waiting != .none, !stopRequested.load(ordering: .relaxed) else { return ok }
            // Runs on another machine are not waited for (nor, when only this process's own would
            // die with it, Slurm's); one that already ended is finished by the next pass straight away.
            let going = pass.going.map(\.run).filter {
                if waiting == .local && $0.executor != "local" { return false }
                if case .elsewhere = reconciler.executor.observe($0, now: clock.now()) { return false }
                return true
            }
            guard !going.isEmpty else { return ok }
            events(.waiting(going.map(\.id).sorted()))
            await Workspace.waitForAny(going, executor: reconciler.executor, clock: clock, children: &children)
        }
    }
}
