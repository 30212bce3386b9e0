"""``python -m helpers``: the book's command line (see ``helpers.build.cli``).

A ``build`` whose inputs and outputs are all as the last successful build left them stops here, before the build
stack is imported (``helpers.build.fingerprint``). Any other ``build`` starts the warm Jupyter Book first
(``helpers.build.compile_server``), so that its imports overlap the planning and the execution.
"""

import sys

if sys.argv[1:2] == ["fetch"]:  # official statistics (helpers.fetch): the build stack is not needed
    from .fetch.cli import main as fetch_main

    raise SystemExit(fetch_main())

from .build.fingerprint import fast_path  # noqa: E402

status = fast_path()
if status is None:
    if sys.argv[1:2] == ["build"]:
        from .build import compile_server

        if compile_server.prewarm():
            print(compile_server.lasting_note(), file=sys.stderr)
    from .build.cli import main

    status = main()
raise SystemExit(status)
