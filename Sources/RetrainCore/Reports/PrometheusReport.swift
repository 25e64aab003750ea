/// `reports/metrics.prom`: the Prometheus text exposition format, for the node exporter's textfile
/// collector (which wants the file replaced atomically: `ReportWriter` writes a temporary file and
/// renames it). One family after another, each with HELP and TYPE, samples in schedule order.
public enum PrometheusReport {
    /// The file's text.
    public static func text(_ set: ReportSet) -> String {
        bytes(set).string
    }

    /// The file's text as written. Each sample is appended in place: 10,000 schedules make 150,000
    /// lines.
    static func bytes(_ set: ReportSet) -> UTF8Buffer {
        var out = UTF8Buffer(capacity: set.rows.count * 900 + 4096)
        // `{schedule="id"` of each row, escaped once.
        let schedules = set.rows.map { row in
            var label = UTF8Buffer(capacity: row.id.utf8.count + 12)
            label.raw("{schedule=\"")
            label.labelValue(row.id)
            label.raw("\"")
            return label
        }
        var family: StaticString = ""
        func begin(_ name: StaticString, _ help: StaticString) {
            family = name
            out.raw("# HELP ")
            out.raw(name)
            out.raw(" ")
            out.raw(help)
            out.raw("\n# TYPE ")
            out.raw(name)
            out.raw(" gauge\n")
        }
        /// A sample's name and labels, `name{schedule="id"` and `labels`; `value` closes it.
        func sample(_ row: Int, _ labels: StaticString = "") {
            out.raw(family)
            out.raw(schedules[row])
            out.raw(labels)
        }
        func value(_ n: Int) {
            out.raw("} ")
            out.int(n)
            out.byte(UInt8(ascii: "\n"))
        }
        func value(_ d: Double) {
            out.raw("} ")
            out.verbatim(number(d))
            out.byte(UInt8(ascii: "\n"))
        }
        let rows = set.rows
        begin("retrain_schedule_info", "A schedule retrain knows (always 1), with its model and status.")
        for (i, s) in rows.enumerated() {
            sample(i, ",model=\"")
            out.labelValue(s.model ?? "")
            out.raw("\",status=\"")
            out.verbatim(s.status.rawValue)
            out.raw("\"")
            value(1)
        }
        begin("retrain_last_success_timestamp_seconds", "When the schedule's latest completed (promoted) run finished, in Unix seconds.")
        for (i, s) in rows.enumerated() {
            guard let t = s.history.lastSuccess else { continue }
            sample(i)
            value(Int(t.seconds))
        }
        begin("retrain_last_run_status", "The latest finished run's status: 1 for the status it had, 0 for the others.")
        for (i, s) in rows.enumerated() {
            guard let last = s.lastRun else { continue }
            for status in RunStatus.allCases {
                sample(i, ",status=\"")
                out.verbatim(status.rawValue)
                out.raw("\"")
                value(last.status == status ? 1 : 0)
            }
        }
        begin("retrain_last_run_timestamp_seconds", "When the latest finished run ended (its slot, for a skipped one), in Unix seconds.")
        for (i, s) in rows.enumerated() {
            guard let t = s.lastRun?.at else { continue }
            sample(i)
            value(Int(t.seconds))
        }
        begin("retrain_last_run_duration_seconds", "How long the latest run that started took, from start to end.")
        for (i, s) in rows.enumerated() {
            guard let d = s.history.lastDuration else { continue }
            sample(i)
            value(d)
        }
        begin("retrain_consecutive_failures", "Runs failed since the last one that trained.")
        for (i, s) in rows.enumerated() {
            guard let n = s.failures else { continue }
            sample(i)
            value(n)
        }
        begin("retrain_running", "1 while a run of the schedule is going.")
        for (i, s) in rows.enumerated() {
            guard let running = s.running else { continue }
            sample(i)
            value(running ? 1 : 0)
        }
        begin("retrain_stale", "1 when notify.stale_after is set and no model was promoted for that long.")
        for (i, s) in rows.enumerated() {
            sample(i)
            value(s.stale ? 1 : 0)
        }
        begin("retrain_champion_metric", "The champion's metrics, by metric name.")
        for (i, s) in rows.enumerated() {
            guard let metrics = s.champion?.metrics else { continue }
            for name in metrics.keys.sorted(by: codePointLess) {
                sample(i, ",metric=\"")
                out.labelValue(name)
                out.raw("\"")
                value(metrics[name]!)
            }
        }
        begin("retrain_next_run_timestamp_seconds", "The schedule's next slot, in Unix seconds.")
        for (i, s) in rows.enumerated() {
            guard let t = s.next else { continue }
            sample(i)
            value(Int(t.seconds))
        }
        return out
    }

    /// A label value with `\`, `"` and line feeds escaped, as the format asks.
    static func escape(_ value: String) -> String {
        var out = UTF8Buffer(capacity: value.utf8.count + 8)
        out.labelValue(value)
        return out.string
    }

    /// A sample value: Go's float syntax (`NaN`, `+Inf`, `1e-05`).
    static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }
}

extension UTF8Buffer {
    /// A Prometheus label value (`PrometheusReport.escape`).
    mutating func labelValue(_ value: String) {
        escaped(value) { byte in
            switch byte {
            case 0x5C: "\\\\"
            case 0x22: "\\\""
            case 0x0A: "\\n"
            default: nil
            }
        }
    }
}

/// reconcile.prom, which every reconcile pass writes, even one that changed nothing: when the
/// latest pass ended and how long it took (a dead-man switch for a monitoring team), schedules by
/// status, and finished runs by schedule and status (a counter kept in the state). It starts with
/// `passMarker`, by which a metrics.prom of an older version is cut of the part it kept at its end.
extension PrometheusReport {
    /// The line the pass's part starts with.
    static let passMarker = Array("# retrain: the latest reconcile pass\n".utf8)

    /// What a pass reports of itself.
    public struct PassFigures: Sendable {
        /// When it ended.
        public var at: Instant
        /// How long it took, in seconds (monotonic clock).
        public var seconds: Double
        /// Schedules by status.
        public var statuses: [(String, Int)]
        /// Finished runs by schedule id and status.
        public var runs: [(String, [(String, Int)])]

        public init(at: Instant, seconds: Double, statuses: [(String, Int)], runs: [(String, [(String, Int)])]) {
            self.at = at
            self.seconds = seconds
            self.statuses = statuses
            self.runs = runs
        }

        /// The figures of a pass that ended at `at` after `seconds`, over `schedules` and `state`.
        public init(at: Instant, seconds: Double, schedules: [ScheduleSpec], invalid: [String], state: StateFile) {
            let counts = ScheduleOverview.counts(schedules: schedules, invalid: invalid, state: state)
            let statuses = ScheduleOverview.Status.allCases.map { ($0.rawValue, counts[$0] ?? 0) }
            let runs = state.schedules.keys.sorted(by: codePointLess).compactMap { id -> (String, [(String, Int)])? in
                let byStatus = state.schedules[id]!.runs
                guard !byStatus.isEmpty else { return nil }
                return (id, byStatus.keys.sorted(by: codePointLess).map { ($0, byStatus[$0]!) })
            }
            self.init(at: at, seconds: seconds, statuses: statuses, runs: runs)
        }
    }

    /// The pass's part, from `passMarker` on.
    static func passSection(_ figures: PassFigures) -> [UInt8] {
        var out = UTF8Buffer(capacity: 1024 + figures.runs.count * 80)
        out.raw("# retrain: the latest reconcile pass\n")
        out.raw(
            "# HELP retrain_reconcile_last_pass_timestamp_seconds When the latest reconcile pass ended, in Unix seconds: alert when it is old.\n"
        )
        out.raw("# TYPE retrain_reconcile_last_pass_timestamp_seconds gauge\nretrain_reconcile_last_pass_timestamp_seconds ")
        out.int(Int(figures.at.seconds))
        out.raw("\n# HELP retrain_reconcile_duration_seconds How long the latest reconcile pass took.\n")
        out.raw("# TYPE retrain_reconcile_duration_seconds gauge\nretrain_reconcile_duration_seconds ")
        out.verbatim(String((figures.seconds * 1000).rounded() / 1000))
        out.raw("\n# HELP retrain_schedules Schedules by status, as `retrain list` shows them.\n# TYPE retrain_schedules gauge\n")
        for (status, count) in figures.statuses {
            out.raw("retrain_schedules{status=\"")
            out.verbatim(status)
            out.raw("\"} ")
            out.int(count)
            out.raw("\n")
        }
        out.raw("# HELP retrain_runs_total Finished runs, by schedule and status.\n# TYPE retrain_runs_total counter\n")
        for (id, byStatus) in figures.runs {
            for (status, count) in byStatus {
                out.raw("retrain_runs_total{schedule=\"")
                out.labelValue(id)
                out.raw("\",status=\"")
                out.verbatim(status)
                out.raw("\"} ")
                out.int(count)
                out.raw("\n")
            }
        }
        return out.bytes
    }

    /// `text` split at `passMarker`: the per-schedule families, and the pass's part (empty when none).
    static func split(_ text: [UInt8]) -> (families: ArraySlice<UInt8>, pass: ArraySlice<UInt8>) {
        let found = text.withUnsafeBufferPointer { ByteSearch.index(of: passMarker, in: $0, within: 0..<text.count) }
        guard let at = found else { return (text[...], []) }
        return (text[..<at], text[at...])
    }
}
