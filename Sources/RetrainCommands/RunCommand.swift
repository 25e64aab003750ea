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

    @Flag(help: "Wait for the run to end, record it, and exit 1 if it failed.")
    var wait = false

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let time = try clock.running()
        let run = ManualRun(workspace: repository.workspace(only: id), id: id, wait: wait, clockFixed: clock.isFixed)
        let ok = try await run.run(clock: time) { event in
            switch event {
            case .said(let line): Output.stdout(line + "\n")
            case .log(let line): Output.problem("run", line)
            }
        }
        if !ok { throw ExitCode.failure }
    }
}
