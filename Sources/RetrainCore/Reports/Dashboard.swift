/// `reports/index.html`: one self-contained page (no network, no external script). The schedule
/// table is written as HTML, so the page reads without running anything; each schedule's history
/// rides along as JSON, and a small inline script filters the table (by model, status and text,
/// kept in the address's `#…` so a filtered view can be shared) and draws a schedule's details
/// (gates, trend charts, champion lineage, next runs, run history) when its row is opened. With
/// 500 schedules of 50 runs the page is about 3 MB and the script touches only the opened row.
public enum Dashboard {
    /// The page.
    public static func html(_ set: ReportSet) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>retrain — \(set.schedules.count) schedule\(set.schedules.count == 1 ? "" : "s")</title>\n"
        out += "<style>\n\(DashboardAssets.css)</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>retrain</h1>\n<p class=\"lede\">Scheduled retraining of machine-learning models. Each row is a schedule file; "
        out += "open one for its runs, metric trends, gates and champion.</p>\n"
        out += cards(set)
        out += "</header>\n<main>\n"
        out += filters(set)
        out += "<table id=\"schedules\">\n<thead><tr><th>Schedule</th><th>Model</th><th>Status</th><th>Last run <span class=\"unit\">UTC</span></th>"
        out += "<th class=\"num\">Champion’s key metric</th><th>Trend</th><th>Next run <span class=\"unit\">UTC</span></th></tr></thead>\n<tbody>\n"
        for (index, s) in set.schedules.enumerated() { out += row(s, index: index) }
        out += "</tbody>\n</table>\n"
        out += "<p id=\"empty\" hidden>No schedule matches these filters. <a href=\"#\" data-reset>Show all</a></p>\n"
        if set.schedules.isEmpty { out += "<p>No schedules yet. Write one with <code>retrain new ID --model M --start T</code>, then run <code>retrain reconcile</code>.</p>\n" }
        out += "</main>\n<footer>Written by <code>retrain</code> \(escape(RetrainVersion.current)) from the state file and run folders; "
        out += "<code>retrain report</code> rewrites it. Statuses: the latest run’s outcome; stale: no model promoted for longer than <code>notify.stale_after</code>.</footer>\n"
        out += "<script type=\"application/json\" id=\"data\">" + scriptSafe(data(set).compact) + "</script>\n"
        out += "<script>\n\(DashboardAssets.script)</script>\n</body>\n</html>\n"
        return out
    }

    static func cards(_ set: ReportSet) -> String {
        var out = "<nav class=\"cards\" aria-label=\"Statuses\">\n"
        out += "<a class=\"card\" href=\"#\" data-status=\"\"><b>\(set.schedules.count)</b> schedule\(set.schedules.count == 1 ? "" : "s")</a>\n"
        for (status, n) in set.statusCounts {
            out += "<a class=\"card s-\(status.rawValue)\" href=\"#status=\(status.rawValue)\" data-status=\"\(status.rawValue)\"><b>\(n)</b> \(status.rawValue)</a>\n"
        }
        let stale = set.schedules.count(where: \.stale)
        if stale > 0 { out += "<a class=\"card s-stale\" href=\"#status=stale\" data-status=\"stale\"><b>\(stale)</b> stale</a>\n" }
        return out + "</nav>\n"
    }

    static func filters(_ set: ReportSet) -> String {
        let models = Set(set.schedules.compactMap { $0.spec?.model }).sorted(by: codePointLess)
        var out = "<form id=\"filters\" role=\"search\" onsubmit=\"return false\">\n"
        out += "<label>Model <select id=\"model\"><option value=\"\">all models</option>"
        for m in models { out += "<option value=\"\(escape(m))\">\(escape(m))</option>" }
        out += "</select></label>\n<label>Status <select id=\"status\"><option value=\"\">all statuses</option>"
        out += "<option value=\"attention\">needs attention</option>"
        for (status, n) in set.statusCounts { out += "<option value=\"\(status.rawValue)\">\(status.rawValue) (\(n))</option>" }
        if set.schedules.contains(where: \.stale) { out += "<option value=\"stale\">stale</option>" }
        out += "</select></label>\n<label>Search <input id=\"q\" type=\"search\" placeholder=\"id, description, label\" autocomplete=\"off\"></label>\n"
        out += "<span id=\"count\" aria-live=\"polite\">\(set.schedules.count) of \(set.schedules.count) schedules</span>\n</form>\n"
        return out
    }

    static func row(_ s: ScheduleReport, index: Int) -> String {
        let labels = (s.spec?.labels ?? []).map { "\($0.0)=\($0.1)" }
        let text = ([s.id, s.spec?.description ?? ""] + labels).joined(separator: " ").lowercased()
        let attention = SummaryReport.attention(s) < 5
        var out = "<tr class=\"sched\" data-i=\"\(index)\" data-model=\"\(escape(s.spec?.model ?? ""))\" data-status=\"\(s.status.rawValue)\""
        out += " data-stale=\"\(s.stale)\" data-attention=\"\(attention)\" data-text=\"\(escape(text))\">"
        out += "<td><button class=\"open\" aria-expanded=\"false\" title=\"Show runs, trends, gates\">▸</button> <span class=\"id\">\(escape(s.id))</span>"
        if let d = s.spec?.description { out += "<div class=\"desc\">\(escape(ReportText.clip(d, 90)))</div>" }
        out += "</td><td>\(escape(s.spec?.model ?? "—"))</td>"
        out += "<td><span class=\"badge s-\(s.status.rawValue)\">\(s.status.rawValue)</span>\(s.stale ? " <span class=\"badge s-stale\" title=\"no model promoted for longer than notify.stale_after\">stale</span>" : "")</td>"
        if let last = s.overview.lastRun {
            out += "<td><time datetime=\"\(last.at)\">\(ReportText.time(last.at))</time>"
            if let reason = last.reason { out += "<div class=\"reason\" title=\"\(escape(reason))\">\(escape(ReportText.clip(reason, 70)))</div>" }
            out += "</td>"
        } else {
            out += "<td class=\"none\">no run yet</td>"
        }
        if let metric = s.keyMetric, let value = s.champion?.metrics[metric] {
            out += "<td class=\"num\"><span class=\"metric\">\(escape(metric))</span> \(JSONValue.short(value))</td>"
        } else {
            out += "<td class=\"num none\">no champion</td>"
        }
        out += "<td>\(sparkline(s))</td>"
        out += "<td>\(s.nextRuns.first.map { "<time datetime=\"\($0)\">\(ReportText.time($0))</time>" } ?? "<span class=\"none\">—</span>")</td></tr>\n"
        return out
    }

    /// The key metric over the last 20 trained runs, as a small inline SVG.
    static func sparkline(_ s: ScheduleReport) -> String {
        let points = Array(s.trend.suffix(20))
        guard points.count >= 2, let low = points.map(\.value).min(), let high = points.map(\.value).max() else {
            return points.isEmpty ? "<span class=\"none\">—</span>" : "<span class=\"none\">1 run</span>"
        }
        let (w, h) = (120.0, 26.0)
        func x(_ i: Int) -> Double { 3 + Double(i) * (w - 6) / Double(points.count - 1) }
        func y(_ v: Double) -> Double { high == low ? h / 2 : 3 + (high - v) / (high - low) * (h - 6) }
        let line = points.indices.map { "\(fixed(x($0))),\(fixed(y(points[$0].value)))" }.joined(separator: " ")
        let last = points.count - 1
        let better = s.keyMetric.flatMap { MetricDirection.of($0, spec: s.spec) }
        let label = "\(s.keyMetric ?? "") over \(points.count) runs: \(JSONValue.short(points.first!.value)) → \(JSONValue.short(points[last].value))"
            + (better.map { $0 == .higher ? " (higher is better)" : " (lower is better)" } ?? "")
        var out = "<svg class=\"spark\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(escape(label))\"><title>\(escape(label))</title>"
        out += "<polyline points=\"\(line)\"/>"
        out += "<circle class=\"\(points[last].run.status)\" cx=\"\(fixed(x(last)))\" cy=\"\(fixed(y(points[last].value)))\" r=\"2.5\"/></svg>"
        return out
    }

    /// The JSON the script draws details from.
    static func data(_ set: ReportSet) -> JSONValue {
        .object(["schedules": .array(set.schedules.map(scheduleData))])
    }

    static func scheduleData(_ s: ScheduleReport) -> JSONValue {
        var names = Set<String>()
        for run in s.history { if let metrics = run.metrics { names.formUnion(metrics.keys) } }
        var metrics = names.sorted(by: codePointLess)
        if let key = s.keyMetric, let at = metrics.firstIndex(of: key) { metrics.remove(at: at); metrics.insert(key, at: 0) }
        let runs = s.history.map { run -> JSONValue in
            let duration = run.startedAt.flatMap { start in run.finishedAt.map { JSONValue.int(Int($0.seconds - start.seconds)) } } ?? .null
            return .array([.string(ReportText.runName(run.id, schedule: s.id)), .string(run.status.rawValue), .string((run.startedAt ?? run.slot).description), duration,
                           .array(metrics.map { run.metrics?[$0].map(JSONValue.number) ?? .null }), run.reason.map(JSONValue.string) ?? .null, .int(run.attempt)])
        }
        var members: [JSONValue.Member] = [
            .init("id", .string(s.id)), .init("status", .string(s.status.rawValue)), .init("stale", .bool(s.stale)),
            .init("metrics", .array(metrics.map(JSONValue.string))),
            .init("better", .array(metrics.map { MetricDirection.of($0, spec: s.spec).map { .string($0.rawValue) } ?? .null })),
            .init("runs", .array(runs)),
            .init("champion", s.champion.map { .string(ReportText.runName($0.id, schedule: s.id)) } ?? .null),
            .init("next", .array(s.nextRuns.map { .string($0.description) })),
        ]
        if let spec = s.spec {
            members += [
                .init("model", .string(spec.model)), .init("description", spec.description.map(JSONValue.string) ?? .null),
                .init("file", .string(spec.file.hasPrefix("./") ? String(spec.file.dropFirst(2)) : spec.file)),
                .init("repeat", .string(spec.repeatRule.description)), .init("timezone", .string(spec.timezone)), .init("enabled", .bool(spec.enabled)),
                .init("trainer", .string(spec.command.map { $0.joined(separator: " ") } ?? "built-in")),
                .init("labels", .array(spec.labels.map { .string("\($0.0)=\($0.1)") })),
                .init("gate_rules", .array(spec.gates.map { .string($0.source) })),
            ]
        }
        if let c = s.comparison {
            members.append(.init("gates_run", .string(ReportText.runName(c.run.runID, schedule: s.id))))
            members.append(.init("gates", .array(c.gates.map(\.json))))
        }
        if let retry = s.overview.state?.retry { members.append(.init("retry", .string("attempt \(retry.attempt) not before \(retry.notBefore)"))) }
        if let run = s.overview.state?.activeRun { members.append(.init("active", .string("\(ReportText.runName(run.id, schedule: s.id)) (attempt \(run.attempt)) since \(run.startedAt)"))) }
        return .object(members)
    }

    static func fixed(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : r.description
    }

    /// Text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// JSON that cannot end its `<script>` element: every `<` becomes `\u003c` (only strings hold one).
    static func scriptSafe(_ json: String) -> String {
        json.utf8.contains(0x3C) ? json.replacing("<", with: "\\u003c") : json
    }
}
