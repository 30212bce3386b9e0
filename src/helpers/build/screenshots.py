"""Screenshots of a built site with headless Chromium, for review."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from .. import paths
from .planning import Variant


def take_screenshots(variant: Variant, log: Callable[[str], None] = print) -> list[Path]:
    """Screenshots of the front page and chapter 2 into ``_build/screenshots/`` with headless Chromium.

    Best effort: skipped (with a message) where Chromium is not installed; never fails the build.
    """
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
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}", "--window-size=1280,2400",
               f"--screenshot={out}", html.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=120, check=True)
            taken.append(out)
        except (subprocess.SubprocessError, OSError) as exc:
            log(f"screenshot of {page} failed: {exc}")
    return taken
