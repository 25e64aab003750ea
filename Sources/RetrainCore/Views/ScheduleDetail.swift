/// `retrain show ID`: one schedule's spec, state, next slots and last runs.
public struct ScheduleDetail: Presentable {
    public let overview: ScheduleOverview
    /// Its slot calculator and next slots (none when paused or invalid).
    public let next: (SlotCalculator, [Slot])?
    /// Its last runs, newest first.
    public let runs: [RunRecord]
    /// How many runs its ledger holds.
    public let runCount: Int
    /// Notices waiting to be sent.
    public let notices: [Notice]

    public init(overview: ScheduleOverview, next: (SlotCalculator, [Slot])?, runs: [RunRecord], runCount: Int, notices: [Notice]) {
        self.overview = overview
        self.next = next
        self.runs = runs
        self.runCount = runCount
        self.notices = notices
    }

    public var payload: JSONValue {
        let o = overview
        return .object([
            "id": .string(o.id), "status": .string(o.status.rawValue),
            "spec": o.spec?.canonicalJSON ?? .null,
            "state": o.state.map { Self.json($0, runs: runCount) } ?? .null,
            "next": .array((next?.1 ?? []).map { .string($0.instant.description) }),
        ])
    }

    public func table() -> String {
        let o = overview
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
            if let p = e.pause { out += "  paused     by \(p.by) at \(p.at): \(p.reason) (`retrain resume \(o.id)` ends it)\n" }
            if let a = e.activeRun {
                let place = a.slurmJob.map { " Slurm job \($0)" } ?? a.pid.map { " pid \($0)" } ?? ""
                out += "  running    \(a.id) since \(a.startedAt) (attempt \(a.attempt), \(a.executor)\(place))\n"
            }
            if let r = e.retry { out += "  retrying   \(r.id) attempt \(r.attempt) from \(r.notBefore) (the last failed: \(r.reason))\n" }
            if let c = e.champion { out += "  champion   \(c.id)\(c.metrics.isEmpty ? "" : " " + RunHistory.metrics(c.metrics))\n" }
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
            let rows: [[String]] = runs.map { run in
                ["  " + run.id, run.status.rawValue, run.reason ?? "", run.metrics.map(RunHistory.metrics) ?? ""]
            }
            out += "last runs:\n" + TextTable.render(rows)
        }
        return out
    }

    static func json(_ e: ScheduleState, runs: Int) -> JSONValue {
        .object([
            "anchor": .string(e.anchor.description), "last_slot": e.lastSlot.map { .string($0.description) } ?? .null,
            "trigger": e.trigger.map(JSONValue.string) ?? .null, "active_run": e.activeRun.map { .string($0.id) } ?? .null,
            "champion": e.champion.map { .string($0.id) } ?? .null, "consecutive_failures": .int(e.consecutiveFailures),
            "runs": .int(runs), "orphaned": .bool(e.orphaned),
            "paused": e.pause.map { .object(["by": .string($0.by), "at": .string($0.at.description), "reason": .string($0.reason)]) } ?? .null,
        ])
    }
}
