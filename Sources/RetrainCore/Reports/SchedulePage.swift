/// `reports/<id>/index.html`: one schedule's page, plain HTML that needs no script (its style sheet is
/// `reports/style.css`). Its spec and
/// state, the next runs, the latest trained run's gates, the champion lineage, a chart per metric
/// across trained runs (each gate's threshold drawn on its metric's chart), and the run table: each
/// run's params with what changed since the run before highlighted, its duration, provenance (git
/// commit, data sha256 and rows) and links to its log.txt, result.json and model folder.
public enum SchedulePage {
    /// The page of `s`. `models` is the models folder as a link from this page (`../../models`).
    public static func html(_ s: ScheduleReport, models: String) -> String {
        bytes(s, models: models).string
    }

    /// The page as it is written.
    static func bytes(_ s: ScheduleReport, models: String) -> UTF8Buffer {
        var out = UTF8Buffer(capacity: 4096 + 1024 * s.history.count)
        // The style sheet is `reports/style.css`, written with the overview: 10,000 pages need not
        // carry 6 KB of it each.
        out.raw(Dashboard.head(title: "\(s.id) — retrain", style: "../style.css"))
        out.raw("<header>\n<nav class=\"crumbs\"><a href=\"../index.html\">← all schedules</a></nav>\n<h1>")
        out.html(s.id)
        out.raw("<span class=\"badge s-")
        out.html(s.status.rawValue)
        out.raw("\">")
        out.html(s.status.rawValue)
        out.raw("</span>")
        if s.stale { out.raw("<span class=\"badge s-stale\" title=\"no model promoted for longer than notify.stale_after\">stale</span>") }
        out.raw("</h1>\n")
        if let d = s.spec?.description {
            out.raw("<p class=\"lede\">")
            out.html(d)
            out.raw("</p>\n")
        }
        out.raw("</header>\n<main>\n<div class=\"grid\">\n")
        facts(s, into: &out)
        upcoming(s, into: &out)
        lineage(s, into: &out)
        out.raw("</div>\n")
        let metrics = metricNames(s)
        charts(s, metrics: metrics, into: &out)
        runs(s, metrics: metrics, models: models, into: &out)
        out.raw("</main>\n")
        out.raw(Dashboard.footer("a pass that changes this schedule rewrites it."))
        out.raw("</body>\n</html>\n")
        return out
    }

    /// `<dt>dt</dt><dd>dd</dd>`, `dd` being markup.
    static func item(_ dt: StaticString, _ dd: Markup, into out: inout UTF8Buffer) {
        out.raw("<dt>")
        out.raw(dt)
        out.raw("</dt><dd>")
        out.raw(dd)
        out.raw("</dd>")
    }

    static func facts(_ s: ScheduleReport, into out: inout UTF8Buffer) {
        let e = Dashboard.escape
        out.raw("<section><h3>Schedule</h3><dl>")
        if let spec = s.spec {
            item(
                "Model",
                Markup(escaped: e(spec.model) + " · trainer " + (spec.command.map { "<code>\(e($0.joined(separator: " ")))</code>" } ?? "built-in")),
                into: &out)
            item("File", Markup(escaped: "<code>\(e(spec.file.hasPrefix("./") ? String(spec.file.dropFirst(2)) : spec.file))</code>"), into: &out)
            item(
                "Repeats", Markup(escaped: e(spec.repeatRule.description) + " in " + e(spec.timezone) + (spec.enabled ? "" : " (paused)")), into: &out
            )
            if !spec.labels.isEmpty { item("Labels", Markup(escaped: spec.labels.map { e("\($0.0)=\($0.1)") }.joined(separator: ", ")), into: &out) }
        } else {
            item(
                "File",
                Markup(escaped: s.status == .orphaned ? "deleted; its history is kept" : "has errors: <code>retrain validate</code> names them"),
                into: &out)
        }
        if let entry = s.overview.state {
            if let pause = entry.pause {
                item(
                    "Paused",
                    Markup(
                        escaped:
                            "by \(e(pause.by)) since \(ReportText.time(pause.at)): \(e(pause.reason)) · <code>retrain resume \(e(s.id))</code> ends it"
                    ),
                    into: &out)
            }
            if let c = entry.champion {
                item(
                    "Champion", Markup(escaped: "<code>\(e(ReportText.runName(c.id, schedule: s.id)))</code> since \(ReportText.time(c.finishedAt))"),
                    into: &out)
            }
            if let run = entry.activeRun {
                item(
                    "Running",
                    Markup(
                        escaped:
                            "<code>\(e(ReportText.runName(run.id, schedule: s.id)))</code> (attempt \(run.attempt)) since \(ReportText.time(run.startedAt))"
                    ),
                    into: &out)
            }
            if let retry = entry.retry {
                item("Retry", Markup(escaped: "attempt \(retry.attempt) not before \(ReportText.time(retry.notBefore))"), into: &out)
            }
            if entry.consecutiveFailures > 0 { item("Failures", Markup(escaped: "\(entry.consecutiveFailures) in a row"), into: &out) }
        }
        out.raw("</dl><h3>Run it by hand</h3><p><code>retrain run ")
        out.html(s.id)
        out.raw(" --wait</code></p>")
        out.raw(
            "<p class=\"hint\">Or through review: change <code>trigger:</code> in the schedule file; the next <code>retrain reconcile</code> runs it once.</p></section>\n"
        )
    }

    static func upcoming(_ s: ScheduleReport, into out: inout UTF8Buffer) {
        out.raw("<section><h3>Next runs <span class=\"unit\">UTC</span></h3>")
        if s.nextRuns.isEmpty {
            out.raw("<p class=\"hint\">None: ")
            out.raw(
                s.spec == nil
                    ? "the file is missing or invalid."
                    : s.spec?.enabled == false || s.overview.state?.pause != nil ? "the schedule is paused." : "no slot after now.")
            out.raw("</p>")
        } else {
            out.raw("<ul class=\"plain\">")
            for next in s.nextRuns { time(next, into: &out, tag: "li") }
            out.raw("</ul>")
        }
        if let c = s.comparison {
            out.raw("<h3>Gates of ")
            out.runName(c.run.runID, schedule: s.id)
            out.raw("</h3>")
        } else {
            out.raw("<h3>Gates</h3>")
        }
        if let gates = s.comparison?.gates, !gates.isEmpty {
            out.raw("<ul class=\"plain\">")
            for g in gates {
                let why = String(GateCheck.numbers(g).dropFirst(3))  // without " — "
                out.raw(g.held ? "<li><span class=\"held\">✓ held</span> <code>" : "<li><span class=\"failed\">✗ failed</span> <code>")
                out.html(g.gate)
                out.raw("</code> <span class=\"hint\">")
                out.html(why)
                out.raw("</span></li>")
            }
            out.raw("</ul>")
            if let comparison = s.comparison, let champion = comparison.champion {
                // Which champion the gates judged against, scored where, on what data.
                out.raw("<p class=\"hint\">Champion <code>")
                out.html(champion.runID)
                if let recorded = champion.recorded {
                    out.raw("</code> scored on this run’s holdout: ")
                    out.html(JSONValue.metricsLine(champion.metrics))
                    out.raw(" (recorded: ")
                    out.html(JSONValue.metricsLine(recorded))
                    out.raw(").")
                } else {
                    out.raw("</code>: its recorded scores (not scored on this run’s holdout).")
                }
                if let data = comparison.dataLine() {
                    out.raw(" ")
                    out.html(data)
                }
                out.raw("</p>")
            }
        } else {
            let rules = s.spec?.gates ?? []
            out.raw("<p class=\"hint\">")
            out.raw(rules.isEmpty ? "No gates: every trained model is promoted." : "No trained run yet.")
            out.raw("</p>")
            if !rules.isEmpty {
                out.raw("<ul class=\"plain\">")
                for rule in rules {
                    out.raw("<li><code>")
                    out.html(rule.source)
                    out.raw("</code></li>")
                }
                out.raw("</ul>")
            }
        }
        out.raw("</section>\n")
    }

    /// `<tag><time datetime="…">YYYY-MM-DD HH:MM</time></tag>` (no tag when `tag` is nil).
    static func time(_ instant: Instant, into out: inout UTF8Buffer, tag: StaticString? = nil) {
        if let tag {
            out.raw("<")
            out.raw(tag)
            out.raw(">")
        }
        out.raw("<time datetime=\"")
        out.instant(instant, .iso)
        out.raw("\">")
        out.instant(instant, .minute)
        out.raw("</time>")
        if let tag {
            out.raw("</")
            out.raw(tag)
            out.raw(">")
        }
    }

    /// The champions, newest first: each promotion by its gates (a completed run), and each change
    /// by hand (`promote`, `rollback`, with who and why).
    static func lineage(_ s: ScheduleReport, into out: inout UTF8Buffer) {
        // Each step names its run by its place in the history (a year of runs is sorted here for
        // every page: copying the records made this a tenth of `report --all`).
        struct Step {
            var at: Instant
            var order: Int
            var run: Int
            var hand: Int?
        }
        var steps: [Step] = []
        s.history.withUnsafeBufferPointer { history in
            for i in history.indices where history[i].status == .completed {
                steps.append(Step(at: history[i].finishedAt ?? history[i].slot, order: steps.count, run: i, hand: nil))
            }
        }
        for (e, event) in s.lineage.enumerated() {
            guard let i = s.history.lastIndex(where: { $0.id == event.run }) else { continue }
            steps.append(Step(at: event.at, order: steps.count, run: i, hand: e))
        }
        steps.sort { ($0.at, $0.order) > ($1.at, $1.order) }
        out.raw("<section><h3>Champion lineage</h3>")
        guard !steps.isEmpty else { return out.raw("<p class=\"hint\">No model promoted yet.</p></section>\n") }
        out.raw("<ul class=\"plain\">")
        for (i, step) in steps.prefix(8).enumerated() {
            let run = s.history[step.run]
            out.raw("<li>")
            if i == 0 && run.id == s.champion?.id { out.raw("<span class=\"held\">in service</span> ") }
            out.raw("<code>")
            out.runName(run.id, schedule: s.id)
            out.raw("</code> ")
            out.instant(step.at, .date)
            if let key = s.keyMetric, let v = run.metrics?[key] {
                out.raw(" · ")
                out.html(key)
                out.raw(" ")
                out.short(v)
                if i + 1 < steps.count, let before = s.history[steps[i + 1].run].metrics?[key] {
                    out.raw(" (")
                    out.html(Comparison.signed(v - before))
                    out.raw(")")
                }
            }
            if let hand = step.hand.map({ s.lineage[$0] }) {
                out.raw(" · <span class=\"hint\">")
                out.html(
                    (hand.event == .promoted ? "promoted by hand by " : "restored by a rollback by ") + hand.by
                        + (hand.reason.map { ": " + $0 } ?? ""))
                out.raw("</span>")
            }
            out.raw("</li>")
        }
        out.raw("</ul>")
        if steps.count > 8 {
            out.raw("<p class=\"hint\">and ")
            out.int(steps.count - 8)
            out.raw(" earlier</p>")
        }
        out.raw("</section>\n")
    }

    /// Every metric the trained runs reported, the key metric first.
    static func metricNames(_ s: ScheduleReport) -> [String] {
        var names = Set<String>()
        for run in s.history { if let metrics = run.metrics { names.formUnion(metrics.keys) } }
        var sorted = names.sorted(by: codePointLess)
        if let key = s.keyMetric, let at = sorted.firstIndex(of: key) {
            sorted.remove(at: at)
            sorted.insert(key, at: 0)
        }
        return sorted
    }

    static func charts(_ s: ScheduleReport, metrics: [String], into out: inout UTF8Buffer) {
        var drawn = UTF8Buffer(capacity: 8192)
        for metric in metrics { chart(s, metric: metric, into: &drawn) }
        guard !drawn.bytes.isEmpty else { return }
        out.raw("<section class=\"page\"><h3>Metric trends across retrains</h3><p class=\"legend\"><i style=\"background:var(--ok)\"></i>promoted")
        out.raw("<i style=\"background:var(--bad)\"></i>rejected by a gate<i style=\"border:2px solid var(--fg)\"></i>champion now")
        out.raw("<i style=\"border-top:2px dashed var(--warn);border-radius:0;height:0\"></i>a gate’s threshold for the latest run</p>")
        out.raw("<div class=\"charts\">")
        out.raw(drawn)
        out.raw("</div></section>\n")
    }

    /// One metric over the trained runs, as SVG; the latest run's gates on it as dashed lines.
    /// Nothing when no trained run reported it.
    static func chart(_ s: ScheduleReport, metric: String, into out: inout UTF8Buffer) {
        // Each point names its run by its place in `trained` (copying a record for each is costly).
        let points = s.trained.withUnsafeBufferPointer { runs in
            runs.indices.compactMap { i in runs[i].metrics?[metric].map { (run: i, value: $0) } }
        }
        guard !points.isEmpty else { return }
        let metricGates = Set((s.spec?.gates ?? []).filter { $0.metric == metric }.map(\.source))
        let thresholds = (s.comparison?.gates ?? []).filter { metricGates.contains($0.gate) }.compactMap { g in
            g.threshold.map { (gate: g.gate, value: $0) }
        }
        let (w, h, left, right, top, bottom) = (300.0, 132.0, 46.0, 12.0, 10.0, 22.0)
        let values = points.map(\.value) + thresholds.map(\.value)
        var high = values.max()!
        var low = values.min()!
        if high == low {
            let pad = abs(high) * 0.05 == 0 ? 0.5 : abs(high) * 0.05
            high += pad
            low -= pad
        }
        let pad = (high - low) * 0.08
        high += pad
        low -= pad
        func x(_ i: Int) -> Double { points.count == 1 ? (left + w - right) / 2 : left + Double(i) * (w - left - right) / Double(points.count - 1) }
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * (h - top - bottom) }
        /// A horizontal line across the plot at `v`.
        func rule(_ v: Double, gate: Bool) {
            out.raw(gate ? "<line class=\"gate\" x1=\"" : "<line x1=\"")
            out.int(Int(left))
            out.raw("\" x2=\"")
            out.int(Int(w - right))
            out.raw("\" y1=\"")
            out.fixed(y(v))
            out.raw("\" y2=\"")
            out.fixed(y(v))
            out.raw("\"")
        }
        let better = MetricDirection.of(metric, spec: s.spec)
        let label =
            "\(metric): \(points.count) trained run\(points.count == 1 ? "" : "s"), from \(JSONValue.short(points[0].value)) to \(JSONValue.short(points[points.count - 1].value))"
        out.raw("<figure class=\"chart\"><figcaption>")
        out.html(metric)
        out.raw(" <span class=\"better\">")
        if let better { out.raw(better == .higher ? "↑ higher is better" : "↓ lower is better") }
        out.raw("</span></figcaption><svg width=\"")
        out.int(Int(w))
        out.raw("\" height=\"")
        out.int(Int(h))
        out.raw("\" viewBox=\"0 0 ")
        out.int(Int(w))
        out.raw(" ")
        out.int(Int(h))
        out.raw("\" role=\"img\" aria-label=\"")
        out.html(label)
        out.raw("\">")
        let (most, least) = (points.map(\.value).max()!, points.map(\.value).min()!)
        for v in most == least ? [most] : [most, least] {
            rule(v, gate: false)
            out.raw("/><text x=\"")
            out.int(Int(left - 6))
            out.raw("\" y=\"")
            out.fixed(y(v) + 3)
            out.raw("\" text-anchor=\"end\">")
            out.short(v)
            out.raw("</text>")
        }
        for t in thresholds {
            rule(t.value, gate: true)
            out.raw("><title>")
            out.html(t.gate)
            out.raw(": ")
            out.short(t.value)
            out.raw("</title></line><text class=\"gate\" x=\"")
            out.int(Int(w - right))
            out.raw("\" y=\"")
            out.fixed(y(t.value) - 3)
            out.raw("\" text-anchor=\"end\">gate ")
            out.short(t.value)
            out.raw("</text>")
        }
        out.raw("<text x=\"")
        out.int(Int(left))
        out.raw("\" y=\"")
        out.int(Int(h - 6))
        out.raw("\">")
        let first = s.trained[points[0].run]
        out.instant(first.startedAt ?? first.slot, .date)
        out.raw("</text>")
        if points.count > 1 {
            let last = s.trained[points[points.count - 1].run]
            out.raw("<text x=\"")
            out.int(Int(w - right))
            out.raw("\" y=\"")
            out.int(Int(h - 6))
            out.raw("\" text-anchor=\"end\">")
            out.instant(last.startedAt ?? last.slot, .date)
            out.raw("</text><polyline points=\"")
            for i in points.indices {
                if i > 0 { out.raw(" ") }
                out.fixed(x(i))
                out.raw(",")
                out.fixed(y(points[i].value))
            }
            out.raw("\"/>")
        }
        for (i, p) in points.enumerated() {
            let (id, status) = (s.trained[p.run].id, s.trained[p.run].status)
            let champion = id == s.champion?.id
            out.raw("<circle class=\"")
            out.html(status.rawValue)
            if champion { out.raw(" champion") }
            out.raw("\" cx=\"")
            out.fixed(x(i))
            out.raw("\" cy=\"")
            out.fixed(y(p.value))
            out.raw(champion ? "\" r=\"4.5\"><title>" : "\" r=\"3\"><title>")
            out.runName(id, schedule: s.id)
            out.raw(" · ")
            out.html(status.rawValue)
            if champion { out.raw(" · champion") }
            out.raw(" · ")
            out.html(metric)
            out.raw(" ")
            out.short(p.value)
            out.raw("</title></circle>")
        }
        out.raw("</svg></figure>")
    }

    static func runs(_ s: ScheduleReport, metrics: [String], models: String, into out: inout UTF8Buffer) {
        out.raw("<section class=\"page\"><h3>Runs, newest first</h3>")
        guard !s.history.isEmpty else { return out.raw("<p class=\"hint\">No run recorded yet.</p></section>\n") }
        let shown = metrics.prefix(4)
        out.raw(
            "<div class=\"scroll\"><table class=\"runs\"><thead><tr><th>Run</th><th>Status</th><th>Started <span class=\"unit\">UTC</span></th><th>Duration</th>"
        )
        for name in shown {
            out.raw("<th>")
            out.html(name)
            out.raw("</th>")
        }
        out.raw(
            "<th>Params <span class=\"unit\">(changed since the run before)</span></th><th>Commit</th><th>Data</th><th>Files</th></tr></thead><tbody>\n"
        )
        // Each run's params against the nearest earlier run that recorded them.
        var before: [JSONValue?] = []
        var last: JSONValue?
        for run in s.history {
            before.append(last)
            if run.params != nil { last = run.params }
        }
        // The model folder's link up to the schedule, the same for every run.
        var modelsLink = UTF8Buffer(capacity: 64)
        modelsLink.raw(" · <a href=\"")
        modelsLink.html(models)
        modelsLink.raw("/")
        modelsLink.segment(s.id)
        modelsLink.raw("/")
        let none: StaticString = "<span class=\"none\">—</span>"
        for index in s.history.indices.reversed() {
            let run = s.history[index]
            out.raw("<tr><td><code>")
            out.runName(run.id, schedule: s.id)
            out.raw("</code>")
            if run.attempt > 1 {
                out.raw(" <span class=\"hint\">attempt ")
                out.int(run.attempt)
                out.raw("</span>")
            }
            out.raw("</td><td><span class=\"badge s-")
            out.html(run.status.rawValue)
            out.raw("\">")
            out.html(run.status.rawValue)
            out.raw("</span>")
            if let reason = run.reason {
                out.raw("<div class=\"reason\" title=\"")
                out.html(reason)
                out.raw("\">")
                out.html(ReportText.clip(reason, 140))
                out.raw("</div>")
            }
            out.raw("</td><td>")
            if let started = run.startedAt { time(started, into: &out) } else { out.raw(none) }
            out.raw("</td><td>")
            duration(run, into: &out)
            out.raw("</td>")
            for name in shown {
                out.raw("<td>")
                if let v = run.metrics?[name] { out.short(v) } else { out.raw("—") }
                out.raw("</td>")
            }
            out.raw("<td class=\"params\">")
            out.raw(params(run.params, before: before[index]))
            out.raw("</td><td>")
            if let commit = run.gitCommit {
                out.raw("<code title=\"")
                out.html(commit)
                out.raw("\">")
                out.html(String(commit.prefix(10)))
                out.raw("</code>")
            } else {
                out.raw(none)
            }
            out.raw("</td><td>")
            if let data = run.data {
                out.raw("<code title=\"sha256 ")
                out.html(data.sha256)
                out.raw("\">")
                out.html(String(data.sha256.prefix(12)))
                out.raw("</code> ")
                out.int(data.rows)
                out.raw(" rows")
            } else {
                out.raw(none)
            }
            out.raw("</td><td>")
            if run.status == .skipped {
                out.raw(none)
            } else if s.removed.contains(run.id) {
                out.raw(
                    "<span class=\"hint\" title=\"its log, result and model were removed by keep_runs; its record stays\">removed (keep_runs)</span>")
            } else {
                out.raw("<a href=\"")
                out.segment(run.id)
                out.raw("/log.txt\">log</a> · <a href=\"")
                out.segment(run.id)
                out.raw("/result.json\">result</a>")
                if run.status.trained {
                    out.raw(modelsLink)
                    out.segment(run.id)
                    out.raw("/\">model</a>")
                }
            }
            out.raw("</td></tr>\n")
        }
        out.raw("</tbody></table></div></section>\n")
    }

    /// `4.2 s`, `0.35 s`, `3 min 12 s`, `1.5 h`; a dash when it did not run.
    static func duration(_ run: RunRecord, into out: inout UTF8Buffer) {
        let seconds = run.durationSeconds ?? run.finishedAt.flatMap { end in run.startedAt.map { Double(end.seconds - $0.seconds) } }
        guard let seconds else { return out.raw("<span class=\"none\">—</span>") }
        if seconds < 10 {
            out.short((seconds * 100).rounded() / 100)
            out.raw(" s")
        } else if seconds < 60 {
            out.short((seconds * 10).rounded() / 10)
            out.raw(" s")
        } else if seconds < 3600 {
            out.int(Int(seconds) / 60)
            out.raw(" min ")
            out.int(Int(seconds) % 60)
            out.raw(" s")
        } else {
            out.short((seconds / 360).rounded() / 10)
            out.raw(" h")
        }
    }

    /// `k=v` for each param, those that differ from `before` (or are new) marked, those it had
    /// and this run lacks struck through.
    static func params(_ params: JSONValue?, before: JSONValue?) -> Markup {
        guard case .object(let members)? = params else { return Markup(escaped: "<span class=\"none\">not recorded</span>") }
        if members.isEmpty { return Markup(escaped: "<span class=\"none\">none</span>") }
        var earlier: [String: JSONValue] = [:]
        if case .object(let old)? = before { for m in old { earlier[m.key] = m.value } }
        var parts = members.map { m -> String in
            let text = Dashboard.escape("\(m.key)=\(m.value.compact)")
            let changed = before != nil && earlier[m.key] != m.value
            return changed ? "<mark title=\"\(Dashboard.escape(earlier[m.key].map { "was \($0.compact)" } ?? "new"))\">\(text)</mark>" : text
        }
        let keys = Set(members.map(\.key))
        if case .object(let old)? = before {
            parts += old.filter { !keys.contains($0.key) }.map { "<del title=\"removed\">\(Dashboard.escape($0.key))</del>" }
        }
        return Markup(escaped: parts.joined(separator: " "))
    }
}
