/// `reports/index.html`: the overview, one self-contained page (no network, no external script).
/// Each schedule is one row of compact JSON (about 200 bytes: its status, last run, champion's key
/// metric, the key metric's last 20 values, next run); a small inline script filters them (by model,
/// status and text, kept in the address's `#…` so a view can be shared), shows them 100 to a page,
/// and links each to its own page (`<id>/index.html`, see `SchedulePage`). 10,000 schedules make
/// a page of about 2 MB that is drawn in well under a second.
public enum Dashboard {
    /// Rows shown at once.
    static let pageSize = 100

    /// The page.
    public static func html(_ set: ReportSet) -> String {
        html(set.tally, data: data(set))
    }

    /// The page around `data` (`data(_:)`'s text), with `tally` counted over the same rows.
    static func html(_ tally: OverviewTally, data: String) -> String {
        let count = tally.schedules
        var out = UTF8Buffer(capacity: data.utf8.count + 65_536)
        out.raw(head(title: "retrain — \(count) schedule\(count == 1 ? "" : "s")", css: DashboardAssets.css))
        out.raw("<header>\n<h1>retrain</h1>\n<p class=\"lede\">Scheduled retraining of machine-learning models. Each row is a schedule file; ")
        out.raw("open one for its runs, metric trends, gates and champion.</p>\n")
        cards(tally, into: &out)
        out.raw("</header>\n<main>\n")
        filters(tally, into: &out)
        out.raw(
            "<table id=\"schedules\">\n<thead><tr><th>Schedule</th><th>Model</th><th>Status</th><th>Last run <span class=\"unit\">UTC</span></th>")
        out.raw(
            "<th class=\"num\">Champion’s key metric</th><th>Trend</th><th>Next run <span class=\"unit\">UTC</span></th></tr></thead>\n<tbody></tbody>\n</table>\n"
        )
        out.raw(
            "<nav id=\"pager\" aria-label=\"Pages\" hidden><a href=\"#\" data-page=\"-1\" rel=\"prev\">‹ previous</a> <span id=\"pageof\"></span> ")
        out.raw("<a href=\"#\" data-page=\"1\" rel=\"next\">next ›</a></nav>\n")
        out.raw("<p id=\"empty\" hidden>No schedule matches these filters. <a href=\"#\" data-reset>Show all</a></p>\n")
        out.raw("<noscript><p>This table is drawn by the page’s script. Without it, <code>summary.md</code> beside this page lists every schedule, ")
        out.raw("and each schedule’s own page (<code>&lt;id&gt;/index.html</code>) needs no script.</p></noscript>\n")
        if count == 0 {
            out.raw(
                "<p>No schedules yet. Write one with <code>retrain new ID --model M --start T</code>, then run <code>retrain reconcile</code>.</p>\n")
        }
        out.raw("</main>\n")
        out.raw(
            footer(
                "<code>retrain report</code> rewrites it. Statuses: the latest run’s outcome; stale: no model promoted for longer than <code>notify.stale_after</code>."
            ))
        out.raw(dataOpening)
        out.raw(Markup(escaped: data))  // `data(_:)`'s lines: JSON with every `<` written \u003c
        out.raw(dataClosing)
        out.raw("<script>\n")
        out.raw(DashboardAssets.script)
        out.raw("</script>\n</body>\n</html>\n")
        return out.string
    }

    /// The document's start, up to `<body>`: the style sheet inline, or linked (`style:`).
    static func head(title: String, css: Markup? = nil, style: StaticString? = nil) -> Markup {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>\(escape(title))</title>\n"
        if let css { out += "<style>\n\(css.text)</style>\n" }
        if let style { out += "<link rel=\"stylesheet\" href=\"\(style)\">\n" }
        return Markup(escaped: out + "</head>\n<body>\n")
    }

    static func footer(_ text: StaticString) -> Markup {
        Markup(
            escaped:
                "<footer>Written by <code>retrain</code> \(escape(RetrainVersion.current)) from the state file, the ledgers and the run folders; \(text)</footer>\n"
        )
    }

    /// What stands around the rows' data in the page.
    static let dataOpening: StaticString = "<script type=\"application/json\" id=\"data\">"
    static let dataClosing: StaticString = "</script>\n"

    static func cards(_ tally: OverviewTally, into out: inout UTF8Buffer) {
        out.raw("<nav class=\"cards\" aria-label=\"Statuses\">\n")
        out.raw("<a class=\"card\" href=\"#\" data-status=\"\"><b>")
        out.int(tally.schedules)
        out.raw(tally.schedules == 1 ? "</b> schedule</a>\n" : "</b> schedules</a>\n")
        for (status, n) in tally.statusCounts {
            out.raw("<a class=\"card s-")
            out.html(status.rawValue)
            out.raw("\" href=\"#status=")
            out.html(status.rawValue)
            out.raw("\" data-status=\"")
            out.html(status.rawValue)
            out.raw("\"><b>")
            out.int(n)
            out.raw("</b> ")
            out.html(status.rawValue)
            out.raw("</a>\n")
        }
        if tally.stale > 0 {
            out.raw("<a class=\"card s-stale\" href=\"#status=stale\" data-status=\"stale\"><b>")
            out.int(tally.stale)
            out.raw("</b> stale</a>\n")
        }
        out.raw("</nav>\n")
    }

    static func filters(_ tally: OverviewTally, into out: inout UTF8Buffer) {
        out.raw("<form id=\"filters\" role=\"search\" onsubmit=\"return false\">\n")
        out.raw("<label>Model <select id=\"model\"><option value=\"\">all models</option>")
        for m in tally.models {
            out.raw("<option value=\"")
            out.html(m)
            out.raw("\">")
            out.html(m)
            out.raw("</option>")
        }
        out.raw("</select></label>\n<label>Status <select id=\"status\"><option value=\"\">all statuses</option>")
        out.raw("<option value=\"attention\">needs attention</option>")
        for (status, n) in tally.statusCounts {
            out.raw("<option value=\"")
            out.html(status.rawValue)
            out.raw("\">")
            out.html(status.rawValue)
            out.raw(" (")
            out.int(n)
            out.raw(")</option>")
        }
        if tally.stale > 0 { out.raw("<option value=\"stale\">stale</option>") }
        out.raw(
            "</select></label>\n<label>Search <input id=\"q\" type=\"search\" placeholder=\"id, description, label\" autocomplete=\"off\"></label>\n")
        out.raw("<span id=\"count\" aria-live=\"polite\">")
        out.int(tally.schedules)
        out.raw(" of ")
        out.int(tally.schedules)
        out.raw(" schedules</span>\n</form>\n")
    }

    /// The rows the script draws from: one array per schedule, one schedule per line:
    /// `[id, status, stale, model, description, labels, last run's end, its status, its reason,
    /// key metric, champion's value of it, "higher"/"lower", trend, rejected indexes, next run]`,
    /// instants in Unix seconds, absent values null. Safe inside `<script>`: every `<` in a string is
    /// written `\u003c`. Built in one buffer (10,000 schedules are 2 MB of it).
    static func data(_ set: ReportSet) -> String {
        var out = UTF8Buffer(capacity: set.rows.count * 220 + 8)
        out.raw("[")
        for index in set.rows.indices {
            out.raw(index == 0 ? "\n" : ",\n")
            line(set.rows[index], into: &out)
        }
        out.raw("\n]")
        return out.string
    }

    /// One schedule's line of `data`.
    static func line(_ row: OverviewRow, into out: inout UTF8Buffer) {
        out.raw("[")
        let h = row.history
        out.scriptString(row.id)
        out.raw(",")
        out.scriptString(row.status.rawValue)
        out.raw(row.stale ? ",1," : ",0,")
        out.scriptString(row.model)
        out.raw(",")
        out.scriptString(row.description.map { ReportText.clip($0, 90) })
        out.raw(",")
        out.scriptString(row.labels?.joined(separator: " "))
        out.raw(",")
        seconds(row.lastRun?.at, into: &out)
        out.raw(",")
        out.scriptString(row.lastRun?.status.rawValue)
        out.raw(",")
        out.scriptString(row.lastRun?.reason.map { ReportText.clip($0, 140) })
        out.raw(",")
        out.scriptString(h.keyMetric)
        out.raw(",")
        number(h.keyMetric.flatMap { row.champion?.metrics[$0] }, into: &out)
        out.raw(",")
        out.scriptString(h.better?.rawValue)
        out.raw(",[")
        for (k, value) in h.trend.enumerated() {
            if k > 0 { out.raw(",") }
            number(value, into: &out)
        }
        out.raw("],[")
        for (k, rejected) in (h.rejected ?? []).enumerated() {
            if k > 0 { out.raw(",") }
            out.int(rejected)
        }
        out.raw("],")
        seconds(row.next, into: &out)
        out.raw("]")
    }

    static func seconds(_ instant: Instant?, into out: inout UTF8Buffer) {
        if let instant { out.int(Int(instant.seconds)) } else { out.raw("null") }
    }

    /// A value to four decimals (the overview draws and prints no more); null when there is none.
    static func number(_ d: Double?, into out: inout UTF8Buffer) {
        guard let d, d.isFinite else { return out.raw("null") }
        let rounded = (d * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { out.int(Int(rounded)) } else { out.number(rounded) }
    }

    static func fixed(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : r.description
    }

    /// Text for HTML content and attribute values (`UTF8Buffer.html`'s escapes).
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = UTF8Buffer(capacity: text.utf8.count + 16)
        out.html(text)
        return out.string
    }
}

extension UTF8Buffer {
    /// A JSON string (as `JSONValue` writes one) that cannot end a `<script>` element: its `<` are
    /// `\u003c`. Null for nil.
    mutating func scriptString(_ text: String?) {
        guard let text else { return raw("null") }
        if text.utf8.contains(where: { $0 < 0x20 }) {
            // Control characters (a description's line feeds): JSONValue's escapes, rare enough.
            var json = ""
            JSONValue.writeString(text, to: &json)
            return verbatim(json.replacing("<", with: "\\u003c"))  // JSON with no `<` left
        }
        byte(UInt8(ascii: "\""))
        escaped(text) { byte in
            switch byte {
            case 0x22: "\\\""
            case 0x5C: "\\\\"
            case 0x3C: "\\u003c"
            default: nil
            }
        }
        byte(UInt8(ascii: "\""))
    }
}
