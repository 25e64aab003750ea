/// `reports/metrics.prom`: the Prometheus text exposition format, for the node exporter's textfile
/// collector (which wants the file replaced atomically: `ReportWriter` writes a temporary file and
/// renames it). One family after another, each with HELP and TYPE, samples in schedule order.
public enum PrometheusReport {
    /// The file's text.
    public static func text(_ set: ReportSet) -> String {
        var out = ""
        out.reserveCapacity(set.rows.count * 900)
        // Each sample is appended in place: 10,000 schedules make 150,000 lines.
        func family(_ name: String, _ help: String, _ samples: (OverviewRow, (_ labels: String, _ value: String) -> Void) -> Void) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for s in set.rows {
                let schedule = escape(s.id)
                samples(s) { labels, value in
                    out += name
                    out += "{schedule=\""
                    out += schedule
                    out += "\""
                    out += labels
                    out += "} "
                    out += value
                    out += "\n"
                }
            }
        }
        func seconds(_ instant: Instant?) -> String? { instant.map { String($0.seconds) } }

        family("retrain_schedule_info", "A schedule retrain knows (always 1), with its model and status.") { s, sample in
            sample(",model=\"\(escape(s.model ?? ""))\",status=\"\(s.status.rawValue)\"", "1")
        }
        family("retrain_last_success_timestamp_seconds", "When the schedule's latest completed (promoted) run finished, in Unix seconds.") { s, sample in
            if let t = seconds(s.history.lastSuccess) { sample("", t) }
        }
        family("retrain_last_run_status", "The latest finished run's status: 1 for the status it had, 0 for the others.") { s, sample in
            guard let last = s.lastRun else { return }
            for status in RunStatus.allCases { sample(",status=\"\(status.rawValue)\"", last.status == status ? "1" : "0") }
        }
        family("retrain_last_run_timestamp_seconds", "When the latest finished run ended (its slot, for a skipped one), in Unix seconds.") { s, sample in
            if let t = seconds(s.lastRun?.at) { sample("", t) }
        }
        family("retrain_last_run_duration_seconds", "How long the latest run that started took, from start to end.") { s, sample in
            if let d = s.history.lastDuration { sample("", number(d)) }
        }
        family("retrain_consecutive_failures", "Runs failed since the last one that trained.") { s, sample in
            if let n = s.failures { sample("", String(n)) }
        }
        family("retrain_running", "1 while a run of the schedule is going.") { s, sample in
            if let running = s.running { sample("", running ? "1" : "0") }
        }
        family("retrain_stale", "1 when notify.stale_after is set and no model was promoted for that long.") { s, sample in
            sample("", s.stale ? "1" : "0")
        }
        family("retrain_champion_metric", "The champion's metrics, by metric name.") { s, sample in
            guard let metrics = s.champion?.metrics else { return }
            for name in metrics.keys.sorted(by: codePointLess) { sample(",metric=\"\(escape(name))\"", number(metrics[name]!)) }
        }
        family("retrain_next_run_timestamp_seconds", "The schedule's next slot, in Unix seconds.") { s, sample in
            if let t = seconds(s.next) { sample("", t) }
        }
        return out
    }

    /// A label value with `\`, `"` and line feeds escaped, as the format asks.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        return value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }

    /// A sample value: Go's float syntax (`NaN`, `+Inf`, `1e-05`).
    static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }
}
