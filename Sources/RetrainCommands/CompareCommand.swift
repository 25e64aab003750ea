import ArgumentParser
import RetrainCore

/// `retrain compare ID [RUN_A RUN_B]`: one run's metrics against others, in the manner of `dvc metrics diff`.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a schedule's latest trained run with the previous one and the champion, or two runs.",
        discussion: """
            Without runs: the latest trained run against the trained run before it and the champion it was judged against (what reports/<ID>/comparison.md shows). With RUN_A RUN_B: RUN_B against RUN_A. A run is named by its id (attrition-weekly@20261201T010000Z) or the part after the schedule id (@20261201T010000Z); `retrain history ID` lists them.

            Each metric shows its values and the signed change, better or worse by the metric's direction (↑ higher is better, ↓ lower is better). Only metrics that changed are listed unless --all.

            Exit codes: 0 done, 1 no such schedule or run, or nothing trained yet; 2 usage error.

            Examples:
              retrain compare attrition-weekly
              retrain compare churn @20261201T010000Z @20261208T010000Z --format markdown
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Argument(help: ArgumentHelp("Two runs: the baseline, then the run compared with it.", valueName: "run"))
    var runs: [String] = []

    @Flag(help: "List every metric, not only those that changed.")
    var all = false

    @Option(help: "Output format: table, json or markdown.", transform: OutputFormat.only(.table, .json, .markdown))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions

    func validate() throws {
        if !runs.isEmpty && runs.count != 2 {
            throw ValidationError("give no run (the latest against the previous one and the champion) or two: RUN_A RUN_B")
        }
    }

    func run() throws {
        let (config, _) = repository.loadConfig()
        let settings = config ?? RepositoryConfig()
        let store = repository.stateStore(settings)
        let state = try CommandError.from { try store.load() }
        guard state.schedules[id] != nil else {
            let hint =
                Suggestion.closest(to: id, in: Array(state.schedules.keys)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists schedules"
            throw CommandError("no runs recorded for '\(id)'\(hint)")
        }
        let ledger = store.history.read(id, legacy: state.legacy)
        Output.stderr(ledger.warnings(path: store.history.path(of: id)))
        let writer = ReportWriter(folder: Workspace.absolute(settings.reports, root: Workspace.currentDirectory()))
        // The spec (its own file only), for each metric's direction when gates say it; a broken or
        // deleted file only loses that.
        let folder = repository.schedules ?? settings.schedules
        let file = ["yaml", "yml"].map { "\(folder)/\(id).\($0)" }.first(where: SourceFile.exists)
        let spec = file.flatMap { Validator.validate(paths: [$0], context: settings.validationContext).schedules.first }
        let comparison: Comparison
        if runs.isEmpty {
            guard let found = ScheduleReport.compare(id, spec: spec, history: ledger.records, readResult: writer.readResult) else {
                throw CommandError("\(id) has no trained run yet (`retrain history \(id)` lists its runs)")
            }
            comparison = found
        } else {
            let a = try Comparison.side(runs[0], of: id, history: ledger.records, writer: writer)
            let b = try Comparison.side(runs[1], of: id, history: ledger.records, writer: writer)
            comparison = Comparison(schedule: id, run: b.side, previous: a.side, champion: nil, gates: b.gates, spec: spec, chosen: true)
        }
        try Output.render(ComparisonView(comparison, all: all), as: format)
    }
}
