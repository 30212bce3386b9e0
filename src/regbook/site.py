"""``make site``: one folder to publish, ``_build/site/``, from the editions that have been built.

The English book is the site's root; the Dutch edition (``_build/nl/html``) goes under ``nl/``; each region's
variant (``_build/regions/<id>/html``) under ``regions/<id>/``, its Dutch edition under ``regions/<id>/nl/``, and
the regions' landing page (``_build/regions/index.html``) to ``regions/index.html``. Whatever editions exist are
copied, and the command says which; only the English book is required. ``site_path`` is the one statement of where
an edition lives on the site (the sitemap's and canonical links' base URLs are derived from it when the book is
staged: ``regbook.site_config``).

    python -m regbook.site        # (make site) -> _build/site/
"""

from __future__ import annotations

import re
import shutil
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers import paths

SITE_FOLDER = "site"
#: The site's index of the editions' sitemaps (each edition's own ``sitemap.xml`` lists its pages).
SITEMAP_INDEX = "sitemap_index.xml"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Languages of an edition besides the default (English) one, each in a folder of that name.
OTHER_LANGUAGES = ("nl",)


class SiteError(RuntimeError):
    """The site cannot be assembled (no English book built)."""


def site_path(variant: str = "default", language: str = "en") -> str:
    """Where an edition lives on the site, relative to its root: '' (English book), 'nl/', 'regions/twente/',
    'regions/twente/nl/'."""
    base = "" if variant == "default" else f"regions/{variant}/"
    return base if language == "en" else f"{base}{language}/"


def built_path(build_dir: Path, variant: str = "default", language: str = "en") -> Path:
    """Where a build leaves an edition's HTML: ``_build/html``, ``_build/nl/html``, ``_build/regions/<id>/html``,
    ``_build/regions/<id>/nl/html``."""
    base = build_dir if variant == "default" else build_dir / "regions" / variant
    return base / "html" if language == "en" else base / language / "html"


@dataclass(frozen=True)
class Edition:
    """One built edition: its variant ("default" or a region id), language and folders."""

    variant: str
    language: str
    source: Path

    @property
    def target(self) -> str:
        return site_path(self.variant, self.language)

    def describe(self) -> str:
        what = "the book" if self.variant == "default" else f"region {self.variant}"
        return f"{what} ({self.language}) -> /{self.target}"


def _built(folder: Path) -> bool:
    return (folder / "index.html").is_file()


def editions(build_dir: Path) -> list[Edition]:
    """The editions built in ``build_dir``, the English book first, then its other languages, then the regions."""
    found = []
    region_dir = build_dir / "regions"
    regions = sorted(p.name for p in region_dir.iterdir() if p.is_dir()) if region_dir.is_dir() else []
    for variant in ["default", *regions]:
        for language in ("en", *OTHER_LANGUAGES):
            source = built_path(build_dir, variant, language)
            if _built(source):
                found.append(Edition(variant, language, source))
    return found


#: A link of a landing page to a region's book, as ``regbook.landing`` writes it (``<id>/html/index.html``, and
#: from another edition's landing page ``../<id>/<language>/html/index.html``).
_LANDING_LINK = re.compile(r'href="((?:\.\./)?[^"/]+(?:/[a-z]{2})?)/html/index\.html"')


def landing_page_for_site(html: str) -> str:
    """A landing page with its links pointing at the regions' places on the site (``<id>/``, ``../<id>/nl/``, not
    ``<id>/html/index.html``)."""
    return _LANDING_LINK.sub(r'href="\1/"', html)


def _ignore_hidden(folder: str, names: list[str]) -> list[str]:
    """Build bookkeeping (``.build-fingerprint``, ``.buildinfo``) stays out of the site."""
    return [name for name in names if name.startswith(".")]


def configured_base_url() -> str:
    """The site's base URL from ``_config.yml`` (``html.baseurl``; '' when unset)."""
    from .site_config import base_url

    return base_url(yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8")) or {})


def write_sitemap_index(site: Path, base: str, found: list[Edition]) -> Path | None:
    """``sitemap_index.xml``: the address of every edition's ``sitemap.xml`` on the site (None when none has one)."""
    index = ElementTree.Element("sitemapindex", xmlns=SITEMAP_NAMESPACE)
    for edition in found:
        if (site / edition.target / "sitemap.xml").is_file():
            entry = ElementTree.SubElement(index, "sitemap")
            ElementTree.SubElement(entry, "loc").text = f"{base}{edition.target}sitemap.xml"
    if not len(index):
        return None
    target = site / SITEMAP_INDEX
    ElementTree.ElementTree(index).write(target, encoding="utf-8", xml_declaration=True)
    return target


def assemble(build_dir: Path | None = None, log=print, base_url: str | None = None) -> Path:
    """Write ``<build>/site`` from the built editions (replacing the previous one only once the new one is
    complete); return its path. With a base URL (default: ``_config.yml``'s) it also writes ``sitemap_index.xml``.
    Raises ``SiteError`` when the English book has not been built."""
    build_dir = Path(build_dir or paths.BUILD_DIR)
    base = configured_base_url() if base_url is None else base_url
    found = editions(build_dir)
    if not found or (found[0].variant, found[0].language) != ("default", "en"):
        raise SiteError(f"no book built in {built_path(build_dir)}: run `make book` first")
    site = build_dir / SITE_FOLDER
    incoming = build_dir / f".{SITE_FOLDER}-incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    # the English book first: the others go into folders inside it
    for edition in found:
        shutil.copytree(edition.source, incoming / edition.target, ignore=_ignore_hidden, dirs_exist_ok=True)
        log(f"site: {edition.describe()}")
    for language in ("en", *OTHER_LANGUAGES):
        where = "regions" if language == "en" else f"regions/{language}"
        landing = build_dir / where / "index.html"
        if landing.is_file():
            (incoming / where).mkdir(parents=True, exist_ok=True)
            (incoming / where / "index.html").write_text(
                landing_page_for_site(landing.read_text(encoding="utf-8")), encoding="utf-8"
            )
            log(f"site: the regions' landing page ({language}) -> /{where}/")
    missing = [
        language
        for language in OTHER_LANGUAGES
        if not any(e.variant == "default" and e.language == language for e in found)
    ]
    for language in missing:
        log(f"site: no {language} edition built ({built_path(build_dir, 'default', language)}): not included")
    if not any(e.variant != "default" for e in found):
        log("site: no region variants built (make book-regions): not included")
    if base and write_sitemap_index(incoming, base, found):
        log(f"site: the editions' sitemaps listed in /{SITEMAP_INDEX}")
    (incoming / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ and _images/ as they are
    shutil.rmtree(site, ignore_errors=True)
    incoming.rename(site)
    log(f"site: {site}")
    return site


def main(argv: list[str] | None = None) -> int:
    try:
        assemble()
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
