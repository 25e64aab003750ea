import Crypto

/// The overview every whole-repository report is a view of (index.html, summary.md, metrics.prom):
/// one row per schedule, so they agree with each other and with `list` and `show`.
public struct ReportSet: Sendable {
    /// The reports' clock (next runs and staleness are relative to it).
    public let now: Instant
    /// Every schedule, in id order.
    public let rows: [OverviewRow]

    public init(now: Instant, rows: [OverviewRow]) {
        self.now = now
        self.rows = rows
    }

    /// How many schedules have each status, in the order statuses are listed.
    public var statusCounts: [(ScheduleOverview.Status, Int)] { tally.statusCounts }

    /// What the overview pages count over every row.
    public var tally: OverviewTally {
        var tally = OverviewTally()
        for index in rows.indices { tally.add(status: rows[index].status, stale: rows[index].stale, model: rows[index].model) }
        return tally
    }
}

/// What index.html and summary.md count over every schedule: made from the rows, or, when one row
/// of the last write changed, from index.html's data lines (`OverviewSplice`), which hold the same.
public struct OverviewTally: Sendable, Equatable {
    public private(set) var schedules = 0
    private var byStatus: [ScheduleOverview.Status: Int] = [:]
    /// Schedules that are stale.
    public private(set) var stale = 0
    private var modelSet: Set<String> = []

    public init() {}

    mutating func add(status: ScheduleOverview.Status, stale: Bool, model: String?) {
        schedules += 1
        byStatus[status, default: 0] += 1
        if stale { self.stale += 1 }
        if let model { modelSet.insert(model) }
    }

    /// How many schedules have each status, in the order statuses are listed.
    public var statusCounts: [(ScheduleOverview.Status, Int)] {
        ScheduleOverview.Status.allCases.compactMap { status in byStatus[status].map { (status, $0) } }
    }

    /// The models named, in code-point order.
    public var models: [String] { modelSet.sorted(by: codePointLess) }
}

/// One schedule's line in the overview, kept in `reports/overview.json`. Everything in it comes
/// from the spec and the state, except `history`, which is read from the ledger only when the
/// ledger changed; and `pages` names what the schedule's own pages were built from, so a pass
/// rebuilds them only when that changed.
public struct OverviewRow: Codable, Sendable, Equatable {
    public var id: String
    public var status: ScheduleOverview.Status
    /// `notify.stale_after` is set and no model was promoted for that long.
    public var stale: Bool
    public var model: String?
    public var description: String?
    /// `key=value`, in the file's order.
    public var labels: [String]?
    /// The latest finished run.
    public var lastRun: RunBrief?
    /// The model in service.
    public var champion: RunPointer?
    /// Runs failed since the last one that trained (nil before the first reconcile).
    public var failures: Int?
    /// A run is going (nil before the first reconcile).
    public var running: Bool?
    /// The next slot after the reports' clock.
    public var next: Instant?
    /// What the ledger says.
    public var history: HistorySummary
    /// A digest of everything the schedule's pages show: they are rebuilt when it changes.
    public var pages: String

    enum CodingKeys: String, CodingKey {
        case id, status, stale, model, description, labels
        case lastRun = "last_run"
        case champion, failures, running, next, history, pages
    }

    /// What the overview needs from a schedule's ledger.
    public struct HistorySummary: Codable, Sendable, Equatable {
        /// What it was read from: the ledger's size and the spec fields that choose the key
        /// metric. It is read again when this differs.
        public var source: String
        /// The metric summaries lead with.
        public var keyMetric: String?
        /// Which way it improves, when known.
        public var better: MetricInfo.Better?
        /// The key metric over the last 20 trained runs, oldest first.
        public var trend: [Double]
        /// Which of them were rejected (indexes into `trend`).
        public var rejected: [Int]?
        /// When the latest completed (promoted) run finished.
        public var lastSuccess: Instant?
        /// How long the latest run that started took.
        public var lastDuration: Double?
        /// How many runs trained (a comparison exists when any did).
        public var trained: Int

        enum CodingKeys: String, CodingKey {
            case source
            case keyMetric = "key_metric"
            case better, trend, rejected
            case lastSuccess = "last_success"
            case lastDuration = "last_duration"
            case trained
        }
    }

    /// The row of `report` (one schedule, its ledger read).
    public init(_ report: ScheduleReport, source: String) {
        let points = report.trend.suffix(20)
        let rejected = points.indices.filter { points[$0].status == .rejected }.map { $0 - points.startIndex }
        let summary = HistorySummary(
            source: source, keyMetric: report.keyMetric, better: report.keyMetric.flatMap { MetricDirection.of($0, spec: report.spec) },
            trend: points.map(\.value), rejected: rejected.isEmpty ? nil : rejected,
            lastSuccess: report.history.last { $0.status == .completed }?.finishedAt ?? report.champion?.finishedAt,
            lastDuration: report.history.last { $0.startedAt != nil }.flatMap { run in
                run.durationSeconds ?? run.finishedAt.flatMap { end in run.startedAt.map { Double(end.seconds - $0.seconds) } }
            },
            trained: report.trained.count)
        self.init(report.overview, history: summary, nextRuns: report.nextRuns, stale: report.stale)
    }

    /// The row of `overview` with `history` as a cached row had it.
    public init(_ overview: ScheduleOverview, history: HistorySummary, nextRuns: [Instant], stale: Bool) {
        id = overview.id
        status = overview.status
        self.stale = stale
        model = overview.spec?.model
        description = overview.spec?.description
        let labels = overview.spec?.labels.map { "\($0.0)=\($0.1)" } ?? []
        self.labels = labels.isEmpty ? nil : labels
        lastRun = overview.state?.lastRun
        champion = overview.state?.champion
        failures = overview.state?.consecutiveFailures
        running = overview.state.map { $0.activeRun != nil }
        next = nextRuns.first
        self.history = history
        pages = Self.digest(overview, history: history.source, nextRuns: nextRuns, stale: stale)
    }

    /// The ledger fingerprint `HistorySummary.source` holds: its size (a ledger only grows, and
    /// retention rewrites it shorter), the runs still in a version-1 state, and what picks the key
    /// metric.
    public static func source(ledgerBytes: Int, legacyRuns: Int, spec: ScheduleSpec?) -> String {
        var text = "\(ledgerBytes)+\(legacyRuns)"
        if let spec { text += ":" + spec.model + ":" + spec.gates.map(\.source).joined(separator: ";") }
        return text
    }

    /// SHA-256 (16 hex digits) of what a schedule page shows: the spec's shown fields, the state's,
    /// the ledger's fingerprint, the next runs and staleness. The reports' clock enters only
    /// through the next runs, which change when a slot passes.
    static func digest(_ overview: ScheduleOverview, history: String, nextRuns: [Instant], stale: Bool) -> String {
        var text = "\(RetrainVersion.current)\n\(overview.status.rawValue)\n\(stale)\n\(history)\n"
        text += nextRuns.map(\.description).joined(separator: ",") + "\n"
        if let spec = overview.spec {
            text += [
                spec.model, spec.description ?? "", spec.file, spec.repeatRule.description, spec.timezone, String(spec.enabled),
                spec.command?.joined(separator: "\u{1F}") ?? "", spec.labels.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1F}"),
                spec.gates.map(\.source).joined(separator: "\u{1F}"),
            ].joined(separator: "\n")
        }
        if let entry = overview.state {
            text += "\n\(entry.champion?.id ?? "")\n\(entry.lastRun?.id ?? "")\n\(entry.consecutiveFailures)\n\(entry.orphaned)\n"
            if let run = entry.activeRun { text += "\(run.id) \(run.attempt) \(run.startedAt)" }
            if let retry = entry.retry { text += "\nretry \(retry.attempt) \(retry.notBefore)" }
        }
        return hex(SHA256.hash(data: Array(text.utf8))).prefix(16).description
    }

    /// Lower comes first in the summary: what needs a look.
    var attentionRank: Int { Self.attentionRank(status, stale: stale) }

    static func attentionRank(_ status: ScheduleOverview.Status, stale: Bool) -> Int {
        switch status {
        case .failed: 0
        case .rejected: 1
        case .invalid: 2
        case .retrying: 3
        default: stale ? 4 : 5
        }
    }
}

/// One schedule with its ledger read: what its own pages and comparison show.
public struct ScheduleReport: Sendable {
    /// The spec, the state and the status.
    public let overview: ScheduleOverview
    /// Its finished runs, oldest first (its ledger).
    public let history: [RunRecord]
    /// Runs that trained (completed or rejected), oldest first.
    public let trained: [RunRecord]
    /// The latest trained run against the previous one and its champion.
    public let comparison: Comparison?
    /// The metric summaries lead with.
    public let keyMetric: String?
    /// The next slots (up to 3).
    public let nextRuns: [Instant]
    /// `notify.stale_after` is set and no model was promoted for that long.
    public let stale: Bool
    /// The champion changes made by hand, oldest first.
    public let lineage: [LineageEvent]
    /// Runs whose folders `keep_runs` removed (their records stay).
    public let removed: Set<String>

    public var id: String { overview.id }
    public var status: ScheduleOverview.Status { overview.status }
    public var spec: ScheduleSpec? { overview.spec }
    public var champion: RunPointer? { overview.state?.champion }

    /// Builds it. `readResult` reads a run's result.json (by schedule and run id), asked only for
    /// the latest trained run and, when the ledger does not hold it, the champion that run was
    /// judged against.
    public init(
        _ overview: ScheduleOverview, history: [RunRecord], defaultNotify: NotifySpec?, now: Instant, readResult: (String, String) -> RunResult?,
        lineage: [LineageEvent] = [], removed: Set<String> = []
    ) {
        self.overview = overview
        self.history = history
        self.lineage = lineage
        self.removed = removed
        trained = history.filter(\.status.trained)
        keyMetric = MetricDirection.keyMetric(spec: overview.spec, metrics: trained.last?.metrics ?? overview.state?.champion?.metrics)
        nextRuns = Self.nextRuns(overview)
        stale = Self.stale(overview, defaultNotify: defaultNotify, now: now)
        comparison = Self.compare(overview.id, spec: overview.spec, history: history, readResult: readResult)
    }

    /// Up to 3 slots after now (the overview's `next` is the first), for an enabled valid schedule.
    static func nextRuns(_ overview: ScheduleOverview) -> [Instant] {
        guard let next = overview.next, let spec = overview.spec else { return [] }
        return [next] + (SlotCalculator(spec)?.slots(after: next, count: 2).map(\.instant) ?? [])
    }

    static func stale(_ overview: ScheduleOverview, defaultNotify: NotifySpec?, now: Instant) -> Bool {
        let staleAfter = (overview.spec?.notify ?? defaultNotify)?.staleAfter
        return (overview.spec?.enabled ?? false) && (overview.state?.isStale(after: staleAfter, now: now) ?? false)
    }

    /// The latest trained run against the trained run before it and the champion it was judged
    /// against (named in its result.json; from the ledger, or else that run's own result.json).
    public static func compare(_ id: String, spec: ScheduleSpec?, history: [RunRecord], readResult: (String, String) -> RunResult?) -> Comparison? {
        // The last two trained runs, found from the end (a year of runs is not copied to find them).
        guard let last = history.lastIndex(where: \.status.trained) else { return nil }
        let latest = history[last]
        let result = readResult(id, latest.id)
        func side(_ run: RunRecord) -> Comparison.Side {
            Comparison.Side(runID: run.id, status: run.status, metrics: run.metrics ?? [:], dataSHA256: run.data?.sha256)
        }
        let previous = history[..<last].last(where: \.status.trained).map(side)
        var champion: Comparison.Side?
        let championID = result.map(\.championBefore) ?? Self.championBefore(latest, history: history)
        if let championID {
            if let run = history.last(where: { $0.id == championID }) {
                champion = side(run)
            } else if let run = readResult(id, championID) {
                champion = Comparison.Side(runID: run.runID, status: run.status, metrics: run.metrics ?? [:], dataSHA256: run.data?.sha256)
            }
        }
        // Like with like: the champion's scores on this run's holdout, its recorded ones beside.
        if let scored = latest.championOnHoldout, let recorded = champion?.metrics {
            champion?.metrics = scored
            champion?.recorded = recorded
        }
        return Comparison(schedule: id, run: side(latest), previous: previous, champion: champion, gates: result?.gates ?? [], spec: spec)
    }

    /// Without the run's result.json: the last completed run before it (every completed run was
    /// promoted).
    static func championBefore(_ run: RunRecord, history: [RunRecord]) -> String? {
        guard let index = history.lastIndex(where: { $0.id == run.id }) else { return nil }
        return history[..<index].last { $0.status == .completed }?.id
    }

    /// The key metric's values across trained runs, oldest first (runs without it left out).
    public var trend: [(status: RunStatus, value: Double)] {
        guard let keyMetric else { return [] }
        return trained.compactMap { run in run.metrics?[keyMetric].map { (run.status, $0) } }
    }
}

extension OverviewRow {
    /// The row as compact JSON with its keys in code-point order, as `JSONEncoder` with
    /// `.sortedKeys` writes it but written by hand: overview.json holds one row per schedule, and
    /// JSONEncoder took 0.45 s for 10,000 of them.
    func writeJSON(to out: inout String) {
        var object = JSONObjectWriter()
        if let c = champion {
            object.key("champion")
            c.writeJSON(to: &object.out)
        }
        object.string("description", description)
        object.int("failures", failures)
        object.key("history")
        history.writeJSON(to: &object.out)
        object.string("id", id)
        if let labels {
            object.key("labels")
            JSONObjectWriter.strings(labels, to: &object.out)
        }
        if let run = lastRun {
            object.key("last_run")
            run.writeJSON(to: &object.out)
        }
        object.string("model", model)
        object.string("next", next?.description)
        object.string("pages", pages)
        if let running {
            object.key("running")
            object.out += running ? "true" : "false"
        }
        object.key("stale")
        object.out += stale ? "true" : "false"
        object.string("status", status.rawValue)
        object.end(to: &out)
    }
}

extension OverviewRow.HistorySummary {
    func writeJSON(to out: inout String) {
        var object = JSONObjectWriter()
        object.string("better", better?.rawValue)
        object.string("key_metric", keyMetric)
        object.number("last_duration", lastDuration)
        object.string("last_success", lastSuccess?.description)
        if let rejected {
            object.key("rejected")
            object.out += "[" + rejected.map { String($0) }.joined(separator: ",") + "]"
        }
        object.string("source", source)
        object.int("trained", trained)
        object.key("trend")
        object.out += "["
        object.out += trend.map(JSONValue.format).joined(separator: ",")
        object.out += "]"
        object.end(to: &out)
    }
}
