import ArgumentParser
import RetrainCore

/// `retrain show ID`: one schedule's spec, state, next slots and last runs.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one schedule: what it trains and when, its state, next slots and last runs."
    )

    @Argument(help: "The schedule id.")
    var id: String

    @Option(help: "Output format: table or json.")
    var format: ListFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() throws {
        let now = try clock.instant()
        let snapshot = try RepositorySnapshot.load(repository)
        guard let o = snapshot.overviews(now: now).first(where: { $0.id == id }) else {
            Output.stderr("retrain show: no schedule '\(id)' in the schedules folder or the state file; `retrain list` lists them\n")
            throw ExitCode.failure
        }
        let next = o.spec.flatMap { $0.enabled ? SlotCalculator($0) : nil }.map { ($0, $0.slots(after: now, count: 5)) }
        let store = snapshot.store
        let ledger = o.state == nil ? HistoryLedger.Contents() : store.history.read(o.id, legacy: snapshot.state.legacy)
        Output.stderr(ledger.warnings(path: store.history.path(of: o.id)))
        let runs = Array(ledger.records.suffix(10).reversed())
        let notices = Notifier.queued(for: o.id, state: snapshot.state, outbox: store.outbox)
        switch format {
        case .json:
            Output.stdout(
                JSONValue.object([
                    "id": .string(o.id), "status": .string(o.status.rawValue),
                    "spec": o.spec?.canonicalJSON ?? .null,
                    "state": o.state.map { Self.json($0, runs: ledger.records.count) } ?? .null,
                    "next": .array((next?.1 ?? []).map { .string($0.instant.description) }),
                ]).pretty)
        case .table:
            var out = "\(o.id): \(o.status.rawValue)\n"
            if let s = o.spec {
                let trainer = s.builtinModel != nil ? "built-in trainer" : "external trainer: \(s.command?.joined(separator: " ") ?? "")"
                out += "  model      \(s.model) (\(trainer))\n"
                out +=
                    "  when       \(s.repeatRule) in \(s.timezone), from \(s.start)\(s.end.map { " to \($0)" } ?? "")\(s.enabled ? "" : " (paused)")\n"
                out +=
                    "  catchup    \(s.catchup.rawValue)\(s.deadline.map { ", deadline \($0)" } ?? ""), timeout \(s.timeout), retries \(s.retries) every \(s.retryDelay)+\n"
                if let data = s.data { out += "  data       \(data)\(s.target.map { " → \($0)" } ?? "")\n" }
                if !s.params.isEmpty { out += "  params     \(s.params.map { "\($0.0)=\(JSONValue($0.1).compact)" }.joined(separator: " "))\n" }
                if !s.gates.isEmpty { out += "  gates      \(s.gates.map(\.source).joined(separator: "; "))\n" }
            } else if o.status == .invalid {
                out += "  the file has errors: see `retrain validate`\n"
            } else {
                out += "  the file was deleted; its history is kept until `retrain reconcile --prune`\n"
            }
            if let e = o.state {
                out +=
                    "  seen       since \(e.anchor); last slot handled \(e.lastSlot?.description ?? "none")\(e.trigger.map { "; trigger \($0)" } ?? "")\n"
                if let a = e.activeRun {
                    out += "  running    \(a.id) since \(a.startedAt) (attempt \(a.attempt), \(a.executor)\(a.pid.map { " pid \($0)" } ?? ""))\n"
                }
                if let r = e.retry { out += "  retrying   \(r.id) attempt \(r.attempt) from \(r.notBefore) (the last failed: \(r.reason))\n" }
                if let c = e.champion { out += "  champion   \(c.id)\(c.metrics.isEmpty ? "" : " " + Self.metrics(c.metrics))\n" }
                if e.consecutiveFailures > 0 { out += "  failures   \(e.consecutiveFailures) in a row\n" }
                for n in notices {
                    out +=
                        "  to notify  \(n.event.rawValue)\(n.runID.map { " (\($0))" } ?? ""), \(n.tries) attempt\(n.tries == 1 ? "" : "s")\(n.lastError.map { "; last error: \($0)" } ?? "")\n"
                }
            } else {
                out += "  not reconciled yet\n"
            }
            if let (calculator, slots) = next, !slots.isEmpty {
                out +=
                    "next slots:\n"
                    + slots.map { "  \($0.instant)  \($0.localDescription(in: calculator.zone))\($0.noteText.map { "  \($0)" } ?? "")\n" }.joined()
            }
            if !runs.isEmpty {
                let rows: [[String]] = runs.map { run in ["  " + run.id, run.status.rawValue, run.reason ?? "", run.metrics.map(Self.metrics) ?? ""] }
                out += "last runs:\n" + Output.table(rows)
            }
            Output.stdout(out)
        }
    }

    static func metrics(_ m: [String: Double]) -> String {
        m.sorted { $0.key < $1.key }.map { "\($0.key)=\(JSONValue.format($0.value))" }.joined(separator: " ")
    }

    static func json(_ e: ScheduleState, runs: Int) -> JSONValue {
        .object([
            "anchor": .string(e.anchor.description), "last_slot": e.lastSlot.map { .string($0.description) } ?? .null,
            "trigger": e.trigger.map(JSONValue.string) ?? .null, "active_run": e.activeRun.map { .string($0.id) } ?? .null,
            "champion": e.champion.map { .string($0.id) } ?? .null, "consecutive_failures": .int(e.consecutiveFailures),
            "runs": .int(runs), "orphaned": .bool(e.orphaned),
        ])
    }
}
