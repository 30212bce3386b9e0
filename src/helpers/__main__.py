"""``python -m helpers``: the book's command line (see ``helpers.cli``)."""

from .cli import main

raise SystemExit(main())
