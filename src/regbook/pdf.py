"""The PDF edition: a built variant's pages joined into one HTML document and printed with Debian's Chromium.

The LaTeX route drops the book's raw-HTML tables and figures, and Jupyter Book's ``pdfhtml`` builder downloads a
browser; this prints the site itself (its stylesheet's print rules wrap tables and hide controls) with the
Chromium the machine has, driven by Playwright. The document opens with a title page (the variant's focus
region and the data version) and a table of contents; every page carries its number.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from helpers import paths, regions

from .chapters import toc_entries
from .layout import BuildError
from .planning import Variant

#: Where the PDF of a variant goes, beside its html folder.
PDF_NAME = "book.pdf"
_MISSING_CHROMIUM = (
    "the PDF edition is printed with Chromium, which is not installed: install Debian's package "
    "'chromium' (apt-get install chromium; .ci/run does this) and run `make pdf` again"
)

_PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
html, body { background: #fff !important; }
html, body, main.bd-main, .bd-content, .bd-article-container, .print-chapter {
  display: block !important; width: auto !important; min-width: 0 !important; max-width: 100% !important;
  margin: 0 !important; padding: 0 !important; overflow: visible !important;
}
body { font-size: 10.5pt; }
.print-chapter table { font-size: 8pt !important; }
.print-chapter th, .print-chapter td { padding: 2pt 3pt !important; }
.print-title { break-after: page; padding-top: 30vh; }
.print-title h1 { font-size: 24pt; margin-bottom: 1rem; }
.print-title p { font-size: 12pt; margin: 0.3rem 0; }
.print-toc { break-after: page; }
.print-toc ol { font-size: 12pt; line-height: 1.8; }
.print-chapter { break-before: page; }
.print-chapter .cell_input, .print-chapter details.hide-input, .print-chapter .toggle-details,
.print-chapter .headerlink, .print-chapter .table-controls, .print-chapter a.figure-full,
.print-chapter a.data-download { display: none !important; }
"""

_FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#333;">'
    '<span class="title"></span> \u2014 page <span class="pageNumber"></span> of '
    '<span class="totalPages"></span></div>'
)


def find_chromium() -> str | None:
    """Path of the Chromium executable (Debian's package), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _absolute_urls(fragment, page: Path) -> None:
    """Make relative src/href of resources absolute file URIs, so the joined document can live anywhere."""
    for tag, attr in (("img", "src"), ("link", "href"), ("script", "src"), ("source", "src")):
        for node in fragment.find_all(tag):
            url = node.get(attr)
            if url and not re.match(r"^[a-z]+:|^#", url):
                node[attr] = (page.parent / url.split("#")[0]).resolve().as_uri()


def _internal_links(fragment, prefix: str, page_ids: dict[str, str]) -> None:
    """Prefix the ids of one page and point links between the book's pages at the joined document's anchors."""
    for node in fragment.find_all(id=True):
        node["id"] = f"{prefix}--{node['id']}"
    for a in fragment.find_all("a", href=True):
        href = a["href"]
        if re.match(r"^[a-z]+:", href):
            continue
        target, _, anchor = href.partition("#")
        name = Path(target).name if target else None
        if name is None:
            a["href"] = f"#{prefix}--{anchor}" if anchor else "#"
        elif name in page_ids:
            a["href"] = f"#{page_ids[name]}--{anchor}" if anchor else f"#{page_ids[name]}"


def print_document(variant: Variant) -> str:
    """One HTML document of the whole built book of ``variant``: title page, contents, then every chapter."""
    from bs4 import BeautifulSoup

    html_dir = variant.layout.html
    pages = [html_dir / f"{entry}.html" for entry in toc_entries()]
    missing = [p for p in pages if not p.exists()]
    if missing:
        raise BuildError(f"the site of {variant.name} is not built ({missing[0]} is missing): run `make book` first")
    page_ids = {p.name: f"page-{p.stem}" for p in pages}
    first = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    styles = []
    for link in first.head.find_all("link", rel="stylesheet"):
        href = link.get("href", "")
        if not re.match(r"^[a-z]+:", href):
            href = (pages[0].parent / href.split("?")[0]).resolve().as_uri()
        styles.append(f'<link rel="stylesheet" href="{href}">')

    chapters, contents = [], []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup.body
        heading = article.find("h1")
        name = heading.get_text(" ", strip=True).rstrip("#").strip() if heading else page.stem
        for node in article.select(
            ".cell_input, details.hide-input, .headerlink, script, .table-controls, .edition-switch"
        ):
            node.decompose()
        for img in article.find_all("img"):
            if img.get("loading") == "lazy":
                del img["loading"]
        _absolute_urls(article, page)
        _internal_links(article, page_ids[page.name], page_ids)
        contents.append(f'<li><a href="#{page_ids[page.name]}">{html.escape(name)}</a></li>')
        chapters.append(
            f'<section class="print-chapter bd-article" id="{page_ids[page.name]}">'
            f"{article.decode_contents()}</section>"
        )

    from .editions import translate

    def t(text: str) -> str:
        return translate(text, variant.language)

    focus = t("all six study regions (no focus region)") if variant.name == "default" else regions.name(variant.name)
    results = variant.layout.results / "results.json"
    data_version = ""
    if results.exists():
        data_version = json.loads(results.read_text(encoding="utf-8")).get("data", {}).get("version", "")
    if not data_version:
        from helpers import datapackage

        data_version = datapackage.data_version()
    book_title, focus, data_version = map(html.escape, (_book_title(variant), focus, data_version))  # text
    edition = html.escape(
        t("A reproducible edition of J.P. van den Toren and H. Blom, {title} (Nationaal Economisch Forum, 2016)."),
        quote=False,
    )
    edition = edition.format(title='<cite lang="nl">Regionale dynamiek en beroepsonderwijs</cite>')
    contents_title = html.escape(t("Contents"))
    return (
        f'<!DOCTYPE html><html lang="{variant.language}" data-theme="light"><head><meta charset="utf-8">'
        f"<title>{book_title}</title>{''.join(styles)}<style>{_PRINT_CSS}</style></head>"
        '<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">'
        f'<section class="print-title"><h1>{book_title}</h1><p>{edition}</p>'
        f"<p>{html.escape(t('Focus region: {focus}.')).format(focus=focus)}</p>"
        f"<p>{html.escape(t('Data version: {version}.')).format(version=data_version)}</p></section>"
        f'<nav class="print-toc" aria-label="{contents_title}"><h2>{contents_title}</h2><ol>{"".join(contents)}</ol>'
        "</nav>"
        f"{''.join(chapters)}</div></div></main></body></html>"
    )


def _book_title(variant: Variant) -> str:
    import yaml

    staged = variant.layout.staging / "_config.yml"
    config_file = staged if staged.exists() else paths.ROOT / "_config.yml"
    return str(yaml.safe_load(config_file.read_text(encoding="utf-8")).get("title", "Regional dynamics"))


def write_pdf(variant: Variant, log: Callable[[str], None] = print, browser=None) -> Path:
    """Print the built book of ``variant`` as one PDF (``<variant base>/book.pdf``); returns its path.

    ``browser``: an open Playwright browser to print with (else Debian's Chromium is started). Raises
    :class:`BuildError` with a clear message when Chromium is missing or the site is not built.
    """
    chromium = find_chromium()
    if chromium is None:
        raise BuildError(_MISSING_CHROMIUM)
    document = print_document(variant)
    work = variant.layout.build / ".pdf" / variant.layout.folder_name
    work.mkdir(parents=True, exist_ok=True)
    source = work / "book-print.html"
    source.write_text(document, encoding="utf-8")
    target = variant.layout.base / PDF_NAME
    partial = target.with_suffix(".pdf.partial")
    if browser is not None:
        _print(browser, source, partial)
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(
                executable_path=chromium,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            try:
                _print(own, source, partial)
            finally:
                own.close()
    partial.replace(target)
    log(f"{variant.name}: PDF -> {target}")
    return target


def _print(browser, source: Path, target: Path) -> None:
    """Print the joined document (A4, page numbers in the footer) once its images have loaded."""
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    try:
        page.goto(source.as_uri(), wait_until="load")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=60000)
        page.emulate_media(media="print")
        page.pdf(
            path=str(target),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=_FOOTER,
            margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
        )
    finally:
        page.close()


def write_pdfs(variants: list[Variant], log: Callable[[str], None] = print) -> int:
    """The PDF of each variant; 0 when all were written, 1 (after a one-line message) otherwise."""
    try:
        for variant in variants:
            write_pdf(variant, log)
    except BuildError as exc:
        log(f"error: {exc}")
        return 1
    return 0
