"""The built site, used as a reader would: served on localhost and driven with headless Chromium (Playwright).

Chromium comes from Debian's package (``.ci/run`` installs it); Playwright drives it through
``executable_path``. Where Chromium is not installed these tests skip with a message saying so.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from helpers import build, paths, regions

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(built_books):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it): browser tests skipped")
    build_dir, _ = built_books
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(build_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield build_dir, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def toc_pages() -> list[str]:
    return [f"{entry}.html" for entry in build.toc_entries()]


def open_page(browser, url: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(url, wait_until="load")
    return page, response, errors


@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_without_console_errors_and_images_load(site, browser, path):
    _, base = site
    page, response, errors = open_page(browser, f"{base}/html/{path}")
    try:
        assert response.status == 200
        assert errors == [], errors
        broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))")
        assert broken == []
        missing_alt = page.evaluate("Array.from(document.querySelectorAll('figure.book-figure img')).filter(i => !i.alt.trim()).length")
        assert missing_alt == 0
        figures = page.locator("figure.book-figure").count()
        downloads = page.locator("figure.book-figure a.data-download[href^='data:text/csv']").count()
        assert downloads == figures
        wraps = page.locator("div.book-table-wrap").count()
        assert page.locator("div.book-table-wrap table").count() == wraps
    finally:
        page.close()


def test_every_internal_link_resolves(site, browser):
    build_dir, base = site
    seen: set[str] = set()
    bad = []
    for path in toc_pages():
        page, _, _ = open_page(browser, f"{base}/html/{path}")
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


def test_screenshots_for_review(site, browser):
    build_dir, base = site
    target = paths.BUILD_DIR / "screenshots" if build_dir == paths.BUILD_DIR else build_dir / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    for name, path in (("front-page", "chapters/index.html"), ("chapter-2", "chapters/ch2_occupations.html")):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/html/{path}", wait_until="load")
        page.screenshot(path=str(target / f"{name}.png"), full_page=True)
        page.close()
        assert (target / f"{name}.png").stat().st_size > 10_000
