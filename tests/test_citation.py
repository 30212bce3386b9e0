"""The front page's citation lines match CITATION.cff and the data package's licence."""

from __future__ import annotations

import json

import yaml

from helpers import citation, paths


def test_citation_lines_come_from_citation_cff():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    line = citation.edition_citation()
    assert cff["title"] in line and f"version {cff['version']}" in line and str(cff["date-released"])[:4] in line
    report = citation.report_reference()
    # the report: J.P. van den Toren and H. Blom, Regionale dynamiek en beroepsonderwijs, NEF 2016 (its title page)
    assert report.startswith("Van den Toren, J.P. & Blom, H. (2016). Regionale dynamiek en beroepsonderwijs.")
    assert "Nationaal Economisch Forum" in report


def test_licence_line_names_both_licences():
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert citation.licence_line().startswith(
        "The code is free to reuse under the MIT licence and the data files under CC BY 4.0"
    )


def test_front_page_html_marks_the_dutch_title():
    text = citation.front_page_html()
    assert '<cite lang="nl">Regionale dynamiek en beroepsonderwijs</cite>' in text
    assert "http" not in text  # the report is cited as a reference; no address is known for it
