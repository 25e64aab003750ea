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
