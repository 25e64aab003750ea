import ArgumentParser
import RetrainCore

/// `retrain promote ID RUN --reason …`: make a trained run the champion by hand, on the record.
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Make a trained run (completed or rejected) a schedule's champion by hand, with who and why on the record.",
        discussion: """
            The run's model becomes the champion: in the state (what `champion.X` gates compare with from now on), in models/ID/champion.json (with who, why and the champion it replaced) and in the lineage (.retrain/lineage/ID.jsonl, shown by `retrain history` and the schedule's page). A `promoted` notice goes out when the schedule's notify.on lists it. `retrain rollback ID` undoes it.

            Examples:
              retrain promote churn-weekly @20261207T020000Z --reason "gate too strict after the label fix (ML-88)"
              retrain promote churn-weekly churn-weekly@20261207T020000Z --reason "approved in review" --format json

            Exit codes: 0 promoted (or it was the champion already), 1 no such trained run or its model is gone, 2 usage error.
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Argument(help: "The run: its id, or the part after the schedule id (@20261207T020000Z).")
    var run: String

    @Option(help: "Why: kept in the lineage, champion.json and the notice (required).")
    var reason: String

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        guard !reason.allSatisfy(\.isWhitespace) else { throw ValidationError("--reason is empty; say why, e.g. --reason \"approved in review\"") }
    }

    func run() async throws {
        let changed = try await repository.workspace(only: id).promote(
            id, run: run, reason: reason, by: Host.operatorName, now: try clock.running().now(), warn: { Output.problem("promote", $0) })
        try Output.render(changed, as: format)
    }
}

/// `retrain rollback ID`: restore the champion before the current one.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Restore a schedule's previous champion (the one the current champion replaced), on the record.",
        discussion: """
            Recorded as `promote` is: state, models/ID/champion.json, the lineage and a `promoted` notice. Rolling back again goes back one more champion; `retrain promote ID RUN` returns to any trained run.

            Examples:
              retrain rollback churn-weekly --reason "the new model misroutes VIP tickets (INC-2301)"
              retrain rollback churn-weekly --format json

            Exit codes: 0 rolled back, 1 no champion or none before it, 2 usage error.
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Option(help: "Why: kept in the lineage, champion.json and the notice.")
    var reason: String?

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let changed = try await repository.workspace(only: id).rollback(
            id, reason: reason, by: Host.operatorName, now: try clock.running().now(), warn: { Output.problem("rollback", $0) })
        try Output.render(changed, as: format)
    }
}
