"""The landing page of a batch, ``<build>/regions/index.html``: one row per region, with a link to its book.

The table has each region's name, country, NUTS code and level, and three key figures computed with the book's own
library from the same numbers its chapters use: the largest sector (by share of employees), the location quotient
of manufacturing (NACE C) against the region's national reference (not published at Eurostat's coarser groups,
where C is inside B-E), and the report region whose sector profile is nearest (Krugman distance; for a report
region, the nearest of the other five).

The page is one file with its style and script inline (no server, no external file): the table sorts by any
column (a button in each header, ``aria-sort``) and filters by text, country and level, in well under a tenth of a
second for 1,000 rows; the filter and sort are kept in the address (``?q=...&country=...&sort=...``), so a
filtered view can be linked. On a phone each row is a card of labelled fields; printed, the controls are left out.
Every string from a region file (a name, a code) is HTML-escaped wherever it goes, text or attribute.
"""

from __future__ import annotations

import html
import os
import string
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import i18n, paths, regions, sector_levels
from helpers.i18n import N_, _, ngettext
from helpers.numbers import fmt, pct

from .export import _write_atomic
from .planning import Variant

#: Short names of the region-file levels in the table (``helpers.sector_levels``).
LEVEL_LABELS = sector_levels.LEVEL_SHORT
#: The section whose location quotient the table shows.
MANUFACTURING = "C"


@dataclass(frozen=True)
class LandingRow:
    """One region of the landing page; ``manufacturing_lq`` is None where the level has no separate NACE C."""

    id: str
    name: str
    country: str
    nuts_code: str
    level: str
    largest_sector: str
    largest_share: float  # percent of the region's employees
    manufacturing_lq: float | None
    similar: str  # the name of the nearest report region
    report_region: bool
    built: bool  # the region has a site to link to
    link: str = ""  # its book's front page from the landing page (default: ``<id>/html/index.html``)


def _built(variant: Variant) -> bool:
    return (variant.layout.html / "index.html").is_file()


def landing_page(language: str) -> Path:
    """Where the landing page of ``language``'s region books goes: ``<build>/regions/index.html`` for English,
    ``<build>/regions/<language>/index.html`` for another edition."""
    folder = Path(paths.BUILD_DIR) / "regions"
    return (folder if language == i18n.DEFAULT else folder / language) / "index.html"


def _link(variant: Variant) -> str:
    """The variant's front page, relative to its edition's landing page (``twente/html/index.html``,
    ``../twente/nl/html/index.html``)."""
    target = os.path.relpath(variant.layout.html / "index.html", landing_page(variant.language).parent)
    return urllib.parse.quote(Path(target).as_posix())


def user_region_row(variant: Variant, comparison: Any) -> LandingRow:
    """The row of a region-file variant from its ``helpers.user_region.Comparison``."""
    region = comparison.region
    shares = comparison.shares.loc[region.id]
    largest = str(shares.idxmax())
    lq = comparison.lq.loc[region.id]
    return LandingRow(
        id=variant.name,
        name=region.name,
        country=region.country,
        nuts_code=region.nuts_code,
        level=_(LEVEL_LABELS.get(region.level, region.level)),
        largest_sector=f"{largest} {comparison.labels[largest]}",
        largest_share=float(shares[largest]),
        manufacturing_lq=float(lq[MANUFACTURING]) if MANUFACTURING in lq.index else None,
        similar=regions.name(comparison.nearest),
        report_region=False,
        built=_built(variant),
        link=_link(variant),
    )


def report_region_rows(variants: list[Variant]) -> list[LandingRow]:
    """The rows of report-region variants, from Tabel 1.1 (each region against its country)."""
    from helpers import derived, indices

    matrix = derived.employment()
    shares = indices.sector_shares(matrix)
    lq = indices.location_quotient(matrix, "national")
    six = list(regions.STUDY_REGIONS)
    distances = indices.similarity_matrix(matrix.loc[six], "krugman")
    labels = derived.sector_labels()
    rows = []
    for variant in variants:
        rid = variant.name
        largest = str(shares.loc[rid].idxmax())
        nearest = distances.loc[rid].drop(rid).sort_values(kind="stable").index[0]
        rows.append(
            LandingRow(
                id=rid,
                name=regions.name(rid),
                country=regions.get(rid).country,
                nuts_code=regions.get(rid).nuts_code,
                level=_(LEVEL_LABELS["section"]),
                largest_sector=f"{largest} {labels[largest]}",
                largest_share=float(shares.loc[rid, largest]),
                manufacturing_lq=float(lq.loc[rid, MANUFACTURING]),
                similar=regions.name(nearest),
                report_region=True,
                built=_built(variant),
                link=_link(variant),
            )
        )
    return rows


def landing_rows(variants: list[Variant], comparisons: dict[str, Any] | None = None) -> list[LandingRow]:
    """A row for every region variant (not the default book), in the variants' order; ``comparisons`` by variant
    name saves comparing a region file's region again (``regbook.batch.validate`` made them)."""
    from helpers import user_region

    comparisons = comparisons or {}
    wanted = [v for v in variants if v.name != "default"]
    report = {row.id: row for row in report_region_rows([v for v in wanted if v.name in regions.STUDY_REGIONS])}
    rows = []
    for variant in wanted:
        if variant.name in report:
            rows.append(report[variant.name])
        else:
            comparison = comparisons.get(variant.name) or user_region.compare(variant.parameters["region_file"])
            rows.append(user_region_row(variant, comparison))
    return rows


def write_landing_page(variants: list[Variant], comparisons: dict[str, Any] | None = None) -> Path:
    """The table of every region variant (see the module's docstring), in the variants' language, at
    :func:`landing_page`."""
    language = variants[0].language if variants else i18n.DEFAULT
    target = landing_page(language)
    with i18n.using(language):
        _write_atomic(target, landing_html(landing_rows(variants, comparisons)))
    return target


# --- the page --------------------------------------------------------------------------------------------------------

#: (header, field label on a phone, kind of sort, share of the table's width) of each column. The widths are fixed
#: (``table-layout: fixed``): the browser then lays 1,000 rows out without measuring every cell, which was most of
#: the time a sort took.
#: The page is written in the current language (``helpers.i18n``: ``with i18n.using("nl"): write_landing_page(...)``).
COLUMNS = (
    (N_("Region"), N_("Region"), "text", 22),
    (N_("Country"), N_("Country"), "text", 7),
    (N_("NUTS code"), N_("NUTS code"), "text", 9),
    (N_("Level"), N_("Level"), "text", 10),
    (N_("Largest sector (share of employees)"), N_("Largest sector"), "text", 22),
    (N_("Manufacturing LQ"), N_("Manufacturing LQ"), "number", 12),
    (N_("Most similar report region"), N_("Most similar report region"), "text", 18),
)


def _e(text: object) -> str:
    """Text made safe for HTML, in an element or in a quoted attribute."""
    return html.escape(str(text), quote=True)


def _t(text: object) -> str:
    """Text made safe for HTML in an element (quotes need no escaping there)."""
    return html.escape(str(text), quote=False)


def _cell(label: str, shown: str, sort_key: str | None = None, title: str = "") -> str:
    """A cell of the column whose phone label is ``label`` (its English words, shown translated)."""
    sort = f' data-sort="{_e(sort_key)}"' if sort_key is not None else ""
    title_attribute = f' title="{_e(title)}"' if title else ""
    return f'<td data-label="{_e(_(label))}"{sort}{title_attribute}>{shown}</td>'


def _row(row: LandingRow) -> str:
    name = _e(row.name)
    not_built, report_region = _t(_("(not built)")), _t(_("report region"))
    if row.built:
        name = f'<a href="{_e(row.link or urllib.parse.quote(row.id) + "/html/index.html")}">{name}</a>'
    else:
        name += f' <span class="note">{not_built}</span>'
    if row.report_region:
        name += f' <span class="note">{report_region}</span>'
    lq = row.manufacturing_lq
    none, not_published = _t(_("none")), _t(_("not published"))
    cells = [
        _cell("Region", name, row.name.casefold()),
        _cell("Country", _e(row.country)),
        _cell("NUTS code", _e(row.nuts_code) or f'<span class="note">{none}</span>', row.nuts_code),
        _cell("Level", _e(row.level)),
        # pct and fmt write a share and a quotient as Python's ':.1f' and ':.2f' do, in the page's language
        _cell("Largest sector", f"{_e(row.largest_sector)} ({pct(row.largest_share)})", row.largest_sector),
        _cell(
            "Manufacturing LQ",
            fmt(lq, 2) if lq is not None else f'<span class="note">{not_published}</span>',
            f"{lq:.6f}" if lq is not None else "",
            "" if lq is not None else _("C is inside B-E at Eurostat's groups: no manufacturing LQ"),
        ),
        _cell("Most similar report region", _e(row.similar)),
    ]
    return f'<tr data-country="{_e(row.country)}" data-level="{_e(row.level)}">' + "".join(cells) + "</tr>"


def _options(values: list[str]) -> str:
    return "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in sorted(set(values)))


def landing_html(rows: list[LandingRow]) -> str:
    """The landing page for ``rows`` (one self-contained HTML document)."""
    headers = "".join(
        f'<th scope="col" aria-sort="none" data-kind="{kind}"><button type="button">{_e(_(header))}</button></th>'
        for header, _label, kind, _width in COLUMNS
    )
    widths = "".join(f'<col style="width:{width}%">' for *_rest, width in COLUMNS)
    body = "\n".join(_row(row) for row in rows)
    count = _count(len(rows))
    count_template = _("{shown} of {total} regions")
    lang = i18n.current()
    w = {
        "title": _t(_("Regional dynamics and vocational education: the book per region")),
        "heading": _t(_("Regional dynamics and vocational education")),
        "introduction": _t(
            ngettext(
                "The same book, run with each region as its focus: every number, chart and paragraph about the focus "
                "region is computed for it. {count} region; choose one to open its book. The key figures come from the "
                "same employees by sector as the books: the largest sector, the location quotient of manufacturing "
                "against the region's country (1 = the national share; not published where a region's figures are at "
                "Eurostat's groups, which do not separate manufacturing) and the report region whose sector profile is "
                "nearest.",
                "The same book, run with each region as its focus: every number, chart and paragraph about the focus "
                "region is computed for it. {count} regions; choose one to open its book. The key figures come from "
                "the "
                "same employees by sector as the books: the largest sector, the location quotient of manufacturing "
                "against the region's country (1 = the national share; not published where a region's figures are at "
                "Eurostat's groups, which do not separate manufacturing) and the report region whose sector profile is "
                "nearest.",
                len(rows),
            ).format(count=count)
        ),
        "filter": _t(_("Filter")),
        "placeholder": _e(_("name, code, sector")),
        "country": _t(_("Country")),
        "level": _t(_("Level")),
        "all": _t(_("all")),
        "count": _t(count_template.format(shown=count, total=count)),
        "count_template": "" if i18n.current() == i18n.DEFAULT else f' data-template="{_e(count_template)}"',
        "caption": _t(_("Regions and their books; select a column's header to sort by it, again to reverse.")),
        "countries": _options([r.country for r in rows]),
        "levels": _options([r.level for r in rows]),
    }
    style = STYLE.substitute(number_label=_("Manufacturing LQ"), sort_by=_("Sort by"))  # our words: no quotes
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{w["title"]}</title>
<link rel="icon" href="data:,">
<style>{style}</style></head>
<body><header><h1>{w["heading"]}</h1>
<p>{w["introduction"]}</p></header>
<main>
<form class="controls" role="search" onsubmit="return false">
<label>{w["filter"]} <input id="filter" type="search" autocomplete="off" placeholder="{w["placeholder"]}"></label>
<label>{w["country"]} <select id="country"><option value="">{w["all"]}</option>{w["countries"]}</select></label>
<label>{w["level"]} <select id="level"><option value="">{w["all"]}</option>{w["levels"]}</select></label>
<output id="count" aria-live="polite"{w["count_template"]}>{w["count"]}</output>
</form>
<table id="regions">
<caption>{w["caption"]}</caption>
<colgroup>{widths}</colgroup>
<thead><tr>{headers}</tr></thead>
<tbody>
{body}
</tbody></table>
</main>
<script>{SCRIPT}</script>
</body></html>
"""


def _count(n: int) -> str:
    """A count of regions on the page: '1,000' in English (as the page always wrote it), the book's format in another
    language ('1.000')."""
    return f"{n:,}" if i18n.current() == i18n.DEFAULT else fmt(n)


#: The page's style; ``$number_label`` is the phone label of the number column, ``$sort_by`` the phone's sort label.
STYLE = string.Template("""
:root{color-scheme:light dark;--line:#ccc;--muted:#595959;--accent:#1a5fb4}
@media (prefers-color-scheme:dark){:root{--line:#555;--muted:#b0b0b0;--accent:#8fb8ff}}
body{font-family:system-ui,sans-serif;line-height:1.45;margin:0 auto;max-width:80em;padding:1em}
h1{font-size:1.6em;margin:.3em 0}
header p{max-width:48em}
a{color:var(--accent)}
.note{color:var(--muted);font-size:.9em}
.controls{display:flex;flex-wrap:wrap;gap:.5em 1.2em;align-items:end;margin:1em 0}
.controls label{display:flex;flex-direction:column;font-size:.9em}
.controls input,.controls select{font:inherit;padding:.3em;min-width:10em}
#count{color:var(--muted)}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td{overflow-wrap:anywhere}
caption{text-align:left;color:var(--muted);padding:.3em 0}
th,td{border-bottom:1px solid var(--line);padding:.35em .5em;text-align:left;vertical-align:top}
td[data-label="$number_label"],th[data-kind=number]{text-align:right}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;color:inherit;cursor:pointer;
 text-align:inherit}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
tr[hidden]{display:none}
@media (max-width:40em){
 table,caption,thead,tbody,tr,td{display:block;width:auto}
 thead tr{display:flex;flex-wrap:wrap;gap:.4em;align-items:center}
 thead tr::before{content:"$sort_by";color:var(--muted);font-size:.9em}
 thead th{border:1px solid var(--line);border-radius:1em;padding:.15em .6em;font-size:.85em}
 tr{border:1px solid var(--line);border-radius:.4em;margin:.6em 0;padding:.3em .5em}
 td{border:0;padding:.15em 0;text-align:left!important}
 td::before{content:attr(data-label) ": ";color:var(--muted);font-size:.9em}
}
@media print{.controls,caption{display:none}body{max-width:none;font-size:9pt}a{color:inherit}
 tr{break-inside:avoid}}
""")

#: Sorting and filtering (vanilla JavaScript; the table is complete without it).
SCRIPT = """
(function () {
  var table = document.getElementById("regions"), body = table.tBodies[0], collator = new Intl.Collator();
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var filter = document.getElementById("filter"), country = document.getElementById("country"),
      level = document.getElementById("level"), count = document.getElementById("count");
  function key(row, column) {
    var cell = row.cells[column], value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim().toLowerCase() : value;
  }
  function sortBy(column, ascending) {
    var numeric = heads[column].getAttribute("data-kind") === "number";
    var keyed = rows.map(function (row, index) { return [key(row, column), index, row]; });
    keyed.sort(function (a, b) {
      var x = a[0], y = b[0], c;
      if (x === "" || y === "") { c = (x === "") - (y === ""); return c || a[1] - b[1]; }  // blanks last
      c = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
      return (ascending ? c : -c) || a[1] - b[1];
    });
    var next = body.nextSibling;
    table.removeChild(body);  // rows moved in a detached body cost the page no work meanwhile
    keyed.forEach(function (k) { body.appendChild(k[2]); });
    table.insertBefore(body, next);
    heads.forEach(function (th, i) {
      th.setAttribute("aria-sort", i === column ? (ascending ? "ascending" : "descending") : "none");
    });
  }
  function apply() {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (row, i) {
      var hit = (!country.value || row.getAttribute("data-country") === country.value) &&
                (!level.value || row.getAttribute("data-level") === level.value) &&
                words.every(function (w) { return text[i].indexOf(w) >= 0; });
      row.hidden = !hit;
      shown += hit;
    });
    var language = document.documentElement.lang || "en";
    var template = count.getAttribute("data-template");
    count.textContent = template ? template.replace("{shown}", shown.toLocaleString(language))
                                           .replace("{total}", rows.length.toLocaleString(language))
      : shown.toLocaleString("en") + " of " + rows.length.toLocaleString("en") + " regions";
  }
  function remember() {
    var params = new URLSearchParams();
    if (filter.value) params.set("q", filter.value);
    if (country.value) params.set("country", country.value);
    if (level.value) params.set("level", level.value);
    heads.forEach(function (th, i) {
      var state = th.getAttribute("aria-sort");
      if (state !== "none") { params.set("sort", i); params.set("dir", state === "ascending" ? "up" : "down"); }
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }
  heads.forEach(function (th, i) {
    th.querySelector("button").addEventListener("click", function () {
      sortBy(i, th.getAttribute("aria-sort") !== "ascending");
      remember();
    });
  });
  [filter, country, level].forEach(function (control) {
    control.addEventListener("input", function () { apply(); remember(); });
  });
  var given = new URLSearchParams(location.search);
  filter.value = given.get("q") || "";
  [[country, "country"], [level, "level"]].forEach(function (pair) {
    var wanted = given.get(pair[1]);
    if (wanted && Array.prototype.some.call(pair[0].options, function (o) { return o.value === wanted; }))
      pair[0].value = wanted;
  });
  var column = parseInt(given.get("sort"), 10);
  if (column >= 0 && column < heads.length) sortBy(column, given.get("dir") !== "down");
  apply();
})();
"""
