import ArgumentParser
import RetrainCore

/// `retrain run ID [--wait]`: one run now, by hand.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start one run of a schedule now, outside its slots; with --wait, wait for it and record its result.",
        discussion: """
            The run's id is ID@manual-<time>; it is recorded in the schedule's history like any run and does not change when the schedule runs next. It runs even when the schedule is paused (enabled: false). A schedule with a run going does not get a second one.

            To run it through git instead (a reviewed change), change its `trigger:` value; the next reconcile runs it once.

            Exit codes: 0 started (or, with --wait, completed), 1 it failed or could not start, 2 usage error.
            """
    )

    @Argument(help: "The schedule id (its file name without .yaml).")
    var id: String

    @Flag(help: "Wait for the run to end, record it, and exit 1 if it failed.")
    var wait = false

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let time = try clock.running()
        let workspace = Workspace.load(repository, only: id) ?? Workspace.load(repository)
        try workspace.requireConfig("run")
        try workspace.requireSchedules("run")
        guard let spec = workspace.report.schedules.first(where: { $0.id == id }) else {
            if workspace.report.invalidIDs.contains(id) {
                Output.stderr("retrain run: the schedule file of '\(id)' has errors (above); fix them first\n")
            } else {
                let known = workspace.report.schedules.map(\.id)
                let hint = Suggestion.closest(to: id, in: known).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists them"
                Output.stderr("retrain run: no schedule '\(id)' in \(repository.schedules ?? workspace.settings.schedules)\(hint)\n")
            }
            throw ExitCode.failure
        }
        let reconciler = workspace.reconciler(clockFixed: clock.isFixed)
        let observed = await workspace.observed()
        let warn = { (line: String) in Output.stderr("retrain run: warning: \(line)\n") }
        let started: Reconciler.ManualStart
        let state: StateFile
        do {
            (started, state) = try reconciler.startManual(spec, observed: observed, now: time.now(), warn: warn)
        } catch {
            Output.stderr("retrain run: \(error)\n")
            throw ExitCode.failure
        }
        switch started {
        case .busy(let run):
            Output.stderr(
                "retrain run: \(id) has a run going (\(run.id), attempt \(run.attempt), since \(run.startedAt)); wait for it with `retrain reconcile --wait`\n"
            )
            throw ExitCode.failure
        case .failed(let why):
            Output.stderr("retrain run: \(id): \(why)\n")
            try? workspace.writeReports(now: time.now(), state: state, command: "run")
            await workspace.deliverNotices(now: time.now(), command: "run")
            throw ExitCode.failure
        case .started(let run, let result):
            let folder = run.folder.map { AtomicFile.folderOf($0) } ?? workspace.settings.reports
            Output.stdout("\(run.id): \(result); log and result in \(folder)/\n")
            // The reports show the run going; one that cannot be written does not stop the run. With
            // --wait they are written once it has gone on for a second (while it runs): a run that
            // ends sooner is shown once, when it is recorded.
            guard wait else {
                if (try? workspace.writeReports(now: time.now(), state: state, command: "run")) == nil { throw ExitCode.failure }
                Output.stdout("the next `retrain reconcile` records how it ended (or use `retrain run --wait`)\n")
                return
            }
            var children: Set<Int32> = run.pid.map { [$0] } ?? []
            if await !Workspace.waitForAny([run], executor: reconciler.executor, clock: time, children: &children, seconds: 1) {
                let now = time.now()
                let reporting = Background { [workspace] in _ = try workspace.writeReports(now: now, state: state, command: "run") }
                await Workspace.waitForAny([run], executor: reconciler.executor, clock: time, children: &children)
                _ = reporting.result()
            }
            let finished: [(PlannedAction, String?)]
            let after: StateFile
            do {
                (finished, after) = try reconciler.finishEnded([id], specs: [spec], observed: observed, now: time.now(), warn: warn)
            } catch {
                Output.stderr("retrain run: \(error)\n")
                throw ExitCode.failure
            }
            for (action, _) in finished { Output.stdout("\(action.runID ?? id): \(action.detail)\n") }
            try workspace.writeReports(now: time.now(), state: after, command: "run")
            await workspace.deliverNotices(now: time.now(), command: "run")
            if finished.contains(where: { $0.0.outcome?.status != .trained }) { throw ExitCode.failure }
        }
    }
}
