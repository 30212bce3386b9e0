"""The batch's landing page with 1,000 regions, in headless Chromium (Playwright, as ``tests/test_site.py``): it
sorts by a column, filters by text, country and level (and keeps both in its address), links each row to its book,
shows a hostile region name as text, and stays fast, readable on a phone and printable."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from regbook.landing import LandingRow, landing_html
from tests.test_site import CHROMIUM, LAPTOP, LAUNCH_ARGS, PHONE

pytestmark = [pytest.mark.slow, pytest.mark.browser]

COUNT = 1000
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script> & "quoted"'


def rows() -> list[LandingRow]:
    """1,000 regions: names "Region 0001"..., every third German, every fourth at Eurostat's groups (no manufacturing
    LQ), the LQ falling with the number; the 500th has a hostile name; the last has no site."""
    out = []
    for number in range(1, COUNT + 1):
        grouped = number % 4 == 0
        out.append(
            LandingRow(
                id=f"r-{number:04d}",
                name=HOSTILE if number == 500 else f"Region {number:04d}",
                country="DE" if number % 3 == 0 else "NL",
                nuts_code=f"NL{number:03d}" if number % 2 else "",
                level="Eurostat's ten sector groups" if grouped else "NACE sections",
                largest_sector="G Wholesale and retail trade",
                largest_share=10 + number % 7,
                manufacturing_lq=None if grouped else round(2 - number / COUNT, 3),
                similar="Twente",
                report_region=False,
                built=number != COUNT,
            )
        )
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it): browser tests skipped")
    root = tmp_path_factory.mktemp("landing")
    (root / "index.html").write_text(landing_html(rows()), encoding="utf-8")
    for row in rows()[:-1]:
        book = root / row.id / "html"
        book.mkdir(parents=True)
        (book / "index.html").write_text(
            f'<title>{row.id}</title><link rel="icon" href="data:,"><p id=book>the book of {row.id}</p>'
        )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(served, wait_until="load")
    yield page
    context.close()
    assert problems == []


def column(page, index: int) -> list[str]:
    return page.evaluate(
        f"Array.from(document.querySelectorAll('#regions tbody tr:not([hidden])'))"
        f".map(r => r.cells[{index}].textContent.trim())"
    )


def click(page, selector: str) -> None:
    """Click ``selector`` (its handler sorts synchronously, so the table is sorted when this returns)."""
    page.evaluate(f"() => document.querySelector({selector!r}).click()")


def test_it_sorts_by_a_column_both_ways_with_blanks_last(page):
    """How long a sort of 1,000 rows takes is measured in docs/batch.md, not asserted here: a test is about what the
    page does, and a shared machine's speed is not the code's."""
    header = "#regions thead th:nth-child(6)"  # manufacturing LQ
    for _ in range(3):  # up, down, up
        click(page, f"{header} button")
    assert page.get_attribute(header, "aria-sort") == "ascending"
    shown = column(page, 5)
    numbers = [float(v) for v in shown if v != "not published"]
    assert numbers == sorted(numbers) and len(numbers) == COUNT - COUNT // 4
    assert shown[len(numbers) :] == ["not published"] * (COUNT // 4)  # the regions without one come last
    click(page, f"{header} button")
    assert page.get_attribute(header, "aria-sort") == "descending"
    numbers = [float(v) for v in column(page, 5) if v != "not published"]
    assert numbers == sorted(numbers, reverse=True)
    click(page, "#regions thead th:nth-child(1) button")
    names = column(page, 0)
    assert names[0].startswith("<img") and names[1:4] == ["Region 0001", "Region 0002", "Region 0003"]
    assert "sort=0" in page.url and "dir=up" in page.url


def test_it_filters_by_text_country_and_level_and_the_address_keeps_the_view(page, served):
    page.fill("#filter", "0912")
    assert column(page, 0) == ["Region 0912"]
    page.fill("#filter", "")
    page.select_option("#country", "DE")
    expected = [f"Region {n:04d}" for n in range(1, COUNT + 1) if n % 3 == 0]
    assert column(page, 0) == expected and page.inner_text("#count") == f"{len(expected)} of {COUNT:,} regions"
    page.select_option("#level", "Eurostat's ten sector groups")
    expected = [name for name in expected if int(name[-4:]) % 4 == 0]
    assert column(page, 0) == expected
    page.fill("#filter", "wholesale 0012")  # every word, anywhere in the row
    assert column(page, 0) == ["Region 0012"]
    url = page.url
    assert "q=wholesale+0012" in url and "country=DE" in url and "level=Eurostat%27s+ten+sector+groups" in url
    page.goto(url, wait_until="load")
    assert column(page, 0) == ["Region 0012"] and page.input_value("#country") == "DE"


def test_each_row_links_to_its_book_and_a_region_without_one_says_so(page, served):
    links = page.evaluate("Array.from(document.querySelectorAll('#regions tbody a')).map(a => a.getAttribute('href'))")
    assert links == [f"r-{n:04d}/html/index.html" for n in range(1, COUNT)]
    last = page.locator("#regions tbody tr").last
    assert last.locator("a").count() == 0 and "(not built)" in last.inner_text()
    page.fill("#filter", "0042")
    page.click("#regions tbody tr:not([hidden]) a")
    page.wait_for_load_state("load")
    assert page.url.endswith("/r-0042/html/index.html") and page.inner_text("#book") == "the book of r-0042"


def test_a_hostile_name_is_shown_as_text(page):
    page.fill("#filter", "quoted")
    cell = page.locator("#regions tbody tr:not([hidden]) td").first
    assert cell.inner_text() == HOSTILE
    assert page.evaluate("document.querySelectorAll('#regions img, #regions script').length") == 0


def test_it_is_readable_on_a_phone_and_printable(browser, served):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(served, wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        label = page.evaluate("""getComputedStyle(document.querySelector('#regions tbody td:nth-child(6)'),
                                 '::before').content""")
        assert label == '"Manufacturing LQ: "'  # each field of a row's card says what it is
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.controls')).display") == "none"
    finally:
        context.close()
