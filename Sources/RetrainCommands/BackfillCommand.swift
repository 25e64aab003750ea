import ArgumentParser
import RetrainCore

/// The window of a backfill: `--from`, `--to`, `--max` (for `backfill` and `plan --backfill`).
struct BackfillWindow: ParsableArguments {
    @Option(
        help: ArgumentHelp("The window's first time: 2026-11-01, 2026-11-01 02:00 (the schedule's zone) or 2026-11-01T01:00:00Z.", valueName: "T"))
    var from: String?

    @Option(help: ArgumentHelp("Its last time (a date alone: that whole day); slots after now are never run.", valueName: "T"))
    var to: String?

    @Option(help: ArgumentHelp("Run at most N slots (the oldest first); run the backfill again for the rest.", valueName: "N"))
    var max = 50

    func validate() throws {
        guard max >= 1 else { throw ValidationError("--max must be at least 1") }
    }

    /// Both ends, or a usage error that names the missing one.
    func ends() throws -> (String, String) {
        guard let from, let to else { throw ValidationError("give the window with --from T and --to T, e.g. --from 2026-11-01 --to 2026-11-30") }
        return (from, to)
    }
}

/// `retrain backfill ID --from T --to T [--max N]`: run a schedule's slots in a past window now.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Run a schedule's slots in a past window now, oldest first, one at a time, each with its own slot.",
        discussion: """
            Each slot that has not trained yet (missed, skipped or failed) runs as ID@<slot> (a fresh id when a failed run took it), with RETRAIN_SLOT set to the slot, through the same claim a pass uses: none runs twice, even beside a reconcile. Slots that trained (completed or rejected) are left. Each run is waited for through its retries, recorded and judged by the gates like any run. The trainer reads the data as it is now: use RETRAIN_SLOT to pick the slot's partition. `retrain plan --backfill ID --from T --to T` shows the list first.

            Examples:
              retrain backfill churn-daily --from 2026-11-01 --to 2026-11-07 --max 3
              retrain plan --backfill churn-daily --from 2026-11-01 --to 2026-11-07

            Exit codes: 0 every slot run trained, 1 one failed or could not start, 2 usage error.
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @OptionGroup var window: BackfillWindow

    @Option(help: "Output format: table (lines as it goes) or json (the plan, then each run's outcome).", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws { _ = try window.ends() }

    func run() async throws {
        let (from, to) = try window.ends()
        let time = try clock.running()
        let workspace = repository.workspace(only: id)
        let (plan, _) = try workspace.backfill(id, from: from, to: to, max: window.max, now: time.now())
        if format == .table { Output.stdout(plan.table()) }
        var outcomes = ManualRunResult(schedule: id)
        var ok = true
        for slot in plan.toRun {
            let run = ManualRun(workspace: workspace, id: id, wait: true, clockFixed: clock.isFixed, backfilling: slot)
            ok =
                try await run.run(clock: time) { event in
                    switch event {
                    case .started(let active, let said, let folder):
                        if format == .table { Output.stdout("\(active.id): \(said); log and result in \(folder)/\n") }
                    case .finished(let runID, let status, let detail):
                        outcomes.finished.append(.init(run: runID, status: status, detail: detail))
                        if format == .table { Output.stdout("\(runID): \(detail)\n") }
                    case .said(let line): if format == .table { Output.stdout(line + "\n") }
                    case .log(let line): Output.problem("backfill", line)
                    case .progress(let line): Output.stderr(line + "\n")
                    }
                } && ok
        }
        if format == .json { try Output.render(BackfillResult(plan: plan, runs: outcomes.finished), as: .json) }
        if !ok { throw ExitCode.failure }
    }
}

/// `backfill --format json`: the plan and how each run ended.
struct BackfillResult: Presentable {
    var plan: Backfill
    var runs: [ManualRunResult.Finished]

    func table() -> String { plan.table() }

    var payload: Payload { Payload(plan: plan.payload, runs: runs) }

    struct Payload: Encodable {
        var plan: Backfill.Payload
        var runs: [ManualRunResult.Finished]
    }
}
