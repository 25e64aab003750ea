/// What every report shows, gathered once from the schedules, the state, each schedule's ledger and
/// the run folders: the reports are views of this, so they agree with each other and with `list` and
/// `show`.
public struct ReportSet: Sendable {
    /// The reports' clock (next runs and staleness are relative to it).
    public let now: Instant
    /// Every schedule, in id order.
    public let schedules: [ScheduleReport]

    /// Builds the set. `history` reads a schedule's ledger; `readResult` reads a run's result.json (by
    /// schedule and run id), asked only for each schedule's latest trained run and, when the ledger
    /// does not hold it, the champion that run was judged against.
    public init(overviews: [ScheduleOverview], defaultNotify: NotifySpec?, now: Instant, history: (String) -> [RunRecord],
                readResult: (String, String) -> RunResult?) {
        self.now = now
        schedules = overviews.map { ScheduleReport($0, history: history($0.id), defaultNotify: defaultNotify, now: now, readResult: readResult) }
    }

    /// How many schedules have each status, in the order statuses are listed.
    public var statusCounts: [(ScheduleOverview.Status, Int)] {
        ScheduleOverview.Status.allCases.compactMap { status in
            let n = schedules.count { $0.status == status }
            return n > 0 ? (status, n) : nil
        }
    }
}

/// One schedule as the reports show it.
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

    public var id: String { overview.id }
    public var status: ScheduleOverview.Status { overview.status }
    public var spec: ScheduleSpec? { overview.spec }
    public var champion: RunPointer? { overview.state?.champion }

    init(_ overview: ScheduleOverview, history: [RunRecord], defaultNotify: NotifySpec?, now: Instant, readResult: (String, String) -> RunResult?) {
        self.overview = overview
        self.history = history
        trained = history.filter(\.status.trained)
        keyMetric = MetricDirection.keyMetric(spec: overview.spec, metrics: trained.last?.metrics ?? overview.state?.champion?.metrics)
        nextRuns = overview.spec.flatMap { spec in spec.enabled ? SlotCalculator(spec)?.slots(after: now, count: 3).map(\.instant) : nil } ?? []
        let staleAfter = (overview.spec?.notify ?? defaultNotify)?.staleAfter
        stale = (overview.spec?.enabled ?? false) && (overview.state?.isStale(after: staleAfter, now: now) ?? false)
        comparison = Self.compare(overview.id, spec: overview.spec, history: history, readResult: readResult)
    }

    /// The latest trained run against the trained run before it and the champion it was judged
    /// against (named in its result.json; from the ledger, or else that run's own result.json).
    public static func compare(_ id: String, spec: ScheduleSpec?, history: [RunRecord], readResult: (String, String) -> RunResult?) -> Comparison? {
        let trained = history.filter(\.status.trained)
        guard let latest = trained.last else { return nil }
        let result = readResult(id, latest.id)
        func side(_ run: RunRecord) -> Comparison.Side { Comparison.Side(runID: run.id, status: run.status, metrics: run.metrics ?? [:]) }
        let previous = trained.dropLast().last.map(side)
        var champion: Comparison.Side?
        let championID = result.map(\.championBefore) ?? Self.championBefore(latest, history: history)
        if let championID {
            if let run = history.last(where: { $0.id == championID }) {
                champion = side(run)
            } else if let run = readResult(id, championID) {
                champion = Comparison.Side(runID: run.runID, status: run.status, metrics: run.metrics ?? [:])
            }
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
    public var trend: [(run: RunRecord, value: Double)] {
        guard let keyMetric else { return [] }
        return trained.compactMap { run in run.metrics?[keyMetric].map { (run, $0) } }
    }
}
