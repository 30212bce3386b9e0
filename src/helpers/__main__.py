"""``python -m helpers``: the book's command line, kept for those who know it by this name; the tool is the
package ``regbook`` beside this library (``python -m regbook``). ``fetch`` (``helpers.fetch``) needs no build
stack and is dispatched here."""

import sys

if sys.argv[1:2] == ["fetch"]:
    from .fetch.cli import main as fetch_main

    raise SystemExit(fetch_main())

from regbook.__main__ import main  # noqa: E402

raise SystemExit(main())
