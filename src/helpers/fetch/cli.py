"""``python -m helpers fetch {cbs,eurostat}``: write a region file from official statistics.

Registered as a subcommand of the book's command line (``regbook.cli``), and run directly by
``helpers.__main__`` so that a fetch imports neither the build stack nor, before its arguments are valid, a client.
"""

from __future__ import annotations

import argparse
import sys

from . import cbs, eurostat
from .common import Source, check_name
from .writer import FetchError, Written

#: The sources, one subcommand each (their ``SOURCE``: the option naming the region, its check, the years, ...).
SOURCES: tuple[Source, ...] = (cbs.SOURCE, eurostat.SOURCE)


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error reported as one line naming the problem."""

    def error(self, message: str):
        _error(f"{message} (see `{self.prog} --help`)")
        raise SystemExit(2)


def _checked(check, convert=str):
    """An argparse type from a check that raises ValueError with the valid choices."""

    def parse(text: str):
        try:
            return check(convert(text))
        except ValueError as exc:
            if convert is int and not text.strip().lstrip("-").isdigit():
                raise argparse.ArgumentTypeError(f"expected a year such as 2015, got {text!r}") from None
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def add_subcommand(subparsers) -> argparse.ArgumentParser:
    """Add ``fetch`` (with ``cbs`` and ``eurostat``) to a command line's subparsers."""
    fetch = subparsers.add_parser(
        "fetch",
        help="write a region file from official statistics (CBS, Eurostat)",
        description="Write a region file, its country's reference and their provenance from official statistics.",
    )
    sources = fetch.add_subparsers(
        dest="source", required=True, metavar="{" + ",".join(source.name for source in SOURCES) + "}"
    )
    for source in SOURCES:
        parser = sources.add_parser(source.name, help=source.help)
        parser.add_argument(
            source.option,
            dest="code",
            metavar=source.option.lstrip("-").upper(),
            required=True,
            type=_checked(source.check_code),
            help=source.option_help,
        )
        parser.add_argument(
            "--year",
            required=True,
            type=_checked(source.check_year, int),
            help=f"reference year, {source.first_year} or later",
        )
        parser.add_argument("--out", default=".", help="folder to write the files to (default: the current one)")
        parser.add_argument(
            "--name",
            default=None,
            type=_checked(check_name),
            help="the region's name in the book (default: the source's)",
        )
        parser.add_argument("--from-file", metavar="PATH", default=None, help=source.from_file_help)
    fetch.set_defaults(func=run)
    return fetch


def _report(written: Written, source: str) -> None:
    total = f"{written.region_total:,.1f} thousand in all"
    if written.published_total is not None and abs(written.published_total - written.region_total) >= 0.05:
        total += f", {written.published_total:,.1f} in the source's total of all activities"
    print(f"wrote {written.region_file} ({written.rows} rows at the level of {written.level_name}; {total}; {source})")
    print(
        f"wrote {written.reference_file} (the country from the same source, year and level; "
        f"{written.reference_total:,.1f} thousand)"
    )
    print(f"provenance in {written.region_provenance} and {written.reference_provenance}")
    for note in written.notes:
        print(f"note: {note}")


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``fetch`` command; 0 when both files were written, 1 otherwise (one line on stderr)."""
    source = next(source for source in SOURCES if source.name == args.source)
    try:
        written = source.fetch(args.code, args.year, args.out, name=args.name, from_file=args.from_file)
        _report(written, source.label)
    except FetchError as exc:
        _error(str(exc))
        return 1
    except OSError as exc:  # e.g. an --out folder that cannot be written
        _error(f"cannot write to {args.out}: {exc.strerror or exc}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers fetch ...`` with ``argv`` the words after ``fetch``."""
    parser = _Parser(prog="python -m helpers")
    add_subcommand(parser.add_subparsers(dest="command", required=True, parser_class=_Parser))
    try:
        args = parser.parse_args(["fetch", *(sys.argv[2:] if argv is None else argv)])
    except SystemExit as exc:  # --help, or a usage error already reported in one line
        return exc.code if isinstance(exc.code, int) else 2
    return args.func(args)
