/// What `retrain run ID` does, without its command line: start one run of a schedule now and write
/// the reports; with `wait`, wait for it (writing the reports once it has gone on for a second),
/// record it, write the reports again and send its notices.
public struct ManualRun {
    /// One thing that happened, in order.
    public enum Event {
        /// The run started (or, for Slurm, was submitted): what the pass said of it, and its folder.
        case started(ActiveRun, result: String, folder: String)
        /// A run was recorded as ended: its id, status (`completed`, `rejected`, `failed`) and what came of it.
        case finished(run: String, status: String, detail: String)
        /// A line for stdout: a hint (how to see it end).
        case said(String)
        /// A line for the log: a warning ("warning: …") or a notice sent.
        case log(String)
    }

    public let workspace: Workspace
    public let id: String
    public let wait: Bool
    public let clockFixed: Bool

    public init(workspace: Workspace, id: String, wait: Bool, clockFixed: Bool) {
        self.workspace = workspace
        self.id = id
        self.wait = wait
        self.clockFixed = clockFixed
    }

    /// Starts it (and with `wait`, finishes it). Returns whether it went well: false when it could
    /// not start or, with `wait`, did not train. Throws when nothing could be done.
    public func run(clock: RunningClock, events: @escaping (Event) -> Void) async throws(CommandError) -> Bool {
        try workspace.requireConfig()
        try workspace.requireSchedules()
        let report = workspace.report
        guard let spec = report.schedules.first(where: { $0.id == id }) else {
            if report.invalidIDs.contains(id) { throw CommandError("the schedule file of '\(id)' has errors (above); fix them first") }
            let hint = Suggestion.closest(to: id, in: report.schedules.map(\.id)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists them"
            throw CommandError("no schedule '\(id)' in \(workspace.paths.schedules ?? workspace.settings.schedules)\(hint)")
        }
        let reconciler = workspace.reconciler(clockFixed: clockFixed)
        let observed = await workspace.observed { events(.log("warning: \($0)")) }
        let warn = { (line: String) in events(.log("warning: \(line)")) }
        let (started, state) = try CommandError.from { try reconciler.startManual(spec, observed: observed, now: clock.now(), warn: warn) }
        switch started {
        case .busy(let run):
            throw CommandError(
                "\(id) has a run going (\(run.id), attempt \(run.attempt), since \(run.startedAt)); wait for it with `retrain reconcile --wait`")
        case .failed(let why):
            events(.log("\(id): \(why)"))
            try? workspace.writeReports(now: clock.now(), state: state)
            await workspace.deliverNotices(now: clock.now()) { events(.log($0)) }
            return false
        case .started(let run, let result):
            let folder = run.folder.map { AtomicFile.folderOf($0) } ?? workspace.settings.reports
            events(.started(run, result: result, folder: folder))
            var wait = wait
            if !wait, run.executor == "local", let why = Host.childrenDieWithThisProcess {
                events(.log("note: \(why): the run would die when it exits, so it waits for it (as --wait does)"))
                wait = true
            }
            // The reports show the run going; one that cannot be written does not stop the run. With
            // --wait they are written once it has gone on for a second (while it runs): a run that
            // ends sooner is shown once, when it is recorded.
            guard wait else {
                try workspace.writeReports(now: clock.now(), state: state)
                events(.said("the next `retrain reconcile` records how it ended (or use `retrain run --wait`)"))
                return true
            }
            var children: Set<Int32> = run.pid.map { [$0] } ?? []
            if await !Workspace.waitForAny([run], executor: reconciler.executor, clock: clock, children: &children, seconds: 1) {
                let now = clock.now()
                let reporting = Background { [workspace] in _ = try workspace.writeReports(now: now, state: state) }
                await Workspace.waitForAny([run], executor: reconciler.executor, clock: clock, children: &children)
                _ = reporting.result()
            }
            let (finished, after) = try CommandError.from {
                try reconciler.finishEnded([id], specs: [spec], observed: observed, now: clock.now(), warn: warn)
            }
            for (action, _) in finished {
                // The detail starts with the status the ledger recorded (`completed: auc 0.91`, `failed (exit 1)`).
                let status = String(action.detail.prefix { $0.isLetter })
                events(.finished(run: action.runID ?? id, status: status, detail: action.detail))
            }
            try workspace.writeReports(now: clock.now(), state: after)
            await workspace.deliverNotices(now: clock.now()) { events(.log($0)) }
            return !finished.contains(where: { $0.0.outcome?.status != .trained })
        }
    }
}
