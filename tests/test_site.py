"""The built site, used as a reader would: served on localhost and driven with headless Chromium (Playwright).

Chromium comes from Debian's package (``.ci/run`` installs it); Playwright drives it through
``executable_path``. Where Chromium is not installed these tests skip with a message saying so.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

import pytest

import regbook as build
from helpers import paths, regions
from tests.conftest import QuietHTTPHandler, serving

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def serve(folder):
    """``folder`` served on localhost; yields its base URL."""
    handler = functools.partial(QuietHTTPHandler, directory=str(folder))
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}"


def _need_chromium() -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it): browser tests skipped")


#: Where each edition of the default book is, under the build folder (the switch on every page links them).
EDITIONS = {"en": "html", "nl": "nl/html"}


@pytest.fixture(scope="module")
def site(built_books):
    """The built books served on localhost, with the default book's Dutch edition beside the English one."""
    _need_chromium()
    build_dir, _ = built_books
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "BUILD_DIR", build_dir)
        mp.setenv("REGBOOK_BUILD_DIR", str(build_dir))
        assert build.build([build.make_variant(None, language="nl")], log=lambda m: None).ok
    with serve(build_dir) as base:
        yield build_dir, base


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium (one Playwright per module: its sync API allows no second one beside it)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(site, chromium):
    return chromium


def toc_pages() -> list[str]:
    return [f"{entry}.html" for entry in build.toc_entries()]


def open_page(browser, url: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(url, wait_until="load")
    return page, response, errors


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_without_console_errors_and_images_load(site, browser, path, edition):
    _, base = site
    page, response, errors = open_page(browser, f"{base}/{EDITIONS[edition]}/{path}")
    try:
        assert response.status == 200
        assert errors == [], errors
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=30000)
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
        )
        assert broken == []
        missing_alt = page.evaluate(
            "Array.from(document.querySelectorAll('figure.book-figure img')).filter(i => !i.alt.trim()).length"
        )
        assert missing_alt == 0
        figures = page.locator("figure.book-figure").count()
        downloads = page.locator("figure.book-figure a.data-download[href^='data:text/csv']").count()
        assert downloads == figures
        wraps = page.locator("div.book-table-wrap").count()
        assert page.locator("div.book-table-wrap table").count() == wraps
    finally:
        page.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_internal_link_resolves(site, browser, edition):
    build_dir, base = site
    seen: set[str] = set()
    bad = []
    for path in toc_pages():
        page, _, _ = open_page(browser, f"{base}/{EDITIONS[edition]}/{path}")
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        page.close()
        for href in hrefs:
            url = href.split("#")[0]
            if not url.startswith(base) or url in seen:
                continue
            seen.add(url)
            try:
                with urllib.request.urlopen(url) as resp:
                    if resp.status != 200:
                        bad.append((path, url, resp.status))
            except urllib.error.HTTPError as exc:
                bad.append((path, url, exc.code))
    assert seen and bad == []


def test_search_finds_a_region_name(site, browser):
    _, base = site
    page, _, errors = open_page(browser, f"{base}/html/search.html?q=Twente")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=20000)
        assert page.locator("#search-results ul.search li").count() > 0
    finally:
        page.close()


def test_landing_page_links_every_variant_and_each_names_its_focus(site, browser):
    build_dir, base = site
    page, response, errors = open_page(browser, f"{base}/regions/index.html")
    try:
        assert response.status == 200 and errors == []
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    finally:
        page.close()
    for region in regions.STUDY_REGIONS:
        assert f"{region}/html/index.html" in hrefs
        front, response, _ = open_page(browser, f"{base}/regions/{region}/html/chapters/index.html")
        try:
            text = front.locator("article").inner_text()
            assert re.search(rf"This build is about\s+{re.escape(regions.name(region))}", text), region
        finally:
            front.close()


LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"laptop": LAPTOP, "phone": PHONE}


def open_sized(browser, url: str, viewport: dict, dark: bool = False):
    """A page at a viewport size, in light or dark mode (the theme's own switch: data-theme on <html>)."""
    context = browser.new_context(viewport=viewport)
    if dark:
        context.add_init_script("localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    if dark:
        page.evaluate("document.documentElement.dataset.theme = 'dark'; document.documentElement.dataset.mode = 'dark'")
    page.wait_for_timeout(100)  # book.js lays tables out on load
    return context, page, errors


#: For every table of a page: its width, its box's width, whether it uses the stacked phone layout, the cells
#: wider than their box, and whether each header is aligned like its column's cells.
TABLE_REPORT = """() => Array.from(document.querySelectorAll('.bd-article table')).map((t, k) => {
  const box = t.parentElement;
  const cells = Array.from(t.querySelectorAll('td'));
  const heads = t.tHead ? Array.from(t.tHead.rows[t.tHead.rows.length - 1].cells) : [];
  const firstRow = t.tBodies.length && t.tBodies[0].rows.length ? Array.from(t.tBodies[0].rows[0].cells) : [];
  const align = el => ({start: 'left', end: 'right'}[getComputedStyle(el).textAlign] || getComputedStyle(el).textAlign);
  const misaligned = t.classList.contains('stacked') ? [] : heads.filter((th, i) => firstRow[i] &&
      align(th) !== align(firstRow[i])).map(th => th.textContent.trim());
  return {index: k, id: (t.closest('[id]') || {}).id || '', width: t.scrollWidth, box: box.clientWidth,
          stacked: t.classList.contains('stacked'),
          overflowing: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40)),
          unlabelled: t.classList.contains('stacked') ? cells.filter(c => !c.dataset.label).length : 0,
          misaligned, headers: heads.map(th => th.textContent.trim())};
})"""


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", toc_pages())
def test_every_table_fits_or_uses_the_phone_layout(site, browser, path, size, edition):
    """No hidden columns: a table fits its column, or it is stacked (one card per row, each cell labelled)."""
    _, base = site
    context, page, errors = open_sized(browser, f"{base}/{EDITIONS[edition]}/{path}", SIZES[size])
    try:
        tables = page.evaluate(TABLE_REPORT)
        page_width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert errors == []
    assert page_width <= SIZES[size]["width"], f"the page scrolls sideways ({page_width} px)"
    for t in tables:
        where = f"{path} table {t['index']} ({t['id']})"
        assert t["stacked"] or t["width"] <= t["box"] + 1, f"{where}: {t['width']} px in a {t['box']} px column"
        assert t["overflowing"] == [], f"{where}: cells wider than their box: {t['overflowing']}"
        assert t["unlabelled"] == 0, f"{where}: stacked cells without a label"
        assert t["misaligned"] == [], f"{where}: headers aligned unlike their cells: {t['misaligned']}"
        assert not [h for h in t["headers"] if re.search(r"(^|[ _])ids?$", h)], f"{where}: an id column is shown"


@pytest.mark.parametrize("size", SIZES)
def test_audit_verdicts_are_in_the_first_screen_width_with_a_linkable_filter(site, browser, size):
    _, base = site
    url = f"{base}/html/chapters/appendix_audit.html"
    context, page, errors = open_sized(browser, url, SIZES[size])
    try:
        badge = page.locator("#audit_table tbody tr").first.locator(".verdict")
        assert badge.inner_text() == "discrepancy"  # discrepancies first
        box = badge.bounding_box()
        assert box is not None and box["x"] + box["width"] <= SIZES[size]["width"]
        verdicts = page.evaluate(
            "Array.from(document.querySelectorAll('#audit_table tbody tr')).map(r => r.dataset.verdict)"
        )
        page.select_option("#audit_table select.verdict-filter", "discrepancy")
        wanted = verdicts.count("discrepancy")
        shown = page.locator("#audit_table tbody tr:visible").count()
        count = page.locator("#audit_table .filter-count").inner_text()
        assert shown == wanted and count == f"Showing {wanted} of {len(verdicts)} rows (discrepancy)"
        assert "verdict=discrepancy" in page.url
        # the filter's state is in the URL: opening that URL shows the same rows
        page.goto(page.url, wait_until="load")
        assert page.locator("#audit_table tbody tr:visible").count() == wanted
        assert page.locator("#audit_table select.verdict-filter").input_value() == "discrepancy"
        assert errors == []
    finally:
        context.close()


def test_table_headers_sort_from_the_keyboard(site, browser):
    _, base = site
    context, page, errors = open_sized(browser, f"{base}/html/chapters/appendix_audit.html", LAPTOP)
    try:
        headers = page.locator("#audit_table thead th")
        names = [h.strip() for h in headers.all_inner_texts()]
        column = next(i for i, h in enumerate(names) if h.startswith("difference"))
        button = headers.nth(column).locator("button")
        button.focus()
        page.keyboard.press("Enter")
        assert headers.nth(column).get_attribute("aria-sort") == "ascending"
        values = page.evaluate(f"""Array.from(document.querySelectorAll('#audit_table tbody tr'))
            .map(r => r.cells[{column}].dataset.sort).filter(v => v !== undefined).map(Number)""")
        assert values == sorted(values) and len(values) > 1
        page.keyboard.press("Space")
        assert headers.nth(column).get_attribute("aria-sort") == "descending"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # the focused header shows it
        assert errors == []
    finally:
        context.close()


def test_chart_text_is_readable_at_laptop_width_and_charts_open_full_size(site, browser):
    """The smallest text of every chart, as shown at 1366 px, is at least the size of the figure captions, and no
    two texts of a chart overlap (figures.overlapping_texts, recorded by figures.figure as data-overlapping-labels).

    Charts are SVG files; figures.figure records the smallest text size (pt) and the drawn width (pt), so the size
    on screen is that text size times the shown width over the drawn width.
    """
    _, base = site
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        small, overlapping = [], []
        count = 0
        for path in toc_pages():
            page.goto(f"{base}/html/{path}", wait_until="load")
            caption_px = page.evaluate("""(() => { const c = document.querySelector('figure.book-figure figcaption');
                return c ? parseFloat(getComputedStyle(c).fontSize) : 0; })()""")
            charts = page.evaluate("""Array.from(document.querySelectorAll('img.book-chart')).map(i => ({
                id: i.closest('figure').id, shown: i.clientWidth, widthPt: parseFloat(i.dataset.widthPt),
                minPt: parseFloat(i.dataset.minTextPt), src: i.getAttribute('src'),
                overlaps: parseInt(i.dataset.overlappingLabels),
                full: i.closest('figure').querySelector('a.figure-full').getAttribute('href')}))""")
            for c in charts:
                count += 1
                assert c["src"].endswith(".svg") and c["full"] == c["src"], c
                px = c["minPt"] * c["shown"] / c["widthPt"]
                if px < caption_px - 0.05:
                    small.append((path, c["id"], round(px, 1), caption_px))
                if c["overlaps"] != 0:
                    overlapping.append((path, c["id"], c["overlaps"]))
        assert count > 0
        assert small == [], f"chart text smaller than the captions at 1366 px: {small}"
        assert overlapping == [], f"charts with overlapping texts: {overlapping}"
    finally:
        context.close()


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _axe_pages() -> list[str]:
    return [f"{edition}/{p}" for edition in EDITIONS.values() for p in toc_pages()] + [
        f"regions/{r}/html/chapters/index.html" for r in regions.STUDY_REGIONS
    ]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_serious_or_critical_violation(site, browser, size, mode):
    """axe-core (bundled by axe-playwright-python) on every page of the default book and each variant's front page."""
    _, base = site
    found = {}
    for path in _axe_pages():
        context, page, _ = open_sized(browser, f"{base}/{path}", SIZES[size], dark=mode == "dark")
        try:
            violations = _axe_violations(page)
        finally:
            context.close()
        if violations:
            found[path] = violations
    assert found == {}, found


def test_quotations_are_marked_with_their_language(site, browser):
    _, base = site
    context, page, _ = open_sized(browser, f"{base}/html/chapters/appendix_audit.html", LAPTOP)
    try:
        marked = page.locator("#audit_table [lang=nl]").count()
        assert marked > 0
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()
    # quotations in the chapters' prose, marked [*...*]{.lang-nl} in the source (helpers.sphinx_lang)
    for chapter, lang, quote in (
        ("ch3_regions", "nl", "de deken van een verdelende industriepolitiek"),
        ("ch5_germany", "de", "duale Berufsausbildung"),
    ):
        context, page, _ = open_sized(browser, f"{base}/html/chapters/{chapter}.html", LAPTOP)
        try:
            texts = page.locator(f"article [lang={lang}]").all_inner_texts()
            assert quote in [t.strip() for t in texts], (chapter, texts)
        finally:
            context.close()


def test_pages_describe_themselves_for_shared_links(site, browser):
    build_dir, _ = site
    for path in toc_pages():
        text = (build_dir / "html" / path).read_text(encoding="utf-8")
        assert re.search(r'<meta property="og:description" content="[^"]{20,}', text), path
        assert re.search(r'<meta property="og:title" content="[^"]+', text), path


def test_pdf_edition_has_every_chapter_and_the_last_column_of_a_wide_table(site, browser):
    from pypdf import PdfReader

    from regbook import pdf

    build_dir, _ = site
    target = pdf.write_pdf(build.make_variant(None), log=lambda m: None, browser=browser)
    assert target.exists() and target.stat().st_size > 100_000
    reader = PdfReader(str(target))
    # NFKC: the PDF's text carries typographic ligatures ("ﬀ" in "difference") that the html does not
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() or "" for page in reader.pages))
    squeezed = re.sub(r"\s+", "", text)
    from bs4 import BeautifulSoup

    widest = None
    for path in toc_pages():
        soup = BeautifulSoup((build_dir / "html" / path).read_text(encoding="utf-8"), "html.parser")
        title = soup.find("article").find("h1").get_text(" ", strip=True).rstrip("#").strip()
        assert re.sub(r"\s+", "", title) in squeezed, f"chapter title missing from the PDF: {title}"
        for table in soup.select("table.book-table"):
            if "num" not in (table.thead.find_all("th")[-1].get("class") or []):
                continue  # a number is one line of the PDF's text; a cell of prose wraps and hyphenates
            width = len(table.thead.find_all("th"))
            if widest is None or width > widest[0]:
                widest = (width, table)
    assert widest is not None
    last_cells = [tr.find_all("td")[-1].get_text(strip=True) for tr in widest[1].tbody.find_all("tr")]
    last_cells = [c for c in last_cells if c != "\u2013"]
    last_header = widest[1].thead.find_all("th")[-1].get_text(" ", strip=True)
    assert re.sub(r"\s+", "", last_header) in squeezed, last_header
    for cell in (last_cells[0], last_cells[-1]):
        assert re.sub(r"\s+", "", cell) in squeezed, cell
    assert "Focusregion:" in squeezed and "Dataversion:" in squeezed and "Contents" in text
    assert re.search(r"page\s*2\s*of\s*\d+", text), "no page numbers"


def test_pdf_says_clearly_when_chromium_is_missing(site, monkeypatch):
    from regbook import layout, pdf

    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    with pytest.raises(layout.BuildError, match="Chromium, which is not installed: install Debian's package"):
        pdf.write_pdf(build.make_variant(None), log=lambda m: None)


def test_screenshots_for_review(site, browser):
    from regbook.reader_screenshots import screenshot_pages

    build_dir, base = site
    target = paths.BUILD_DIR / "screenshots" if build_dir == paths.BUILD_DIR else build_dir / "screenshots"
    shots = screenshot_pages(browser, f"{base}/html", toc_pages(), target, SIZES)
    assert len(shots) == 2 * len(toc_pages())
    assert all(shot.stat().st_size > 10_000 for shot in shots)


# --- a hostile region's name (issue 28) -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The book built from a region file whose name, source and provenance are hostile (tests/hostile.py), in its
    own build folder, with its landing page and PDF edition; yields (variant, build folder, base URL)."""
    _need_chromium()
    from tests import hostile

    build_dir = tmp_path_factory.mktemp("hostile-build")
    mp = pytest.MonkeyPatch()
    mp.setattr(paths, "BUILD_DIR", build_dir)
    mp.setenv("REGBOOK_BUILD_DIR", str(build_dir))
    try:
        variants = build.region_file_variants([str(hostile.write(tmp_path_factory.mktemp("hostile-regions")))])
        report = build.build(variants, log=lambda m: None)
        assert report.ok, [(o.chapter, o.error) for o in report.failures()]
        with serve(build_dir) as base:
            yield variants[0], build_dir, base
    finally:
        mp.undo()


def test_a_hostile_region_name_is_text_on_every_page_and_runs_nothing(hostile_site, chromium):
    """Every page of the site built from a hostile region file, its landing page, its search page asked for the
    name and its PDF edition's document: no script of the name runs (in Chromium), none is in the HTML (parsed),
    the name shows as written where the book names the region (title, navigation bar, front page), never escaped
    twice, and the charts' SVG files hold no script."""
    from xml.etree import ElementTree

    from bs4 import BeautifulSoup

    from regbook import pdf
    from tests import hostile
    from tests.test_escaping import injected

    variant, build_dir, base = hostile_site
    html = variant.layout.html
    import yaml

    title = f"{yaml.safe_load((paths.ROOT / '_config.yml').read_text(encoding='utf-8'))['title']}: {hostile.NAME}"
    pages = sorted(p.relative_to(build_dir).as_posix() for p in html.rglob("*.html"))
    assert len(pages) >= len(toc_pages()) + 2  # the chapters, search and index pages
    urls = [f"{base}/{p}" for p in pages] + [
        f"{base}/regions/index.html",
        f"{base}/{html.relative_to(build_dir).as_posix()}/search.html?q=" + urllib.parse.quote(hostile.NAME),
    ]
    pdf.write_pdf(variant, log=lambda m: None, browser=chromium)
    urls.append((build_dir / ".pdf" / variant.name / "book-print.html").as_uri())
    ran, dialogs, named = {}, [], 0
    for url in urls:
        page = chromium.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            page.goto(url, wait_until="load")
            if "search.html?q=" in url:
                page.wait_for_function(
                    "(document.querySelector('#search-results p.search-summary') || {}).textContent", timeout=20000
                )  # the search finished
                page.wait_for_timeout(1000)  # the results' summaries
            page.wait_for_timeout(100)  # an image's onerror
            value = page.evaluate(
                f"typeof window.{hostile.MARKER} === 'undefined' ? null : String(window.{hostile.MARKER})"
            )
            if value is not None:
                ran[url] = value
            if page.locator(".logo__title").count():
                assert page.locator(".logo__title").first.text_content().strip() == title, url
                assert hostile.NAME in page.title(), url
                named += 1
        finally:
            page.close()
    assert ran == {} and dialogs == []
    assert named >= len(toc_pages())
    front = BeautifulSoup((html / "chapters" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert hostile.NAME in " ".join(front.find("article").get_text().split())  # the front page names it, as written
    for path in [
        *html.rglob("*.html"),
        build_dir / "regions" / "index.html",
        build_dir / ".pdf" / variant.name / "book-print.html",
    ]:
        text = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        assert injected(soup) == [], path
        assert "&amp;lt;" not in text and "&lt;" not in soup.get_text(), f"{path}: escaped twice"
    index = (html / "searchindex.js").read_text(encoding="utf-8")  # titles the search page shows as HTML
    titles = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    assert not [t for t in [*titles["titles"], *titles["alltitles"]] if "<" in t or hostile.MARKER in t]
    for svg in (html / "_images").glob("*.svg"):
        tree = ElementTree.parse(svg)
        assert not [e for e in tree.iter() if e.tag.endswith("script") or any(a.startswith("on") for a in e.attrib)]
