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
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown }

    @Argument(help: "The schedule id.")
    var id: String

    @Argument(help: ArgumentHelp("Two runs: the baseline, then the run compared with it.", valueName: "run"))
    var runs: [String] = []

    @Flag(help: "List every metric, not only those that changed.")
    var all = false

    @Option(help: "Output format: table, json or markdown.")
    var format: Format = .table

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
        let state: StateFile
        do {
            state = try store.load()
        } catch {
            Output.stderr("retrain compare: \(error)\n")
            throw ExitCode.failure
        }
        guard state.schedules[id] != nil else {
            let hint =
                Suggestion.closest(to: id, in: Array(state.schedules.keys)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists schedules"
            Output.stderr("retrain compare: no runs recorded for '\(id)'\(hint)\n")
            throw ExitCode.failure
        }
        let ledger = store.history.read(id, legacy: state.legacy)
        Output.stderr(ledger.warnings(path: store.history.path(of: id)))
        let history = ledger.records
        let reports = settings.reports.hasPrefix("/") ? settings.reports : Workspace.currentDirectory() + "/" + settings.reports
        let writer = ReportWriter(folder: reports)
        // The spec (its own file only), for each metric's direction when gates say it; a broken or
        // deleted file only loses that.
        let folder = repository.schedules ?? settings.schedules
        let file = ["yaml", "yml"].map { "\(folder)/\(id).\($0)" }.first(where: SourceFile.exists)
        let spec = file.flatMap { Validator.validate(paths: [$0], context: settings.validationContext).schedules.first }
        let comparison: Comparison
        if runs.isEmpty {
            guard let found = ScheduleReport.compare(id, spec: spec, history: history, readResult: writer.readResult) else {
                Output.stderr("retrain compare: \(id) has no trained run yet (`retrain history \(id)` lists its runs)\n")
                throw ExitCode.failure
            }
            comparison = found
        } else {
            let a = try side(runs[0], history: history, writer: writer)
            let b = try side(runs[1], history: history, writer: writer)
            comparison = Comparison(schedule: id, run: b.side, previous: a.side, champion: nil, gates: b.gates, spec: spec, chosen: true)
        }
        switch format {
        case .json: Output.stdout(comparison.json(all: all).pretty)
        case .markdown: Output.stdout(comparison.markdown(all: all))
        case .table: Output.stdout(table(comparison))
        }
    }

    /// A run named on the command line: from its ledger, else its result.json.
    func side(_ name: String, history: [RunRecord], writer: ReportWriter) throws -> (side: Comparison.Side, gates: [GateCheck]) {
        let full = name.hasPrefix(id + "@") ? name : name.hasPrefix("@") ? id + name : id + "@" + name
        let result = writer.readResult(schedule: id, run: full)
        if let run = history.last(where: { $0.id == full }) {
            guard let metrics = run.metrics else {
                Output.stderr("retrain compare: \(full) has no metrics (it \(run.status.rawValue)\(run.reason.map { ": \($0)" } ?? ""))\n")
                throw ExitCode.failure
            }
            return (Comparison.Side(runID: full, status: run.status, metrics: metrics), result?.gates ?? [])
        }
        if let result, let metrics = result.metrics {
            return (Comparison.Side(runID: full, status: result.status, metrics: metrics), result.gates)
        }
        let known = history.filter { $0.metrics != nil }.map(\.id)
        let hint = Suggestion.closest(to: full, in: known).map { "; did you mean '\($0)'?" } ?? "; `retrain history \(id)` lists its runs"
        Output.stderr("retrain compare: no run '\(full)' with metrics\(hint)\n")
        throw ExitCode.failure
    }

    func table(_ c: Comparison) -> String {
        var out = "\(c.run.runID) (\(c.run.status))"
        if let p = c.previous { out += "\n  against \(c.chosen ? "" : "previous ")\(p.runID) (\(p.status))" }
        if let ch = c.champion { out += "\n  against champion \(ch.runID)" }
        out += "\n\n"
        let rows = c.shown(all: all)
        guard !rows.isEmpty else { return out + "no metric changed (--all lists them)\n" }
        var header = ["METRIC", "THIS RUN"]
        if c.previous != nil { header += [c.chosen ? "AGAINST" : "PREVIOUS", "CHANGE"] }
        if c.champion != nil { header += ["CHAMPION", "CHANGE"] }
        var table = [header]
        for row in rows {
            var line = [row.metric + (row.better.map { $0 == .higher ? " ↑" : " ↓" } ?? ""), row.value.map(JSONValue.short) ?? "-"]
            for delta in [row.previous, row.champion] where delta != nil {
                let d = delta!
                line += [
                    d.value.map(JSONValue.short) ?? "-",
                    d.change.map { Comparison.signed($0) + (d.verdict == .better || d.verdict == .worse ? " \(d.verdict.rawValue)" : "") } ?? "-",
                ]
            }
            table.append(line)
        }
        return out + Output.table(table)
    }
}
