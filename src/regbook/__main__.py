"""``python -m regbook`` (also ``python -m helpers`` and the console script ``regbook``): the book's command line
(see ``regbook.cli``).

A ``build`` whose inputs and outputs are all as the last successful build left them stops here, before the build
stack is imported (``regbook.fingerprint``). Any other ``build`` starts the warm Jupyter Book first
(``regbook.compile_server``), so that its imports overlap the planning and the execution.
"""

import sys


def main() -> int:
    if sys.argv[1:2] == ["fetch"]:  # official statistics (helpers.fetch): the build stack is not needed
        from helpers.fetch.cli import main as fetch_main

        return fetch_main()

    from regbook import tricks
    from regbook.fingerprint import fast_path

    problem = tricks.check_switches()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    tricks.skip_slow_optional_modules()

    status = fast_path()
    if status is None:
        on_cluster = any(arg == "--scheduler" or arg.startswith("--scheduler=") for arg in sys.argv)
        if sys.argv[1:2] == ["build"] and not on_cluster:  # a cluster's workers compile, not this process
            from regbook import compile_server

            if compile_server.prewarm():
                print(compile_server.lasting_note(), file=sys.stderr)
        from regbook.cli import main as cli_main

        status = cli_main()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
