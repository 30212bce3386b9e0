"""How to cite this edition and the report it edits, read from ``CITATION.cff`` (one source for both)."""

from __future__ import annotations

from pathlib import Path

from . import paths
from .i18n import _


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
    return _("{authors} ({year}). {title} (version {version}).").format(
        authors=_authors(cff["authors"]), year=year, title=cff["title"], version=cff["version"]
    )


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
    return _(
        "The code is free to reuse under the {code_licence} licence and the data files under {data_licence}; "
        "the report itself remains the work of its authors."
    ).format(code_licence=cff["license"], data_licence=data_licence)


def front_page_html(path: Path | None = None) -> str:
    """The front page's citation, reference and licence lines as HTML (the report's Dutch title marked nl)."""
    import html

    cff = _cff(path)
    ref = cff["references"][0]
    report = html.escape(report_reference(path)).replace(
        html.escape(ref["title"]), f'<cite lang="nl">{html.escape(ref["title"])}</cite>', 1
    )
    edition = html.escape(edition_citation(path)).replace(
        html.escape(cff["title"]), f"<cite>{html.escape(cff['title'])}</cite>", 1
    )
    words = {
        key: html.escape(text, quote=False)
        for key, text in {
            "cite": _("Cite this edition as:"),
            "tools": _("The file {file} beside its sources holds the same reference for citation tools."),
            "original": _("The original report:"),
            "findings": _(
                "Cite it for its findings; this edition recomputes them and keeps the report's voice apart "
                "from its own."
            ),
            "licence": _("Licence:"),
        }.items()
    }
    tools = words["tools"].format(file="<code>CITATION.cff</code>")
    return (
        f'<div class="front-citation"><p><strong>{words["cite"]}</strong> {edition} {tools}</p>'
        f"<p><strong>{words['original']}</strong> {report} {words['findings']}</p>"
        f"<p><strong>{words['licence']}</strong> {html.escape(licence_line(path))}</p></div>"
    )
