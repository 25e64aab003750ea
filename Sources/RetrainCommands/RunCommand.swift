import ArgumentParser
import RetrainCore

/// `retrain run ID [--wait]`: one run now, by hand.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start one run of a schedule now, outside its slots; with --wait, wait for it and record its result.",
        discussion: """
            The run's id is ID@manual-<time>; it is recorded in the schedule's history like any run and does not change when the schedule runs next. It runs even when the schedule is paused (enabled: false, or `retrain pause`). A schedule with a run going does not get a second one.

            To run it through git instead (a reviewed change), change its `trigger:` value; the next reconcile runs it once.

            Exit codes: 0 started (or, with --wait, completed), 1 it failed or could not start, 2 usage error.

            Example:
              retrain run attrition-weekly --wait
            """
    )

    @Argument(help: "The schedule id (its file name without .yaml).", completion: ScheduleIDCompletion.kind)
    var id: String

    @Flag(
        help:
            "Wait for the run's final outcome (through its retries, each after its retry_delay), record it, and exit 1 if it failed. A progress line goes to stderr every 10 s."
    )
    var wait = false

    @Option(help: "Output format: table (lines as it goes) or json (one object at the end).", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let time = try clock.running()
        let run = ManualRun(workspace: repository.workspace(only: id), id: id, wait: wait, clockFixed: clock.isFixed)
        var result = ManualRunResult(schedule: id)
        let ok = try await run.run(clock: time) { event in
            switch event {
            case .started(let active, let said, let folder):
                result.started = .init(run: active, result: said, folder: folder)
                if format == .table { Output.stdout("\(active.id): \(said); log and result in \(folder)/\n") }
            case .finished(let runID, let status, let detail):
                result.finished.append(.init(run: runID, status: status, detail: detail))
                if format == .table { Output.stdout("\(runID): \(detail)\n") }
            case .said(let line):
                if format == .table { Output.stdout(line + "\n") }
            case .log(let line): Output.problem("run", line)
            case .progress(let line): Output.stderr(line + "\n")
            }
        }
        if format == .json { try Output.render(result, as: .json) }
        if !ok { throw ExitCode.failure }
    }
}

/// `run --format json`: what started, and (with --wait) how it ended.
struct ManualRunResult: Presentable {
    var schedule: String
    var started: Started?
    var finished: [Finished] = []

    init(schedule: String) { self.schedule = schedule }

    struct Started: Encodable {
        var run: String
        var result: String
        var folder: String
        var executor: String
        var pid: Int32?
        var slurmJob: String?

        init(run active: ActiveRun, result: String, folder: String) {
            (run, self.result, self.folder, executor, pid, slurmJob) = (active.id, result, folder, active.executor, active.pid, active.slurmJob)
        }

        enum CodingKeys: String, CodingKey {
            case run, result, folder, executor, pid
            case slurmJob = "slurm_job"
        }
    }

    struct Finished: Encodable {
        var run: String
        var status: String
        var detail: String
    }

    var payload: Self.Payload { Payload(schedule: schedule, started: started, finished: finished) }

    struct Payload: Encodable {
        var schedule: String
        var started: Started?
        var finished: [Finished]
    }

    func table() -> String { "" }
}
