/// `reports/<id>/index.html`: one schedule's page, plain HTML that needs no script (its style sheet is
/// `reports/style.css`). Its spec and
/// state, the next runs, the latest trained run's gates, the champion lineage, a chart per metric
/// across trained runs (each gate's threshold drawn on its metric's chart), and the run table: each
/// run's params with what changed since the run before highlighted, its duration, provenance (git
/// commit, data sha256 and rows) and links to its log.txt, result.json and model folder.
public enum SchedulePage {
    /// The page of `s`. `models` is the models folder as a link from this page (`../../models`).
    public static func html(_ s: ScheduleReport, models: String) -> String {
        let e = Dashboard.escape
        // The style sheet is `reports/style.css`, written with the overview: 10,000 pages need not
        // carry 6 KB of it each.
        var out = Dashboard.head(title: "\(s.id) — retrain", style: "../style.css")
        out += "<header>\n<nav class=\"crumbs\"><a href=\"../index.html\">← all schedules</a></nav>\n"
        out += "<h1>\(e(s.id))<span class=\"badge s-\(s.status.rawValue)\">\(s.status.rawValue)</span>"
        if s.stale { out += "<span class=\"badge s-stale\" title=\"no model promoted for longer than notify.stale_after\">stale</span>" }
        out += "</h1>\n"
        if let d = s.spec?.description { out += "<p class=\"lede\">\(e(d))</p>\n" }
        out += "</header>\n<main>\n<div class=\"grid\">\n" + facts(s) + upcoming(s) + lineage(s) + "</div>\n"
        out += charts(s)
        out += runs(s, models: models)
        out += "</main>\n" + Dashboard.footer("a pass that changes this schedule rewrites it.")
        return out + "</body>\n</html>\n"
    }

    static func item(_ dt: String, _ dd: String) -> String { "<dt>\(dt)</dt><dd>\(dd)</dd>" }

    static func facts(_ s: ScheduleReport) -> String {
        let e = Dashboard.escape
        var out = "<section><h3>Schedule</h3><dl>"
        if let spec = s.spec {
            out += item("Model", e(spec.model) + " · trainer " + (spec.command.map { "<code>\(e($0.joined(separator: " ")))</code>" } ?? "built-in"))
            out += item("File", "<code>\(e(spec.file.hasPrefix("./") ? String(spec.file.dropFirst(2)) : spec.file))</code>")
            out += item("Repeats", e(spec.repeatRule.description) + " in " + e(spec.timezone) + (spec.enabled ? "" : " (paused)"))
            if !spec.labels.isEmpty { out += item("Labels", spec.labels.map { e("\($0.0)=\($0.1)") }.joined(separator: ", ")) }
        } else {
            out += item("File", s.status == .orphaned ? "deleted; its history is kept" : "has errors: <code>retrain validate</code> names them")
        }
        if let entry = s.overview.state {
            if let c = entry.champion { out += item("Champion", "<code>\(e(ReportText.runName(c.id, schedule: s.id)))</code> since \(ReportText.time(c.finishedAt))") }
            if let run = entry.activeRun {
                out += item("Running", "<code>\(e(ReportText.runName(run.id, schedule: s.id)))</code> (attempt \(run.attempt)) since \(ReportText.time(run.startedAt))")
            }
            if let retry = entry.retry { out += item("Retry", "attempt \(retry.attempt) not before \(ReportText.time(retry.notBefore))") }
            if entry.consecutiveFailures > 0 { out += item("Failures", "\(entry.consecutiveFailures) in a row") }
        }
        out += "</dl><h3>Run it by hand</h3><p><code>retrain run \(e(s.id)) --wait</code></p>"
        out += "<p class=\"hint\">Or through review: change <code>trigger:</code> in the schedule file; the next <code>retrain reconcile</code> runs it once.</p></section>\n"
        return out
    }

    static func upcoming(_ s: ScheduleReport) -> String {
        let e = Dashboard.escape
        var out = "<section><h3>Next runs <span class=\"unit\">UTC</span></h3>"
        if s.nextRuns.isEmpty {
            let why = s.spec == nil ? "the file is missing or invalid." : s.spec?.enabled == false ? "the schedule is paused." : "no slot after now."
            out += "<p class=\"hint\">None: \(why)</p>"
        } else {
            out += "<ul class=\"plain\">" + s.nextRuns.map { "<li><time datetime=\"\($0)\">\(ReportText.time($0))</time></li>" }.joined() + "</ul>"
        }
        if let c = s.comparison {
            out += "<h3>Gates of \(e(ReportText.runName(c.run.runID, schedule: s.id)))</h3>"
        } else {
            out += "<h3>Gates</h3>"
        }
        if let gates = s.comparison?.gates, !gates.isEmpty {
            out += "<ul class=\"plain\">"
            for g in gates {
                let why = g.value.flatMap { v in g.threshold.map { "\(JSONValue.short(v)) vs \(JSONValue.short($0))" } } ?? g.note ?? ""
                out += "<li><span class=\"\(g.held ? "held\">✓ held" : "failed\">✗ failed")</span> <code>\(e(g.gate))</code> <span class=\"hint\">\(e(why))</span></li>"
            }
            out += "</ul>"
        } else {
            let rules = s.spec?.gates ?? []
            out += "<p class=\"hint\">" + (rules.isEmpty ? "No gates: every trained model is promoted." : "No trained run yet.") + "</p>"
            if !rules.isEmpty { out += "<ul class=\"plain\">" + rules.map { "<li><code>\(e($0.source))</code></li>" }.joined() + "</ul>" }
        }
        return out + "</section>\n"
    }

    static func lineage(_ s: ScheduleReport) -> String {
        let e = Dashboard.escape
        let champions = s.history.filter { $0.status == .completed }.reversed().map { $0 }
        var out = "<section><h3>Champion lineage</h3>"
        guard !champions.isEmpty else { return out + "<p class=\"hint\">No model promoted yet.</p></section>\n" }
        out += "<ul class=\"plain\">"
        for (i, run) in champions.prefix(8).enumerated() {
            out += "<li>" + (run.id == s.champion?.id ? "<span class=\"held\">in service</span> " : "")
            out += "<code>\(e(ReportText.runName(run.id, schedule: s.id)))</code> \(ReportText.date(run.finishedAt ?? run.slot))"
            if let key = s.keyMetric, let v = run.metrics?[key] {
                out += " · \(e(key)) \(JSONValue.short(v))"
                if i + 1 < champions.count, let before = champions[i + 1].metrics?[key] { out += " (\(Comparison.signed(v - before)))" }
            }
            out += "</li>"
        }
        out += "</ul>"
        if champions.count > 8 { out += "<p class=\"hint\">and \(champions.count - 8) earlier</p>" }
        return out + "</section>\n"
    }

    /// Every metric the trained runs reported, the key metric first.
    static func metricNames(_ s: ScheduleReport) -> [String] {
        var names = Set<String>()
        for run in s.history { if let metrics = run.metrics { names.formUnion(metrics.keys) } }
        var sorted = names.sorted(by: codePointLess)
        if let key = s.keyMetric, let at = sorted.firstIndex(of: key) { sorted.remove(at: at); sorted.insert(key, at: 0) }
        return sorted
    }

    static func charts(_ s: ScheduleReport) -> String {
        let drawn = metricNames(s).compactMap { chart(s, metric: $0) }
        guard !drawn.isEmpty else { return "" }
        var out = "<section class=\"page\"><h3>Metric trends across retrains</h3><p class=\"legend\"><i style=\"background:var(--ok)\"></i>promoted"
        out += "<i style=\"background:var(--bad)\"></i>rejected by a gate<i style=\"border:2px solid var(--fg)\"></i>champion now"
        out += "<i style=\"border-top:2px dashed var(--warn);border-radius:0;height:0\"></i>a gate’s threshold for the latest run</p>"
        return out + "<div class=\"charts\">" + drawn.joined() + "</div></section>\n"
    }

    /// One metric over the trained runs, as SVG; the latest run's gates on it as dashed lines.
    static func chart(_ s: ScheduleReport, metric: String) -> String? {
        let e = Dashboard.escape
        let points = s.trained.compactMap { run in run.metrics?[metric].map { (run: run, value: $0) } }
        guard !points.isEmpty else { return nil }
        let metricGates = Set((s.spec?.gates ?? []).filter { $0.metric == metric }.map(\.source))
        let thresholds = (s.comparison?.gates ?? []).filter { metricGates.contains($0.gate) }.compactMap { g in g.threshold.map { (gate: g.gate, value: $0) } }
        let (w, h, left, right, top, bottom) = (300.0, 132.0, 46.0, 12.0, 10.0, 22.0)
        let values = points.map(\.value) + thresholds.map(\.value)
        var high = values.max()!, low = values.min()!
        if high == low { let pad = abs(high) * 0.05 == 0 ? 0.5 : abs(high) * 0.05; high += pad; low -= pad }
        let pad = (high - low) * 0.08
        high += pad
        low -= pad
        func x(_ i: Int) -> Double { points.count == 1 ? (left + w - right) / 2 : left + Double(i) * (w - left - right) / Double(points.count - 1) }
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * (h - top - bottom) }
        let f = Dashboard.fixed
        let better = MetricDirection.of(metric, spec: s.spec)
        let label = "\(metric): \(points.count) trained run\(points.count == 1 ? "" : "s"), from \(JSONValue.short(points[0].value)) to \(JSONValue.short(points[points.count - 1].value))"
        var out = "<figure class=\"chart\"><figcaption>\(e(metric)) <span class=\"better\">"
        out += better.map { $0 == .higher ? "↑ higher is better" : "↓ lower is better" } ?? ""
        out += "</span></figcaption><svg width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(e(label))\">"
        let (most, least) = (points.map(\.value).max()!, points.map(\.value).min()!)
        for v in most == least ? [most] : [most, least] {
            out += "<line x1=\"\(Int(left))\" x2=\"\(Int(w - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\"/>"
            out += "<text x=\"\(Int(left - 6))\" y=\"\(f(y(v) + 3))\" text-anchor=\"end\">\(JSONValue.short(v))</text>"
        }
        for t in thresholds {
            out += "<line class=\"gate\" x1=\"\(Int(left))\" x2=\"\(Int(w - right))\" y1=\"\(f(y(t.value)))\" y2=\"\(f(y(t.value)))\"><title>\(e(t.gate)): \(JSONValue.short(t.value))</title></line>"
            out += "<text class=\"gate\" x=\"\(Int(w - right))\" y=\"\(f(y(t.value) - 3))\" text-anchor=\"end\">gate \(JSONValue.short(t.value))</text>"
        }
        out += "<text x=\"\(Int(left))\" y=\"\(Int(h - 6))\">\(ReportText.date(points[0].run.startedAt ?? points[0].run.slot))</text>"
        if points.count > 1 {
            let last = points[points.count - 1].run
            out += "<text x=\"\(Int(w - right))\" y=\"\(Int(h - 6))\" text-anchor=\"end\">\(ReportText.date(last.startedAt ?? last.slot))</text>"
            out += "<polyline points=\"" + points.indices.map { "\(f(x($0))),\(f(y(points[$0].value)))" }.joined(separator: " ") + "\"/>"
        }
        for (i, p) in points.enumerated() {
            let champion = p.run.id == s.champion?.id
            out += "<circle class=\"\(p.run.status.rawValue)\(champion ? " champion" : "")\" cx=\"\(f(x(i)))\" cy=\"\(f(y(p.value)))\" r=\"\(champion ? "4.5" : "3")\">"
            out += "<title>\(e(ReportText.runName(p.run.id, schedule: s.id))) · \(p.run.status.rawValue)\(champion ? " · champion" : "") · \(e(metric)) \(JSONValue.short(p.value))</title></circle>"
        }
        return out + "</svg></figure>"
    }

    static func runs(_ s: ScheduleReport, models: String) -> String {
        let e = Dashboard.escape
        var out = "<section class=\"page\"><h3>Runs, newest first</h3>"
        guard !s.history.isEmpty else { return out + "<p class=\"hint\">No run recorded yet.</p></section>\n" }
        let shown = Array(metricNames(s).prefix(4))
        out += "<div class=\"scroll\"><table class=\"runs\"><thead><tr><th>Run</th><th>Status</th><th>Started <span class=\"unit\">UTC</span></th><th>Duration</th>"
        out += shown.map { "<th>\(e($0))</th>" }.joined() + "<th>Params <span class=\"unit\">(changed since the run before)</span></th><th>Commit</th><th>Data</th><th>Files</th></tr></thead><tbody>\n"
        // Each run's params against the nearest earlier run that recorded them.
        var before: [JSONValue?] = []
        var last: JSONValue?
        for run in s.history {
            before.append(last)
            if run.params != nil { last = run.params }
        }
        for (index, run) in s.history.enumerated().reversed() {
            let name = ReportText.runName(run.id, schedule: s.id)
            let folder = percentEncoded(run.id)
            out += "<tr><td><code>\(e(name))</code>" + (run.attempt > 1 ? " <span class=\"hint\">attempt \(run.attempt)</span>" : "") + "</td>"
            out += "<td><span class=\"badge s-\(run.status.rawValue)\">\(run.status.rawValue)</span>"
            if let reason = run.reason { out += "<div class=\"reason\" title=\"\(e(reason))\">\(e(ReportText.clip(reason, 140)))</div>" }
            out += "</td>"
            out += "<td>" + (run.startedAt.map { "<time datetime=\"\($0)\">\(ReportText.time($0))</time>" } ?? "<span class=\"none\">—</span>") + "</td>"
            out += "<td>\(duration(run))</td>"
            out += shown.map { "<td>\(run.metrics?[$0].map(JSONValue.short) ?? "—")</td>" }.joined()
            out += "<td class=\"params\">\(params(run.params, before: before[index]))</td>"
            out += "<td>" + (run.gitCommit.map { "<code title=\"\(e($0))\">\(e(String($0.prefix(10))))</code>" } ?? "<span class=\"none\">—</span>") + "</td>"
            out += "<td>" + (run.data.map { "<code title=\"sha256 \($0.sha256)\">\($0.sha256.prefix(12))</code> \($0.rows) rows" } ?? "<span class=\"none\">—</span>") + "</td>"
            if run.status == .skipped {
                out += "<td><span class=\"none\">—</span></td>"
            } else {
                out += "<td><a href=\"\(folder)/log.txt\">log</a> · <a href=\"\(folder)/result.json\">result</a>"
                if run.status.trained { out += " · <a href=\"\(models)/\(percentEncoded(s.id))/\(folder)/\">model</a>" }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div></section>\n"
    }

    /// `4.2 s`, `0.35 s`, `3 min 12 s`, `1.5 h`; a dash when it did not run.
    static func duration(_ run: RunRecord) -> String {
        let seconds = run.durationSeconds ?? run.finishedAt.flatMap { end in run.startedAt.map { Double(end.seconds - $0.seconds) } }
        guard let seconds else { return "<span class=\"none\">—</span>" }
        if seconds < 10 { return "\(JSONValue.short((seconds * 100).rounded() / 100)) s" }
        if seconds < 60 { return "\(JSONValue.short((seconds * 10).rounded() / 10)) s" }
        if seconds < 3600 { return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s" }
        return "\(JSONValue.short((seconds / 360).rounded() / 10)) h"
    }

    /// `k=v` for each param, those that differ from `before` (or are new) marked, those it had
    /// and this run lacks struck through.
    static func params(_ params: JSONValue?, before: JSONValue?) -> String {
        guard case .object(let members)? = params else { return "<span class=\"none\">not recorded</span>" }
        if members.isEmpty { return "<span class=\"none\">none</span>" }
        var earlier: [String: JSONValue] = [:]
        if case .object(let old)? = before { for m in old { earlier[m.key] = m.value } }
        var parts = members.map { m -> String in
            let text = Dashboard.escape("\(m.key)=\(m.value.compact)")
            let changed = before != nil && earlier[m.key] != m.value
            return changed ? "<mark title=\"\(Dashboard.escape(earlier[m.key].map { "was \($0.compact)" } ?? "new"))\">\(text)</mark>" : text
        }
        let keys = Set(members.map(\.key))
        if case .object(let old)? = before { parts += old.filter { !keys.contains($0.key) }.map { "<del title=\"removed\">\(Dashboard.escape($0.key))</del>" } }
        return parts.joined(separator: " ")
    }

    /// A path segment for a link: run and schedule ids are plain file names, but `@`, `%`, `#` and `?`
    /// would mislead a browser.
    static func percentEncoded(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
