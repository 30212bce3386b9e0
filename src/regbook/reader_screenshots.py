"""Screenshots of every page of a served book at a reader's sizes (laptop and phone), for review.

It takes an open Playwright browser: the build (``screenshots.take_screenshots``) launches one for the pages that
changed, and the browser tests that already drive the site pass theirs.
"""

from __future__ import annotations

from pathlib import Path


def screenshot_pages(
    browser, base_url: str, pages: list[str], target: Path, sizes: dict[str, dict[str, int]]
) -> list[Path]:
    """Full-page PNGs of each page at each size, named ``<page>-<size>.png`` in ``target``; returns their paths.

    ``pages`` are paths below ``base_url`` ('chapters/ch1_world.html'); ``sizes`` maps a name to a Playwright
    viewport ({'width': 1366, 'height': 800}).
    """
    target.mkdir(parents=True, exist_ok=True)
    taken = []
    for size_name, viewport in sizes.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            for path in pages:
                page.goto(f"{base_url}/{path}", wait_until="load")
                page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
                page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=30000)
                out = target / f"{Path(path).stem}-{size_name}.png"
                page.screenshot(path=str(out), full_page=True)
                taken.append(out)
        finally:
            context.close()
    return taken
