import ArgumentParser
import RetrainCore

/// `retrain history ID`: a schedule's recorded runs, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List a schedule's recorded runs, newest first (the state file keeps the last 50)."
    )

    @Argument(help: "The schedule id.")
    var id: String

    @Option(help: "Output format: table or json.")
    var format: ListFormat = .table

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let (config, _) = repository.loadConfig()
        let state: StateFile
        do {
            state = try repository.stateStore(config ?? RepositoryConfig()).load()
        } catch {
            Output.stderr("\(error)\n")
            throw ExitCode.failure
        }
        guard let entry = state.schedules[id] else {
            Output.stderr("retrain history: no runs recorded for '\(id)' (it has not been reconciled, or the id is wrong; `retrain list` lists schedules)\n")
            throw ExitCode.failure
        }
        let runs = entry.history.reversed()
        switch format {
        case .json:
            Output.stdout(JSONValue.object([
                "schedule": .string(id),
                "runs": .array(runs.map { r in
                    .object([
                        "id": .string(r.id), "slot": .string(r.slot), "status": .string(r.status), "reason": r.reason.map(JSONValue.string) ?? .null,
                        "attempt": .int(r.attempt), "started_at": r.startedAt.map(JSONValue.string) ?? .null,
                        "finished_at": r.finishedAt.map(JSONValue.string) ?? .null,
                        "metrics": .object((r.metrics ?? [:]).sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .number($0.value)) }),
                    ])
                }),
            ]).pretty)
        case .table:
            var table = [["RUN", "STATUS", "ATTEMPT", "STARTED", "FINISHED", "REASON / METRICS"]]
            for r in runs {
                table.append([r.id, r.status, String(r.attempt), r.startedAt ?? "-", r.finishedAt ?? "-", r.reason ?? r.metrics.map(ShowCommand.metrics) ?? ""])
            }
            Output.stdout(runs.isEmpty ? "no runs recorded for \(id) yet\n" : Output.table(table))
        }
    }
}
