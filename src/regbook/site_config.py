"""The site's addresses from one place in ``_config.yml``, applied to each edition's staged configuration.

``_config.yml`` states the repository (``repository.url``, ``repository.branch``, ``repository.path_to_book``) and
the site's base URL (``html.baseurl``, the address of the English book, ending in ``/``), and which buttons to
show. When the book is staged, ``with_site_urls`` derives from them everything that points outside the book:

- the repository, "edit this page" and "open issue" buttons and the launch buttons (Binder, Colab): shown only
  once ``repository.url`` is set (left on with no URL, Jupyter Book would refuse to build and the buttons would
  point nowhere);
- the edition's own base URL (``html.baseurl`` + its place on the site, ``regbook.site.site_path``: ``nl/``,
  ``regions/twente/``), from which Sphinx writes ``<link rel="canonical">`` on every page and the sitemap
  extension (sphinx-sitemap through ``helpers.sphinx_sitemap_serial``, added only when a base URL is set: without
  one it has nothing to write and warns) writes the edition's ``sitemap.xml``.

With both unset (the default while the repository is not public) the book has none of them, and nothing points to a
placeholder. The offline "download this page" button (the executed notebook) does not depend on either.
"""

from __future__ import annotations

import copy

#: The buttons that need the repository's URL (Jupyter Book's ``html.use_*`` keys).
REPOSITORY_BUTTONS = ("use_repository_button", "use_edit_page_button", "use_issues_button")
#: The launch services that need the repository's URL (Jupyter Book's ``launch_buttons`` keys).
LAUNCH_SERVICES = ("binderhub_url", "colab_url")
#: sphinx-sitemap, loaded without its multiprocessing manager (see helpers.sphinx_sitemap_serial).
SITEMAP_EXTENSION = "helpers.sphinx_sitemap_serial"


def repository_url(config: dict) -> str:
    """The repository's URL from ``repository.url`` ('' when unset), without a trailing slash."""
    return str((config.get("repository") or {}).get("url") or "").strip().rstrip("/")


def base_url(config: dict) -> str:
    """The site's base URL from ``html.baseurl`` ('' when unset), ending in '/'."""
    url = str((config.get("html") or {}).get("baseurl") or "").strip()
    return url.rstrip("/") + "/" if url else ""


def with_site_urls(config: dict, site_path: str = "") -> dict:
    """A copy of the book's configuration for the edition at ``site_path`` on the site (see the module's docstring)."""
    config = copy.deepcopy(config)
    html = config.setdefault("html", {})
    repo = repository_url(config)
    if not repo:
        for button in REPOSITORY_BUTTONS:
            html[button] = False
        launch = config.setdefault("launch_buttons", {})
        for service in LAUNCH_SERVICES:
            launch[service] = ""
    else:
        config["repository"]["url"] = repo
    base = base_url(config)
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    extensions = [name for name in sphinx.get("extensions", []) if name != SITEMAP_EXTENSION]
    if base:
        html["baseurl"] = base + site_path
        extensions.append(SITEMAP_EXTENSION)
        # every edition is a site of its own, in one language: the page's address is the base URL and its path
        sphinx["sitemap_url_scheme"] = "{link}"
        sphinx["sitemap_locales"] = [None]
        sphinx["sitemap_excludes"] = ["search.html", "genindex.html"]
    else:
        html.pop("baseurl", None)
    if "extensions" in sphinx:
        sphinx["extensions"] = extensions
    elif base:  # Jupyter Book's default extensions, and this one
        config["sphinx"]["extra_extensions"] = [*config["sphinx"].get("extra_extensions", []), SITEMAP_EXTENSION]
    return config
