"""``python -m helpers``: the book's command line (see ``helpers.build.cli``)."""

from .build.cli import main

raise SystemExit(main())
