import ArgumentParser
import RetrainCore

/// `retrain pause ID --reason …`: hold a schedule's new runs during an incident, without a commit.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Hold a schedule's new runs (an operator's override for an incident), with who and why on the record.",
        discussion: """
            No slot, retry or trigger starts a run until `retrain resume ID`; a run going is not touched (`retrain cancel` stops it), and `retrain run ID` still trains by hand. The hold lives in the state, not the schedule file: plan, list, show and the dashboard show it with who paused it and why. To stop a schedule for good, set `enabled: false` in a reviewed change.

            Examples:
              retrain pause churn-weekly --reason "upstream data is late (INC-1234)"
              retrain resume churn-weekly

            Exit codes: 0 paused (or already), 1 no such schedule, 2 usage error.
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Option(help: "Why: shown wherever the hold is (required).")
    var reason: String

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        guard !reason.allSatisfy(\.isWhitespace) else { throw ValidationError("--reason is empty; say why, e.g. --reason \"bad data upstream\"") }
    }

    func run() throws {
        let hold = try repository.workspace(only: id).hold(
            id, reason: reason, by: Host.operatorName, now: try clock.running().now(), warn: { Output.problem("pause", $0) })
        try Output.render(hold, as: format)
    }
}

/// `retrain resume ID`: end `retrain pause`'s hold.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "End a hold set with `retrain pause`: the schedule runs again from its next slot.",
        discussion: """
            Slots missed while it was paused are not run, as after `enabled: false` is set back to true; `retrain run ID` trains now.

            Example:
              retrain resume churn-weekly
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() throws {
        let hold = try repository.workspace(only: id).hold(
            id, reason: nil, by: Host.operatorName, now: try clock.running().now(), warn: { Output.problem("resume", $0) })
        try Output.render(hold, as: format)
    }
}
