import ArgumentParser
import RetrainCore

/// `retrain show ID`: one schedule's spec, state, next slots and last runs.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one schedule: what it trains and when, its state, next slots and last runs.",
        discussion: """
            Examples:
              retrain show attrition-weekly
              retrain show attrition-weekly --format json
            """
    )

    @Argument(help: "The schedule id.", completion: ScheduleIDCompletion.kind)
    var id: String

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() throws {
        let now = try clock.instant()
        let snapshot = try RepositorySnapshot.load(repository)
        guard let o = snapshot.overviews(now: now).first(where: { $0.id == id }) else {
            throw CommandError("no schedule '\(id)' in the schedules folder or the state file; `retrain list` lists them")
        }
        let next = o.spec.flatMap { $0.enabled && o.state?.pause == nil ? SlotCalculator($0) : nil }.map { ($0, $0.slots(after: now, count: 5)) }
        let store = snapshot.store
        let ledger = o.state == nil ? HistoryLedger.Contents() : store.history.read(o.id, legacy: snapshot.state.legacy)
        Output.stderr(ledger.warnings(path: store.history.path(of: o.id)))
        let runs = Array(ledger.records.suffix(10).reversed())
        let notices = Notifier.queued(for: o.id, state: snapshot.state, outbox: store.outbox)
        let detail = ScheduleDetail(overview: o, next: next, runs: runs, runCount: ledger.records.count, notices: notices)
        try Output.render(detail, as: format)
    }
}
