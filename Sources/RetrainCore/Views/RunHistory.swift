/// `retrain history ID`: a schedule's runs, newest first.
public struct RunHistory: Presentable {
    public let schedule: String
    /// Newest first.
    public let runs: [RunRecord]

    public init(schedule: String, runs: [RunRecord]) {
        self.schedule = schedule
        self.runs = runs
    }

    public func table() -> String {
        guard !runs.isEmpty else { return "no runs recorded for \(schedule) yet\n" }
        var table = [["RUN", "STATUS", "ATTEMPT", "STARTED", "FINISHED", "REASON / METRICS"]]
        for r in runs {
            let started = r.startedAt?.description ?? "-"
            let finished = r.finishedAt?.description ?? "-"
            table.append([r.id, r.status.rawValue, String(r.attempt), started, finished, r.reason ?? r.metrics.map(Self.metrics) ?? ""])
        }
        return TextTable.render(table)
    }

    public func json() -> JSONValue {
        .object(["schedule": .string(schedule), "runs": .array(runs.map(Self.json))])
    }

    /// One run as `history --format json` lists it.
    public static func json(_ r: RunRecord) -> JSONValue {
        let metrics = (r.metrics ?? [:]).sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .number($0.value)) }
        return .object([
            "id": .string(r.id), "slot": .string(r.slot.description), "status": .string(r.status.rawValue),
            "reason": r.reason.map(JSONValue.string) ?? .null,
            "attempt": .int(r.attempt), "started_at": r.startedAt.map { .string($0.description) } ?? .null,
            "finished_at": r.finishedAt.map { .string($0.description) } ?? .null, "metrics": .object(metrics),
        ])
    }
}

extension RunHistory {
    /// Metrics on one line, by name: `auc=0.91 loss=0.2`.
    public static func metrics(_ m: [String: Double]) -> String {
        m.sorted { $0.key < $1.key }.map { "\($0.key)=\(JSONValue.format($0.value))" }.joined(separator: " ")
    }
}
