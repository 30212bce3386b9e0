"""Screenshots of every page of a built site at a laptop's and a phone's width, for review."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

from helpers import paths

from .chapters import toc_entries
from .planning import Variant
from .reader_screenshots import screenshot_pages

#: The reader sizes of the review screenshots (CSS pixels of the viewport): a laptop and a phone.
SIZES = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}
#: Chromium's options for a headless run that reaches nothing on the network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def take_screenshots(variant: Variant, log: Callable[[str], None] = print) -> list[Path]:
    """Full-page screenshots of every page of the book at a laptop's and a phone's width, for review, into
    ``_build/screenshots/<variant>/<page>-<size>.png`` (Playwright driving Debian's Chromium).

    Taken only when asked for (``build --screenshots``, ``make screenshots``): they are a tool for reviewers, and
    cost a few seconds per page. Only pages whose html changed since their last screenshots are taken again. Best
    effort: skipped (with a message) where Chromium is not installed; never fails the build. Returns the
    screenshots taken.
    """
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        log("screenshots skipped: Chromium is not installed (Debian package 'chromium')")
        return []
    target = paths.BUILD_DIR / "screenshots" / variant.name
    stale: dict[str, tuple[Path, str]] = {}  # page (relative html path) -> (stamp file, hash of its html)
    for entry in toc_entries():
        html = variant.layout.html / f"{entry}.html"
        if not html.exists():
            continue
        name = Path(entry).name
        stamp = target / f".{name}.sha256"  # the html the screenshots show
        page_hash = hashlib.sha256(html.read_bytes()).hexdigest()
        shots = [target / f"{name}-{size}.png" for size in SIZES]
        if not (stamp.exists() and stamp.read_text() == page_hash and all(shot.exists() for shot in shots)):
            stale[f"{entry}.html"] = (stamp, page_hash)
    if not stale:
        return []
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
            try:
                taken = screenshot_pages(browser, variant.layout.html.as_uri(), list(stale), target, SIZES)
            finally:
                browser.close()
    except Exception as exc:  # a review aid: a browser fault is reported, never a failed build
        log(f"screenshots of {variant.name} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        return []
    for stamp, page_hash in stale.values():
        stamp.write_text(page_hash)
    return taken
