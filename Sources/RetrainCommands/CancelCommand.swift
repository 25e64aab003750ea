import ArgumentParser
import RetrainCore

/// `retrain cancel ID [RUN]`: stop a schedule's run now, on the record.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Stop the run a schedule has going (or drop its pending retry); it is recorded failed (cancelled) and not retried.",
        discussion: """
            A local run's supervisor is told to stop: it stops its trainer and everything the trainer started, then exits (killed after 10 s if it has not). A Slurm run's job is cancelled with scancel. The run is recorded `failed (cancelled by USER@HOST)` in the history and its result.json, with the usual notice; it is not retried, and the schedule goes on at its next slot.

            Examples:
              retrain cancel churn-weekly
              retrain cancel churn-weekly churn-weekly@20261207T020000Z --format json

            Exit codes: 0 cancelled, 1 nothing to cancel or it could not be stopped, 2 usage error.
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Argument(help: "The run id; when given, only that run is cancelled (an error if it is not the one going).")
    var run: String?

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let now = try clock.running().now()
        let cancelled = try await repository.workspace(only: id).cancel(
            id, run: run, by: Host.operatorName, now: now, clockFixed: clock.isFixed, warn: { Output.problem("cancel", $0) })
        try Output.render(cancelled, as: format)
    }
}
