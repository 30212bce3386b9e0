"""The landing page that links every region variant."""

from __future__ import annotations

import html
from pathlib import Path

from helpers import paths, regions
from .export import _write_atomic
from .planning import Variant


def write_landing_page(variants: list[Variant]) -> Path:
    """``_build/regions/index.html``: one link per region variant."""
    items = "\n".join(
        f'<li><a href="{v.name}/html/index.html">{html.escape(regions.name(v.name))}</a> '  # a user's file names it
        f'<span class="id">({v.name})</span></li>' for v in variants
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Regional dynamics and vocational education: the book per region</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.5}} .id{{color:#666}}</style></head>
<body><h1>Regional dynamics and vocational education</h1>
<p>The same book, run with each study region as its focus. Every number, chart and paragraph about the focus
region is computed for it.</p>
<ul>
{items}
</ul></body></html>
"""
    target = paths.BUILD_DIR / "regions" / "index.html"
    _write_atomic(target, page)
    return target
