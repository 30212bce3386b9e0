"""Sphinx extension: sphinx-sitemap without its multiprocessing manager, for a serial build.

sphinx-sitemap collects each page's address in a ``multiprocessing.Manager().Queue()`` (so that parallel writers
can share it), which starts a server process for every build. In the book's warm compiles (``regbook.compile_server``
forks a child per compile) that process kept the child from exiting: each compile with a base URL left a hung
process behind. The book compiles serially (no ``-j``), where an ordinary ``queue.Queue`` does the same job, so this
extension loads sphinx-sitemap with one; a parallel build keeps the manager. ``regbook.site_config`` adds it, in
place of ``sphinx_sitemap``, when the site has a base URL.
"""

from __future__ import annotations

import queue


class _InProcessManager:
    """What sphinx-sitemap asks of ``multiprocessing.Manager()``: a queue, here in this process."""

    def Queue(self) -> queue.Queue:  # noqa: N802 (the name sphinx-sitemap calls)
        return queue.Queue()


def setup(app):
    import sphinx_sitemap

    if app.parallel <= 1:
        sphinx_sitemap.Manager = _InProcessManager
    app.setup_extension("sphinx_sitemap")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
