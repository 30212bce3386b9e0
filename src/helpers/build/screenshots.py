"""Screenshots of a built site with headless Chromium, for review."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from .. import paths
from .planning import Variant


def take_screenshots(variant: Variant, log: Callable[[str], None] = print) -> list[Path]:
    """Screenshots of the front page and chapter 2 into ``_build/screenshots/`` with headless Chromium.

    Only pages whose html changed since their last screenshot are taken again (Chromium costs seconds per page).
    Best effort: skipped (with a message) where Chromium is not installed, or when ``REGBOOK_SCREENSHOTS=0``;
    never fails the build.
    """
    if os.environ.get("REGBOOK_SCREENSHOTS", "1") == "0":
        return []
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        log("screenshots skipped: Chromium is not installed (Debian package 'chromium')")
        return []
    target = paths.BUILD_DIR / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    taken = []
    for name, page in (("front-page", "chapters/index.html"), ("chapter-2", "chapters/ch2_occupations.html")):
        html = variant.layout.html / page
        if not html.exists():
            continue
        out = target / f"{variant.name}-{name}.png"
        shown = target / f".{variant.name}-{name}.sha256"  # the page the screenshot shows
        page_hash = hashlib.sha256(html.read_bytes()).hexdigest()
        if out.exists() and shown.exists() and shown.read_text() == page_hash:
            continue
        profile = tempfile.mkdtemp(prefix="chromium-")
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--window-size=1280,2400",
               f"--screenshot={out}", html.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=120, check=True)
            shown.write_text(page_hash)
            taken.append(out)
        except (subprocess.SubprocessError, OSError) as exc:
            log(f"screenshot of {page} failed: {exc}")
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    return taken
