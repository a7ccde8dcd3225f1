"""The CSS and JavaScript inlined into the HTML report (it must open offline: no fetches)."""

from __future__ import annotations

CSS = """
:root { font: 14px/1.4 system-ui, sans-serif; color: #1b1f24; }
body { margin: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0 0 .25rem; }
code { font: 12px/1.4 ui-monospace, monospace; }
.definition, .context { color: #444; margin: .25rem 0; }
dl.summary { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .75rem 0; }
dl.summary div { min-width: 6rem; }
dl.summary dt { font-size: 12px; color: #555; }
dl.summary dd { margin: 0; font-size: 1.2rem; font-weight: 600; }
ul.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; }
ul.legend li { display: flex; align-items: center; gap: .35rem; }
ul.legend .c { display: inline-block; width: 1.6rem; text-align: center; border-radius: 3px; }
#filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 0;
  position: sticky; top: 0; background: #fff; z-index: 3; border-bottom: 1px solid #ddd; }
#filters label { font-weight: 600; }
#filters select { margin-left: .35rem; }
table.matrix { border-collapse: collapse; margin-top: .5rem; }
table.matrix th, table.matrix td { border: 1px solid #e3e3e3; padding: 2px 6px; }
table.matrix thead th { position: sticky; top: 2.6rem; background: #f6f8fa; z-index: 2; }
table.matrix th.op { text-align: left; font-weight: normal; white-space: nowrap; }
table.matrix th.op a { color: inherit; text-decoration: none; }
table.matrix tr.group th { text-align: left; background: #eef1f4; }
table.matrix td.c { text-align: center; min-width: 2rem; }
table.matrix td.c a { display: block; color: inherit; text-decoration: none; }
table.matrix td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.matrix tfoot th { text-align: left; }
.covered { background: #c8ecc9; }
.missing { background: #f7c4c0; }
.missing.sev-error { background: #ee8d86; }
.forbidden { background: #e2c2f2; }
.forbidden.sev-error { background: #c98ae6; }
.optional { background: #dbe9f8; }
.excluded { background: #f1f1f1; color: #777; }
.waived { background: #fff1c2; }
/* a declared code whose response has findings (e.g. a wrong body shape) gets a frame */
.covered.sev-error, .optional.sev-error { box-shadow: inset 0 0 0 2px #cf222e; }
.covered.sev-warning, .optional.sev-warning { box-shadow: inset 0 0 0 2px #bf8700; }
.heat { background: hsl(var(--h) 65% 82%); }
.pct-big { padding: 0 .4rem; border-radius: 4px; }
#details article { border: 1px solid #ddd; border-radius: 4px; padding: .5rem .75rem; margin: .5rem 0; }
#details article:target { outline: 3px solid #0969da; }
#details ul { margin: .25rem 0; padding-left: 1.25rem; }
li.sev-error { color: #a40e26; }
li.sev-warning { color: #7d4e00; }
li.sev-info { color: #0550ae; }
[hidden] { display: none !important; }
"""

JS = """
(function () {
  "use strict";
  var RANK = { none: 0, info: 1, warning: 2, error: 3 };
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));

  function wanted() {
    var query = new URLSearchParams(window.location.search);
    var hash = window.location.hash.slice(1);
    var fromHash = hash.indexOf("=") >= 0 ? new URLSearchParams(hash) : new URLSearchParams();
    selects.forEach(function (select) {
      var value = fromHash.has(select.name) ? fromHash.get(select.name) : query.get(select.name);
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      if (value !== null && known) { select.value = value; }
    });
  }

  function matches(row, family, tag, severity) {
    if (family && row.dataset.family !== family) { return false; }
    if (tag && JSON.parse(row.dataset.tags).indexOf(tag) < 0) { return false; }
    var rank = RANK[row.dataset.severity];
    if (severity === "clean") { return rank === 0; }
    if (severity) { return rank >= RANK[severity]; }
    return true;
  }

  function apply() {
    var values = {};
    selects.forEach(function (select) { values[select.name] = select.value; });
    var shown = 0, total = 0;
    document.querySelectorAll("table.matrix tbody").forEach(function (body) {
      var any = false;
      body.querySelectorAll("tr.op").forEach(function (row) {
        var ok = matches(row, values.family, values.tag, values.severity);
        row.hidden = !ok;
        total += 1;
        if (ok) { shown += 1; any = true; }
      });
      body.hidden = !any;
    });
    document.getElementById("shown").textContent = shown + " of " + total + " operations shown";
  }

  function remember() {
    var params = new URLSearchParams();
    selects.forEach(function (select) { if (select.value) { params.set(select.name, select.value); } });
    window.location.hash = params.toString();
  }

  selects.forEach(function (select) {
    select.addEventListener("change", function () { remember(); apply(); });
  });
  window.addEventListener("hashchange", function () { wanted(); apply(); });
  wanted();
  apply();
})();
"""
