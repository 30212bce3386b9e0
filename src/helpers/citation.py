"""How to cite this edition and the report it edits, read from ``CITATION.cff`` (one source for both)."""

from __future__ import annotations

from pathlib import Path

from . import paths


def _cff(path: Path | None = None) -> dict:
    import yaml

    return yaml.safe_load(Path(path or paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _authors(authors: list[dict]) -> str:
    names = []
    for a in authors:
        if "name" in a:
            names.append(a["name"])
        else:
            initials = "".join(f"{part[0]}." for part in a.get("given-names", "").replace("-", " ").split())
            family = a["family-names"]
            names.append(f"{family[0].upper()}{family[1:]}, {initials}")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]


def edition_citation(path: Path | None = None) -> str:
    """This edition as one reference line (authors, year, title, version), from ``CITATION.cff``."""
    cff = _cff(path)
    year = str(cff["date-released"])[:4]
    return f"{_authors(cff['authors'])} ({year}). {cff['title']} (version {cff['version']})."


def report_reference(path: Path | None = None) -> str:
    """The original report as one reference line, from the first entry of ``references`` in ``CITATION.cff``."""
    ref = _cff(path)["references"][0]
    return f"{_authors(ref['authors'])} ({ref['year']}). {ref['title']}. {ref['institution']['name']}."


def licence_line(path: Path | None = None) -> str:
    """Which licence covers what: the code's (``CITATION.cff``) and the data files' (``data/datapackage.json``)."""
    import json

    cff = _cff(path)
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    data_licence = package["licenses"][0]["name"].replace("CC-BY-", "CC BY ")
    return (f"The code is free to reuse under the {cff['license']} licence and the data files under "
            f"{data_licence}; the report itself remains the work of its authors.")


def front_page_html(path: Path | None = None) -> str:
    """The front page's citation, reference and licence lines as HTML (the report's Dutch title marked nl)."""
    import html

    cff = _cff(path)
    ref = cff["references"][0]
    report = html.escape(report_reference(path)).replace(
        html.escape(ref["title"]), f'<cite lang="nl">{html.escape(ref["title"])}</cite>', 1)
    edition = html.escape(edition_citation(path)).replace(
        html.escape(cff["title"]), f"<cite>{html.escape(cff['title'])}</cite>", 1)
    return (f'<div class="front-citation"><p><strong>Cite this edition as:</strong> {edition} '
            f"The file <code>CITATION.cff</code> beside its sources holds the same reference for citation tools.</p>"
            f"<p><strong>The original report:</strong> {report} Cite it for its findings; this edition recomputes "
            f"them and keeps the report's voice apart from its own.</p>"
            f"<p><strong>Licence:</strong> {html.escape(licence_line(path))}</p></div>")
