import ArgumentParser
import RetrainCore

/// `retrain history ID`: a schedule's recorded runs, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List a schedule's recorded runs, newest first.",
        discussion:
            "Every finished run is a line of the schedule's ledger, .retrain/history/<ID>.jsonl beside the state file; nothing is dropped from it."
    )

    @Argument(help: "The schedule id.")
    var id: String

    @Option(help: "Output format: table or json.")
    var format: ListFormat = .table

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let (config, _) = repository.loadConfig()
        let store = repository.stateStore(config ?? RepositoryConfig())
        let state: StateFile
        do {
            state = try store.load()
        } catch {
            Output.stderr("\(error)\n")
            throw ExitCode.failure
        }
        guard state.schedules[id] != nil else {
            let hint =
                Suggestion.closest(to: id, in: Array(state.schedules.keys)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists schedules"
            Output.stderr("retrain history: no runs recorded for '\(id)' (it has not been reconciled, or the id is wrong\(hint))\n")
            throw ExitCode.failure
        }
        let ledger = store.history.read(id, legacy: state.legacy)
        Output.stderr(ledger.warnings(path: store.history.path(of: id)))
        let runs = ledger.records.reversed()
        switch format {
        case .json:
            Output.stdout(
                JSONValue.object([
                    "schedule": .string(id),
                    "runs": .array(runs.map(Self.json)),
                ]).pretty)
        case .table:
            var table = [["RUN", "STATUS", "ATTEMPT", "STARTED", "FINISHED", "REASON / METRICS"]]
            for r in runs {
                let started = r.startedAt?.description ?? "-"
                let finished = r.finishedAt?.description ?? "-"
                table.append([r.id, r.status.rawValue, String(r.attempt), started, finished, r.reason ?? r.metrics.map(ShowCommand.metrics) ?? ""])
            }
            Output.stdout(runs.isEmpty ? "no runs recorded for \(id) yet\n" : Output.table(table))
        }
        if !ledger.damaged.isEmpty { throw ExitCode.failure }
    }

    /// One run as `history --format json` lists it.
    static func json(_ r: RunRecord) -> JSONValue {
        let metrics = (r.metrics ?? [:]).sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .number($0.value)) }
        return .object([
            "id": .string(r.id), "slot": .string(r.slot.description), "status": .string(r.status.rawValue),
            "reason": r.reason.map(JSONValue.string) ?? .null,
            "attempt": .int(r.attempt), "started_at": r.startedAt.map { .string($0.description) } ?? .null,
            "finished_at": r.finishedAt.map { .string($0.description) } ?? .null, "metrics": .object(metrics),
        ])
    }
}
