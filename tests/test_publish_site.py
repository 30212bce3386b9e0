"""``make site`` (regbook.site): the built editions assembled into one folder to publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from regbook import site


def _edition(folder: Path, title: str) -> None:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<title>{title}</title>")
    (folder / "chapters").mkdir()
    (folder / "chapters" / "ch1_world.html").write_text(title)
    (folder / ".build-fingerprint").write_text("abc")


def test_site_paths_are_the_documented_layout():
    assert [
        site.site_path(),
        site.site_path("default", "nl"),
        site.site_path("twente"),
        site.site_path("twente", "nl"),
    ] == ["", "nl/", "regions/twente/", "regions/twente/nl/"]


def test_every_built_edition_is_copied_to_its_place_and_the_log_says_which(tmp_path):
    _edition(tmp_path / "html", "en")
    _edition(tmp_path / "nl" / "html", "nl")
    _edition(tmp_path / "regions" / "twente" / "html", "twente")
    _edition(tmp_path / "regions" / "emsland" / "html", "emsland")
    (tmp_path / "regions" / "index.html").write_text(
        '<a href="twente/html/index.html">Twente</a> <a href="emsland/html/index.html">Emsland</a>'
    )
    lines = []
    out = site.assemble(tmp_path, log=lines.append, base_url="")
    assert out == tmp_path / "site"
    assert (out / "index.html").read_text() == "<title>en</title>"
    assert (out / "nl" / "chapters" / "ch1_world.html").read_text() == "nl"
    assert (out / "regions" / "twente" / "index.html").read_text() == "<title>twente</title>"
    assert (out / "regions" / "index.html").read_text() == (
        '<a href="twente/">Twente</a> <a href="emsland/">Emsland</a>'
    )
    assert not list(out.rglob(".build-fingerprint")) and (out / ".nojekyll").exists()
    assert "site: the book (nl) -> /nl/" in lines and "site: region twente (en) -> /regions/twente/" in lines
    assert not any("not included" in line for line in lines)


def test_the_dutch_landing_page_goes_to_regions_nl_and_links_the_dutch_books(tmp_path):
    _edition(tmp_path / "html", "en")
    _edition(tmp_path / "regions" / "twente" / "nl" / "html", "twente nl")
    (tmp_path / "regions" / "nl").mkdir(parents=True)
    (tmp_path / "regions" / "nl" / "index.html").write_text('<a href="../twente/nl/html/index.html">Twente</a>')
    lines = []
    out = site.assemble(tmp_path, log=lines.append, base_url="")
    assert (out / "regions" / "nl" / "index.html").read_text() == '<a href="../twente/nl/">Twente</a>'
    assert (out / "regions" / "twente" / "nl" / "index.html").read_text() == "<title>twente nl</title>"
    assert "site: the regions' landing page (nl) -> /regions/nl/" in lines


def test_a_missing_dutch_edition_and_regions_are_named_and_left_out(tmp_path):
    _edition(tmp_path / "html", "en")
    (tmp_path / "site" / "old").mkdir(parents=True)  # a previous site is replaced, not merged
    lines = []
    out = site.assemble(tmp_path, log=lines.append, base_url="")
    assert sorted(p.name for p in out.iterdir()) == [".nojekyll", "chapters", "index.html"]
    assert any(line.startswith("site: no nl edition built") for line in lines)
    assert any(line.startswith("site: no region variants built") for line in lines)


def test_without_the_english_book_nothing_is_written(tmp_path, capsys):
    _edition(tmp_path / "regions" / "twente" / "html", "twente")
    with pytest.raises(site.SiteError, match="no book built in .*html: run `make book` first"):
        site.assemble(tmp_path, log=lambda line: None)
    assert not (tmp_path / "site").exists()


def test_with_a_base_url_the_site_lists_every_editions_sitemap(tmp_path):
    import xml.etree.ElementTree as ElementTree

    for folder in (tmp_path / "html", tmp_path / "nl" / "html", tmp_path / "regions" / "twente" / "html"):
        _edition(folder, folder.parent.name)
        (folder / "sitemap.xml").write_text("<urlset/>")
    base = "https://example-org.github.io/regional-book/"
    out = site.assemble(tmp_path, log=lambda line: None, base_url=base)
    index = ElementTree.parse(out / "sitemap_index.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] == [
        base + "sitemap.xml",
        base + "nl/sitemap.xml",
        base + "regions/twente/sitemap.xml",
    ]
    assert (out / "regions" / "twente" / "sitemap.xml").is_file()
