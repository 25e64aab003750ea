/// `reports/metrics.prom`: the Prometheus text exposition format, for the node exporter's textfile
/// collector (which wants the file replaced atomically: `ReportWriter` writes a temporary file and
/// renames it). One family after another, each with HELP and TYPE, samples in schedule order.
public enum PrometheusReport {
    /// The file's text.
    public static func text(_ set: ReportSet) -> String {
        var out = ""
        func family(_ name: String, _ help: String, _ samples: (OverviewRow) -> [(labels: [(String, String)], value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for s in set.rows {
                for sample in samples(s) {
                    let labels = ([("schedule", s.id)] + sample.labels).map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
                    out += "\(name){\(labels)} \(sample.value)\n"
                }
            }
        }
        func one(_ value: String?) -> [(labels: [(String, String)], value: String)] { value.map { [([], $0)] } ?? [] }
        func seconds(_ instant: Instant?) -> String? { instant.map { String($0.seconds) } }

        family("retrain_schedule_info", "A schedule retrain knows (always 1), with its model and status.") { s in
            [([("model", s.model ?? ""), ("status", s.status.rawValue)], "1")]
        }
        family("retrain_last_success_timestamp_seconds", "When the schedule's latest completed (promoted) run finished, in Unix seconds.") { s in
            one(seconds(s.history.lastSuccess))
        }
        family("retrain_last_run_status", "The latest finished run's status: 1 for the status it had, 0 for the others.") { s in
            guard let last = s.lastRun else { return [] }
            return RunStatus.allCases.map { ([("status", $0.rawValue)], last.status == $0 ? "1" : "0") }
        }
        family("retrain_last_run_timestamp_seconds", "When the latest finished run ended (its slot, for a skipped one), in Unix seconds.") { s in
            one(seconds(s.lastRun?.at))
        }
        family("retrain_last_run_duration_seconds", "How long the latest run that started took, from start to end.") { s in
            one(s.history.lastDuration.map(number))
        }
        family("retrain_consecutive_failures", "Runs failed since the last one that trained.") { s in
            one(s.failures.map { String($0) })
        }
        family("retrain_running", "1 while a run of the schedule is going.") { s in
            one(s.running.map { $0 ? "1" : "0" })
        }
        family("retrain_stale", "1 when notify.stale_after is set and no model was promoted for that long.") { s in
            one(s.stale ? "1" : "0")
        }
        family("retrain_champion_metric", "The champion's metrics, by metric name.") { s in
            (s.champion?.metrics ?? [:]).sorted { codePointLess($0.key, $1.key) }.map { ([("metric", $0.key)], number($0.value)) }
        }
        family("retrain_next_run_timestamp_seconds", "The schedule's next slot, in Unix seconds.") { s in
            one(seconds(s.next))
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
