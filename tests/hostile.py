"""Hostile text for the tests of issue 28: a region file whose name, source and provenance try every way into a page.

Each part of ``NAME`` would run a script, break out of an attribute, a comment or a template, or be read as markup
if any path printed it raw: a ``</title>`` closing the page's title, a script, an attribute breakout, an image with
``onerror``, Jinja and %-formatting, a backslash, right-to-left marks, an HTML entity that must stay literal, an
SVG comment's end and Matplotlib mathtext (invalid and valid). A script that runs sets ``window.__injected``.
"""

from __future__ import annotations

from pathlib import Path

from helpers import examples, region_file

NAME = (
    'Ev</title><script>window.__injected=1</script>"onmouseover="window.__injected=2" '
    "<img src=x onerror=window.__injected=3> {{ 7*7 }} {% if 1 %}%s%(x)s{% endif %} \\ "
    "\u202eRTL\u202c \u200f &amp; --> $\\frac{1}{$ $x^2$ ' end"
)
SOURCE = '<b onmouseover="window.__injected=4">src</b> {{ 1 }}'
REGION_ID = "hostile-region"
#: What may never appear in a page: the markers of a script that came from the hostile text.
MARKER = "__injected"


def write(folder: Path, name: str = NAME, region_id: str = REGION_ID) -> Path:
    """A valid region file (the example rest of the Netherlands) named ``name``, with hostile source and
    provenance texts; returns its path."""
    example = region_file.load(Path(examples.EXAMPLES_DIR) / "rest-of-nl.csv", register=False)
    provenance = {
        "source": SOURCE,
        "table_id": "<i>T</i>",
        "retrieved": "2024-01-31",
        "query": '"><script>window.__injected=5</script>',
        "concept": "employees, December {{ x }}",
    }
    return region_file.write(
        folder / f"{region_id}.csv",
        region_id,
        name,
        "NL",
        example.employees,
        example.reference_year,
        SOURCE,
        provenance,
    )
