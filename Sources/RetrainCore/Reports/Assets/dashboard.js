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
