import ArgumentParser
import RetrainCore

/// `retrain history ID`: a schedule's recorded runs, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List a schedule's recorded runs, newest first.",
        discussion: """
            Every finished run is a line of the schedule's ledger, .retrain/history/<ID>.jsonl beside the state file; nothing is dropped from it. Champion changes made by hand (`retrain promote`, `retrain rollback`) follow, from .retrain/lineage/<ID>.jsonl.

            Examples:
              retrain history attrition-weekly
              retrain history attrition-weekly --format json
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let (config, _) = repository.loadConfig()
        let store = repository.stateStore(config ?? RepositoryConfig())
        let state = try CommandError.from { try store.load() }
        guard state.schedules[id] != nil else {
            let hint =
                Suggestion.closest(to: id, in: Array(state.schedules.keys)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists schedules"
            throw CommandError("no runs recorded for '\(id)' (it has not been reconciled, or the id is wrong\(hint))")
        }
        let ledger = store.history.read(id, legacy: state.legacy)
        Output.stderr(ledger.warnings(path: store.history.path(of: id)))
        try Output.render(RunHistory(schedule: id, runs: ledger.records.reversed(), lineage: store.lineage.read(id).reversed()), as: format)
        if !ledger.damaged.isEmpty { throw ExitCode.failure }
    }
}
