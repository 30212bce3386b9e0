/* The book's reader aids: tables that fit (a stacked layout for any table wider than its column), sortable
   headers usable from the keyboard, the verdict filter with its count and its state in the URL. */
(function () {
  "use strict";

  function headerLabels(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return [];
    return Array.prototype.map.call(row.cells, function (th) { return th.textContent.trim(); });
  }

  /* Labels for the stacked layout and right-aligned numbers, for tables book.table did not write. */
  var NUMBER = /^(<\s?)?[+\-\u2212]?\d[\d\u202f\u2009,]*(\.\d+)?(%|\u00a0\S+)?$/;
  function prepare(table) {
    var labels = headerLabels(table);
    if (!labels.length || !table.tBodies.length) return;
    var numeric = labels.map(function () { return true; });
    var seen = labels.map(function () { return false; });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      Array.prototype.forEach.call(tr.cells, function (td, i) {
        if (!td.hasAttribute("data-label") && labels[i]) td.setAttribute("data-label", labels[i]);
        var text = td.textContent.trim();
        if (text && text !== "\u2013") { seen[i] = true; if (!NUMBER.test(text)) numeric[i] = false; }
      });
    });
    if (table.classList.contains("book-table")) return;
    numeric.forEach(function (isNum, i) {
      if (!isNum || !seen[i]) return;
      Array.prototype.forEach.call(table.rows, function (tr) { if (tr.cells[i]) tr.cells[i].classList.add("num"); });
    });
  }

  /* A table wider than its column is shown stacked: one card per row, each cell with its column's label. */
  function fit(table) {
    var box = table.parentElement;
    if (!box) return;
    table.classList.remove("stacked");
    var tooWide = table.scrollWidth > box.clientWidth + 1;
    table.classList.toggle("stacked", tooWide);
  }

  function fitAll() {
    document.querySelectorAll(".bd-article table").forEach(fit);
  }

  function sortBy(button) {
    var th = button.closest("th"), table = th.closest("table"), body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    th.parentNode.querySelectorAll("th[aria-sort]").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var ca = a.cells[index], cb = b.cells[index];
      var x = ca.getAttribute("data-sort"), y = cb.getAttribute("data-sort"), c;
      if (x !== null && y !== null) c = parseFloat(x) - parseFloat(y);
      else if (x !== null) c = -1;
      else if (y !== null) c = 1;
      else c = ca.textContent.trim().localeCompare(cb.textContent.trim());
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function applyFilter(controls, value, updateUrl) {
    var select = controls.querySelector("select.verdict-filter");
    var table = document.getElementById(select.getAttribute("aria-controls"));
    if (!table) return;
    var shown = 0, total = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      total += 1;
      var keep = !value || tr.getAttribute("data-verdict") === value;
      tr.hidden = !keep;
      if (keep) shown += 1;
    });
    var count = controls.querySelector(".filter-count");
    var template = count.getAttribute("data-template") || "Showing {shown} of {total} rows";
    var label = value && controls.querySelector('select.verdict-filter option[value="' + value + '"]');
    count.textContent = template.replace("{shown}", shown).replace("{total}", total) +
      (value ? " (" + (label ? label.textContent.replace(/ \(\d+\)$/, "") : value) + ")" : "");
    if (updateUrl && window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      if (value) url.searchParams.set("verdict", value); else url.searchParams.delete("verdict");
      window.history.replaceState(null, "", url.toString());
    }
  }

  function setUpFilters() {
    var wanted = new URL(window.location.href).searchParams.get("verdict") || "";
    document.querySelectorAll(".table-controls").forEach(function (controls) {
      var select = controls.querySelector("select.verdict-filter");
      if (!select) return;
      controls.hidden = false;
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
      select.value = known ? wanted : "";
      applyFilter(controls, select.value, false);
      select.addEventListener("change", function () { applyFilter(controls, select.value, true); fitAll(); });
    });
  }

  function start() {
    document.querySelectorAll(".bd-article table").forEach(prepare);
    document.querySelectorAll(".book-table-wrap .sort-button").forEach(function (button) {
      button.addEventListener("click", function (event) { event.stopPropagation(); sortBy(button); });
    });
    setUpFilters();
    fitAll();
    /* re-fit when the width changes; a height change alone (a phone's address bar, a full-page capture) does
       not change what fits */
    var pending = null, lastWidth = window.innerWidth;
    window.addEventListener("resize", function () {
      if (window.innerWidth === lastWidth) return;
      lastWidth = window.innerWidth;
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(fitAll, 150);  /* once the resizing has settled */
    });
    window.addEventListener("load", fitAll);
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll(".bd-article table.stacked").forEach(function (t) { t.classList.remove("stacked"); });
    });
    window.addEventListener("afterprint", fitAll);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
