/// `reports/summary.md`: one table of every schedule, fit for a pull-request comment or a CI job
/// summary. Schedules that need attention come first, and the page stays under GitHub's 65,536
/// characters for a comment: what does not fit is counted on a closing line.
public enum SummaryReport {
    /// The most UTF-8 bytes the summary has (GitHub counts characters; bytes are never fewer).
    public static let limit = 65_536

    /// The summary of `set`; `limit` is a parameter for tests.
    public static func markdown(_ set: ReportSet, limit: Int = SummaryReport.limit) -> String {
        let ordered = set.rows.indices.sorted { a, b in
            let (rx, ry) = (set.rows[a].attentionRank, set.rows[b].attentionRank)
            return rx != ry ? rx < ry : codePointLess(set.rows[a].id, set.rows[b].id)
        }
        return markdown(set.tally, limit: limit) { set.rows[ordered[$0]] }
    }

    /// The summary of `tally`'s schedules, `row(k)` being the k-th of them in the order shown
    /// (attention first: `OverviewRow.attentionRank`, then id). Asks only for the rows it shows.
    static func markdown<E: Error>(_ tally: OverviewTally, limit: Int = SummaryReport.limit, row: (Int) throws(E) -> OverviewRow) throws(E) -> String
    {
        var out = "# Retraining summary\n\n"
        let count = tally.schedules
        let counts = tally.statusCounts.map { "\($0.1) \($0.0.rawValue)" }
        let stale = tally.stale
        out += "**\(count) schedule\(count == 1 ? "" : "s")**" + (counts + (stale > 0 ? ["\(stale) stale"] : [])).map { " · " + $0 }.joined() + "\n\n"
        guard count > 0 else { return out + "No schedules yet: `retrain new ID --model M --start T` writes one.\n" }
        let header = ["Schedule", "Model", "Status", "Last run (UTC)", "Next run (UTC)", "Champion", "Key metric", "Trend"]
        out += Markdown.table([header], rightAligned: [6])
        let footer =
            "\nStatus: the latest run's outcome. Champion: the model in service. Trend: the key metric over the last trained runs, oldest first, and the latest change.\n"
        var shown = 0
        while shown < count {
            let line = Markdown.row(self.row(try row(shown)))
            let left = count - shown - 1
            let reserve = left > 0 ? cutLine(left + 1).utf8.count : 0
            if out.utf8.count + line.utf8.count + footer.utf8.count + reserve > limit { break }
            out += line
            shown += 1
        }
        if shown < count { out += cutLine(count - shown) }
        return out + footer
    }

    static func cutLine(_ hidden: Int) -> String {
        "\n**… \(hidden) more schedule\(hidden == 1 ? "" : "s") not shown**: this summary stays under 65,536 characters (a pull-request comment's limit). `index.html` beside it lists every schedule.\n"
    }

    static func row(_ s: OverviewRow) -> [String] {
        let last =
            s.lastRun.map { run in
                let when = ReportText.time(run.at)
                return run.reason.map { "\(when): \(ReportText.clip($0, 90))" } ?? when
            } ?? "—"
        let status = ReportText.icon(s.status) + " " + s.status.rawValue + (s.stale ? " · ⌛ stale" : "")
        let champion = s.champion.map { "`\(ReportText.runName($0.id, schedule: s.id))` \(ReportText.date($0.finishedAt))" } ?? "—"
        var key = "—"
        if let metric = s.history.keyMetric, let value = s.champion?.metrics[metric] { key = "\(metric) \(JSONValue.short(value))" }
        return [s.id, s.model ?? "—", status, last, s.next.map(ReportText.time) ?? "—", champion, key, trend(s)]
    }

    /// `▃▅▇ +0.012 better`: a sparkline of the key metric over the last 10 trained runs and the last change.
    static func trend(_ s: OverviewRow) -> String {
        let points = Array(s.history.trend.suffix(10))
        guard !points.isEmpty else { return "—" }
        var text = ReportText.sparkline(points)
        if points.count >= 2 {
            let change = points[points.count - 1] - points[points.count - 2]
            let better = s.history.better
            text += " " + Comparison.signed(change)
            if change != 0, let better { text += (change > 0) == (better == .higher) ? " better" : " worse" }
        }
        return text
    }
}

/// Small text forms the reports share.
enum ReportText {
    /// `2026-11-25T04:39:48Z` → `2026-11-25 04:39`.
    static func time(_ instant: Instant) -> String {
        time(instant.description)
    }

    /// `time` of an instant's text (`2026-11-25T04:39:48Z`). Cut by bytes (the text is ASCII; the
    /// reports cut hundreds of thousands of these).
    static func time(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 16 else { return text }
        return String(decoding: utf8[0..<10] + [UInt8(ascii: " ")] + utf8[11..<16], as: UTF8.self)
    }

    /// The date alone.
    static func date(_ instant: Instant) -> String { String(decoding: instant.description.utf8.prefix(10), as: UTF8.self) }

    /// A run id without its schedule's prefix: `@manual-20261125T043948Z`.
    static func runName(_ id: String, schedule: String) -> String {
        let (utf8, prefix) = (id.utf8, schedule.utf8)
        guard utf8.count > prefix.count, utf8.starts(with: prefix), utf8[utf8.index(utf8.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "@")
        else { return id }
        return String(decoding: utf8.dropFirst(prefix.count), as: UTF8.self)
    }

    /// At most `n` characters, with `…` when cut.
    static func clip(_ text: String, _ n: Int) -> String {
        text.count <= n ? text : String(text.prefix(n - 1)) + "…"
    }

    /// ▁▂▃▄▅▆▇█ scaled from the smallest value to the largest.
    static func sparkline(_ values: [Double]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        guard let low = values.min(), let high = values.max() else { return "" }
        return String(values.map { v in high == low ? bars[3] : bars[Int(((v - low) / (high - low) * 7).rounded())] })
    }

    static func icon(_ status: ScheduleOverview.Status) -> String {
        switch status {
        case .completed: "✅"
        case .rejected: "⛔"
        case .failed: "❌"
        case .retrying: "🔁"
        case .running: "⏳"
        case .scheduled: "🕒"
        case .new: "🆕"
        case .paused: "⏸️"
        case .invalid: "⚠️"
        case .orphaned: "🗑️"
        case .skipped: "⏭️"
        }
    }
}
