"""A user's string is text on every path into a page (issue 28, item 1): the book's title in the theme's templates
(a real Sphinx build with the book's theme), Open Graph tags, the landing page, the PDF's joined document and the
staged configuration. The whole site built from a hostile region file is checked in a browser in test_site.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import paths
from tests import hostile
from tests.conftest import use_build_dir

TITLE = f"Regional dynamics: {hostile.NAME}"
DESCRIPTION = 'Shares of <script>window.__injected=6</script> & "quoted" R&amp;D'


def injected(soup: BeautifulSoup) -> list[str]:
    """Where a page would run the hostile text: script elements or event attributes that carry its marker, and
    elements the text would have made (its image)."""
    found = [f"<script>{s.string[:60]}" for s in soup.find_all("script") if s.string and hostile.MARKER in s.string]
    for tag in soup.find_all(True):
        found += [
            f"<{tag.name} {name}=...>"
            for name, value in tag.attrs.items()
            if name.startswith("on") and hostile.MARKER in str(value)
        ]
    found += [f"<img src={img['src']}>" for img in soup.find_all("img", src="x")]
    return found


@pytest.fixture(scope="module")
def themed_site(tmp_path_factory) -> Path:
    """A one-page Sphinx site in the book's theme, titled with the hostile name, with the book's extensions for
    Open Graph tags and for the title (helpers.sphinx_text)."""
    source = tmp_path_factory.mktemp("themed")
    conf = {
        "project": "p",
        "html_title": TITLE,
        "html_theme": "sphinx_book_theme",
        "extensions": ["sphinxext.opengraph", "helpers.sphinx_text"],
        "ogp_social_cards": {"enable": False},
    }
    (source / "conf.py").write_text("".join(f"{key} = {value!r}\n" for key, value in conf.items()), encoding="utf-8")
    (source / "index.rst").write_text(f"Page\n====\n\n{DESCRIPTION}\n", encoding="utf-8")
    out = source / "_build"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return out


def test_the_title_is_text_in_the_navigation_bar_and_every_title_element(themed_site):
    """The pydata theme printed the title raw in the navigation bar and in the search page's <title>; Sphinx's own
    templates escape it. Each shows it once escaped: as text, never as markup, never as '&amp;lt;'."""
    for page, title in (
        ("index.html", f"Page \u2014 {TITLE}"),
        ("search.html", f"Search - {TITLE}"),
        ("genindex.html", f"Index \u2014 {TITLE}"),
    ):
        soup = BeautifulSoup((themed_site / page).read_text(encoding="utf-8"), "html.parser")
        assert injected(soup) == [], page
        assert soup.title.get_text() == title, page
        assert [p.get_text() for p in soup.select(".logo__title")] == [TITLE], page


def test_open_graph_tags_hold_a_pages_text_as_text(themed_site):
    """sphinxext-opengraph escapes the description it takes from a page (Sphinx's smart quotes aside)."""
    soup = BeautifulSoup((themed_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = DESCRIPTION.replace('"quoted"', "\u201cquoted\u201d")
    assert soup.find("meta", property="og:description")["content"] == shown
    assert soup.find("meta", attrs={"name": "description"})["content"] == shown
    assert injected(soup) == []


def test_the_landing_page_names_a_region_as_text(tmp_path, monkeypatch):
    from regbook import batch, landing

    use_build_dir(monkeypatch, tmp_path / "_build")
    variants = batch.region_file_variants([str(hostile.write(tmp_path))])
    variants[0].layout.html.mkdir(parents=True)
    (variants[0].layout.html / "index.html").write_text("<p>built</p>")  # the page links only built books
    soup = BeautifulSoup(landing.write_landing_page(variants).read_text(encoding="utf-8"), "html.parser")
    assert injected(soup) == []
    link = soup.find("a", href=f"{hostile.REGION_ID}/html/index.html")
    assert link.get_text() == hostile.NAME


def test_the_staged_title_and_the_pdf_edition_show_the_name_as_text(tmp_path, monkeypatch):
    """The staged _config.yml carries the name exactly (YAML, not markup), and the PDF's joined document (title
    page, contents) escapes it where the site's pages do not already."""
    from regbook import batch, chapters, pdf, staging

    use_build_dir(monkeypatch, tmp_path / "_build")
    variant = batch.region_file_variants([str(hostile.write(tmp_path))])[0]
    staging.stage(variant, [])
    staged = yaml.safe_load((variant.layout.staging / "_config.yml").read_text(encoding="utf-8"))
    book_title = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert staged["title"] == f"{book_title}: {hostile.NAME}"
    for entry in chapters.toc_entries():  # a stand-in site: each page's article, its heading naming the region
        page = variant.layout.html / f"{entry}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        heading = f"About {hostile.NAME}".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        page.write_text(
            f"<html><head><title>t</title></head><body><article><h1>{heading}</h1></article></body></html>",
            encoding="utf-8",
        )
    soup = BeautifulSoup(pdf.print_document(variant), "html.parser")
    assert injected(soup) == []
    assert soup.title.get_text() == staged["title"]
    assert soup.select_one(".print-title h1").get_text() == staged["title"]
    assert f"Focus region: {hostile.NAME}." in soup.select_one(".print-title").get_text()
    assert {li.get_text() for li in soup.select(".print-toc li")} == {f"About {hostile.NAME}"}
