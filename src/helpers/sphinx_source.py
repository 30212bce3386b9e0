"""Sphinx extension: a page's links into the repository name its source, the MyST notebook ``chapters/<page>.md``.

The book is compiled from executed notebooks staged as ``chapters/<page>.ipynb``, which are not in the repository;
the theme's "edit this page" and "view source" links and the Binder launch link would name them. This extension
points them at the page's MyST Markdown source instead (Binder opens it as a notebook with jupytext, which the
requirements install; ``.binder/`` sets Binder up). Nothing here applies until a repository URL is set
(``regbook.site_config``).
"""

from __future__ import annotations

STAGED_SUFFIX = ".ipynb"
SOURCE_SUFFIX = ".md"


def _as_source(url: str) -> str:
    """'.../edit/main/chapters/ch1_world.ipynb' -> '.../edit/main/chapters/ch1_world.md'."""
    return url[: -len(STAGED_SUFFIX)] + SOURCE_SUFFIX if url.endswith(STAGED_SUFFIX) else url


def _buttons(buttons: list[dict]):
    """Every button of the theme's header, groups opened."""
    for button in buttons:
        yield button
        yield from _buttons(button.get("buttons", []))


def links_name_the_source(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``, after both themes' handlers: the edit URL function (which templates call) and the
    header's buttons into the repository and to Binder name ``<page>.md``. The download buttons (relative links to
    the executed notebook in ``_sources/``) are left as they are."""
    if context.get("page_source_suffix") != STAGED_SUFFIX:
        return
    original = context.get("get_edit_provider_and_url")
    if original is not None:

        def source_edit_url():
            provider, url = original()
            return provider, _as_source(url)

        context["get_edit_provider_and_url"] = source_edit_url
    staged, source = f"{pagename}{STAGED_SUFFIX}", f"{pagename}{SOURCE_SUFFIX}"
    for button in _buttons(context.get("header_buttons", [])):
        url = button.get("url", "")
        if url.startswith(("https://", "http://")):
            button["url"] = url.replace(staged, source)


def setup(app):
    # the book theme's buttons are made at priority 501 (the pydata theme's edit URL at 500, connected when the
    # theme loads, after the extensions): run after both
    app.connect("html-page-context", links_name_the_source, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
