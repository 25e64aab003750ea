/// `retrain history ID`: a schedule's runs, newest first.
public struct RunHistory: Presentable {
    public let schedule: String
    /// Newest first.
    public let runs: [RunRecord]
    /// The champion changes made by hand (`promote`, `rollback`), newest first.
    public let lineage: [LineageEvent]

    public init(schedule: String, runs: [RunRecord], lineage: [LineageEvent] = []) {
        self.schedule = schedule
        self.runs = runs
        self.lineage = lineage
    }

    public func table() -> String {
        guard !runs.isEmpty else { return "no runs recorded for \(schedule) yet\n" }
        var table = [["RUN", "STATUS", "ATTEMPT", "STARTED", "FINISHED", "REASON / METRICS"]]
        for r in runs {
            let started = r.startedAt?.description ?? "-"
            let finished = r.finishedAt?.description ?? "-"
            table.append([r.id, r.status.rawValue, String(r.attempt), started, finished, r.reason ?? r.metrics.map(Self.metrics) ?? ""])
        }
        var out = TextTable.render(table)
        if !lineage.isEmpty {
            var changes = [["AT", "CHANGE", "CHAMPION", "WAS", "BY", "REASON"]]
            for e in lineage { changes.append([e.at.description, e.event.rawValue, e.run, e.previous ?? "-", e.by, e.reason ?? ""]) }
            out += "\nchampion changes by hand:\n" + TextTable.render(changes)
        }
        return out
    }

    public var payload: Payload { Payload(schedule: schedule, runs: runs.map(Payload.Run.init), lineage: lineage) }

    public struct Payload: Encodable {
        public var schedule: String
        public var runs: [Run]
        /// `promote` and `rollback`, newest first.
        public var lineage: [LineageEvent]

        /// One run as `history --format json` lists it.
        public struct Run: Encodable {
            public var id: String
            public var slot: Instant
            public var status: RunStatus
            public var reason: String?
            public var attempt: Int
            public var startedAt: Instant?
            public var finishedAt: Instant?
            public var metrics: KeyedValues<Double>

            init(_ r: RunRecord) {
                (id, slot, status, reason, attempt) = (r.id, r.slot, r.status, r.reason, r.attempt)
                (startedAt, finishedAt) = (r.startedAt, r.finishedAt)
                metrics = KeyedValues((r.metrics ?? [:]).sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
            }

            enum CodingKeys: String, CodingKey {
                case id, slot, status, reason, attempt
                case startedAt = "started_at"
                case finishedAt = "finished_at"
                case metrics
            }
        }
    }
}

extension RunHistory {
    /// Metrics on one line, by name, to at most 4 decimals as the other tables print them: `auc=0.9123 rows=1200`.
    public static func metrics(_ m: [String: Double]) -> String {
        m.sorted { $0.key < $1.key }.map { "\($0.key)=\(JSONValue.short($0.value))" }.joined(separator: " ")
    }
}
