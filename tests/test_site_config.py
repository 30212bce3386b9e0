"""The site's addresses from one place in _config.yml (regbook.site_config, helpers.sphinx_source): buttons,
launch links, canonical links and sitemaps appear once the URLs are set, and nothing points anywhere before."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import sphinx.locale
import yaml
from jupyter_book.config import yaml_to_sphinx
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from helpers import paths
from regbook.site import site_path
from regbook.site_config import SITEMAP_EXTENSION, with_site_urls

REPO = "https://github.com/example-org/regional-book"
BASE = "https://example-org.github.io/regional-book/"
#: The book's own configuration (read from the repository: the fixture book points paths.ROOT elsewhere).
BOOK_CONFIG = Path(__file__).resolve().parents[1] / "_config.yml"


def _book_config(repository: str = "", base: str = "") -> dict:
    config = yaml.safe_load(BOOK_CONFIG.read_text(encoding="utf-8"))
    config["repository"]["url"] = repository
    config["html"]["baseurl"] = base
    return config


def _sphinx_config(config: dict) -> dict:
    """The Sphinx configuration Jupyter Book makes of a book configuration (its updates merged, theme options
    together)."""
    recursive, override, _ = yaml_to_sphinx(config)
    merged = {**recursive, **override}
    merged["html_theme_options"] = {**recursive.get("html_theme_options", {}), **override.get("html_theme_options", {})}
    return merged


def test_the_book_config_keeps_its_urls_in_one_place_and_unset():
    config = yaml.safe_load(BOOK_CONFIG.read_text(encoding="utf-8"))
    assert config["repository"]["url"] == "" and config["html"]["baseurl"] == ""
    assert config["repository"]["branch"] == "main"
    text = BOOK_CONFIG.read_text(encoding="utf-8")
    assert "github.io" not in text.replace("e.g. https://OWNER.github.io/REPO/", "")


def test_with_the_urls_unset_there_are_no_buttons_links_or_sitemap():
    config = with_site_urls(_book_config(), site_path())
    assert not any(
        config["html"][key] for key in ("use_repository_button", "use_edit_page_button", "use_issues_button")
    )
    assert config["launch_buttons"]["binderhub_url"] == "" and config["launch_buttons"]["colab_url"] == ""
    assert "baseurl" not in config["html"]
    assert SITEMAP_EXTENSION not in config["sphinx"]["config"]["extensions"]
    with pytest.raises(ValueError, match="repository URL"):  # the buttons are on, the URL is not set
        _sphinx_config(_book_config())
    sphinx_config = _sphinx_config(config)
    assert "html_baseurl" not in sphinx_config
    assert sphinx_config["html_theme_options"]["use_download_button"] is True  # the offline notebook download


@pytest.mark.parametrize(
    "variant, language, expected",
    [
        ("default", "en", BASE),
        ("default", "nl", BASE + "nl/"),
        ("twente", "en", BASE + "regions/twente/"),
        ("twente", "nl", BASE + "regions/twente/nl/"),
    ],
)
def test_with_the_urls_set_every_edition_gets_its_base_url_buttons_and_sitemap(variant, language, expected):
    config = with_site_urls(_book_config(REPO + "/", BASE.rstrip("/")), site_path(variant, language))
    sphinx_config = _sphinx_config(config)
    assert sphinx_config["html_baseurl"] == expected
    options = sphinx_config["html_theme_options"]
    assert options["repository_url"] == REPO and options["repository_branch"] == "main"
    assert options["use_edit_page_button"] and options["use_issues_button"] and options["use_repository_button"]
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert sphinx_config["extensions"].count(SITEMAP_EXTENSION) == 1
    assert sphinx_config["sitemap_url_scheme"] == "{link}"


def test_a_repository_without_a_base_url_gets_buttons_but_no_sitemap():
    config = with_site_urls(_book_config(REPO), "")
    assert config["html"]["use_edit_page_button"] and SITEMAP_EXTENSION not in config["sphinx"]["config"]["extensions"]


def test_a_dutch_editions_sitemap_and_canonical_links_name_its_own_folder_once(tmp_path):
    """sphinx-sitemap's default scheme puts the language before each page ('nl/'); the edition's base URL already
    ends in nl/, so the book uses the scheme '{link}': no 'nl/nl/'. And it starts no process (unmarked test):
    sphinx-sitemap's multiprocessing manager is replaced by a queue in the build's process."""
    derived = with_site_urls(_book_config(REPO, BASE), site_path("default", "nl"))
    sitemap_options = {key: value for key, value in derived["sphinx"]["config"].items() if key.startswith("sitemap")}
    (tmp_path / "conf.py").write_text(
        f'extensions = ["myst_parser", "{SITEMAP_EXTENSION}"]\nlanguage = "nl"\n'
        f"html_baseurl = {derived['html']['baseurl']!r}\n"
        + "".join(f"{key} = {value!r}\n" for key, value in sitemap_options.items()),
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text("# Boek\n\n```{toctree}\npage\n```\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Pagina\n\nTekst.\n", encoding="utf-8")
    warnings = io.StringIO()
    sphinx.locale.translators.clear()
    with docutils_namespace():
        Sphinx(
            str(tmp_path),
            str(tmp_path),
            str(tmp_path / "_build"),
            str(tmp_path / "_doctrees"),
            "html",
            status=None,
            warning=warnings,
            freshenv=True,
        ).build()
    sphinx.locale.translators.clear()
    assert warnings.getvalue() == ""
    urls = sorted(
        loc.text for loc in ElementTree.parse(tmp_path / "_build" / "sitemap.xml").iter() if loc.tag.endswith("loc")
    )
    assert urls == [f"{BASE}nl/index.html", f"{BASE}nl/page.html"]
    page = (tmp_path / "_build" / "page.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE}nl/page.html" />' in page


# --- the book, built with the URLs set and unset (a staged copy of the real configuration) ---------------------


def _build_fixture_book(fixture_book: Path, repository: str, base: str, regions: tuple[str, ...] = ()):
    """Build the small fixture book under the real _config.yml with these URLs; return the build folder."""
    from tests.fixtures.fixture_book import build_book

    config = _book_config(repository, base)
    config["sphinx"]["config"].pop("glossary_page", None)
    (fixture_book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for region in (None, *regions):
        report = build_book(region=region)
        assert all(status == "built" for status in report.sites.values()), report.sites
    return paths.BUILD_DIR


def _hrefs(html: str, pattern: str) -> list[str]:
    return re.findall(rf'href="({pattern})"', html)


@pytest.mark.slow
def test_the_book_with_urls_set_has_buttons_canonical_links_and_sitemaps(fixture_book):
    build = _build_fixture_book(fixture_book, REPO, BASE, regions=("twente",))
    page = (build / "html" / "chapters" / "second.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE}chapters/second.html" />' in page
    assert _hrefs(page, re.escape(REPO) + r"/edit/main/chapters/second\.md") != []
    assert _hrefs(page, re.escape(REPO) + r"/issues/new\?[^\"]*") != []
    assert _hrefs(page, r"https://mybinder\.org/v2/gh/example-org/regional-book/main\?urlpath=tree/chapters/second\.md")
    assert not re.search(r"\.ipynb", " ".join(_hrefs(page, r"https://[^\"]*")))
    assert _hrefs(page, r"\.\./_sources/chapters/second\.ipynb")  # the offline download still works
    assert "colab" not in page.lower()
    sitemap = (build / "html" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}chapters/second.html</loc>" in sitemap
    region = build / "regions" / "twente" / "html"
    region_page = (region / "chapters" / "second.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE}regions/twente/chapters/second.html" />' in region_page
    assert f"<loc>{BASE}regions/twente/chapters/second.html</loc>" in (region / "sitemap.xml").read_text()


@pytest.mark.slow
def test_the_book_with_urls_unset_points_to_nothing_outside_itself(fixture_book):
    build = _build_fixture_book(fixture_book, "", "")
    html = build / "html"
    assert not (html / "sitemap.xml").exists()
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in text and "mybinder" not in text and "/edit/" not in text, page
        assert not re.search(r'href="https://github\.com', text), page
    assert _hrefs((html / "chapters" / "second.html").read_text(), r"\.\./_sources/chapters/second\.ipynb")
