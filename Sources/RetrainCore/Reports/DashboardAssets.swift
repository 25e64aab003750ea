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
button.copy { font: inherit; font-size: 12px; padding: 1px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); cursor: pointer; }

"""#

    static let script = #"""
"use strict";
(function () {
  var D = JSON.parse(document.getElementById("data").textContent).schedules;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#schedules tr.sched"));
  var $ = function (id) { return document.getElementById(id); };
  var model = $("model"), status = $("status"), q = $("q");
  var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function num(v) { return v == null ? "—" : String(+v.toFixed(4)); }
  function signed(v) { var t = num(v); return v > 0 ? "+" + t : t; }
  function time(iso) { return iso ? iso.slice(0, 10) + " " + iso.slice(11, 16) : "—"; }
  function dur(s) {
    if (s == null) return "—";
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return (s / 3600).toFixed(1) + " h";
  }
  function arrow(b) { return b === "higher" ? "↑ higher is better" : b === "lower" ? "↓ lower is better" : ""; }

  // Filters, kept in the address (#model=…&status=…&q=…) so a view can be shared or bookmarked.
  function apply() {
    var m = model.value, st = status.value, text = q.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (tr) {
      var ok = (!m || tr.dataset.model === m) &&
        (!st || (st === "stale" ? tr.dataset.stale === "true" : st === "attention" ? tr.dataset.attention === "true" : tr.dataset.status === st)) &&
        (!text || tr.dataset.text.indexOf(text) >= 0);
      tr.hidden = !ok;
      var next = tr.nextElementSibling;
      if (next && next.classList.contains("detail")) next.hidden = !ok;
      if (ok) shown++;
    });
    $("count").textContent = shown + " of " + rows.length + " schedule" + (rows.length === 1 ? "" : "s");
    document.body.dataset.shown = shown;
    $("empty").hidden = shown > 0 || rows.length === 0;
    Array.prototype.forEach.call(document.querySelectorAll(".card"), function (c) { c.classList.toggle("active", c.dataset.status === st); });
  }
  function writeHash() {
    var p = [];
    if (model.value) p.push("model=" + encodeURIComponent(model.value));
    if (status.value) p.push("status=" + encodeURIComponent(status.value));
    if (q.value.trim()) p.push("q=" + encodeURIComponent(q.value.trim()));
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
    choose(model, p.model); choose(status, p.status); q.value = p.q || "";
    apply();
    if (p.open) {
      var i = D.findIndex(function (s) { return s.id === p.open; });
      if (i >= 0) { toggle(rows[i], true); if (rows[i].getBoundingClientRect().top > window.innerHeight) rows[i].scrollIntoView(); }
    }
  }
  [model, status].forEach(function (el) { el.addEventListener("change", function () { apply(); writeHash(); }); });
  q.addEventListener("input", function () { apply(); writeHash(); });
  Array.prototype.forEach.call(document.querySelectorAll(".card, [data-reset]"), function (c) {
    c.addEventListener("click", function (e) {
      e.preventDefault();
      if (c.hasAttribute("data-reset")) { model.value = ""; q.value = ""; }
      choose(status, c.dataset.status || "");
      apply(); writeHash();
    });
  });
  window.addEventListener("hashchange", readHash);

  // Details of one schedule, drawn when its row is opened.
  function toggle(tr, force) {
    var next = tr.nextElementSibling, open = !!(next && next.classList.contains("detail"));
    var want = force === undefined ? !open : force, button = tr.querySelector("button.open");
    if (open === want) return;
    if (open) {
      next.remove();
    } else {
      var d = document.createElement("tr"), td = document.createElement("td");
      d.className = "detail"; td.colSpan = 7; td.innerHTML = detail(D[+tr.dataset.i]);
      d.appendChild(td); tr.parentNode.insertBefore(d, tr.nextSibling);
    }
    tr.classList.toggle("opened", want);
    button.setAttribute("aria-expanded", String(want));
    button.textContent = want ? "▾" : "▸";
  }
  $("schedules").addEventListener("click", function (e) {
    if (e.target.closest("button.copy")) { copy(e.target.closest("button.copy")); return; }
    var tr = e.target.closest("tr.sched");
    if (tr && !(window.getSelection && String(window.getSelection()).length)) toggle(tr);
  });
  function copy(button) {
    var text = button.dataset.copy;
    var done = function () { button.textContent = "copied"; setTimeout(function () { button.textContent = "copy"; }, 1500); };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
  }

  function trained(run) { return run[1] === "completed" || run[1] === "rejected"; }
  function item(dt, dd) { return "<dt>" + dt + "</dt><dd>" + dd + "</dd>"; }

  function detail(s) {
    var h = "<div class=\"grid\"><section><h3>Schedule</h3><dl>";
    if (s.description) h += item("What", esc(s.description));
    if (s.model) h += item("Model", esc(s.model) + " · trainer " + (s.trainer === "built-in" ? "built-in" : "<code>" + esc(s.trainer) + "</code>"));
    if (s.file) h += item("File", "<code>" + esc(s.file) + "</code>");
    if (s.repeat) h += item("Repeats", esc(s.repeat) + " in " + esc(s.timezone) + (s.enabled ? "" : " (paused)"));
    if (s.labels && s.labels.length) h += item("Labels", s.labels.map(esc).join(", "));
    if (s.active) h += item("Running", esc(s.active));
    if (s.retry) h += item("Retry", esc(s.retry));
    h += "</dl><h3>Run it by hand</h3><p><code>retrain run " + esc(s.id) + " --wait</code> <button class=\"copy\" data-copy=\"retrain run " +
      esc(s.id) + " --wait\">copy</button></p><p class=\"hint\">Or through review: change <code>trigger:</code> in the schedule file; " +
      "the next <code>retrain reconcile</code> runs it once.</p></section>";

    h += "<section><h3>Next runs <span class=\"unit\">UTC</span></h3>";
    h += s.next.length ? "<ul class=\"plain\">" + s.next.map(function (t) { return "<li>" + time(t) + "</li>"; }).join("") + "</ul>"
      : "<p class=\"hint\">None: " + (s.enabled === false ? "the schedule is paused." : s.model ? "no slot after now." : "the file is missing or invalid.") + "</p>";
    h += "<h3>Gates" + (s.gates_run ? " of " + esc(s.gates_run) : "") + "</h3>";
    if (s.gates && s.gates.length) {
      h += "<ul class=\"plain\">" + s.gates.map(function (g) {
        var why = g.value != null && g.threshold != null ? num(g.value) + " vs " + num(g.threshold) : g.note || "";
        return "<li><span class=\"" + (g.held ? "held\">✓ held" : "failed\">✗ failed") + "</span> <code>" + esc(g.gate) + "</code> <span class=\"hint\">" + esc(why) + "</span></li>";
      }).join("") + "</ul>";
    } else {
      h += "<p class=\"hint\">" + (s.gate_rules && s.gate_rules.length ? "No trained run yet." : "No gates: every trained model is promoted.") + "</p>";
    }
    h += "</section>";

    var champions = s.runs.filter(function (r) { return r[1] === "completed"; }).reverse();
    h += "<section><h3>Champion lineage</h3>";
    if (champions.length) {
      h += "<ul class=\"plain\">" + champions.slice(0, 8).map(function (r, i) {
        var before = champions[i + 1], v = r[4][0], change = before && v != null && before[4][0] != null ? " (" + signed(v - before[4][0]) + ")" : "";
        return "<li>" + (r[0] === s.champion ? "<span class=\"held\">in service</span> " : "") + "<code>" + esc(r[0]) + "</code> " + time(r[2]).slice(0, 10) +
          (s.metrics.length ? " · " + esc(s.metrics[0]) + " " + num(v) + change : "") + "</li>";
      }).join("") + "</ul>";
      if (champions.length > 8) h += "<p class=\"hint\">and " + (champions.length - 8) + " earlier</p>";
    } else {
      h += "<p class=\"hint\">No model promoted yet.</p>";
    }
    h += "</section></div>";

    var charts = s.metrics.map(function (m, k) { return chart(s, k); }).join("");
    if (charts) {
      h += "<h3>Metric trends across retrains</h3><p class=\"legend\"><i style=\"background:var(--ok)\"></i>promoted<i style=\"background:var(--bad)\"></i>rejected by a gate" +
        "<i style=\"border:2px solid var(--fg)\"></i>champion now</p><div class=\"charts\">" + charts + "</div>";
    }

    h += "<h3>Runs, newest first</h3>";
    if (!s.runs.length) return h + "<p class=\"hint\">No run recorded yet.</p>";
    var shown = s.metrics.slice(0, 4);
    h += "<table class=\"runs\"><thead><tr><th>Run</th><th>Status</th><th>Started</th><th>Duration</th>" +
      shown.map(function (m) { return "<th>" + esc(m) + "</th>"; }).join("") + "<th>Reason</th></tr></thead><tbody>";
    s.runs.slice().reverse().forEach(function (r) {
      h += "<tr><td><code>" + esc(r[0]) + "</code>" + (r[6] > 1 ? " <span class=\"hint\">attempt " + r[6] + "</span>" : "") + "</td><td><span class=\"badge s-" +
        esc(r[1]) + "\">" + esc(r[1]) + "</span></td><td>" + time(r[2]) + "</td><td>" + dur(r[3]) + "</td>" +
        shown.map(function (m, k) { return "<td>" + num(r[4][k]) + "</td>"; }).join("") + "<td class=\"why\">" + esc(r[5] || "") + "</td></tr>";
    });
    return h + "</tbody></table>";
  }

  function chart(s, k) {
    var pts = [];
    s.runs.forEach(function (r) { if (trained(r) && r[4][k] != null) pts.push({ r: r, v: r[4][k] }); });
    if (!pts.length) return "";
    var W = 300, H = 132, L = 46, R = 12, T = 10, B = 22;
    var lo = Math.min.apply(null, pts.map(function (p) { return p.v; })), hi = Math.max.apply(null, pts.map(function (p) { return p.v; }));
    var top = hi, bottom = lo;
    if (hi === lo) { var w = Math.abs(hi) * 0.05 || 0.5; top += w; bottom -= w; }
    var pad = (top - bottom) * 0.08; top += pad; bottom -= pad;
    function x(i) { return pts.length === 1 ? (L + W - R) / 2 : L + i * (W - L - R) / (pts.length - 1); }
    function y(v) { return T + (top - v) / (top - bottom) * (H - T - B); }
    var name = s.metrics[k], label = name + ": " + pts.length + " trained run" + (pts.length === 1 ? "" : "s") + ", from " + num(pts[0].v) + " to " + num(pts[pts.length - 1].v);
    var svg = "<figure class=\"chart\"><figcaption>" + esc(name) + " <span class=\"better\">" + arrow(s.better[k]) + "</span></figcaption>" +
      "<svg width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H + "\" role=\"img\" aria-label=\"" + esc(label) + "\">";
    [hi, lo].forEach(function (v) {
      svg += "<line x1=\"" + L + "\" x2=\"" + (W - R) + "\" y1=\"" + y(v).toFixed(1) + "\" y2=\"" + y(v).toFixed(1) + "\"/>" +
        "<text x=\"" + (L - 6) + "\" y=\"" + (y(v) + 3).toFixed(1) + "\" text-anchor=\"end\">" + num(v) + "</text>";
    });
    svg += "<text x=\"" + L + "\" y=\"" + (H - 6) + "\">" + time(pts[0].r[2]).slice(0, 10) + "</text>";
    if (pts.length > 1) svg += "<text x=\"" + (W - R) + "\" y=\"" + (H - 6) + "\" text-anchor=\"end\">" + time(pts[pts.length - 1].r[2]).slice(0, 10) + "</text>";
    if (pts.length > 1) svg += "<polyline points=\"" + pts.map(function (p, i) { return x(i).toFixed(1) + "," + y(p.v).toFixed(1); }).join(" ") + "\"/>";
    pts.forEach(function (p, i) {
      var champion = p.r[0] === s.champion;
      svg += "<circle class=\"" + esc(p.r[1]) + (champion ? " champion" : "") + "\" cx=\"" + x(i).toFixed(1) + "\" cy=\"" + y(p.v).toFixed(1) + "\" r=\"" +
        (champion ? 4.5 : 3) + "\"><title>" + esc(p.r[0]) + " · " + esc(p.r[1]) + (champion ? " · champion" : "") + " · " + esc(name) + " " + num(p.v) + "</title></circle>";
    });
    return svg + "</svg></figure>";
  }

  readHash();
})();

"""#
}
