/// The dashboard's style sheet and script, inlined into `reports/index.html` (the page loads nothing).
enum DashboardAssets {
    static let css = #"""
        :root { --bg: #f7f8fa; --fg: #1d2330; --muted: #667085; --line: #e3e7ee; --card: #fff; --accent: #3056d3;
          --ok: #1a7f37; --ok-bg: #dcf5e3; --bad: #c0262d; --bad-bg: #fde4e4; --warn: #9a5b00; --warn-bg: #fff0d1;
          --info: #3056d3; --info-bg: #e3eaff; --grey-bg: #eceff3; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #14171c; --fg: #e6e9ef; --muted: #98a2b3; --line: #2b313b; --card: #1b1f26; --accent: #8aa6ff;
            --ok: #6fdc8c; --ok-bg: #12351f; --bad: #ff8a8f; --bad-bg: #3d1719; --warn: #ffc66b; --warn-bg: #3a2a0c;
            --info: #8aa6ff; --info-bg: #1d2747; --grey-bg: #272c35; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; background: var(--bg); color: var(--fg); }
        header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
        header { padding-top: 20px; }
        h1 { font-size: 22px; margin: 0 0 2px; letter-spacing: -0.01em; }
        h3 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 0 0 8px; }
        .lede { color: var(--muted); margin: 0 0 14px; }
        code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; background: var(--grey-bg); padding: 1px 5px; border-radius: 4px; }
        .cards { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 14px; }
        .card { display: block; min-width: 104px; padding: 8px 12px; background: var(--card); border: 1px solid var(--line); border-radius: 8px;
          color: var(--muted); text-decoration: none; }
        .card b { display: block; font-size: 20px; color: var(--fg); }
        .card.active { outline: 2px solid var(--accent); }
        .card.s-failed b, .card.s-rejected b { color: var(--bad); }
        .card.s-completed b { color: var(--ok); }
        .card.s-stale b, .card.s-retrying b, .card.s-invalid b { color: var(--warn); }
        #filters { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 18px; padding: 10px 12px; background: var(--card);
          border: 1px solid var(--line); border-radius: 8px 8px 0 0; border-bottom: 0; }
        #filters label { color: var(--muted); }
        #filters select, #filters input { margin-left: 6px; font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px;
          background: var(--bg); color: var(--fg); }
        #filters input { width: 220px; }
        #count { margin-left: auto; color: var(--muted); }
        table { border-collapse: collapse; width: 100%; }
        #schedules { background: var(--card); border: 1px solid var(--line); }
        #schedules th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; padding: 8px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        #schedules td { padding: 8px 10px; border-top: 1px solid var(--line); vertical-align: top; }
        tr.sched { cursor: pointer; }
        tr.sched:hover, tr.sched.opened { background: var(--bg); }
        .num { text-align: right; white-space: nowrap; }
        td time { white-space: nowrap; }
        .unit { font-weight: 400; }
        .id { font-weight: 600; }
        .desc, .reason, .none, .hint { color: var(--muted); font-size: 12.5px; }
        .reason { color: var(--bad); max-width: 340px; }
        .metric { color: var(--muted); }
        button.open { border: 0; background: none; color: var(--muted); cursor: pointer; font-size: 13px; width: 18px; padding: 0; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: var(--grey-bg); color: var(--muted); white-space: nowrap; }
        .s-completed { background: var(--ok-bg); color: var(--ok); }
        .s-failed, .s-rejected, .s-invalid { background: var(--bad-bg); color: var(--bad); }
        .s-retrying, .s-stale, .s-skipped { background: var(--warn-bg); color: var(--warn); }
        .s-running, .s-scheduled, .s-new { background: var(--info-bg); color: var(--info); }
        svg.spark polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        svg circle.completed { fill: var(--ok); } svg circle.rejected { fill: var(--bad); }
        tr.detail > td { background: var(--bg); padding: 16px 18px 20px 36px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 18px 28px; margin-bottom: 18px; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0 0 14px; }
        dt { color: var(--muted); }
        dd { margin: 0; }
        ul.plain { list-style: none; padding: 0; margin: 0 0 14px; }
        ul.plain li { padding: 2px 0; }
        .held { color: var(--ok); font-weight: 600; } .failed { color: var(--bad); font-weight: 600; }
        .charts { display: flex; flex-wrap: wrap; gap: 14px; margin-bottom: 18px; }
        figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px 4px; }
        figure.chart figcaption { font-weight: 600; font-size: 12.5px; }
        figure.chart .better { color: var(--muted); font-weight: 400; }
        .chart text { fill: var(--muted); font-size: 10px; }
        .chart line { stroke: var(--line); }
        .chart polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        .chart circle.champion { stroke: var(--fg); stroke-width: 2; }
        table.runs { background: var(--card); border: 1px solid var(--line); font-size: 13px; }
        table.runs th, table.runs td { padding: 4px 8px; border-top: 1px solid var(--line); text-align: left; white-space: nowrap; }
        table.runs td.why { white-space: normal; color: var(--muted); }
        .legend { color: var(--muted); font-size: 12px; margin: -8px 0 14px; }
        .legend i { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin: 0 4px 0 10px; vertical-align: middle; }
        footer { color: var(--muted); font-size: 12px; padding-top: 18px; padding-bottom: 30px; }
        #pager { display: flex; gap: 14px; align-items: center; justify-content: center; padding: 10px; }
        #pager[hidden] { display: none; }
        #pager a[aria-disabled="true"] { color: var(--muted); pointer-events: none; }
        a.id { color: var(--fg); font-weight: 600; text-decoration: none; }
        a.id:hover, a.id:focus { color: var(--accent); text-decoration: underline; }
        nav.crumbs { padding-top: 16px; }
        nav.crumbs a, table.runs a { color: var(--accent); }
        h1 .badge { vertical-align: middle; margin-left: 8px; font-size: 13px; }
        section.page { margin-bottom: 18px; }
        .chart line.gate { stroke: var(--warn); stroke-dasharray: 4 3; }
        .chart text.gate { fill: var(--warn); }
        mark { background: var(--warn-bg); color: var(--warn); border-radius: 3px; padding: 0 2px; }
        div.scroll { overflow-x: auto; }
        table.runs td .reason { white-space: normal; min-width: 180px; max-width: 300px; }
        td.params { white-space: normal; min-width: 160px; max-width: 280px; font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
        tr.runinfo td { border-top: 0; padding-top: 0; }
        button.copy { font: inherit; font-size: 12px; padding: 1px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); cursor: pointer; }

        """#

    static let script = #"""
        "use strict";
        (function () {
          // [id, status, stale, model, description, labels, last end, last status, reason, key metric, champion value, better, trend, rejected, next]
          var D = JSON.parse(document.getElementById("data").textContent);
          var PAGE = 100, page = 1, shownRows = D;
          var $ = function (id) { return document.getElementById(id); };
          var model = $("model"), status = $("status"), q = $("q"), body = document.querySelector("#schedules tbody");
          var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
          var ATTENTION = { failed: 1, rejected: 1, invalid: 1, retrying: 1 };
          function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
          function num(v) { return v == null ? "—" : String(+v.toFixed(4)); }
          function time(s) { if (s == null) return ""; var iso = new Date(s * 1000).toISOString(); return iso.slice(0, 10) + " " + iso.slice(11, 16); }
          function text(r) { return (r[0] + " " + (r[4] || "") + " " + (r[5] || "")).toLowerCase(); }

          function matches(r, m, st, t) {
            return (!m || r[3] === m) &&
              (!st || (st === "stale" ? r[2] === 1 : st === "attention" ? (ATTENTION[r[1]] === 1 || r[2] === 1) : r[1] === st)) &&
              (!t || text(r).indexOf(t) >= 0);
          }

          function spark(r) {
            var v = r[12];
            if (v.length < 2) return "<span class=\"none\">" + (v.length ? "1 run" : "—") + "</span>";
            var lo = Math.min.apply(null, v), hi = Math.max.apply(null, v), W = 120, H = 26;
            function x(i) { return (3 + i * (W - 6) / (v.length - 1)).toFixed(1); }
            function y(a) { return (hi === lo ? H / 2 : 3 + (hi - a) / (hi - lo) * (H - 6)).toFixed(1); }
            var last = v.length - 1, label = r[9] + " over " + v.length + " runs: " + num(v[0]) + " → " + num(v[last]) +
              (r[11] ? " (" + r[11] + " is better)" : "");
            return "<svg class=\"spark\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H + "\" role=\"img\" aria-label=\"" + esc(label) +
              "\"><title>" + esc(label) + "</title><polyline points=\"" + v.map(function (a, i) { return x(i) + "," + y(a); }).join(" ") + "\"/><circle class=\"" +
              (r[13].indexOf(last) >= 0 ? "rejected" : "completed") + "\" cx=\"" + x(last) + "\" cy=\"" + y(v[last]) + "\" r=\"2.5\"/></svg>";
          }

          function row(r) {
            var h = "<tr class=\"sched\" data-status=\"" + esc(r[1]) + "\"><td><a class=\"id\" href=\"" + encodeURIComponent(r[0]) + "/index.html\">" + esc(r[0]) + "</a>";
            if (r[4]) h += "<div class=\"desc\">" + esc(r[4]) + "</div>";
            h += "</td><td>" + esc(r[3] || "—") + "</td><td><span class=\"badge s-" + esc(r[1]) + "\">" + esc(r[1]) + "</span>" +
              (r[2] ? " <span class=\"badge s-stale\" title=\"no model promoted for longer than notify.stale_after\">stale</span>" : "") + "</td>";
            h += r[6] == null ? "<td class=\"none\">no run yet</td>" : "<td><time>" + time(r[6]) + "</time>" +
              (r[8] ? "<div class=\"reason\" title=\"" + esc(r[8]) + "\">" + esc(r[8].length > 70 ? r[8].slice(0, 69) + "…" : r[8]) + "</div>" : "") + "</td>";
            h += r[10] == null ? "<td class=\"num none\">no champion</td>" : "<td class=\"num\"><span class=\"metric\">" + esc(r[9]) + "</span> " + num(r[10]) + "</td>";
            return h + "<td>" + spark(r) + "</td><td>" + (r[14] == null ? "<span class=\"none\">—</span>" : "<time>" + time(r[14]) + "</time>") + "</td></tr>";
          }

          // Filters and the page, kept in the address (#model=…&status=…&q=…&page=…) so a view can be shared.
          function apply() {
            var m = model.value, st = status.value, t = q.value.trim().toLowerCase();
            shownRows = D.filter(function (r) { return matches(r, m, st, t); });
            var pages = Math.max(1, Math.ceil(shownRows.length / PAGE));
            page = Math.min(Math.max(1, page), pages);
            body.innerHTML = shownRows.slice((page - 1) * PAGE, page * PAGE).map(row).join("");
            $("count").textContent = shownRows.length + " of " + D.length + " schedule" + (D.length === 1 ? "" : "s");
            document.body.dataset.shown = shownRows.length;
            $("empty").hidden = shownRows.length > 0 || D.length === 0;
            $("pager").hidden = pages === 1;
            $("pageof").textContent = "page " + page + " of " + pages;
            document.querySelector("#pager [rel=prev]").setAttribute("aria-disabled", String(page === 1));
            document.querySelector("#pager [rel=next]").setAttribute("aria-disabled", String(page === pages));
            Array.prototype.forEach.call(document.querySelectorAll(".card"), function (c) { c.classList.toggle("active", c.dataset.status === st); });
          }
          function writeHash() {
            var p = [];
            if (model.value) p.push("model=" + encodeURIComponent(model.value));
            if (status.value) p.push("status=" + encodeURIComponent(status.value));
            if (q.value.trim()) p.push("q=" + encodeURIComponent(q.value.trim()));
            if (page > 1) p.push("page=" + page);
            try { history.replaceState(null, "", "#" + p.join("&")); } catch (e) { /* a file:// page may refuse */ }
          }
          function choose(select, value) {
            select.value = value || "";
            if (select.value !== (value || "")) select.value = "";
          }
          function readHash() {
            var p = {};
            location.hash.slice(1).split("&").forEach(function (kv) {
              var i = kv.indexOf("=");
              if (i > 0) p[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
            });
            // Links from the one-page dashboard (#open=ID) go to the schedule's own page.
            if (p.open && D.some(function (r) { return r[0] === p.open; })) { location.replace(encodeURIComponent(p.open) + "/index.html"); return; }
            choose(model, p.model); choose(status, p.status); q.value = p.q || ""; page = +p.page || 1;
            apply();
          }
          function changed() { page = 1; apply(); writeHash(); }
          [model, status].forEach(function (el) { el.addEventListener("change", changed); });
          q.addEventListener("input", changed);
          Array.prototype.forEach.call(document.querySelectorAll(".card, [data-reset]"), function (c) {
            c.addEventListener("click", function (e) {
              e.preventDefault();
              if (c.hasAttribute("data-reset")) { model.value = ""; q.value = ""; }
              choose(status, c.dataset.status || "");
              changed();
            });
          });
          Array.prototype.forEach.call(document.querySelectorAll("#pager a"), function (a) {
            a.addEventListener("click", function (e) { e.preventDefault(); page += +a.dataset.page; apply(); writeHash(); window.scrollTo(0, 0); });
          });
          window.addEventListener("hashchange", readHash);
          readHash();
        })();

        """#
}
