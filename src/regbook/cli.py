"""Command line: ``python -m helpers {regions,params,run,build,clean,fetch}`` (also installed as ``regbook``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import regbook as build
from helpers import params as params_module
from helpers import paths, regions


class _Console:
    """rich's console on standard error, made on first use (a command need not import rich before it prints)."""

    _console = None

    def __getattr__(self, name: str):
        if _Console._console is None:
            from rich.console import Console

            _Console._console = Console(stderr=True)
        return getattr(_Console._console, name)


console = _Console()


def say(message: str, label: str = "", style: str = "") -> None:
    """Print ``message`` to standard error as it is: never read as rich's markup (``[/]`` in a value would stop
    the command with a traceback, ``[bold]`` would vanish) or emoji codes; ``label`` goes before it in ``style``."""
    from rich.text import Text

    console.print(Text.assemble((label, style), " " if label else "", message), soft_wrap=True)


def Table(*args, **kwargs):  # noqa: N802 - rich's Table, imported on first use
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


class UsageError(Exception):
    """A command line that cannot be run as given (the message is one line)."""


def _region(text: str) -> str:
    """The study region id that ``--region`` names; the message lists only the ids ``--region`` accepts."""
    valid = ", ".join(regions.STUDY_REGIONS)
    try:
        rid = regions.resolve(text)
    except regions.UnknownRegionError:
        raise UsageError(
            f"--region: unknown region {params_module.shown(text)}; valid: {valid} (or an alias; "
            "`python -m helpers regions` lists them)"
        ) from None
    if rid not in regions.STUDY_REGIONS:
        raise UsageError(f"--region: {rid!r} is a reference area, not a study region; valid: {valid}")
    return rid


def _variants(args) -> list[build.Variant]:
    """The variants of the request; the first invalid region file raises ``ParameterError``."""
    inputs = _request(args)
    if inputs.invalid:
        raise params_module.ParameterError(inputs.invalid[0].message)
    return inputs.variants


def _request(args):
    """The request's variants and the region files that cannot be built (``regbook.batch.BatchInputs``)."""
    from .batch import BatchInputs, validate

    overrides = dict(args.param or [])  # the text as typed: helpers.params reads it as each parameter's type
    if "language" in overrides:  # the edition decides its kernels' language, and where the site goes
        raise UsageError("-p language: the edition's language is set with --language (valid: en, nl)")
    params_module.validate(overrides)  # a bad -p is the whole request's fault, said once
    if getattr(args, "region_file", None):  # beside the report's variants when --region/--all-regions asks for them
        report = (
            _report_variants(args, overrides) if getattr(args, "all_regions", False) or args.region is not None else []
        )
        return validate(
            report,
            args.region_file,
            overrides,
            warn=lambda note: say(note, "warning:", "yellow"),
            language=args.language,
        )
    return BatchInputs(_report_variants(args, overrides))


def _report_variants(args, overrides: dict) -> list[build.Variant]:
    if getattr(args, "all_regions", False):
        return [build.make_variant(r, overrides, args.language) for r in regions.STUDY_REGIONS]
    if args.region is not None:
        return [build.make_variant(_region(args.region), overrides, args.language)]
    return [build.make_variant(None, overrides, args.language)]


def _summary(report: build.BuildReport) -> None:
    table = Table(title=f"Chapters ({report.seconds:.1f} s in all)")
    for col in ("variant", "chapter", "status", "seconds"):
        table.add_column(col)
    colours = {"cached": "cyan", "executed": "green", "failed": "red"}
    for variant, rows in report.outcomes.items():
        for o in rows:
            table.add_row(variant, o.chapter, f"[{colours.get(o.status, 'white')}]{o.status}[/]", f"{o.duration:.1f}")
    console.print(table)
    for variant, rows in report.outcomes.items():
        for o in rows:
            if o.status == "failed":
                kept = f"\n  failed notebook kept at {o.notebook}" if Path(o.notebook).is_file() else ""
                where = f"{variant} / " if len(report.outcomes) > 1 else ""
                say(f"{where}{o.chapter}: {o.error}{kept}", "FAILED", "red")


def cmd_regions(args) -> int:
    table = Table(title="Regions")
    for col in ("id", "name", "country", "kind", "reference", "NUTS 2013", "aliases"):
        table.add_column(col)
    for r in regions.table():
        table.add_row(r["id"], r["name"], r["country"], r["kind"], r["reference"], r["nuts_2013"], r["aliases"])
    from rich.console import Console

    Console().print(table)
    return 0


def cmd_params(args) -> int:
    table = Table(title="Book parameters (set with -p NAME VALUE)")
    for col in ("name", "type", "default", "allowed", "help"):
        table.add_column(col, overflow="fold")
    for row in params_module.describe():
        table.add_row(row["name"], row["type"], row["default"], row["allowed"], row["help"])
    from rich.console import Console

    Console().print(table)
    return 0


def _error(message: str) -> None:
    say(message, "error:", "red")


def _execute(args, compile_html: bool) -> int:
    from .tricks import check_switches

    problem = check_switches()  # ``python -m helpers`` checked it already; this is for callers of ``main``
    if problem:
        _error(problem)
        return 2
    if not compile_html or getattr(args, "scheduler", None):  # on a cluster the workers compile
        return _execute_checked(args, compile_html)
    from . import compile_server

    if compile_server.prewarm():  # started already by ``python -m helpers``; here for callers of ``main``
        console.print(f"[dim]{compile_server.lasting_note()}[/]", highlight=False, soft_wrap=True)
    try:
        return _execute_checked(args, compile_html)
    finally:
        compile_server.stop_build_server()  # also when the request is refused before anything runs


def _execute_checked(args, compile_html: bool) -> int:
    try:
        inputs = _request(args)
    except (params_module.ParameterError, regions.UnknownRegionError, UsageError) as exc:
        _error(str(exc))
        return 2
    log = say
    if compile_html and (args.scheduler or len(inputs.variants) + len(inputs.invalid) > 1):
        return _run_batch(args, inputs, log)
    if inputs.invalid:  # one file, or `run`: nothing starts
        for item in inputs.invalid:
            _error(item.message)
        return 2
    variants = inputs.variants
    try:
        with build.build_lock(paths.BUILD_DIR, wait=not args.no_wait, log=log):  # held from plan to export
            return _run_locked(args, variants, compile_html, log)
    except build.BuildLocked as exc:
        _error(str(exc))
        return 1
    except OSError as exc:  # e.g. a read-only build folder: the lock file cannot be opened
        _error(build.describe_os_error(exc))
        return 1


def _progress(bar, variants, planned):
    """The bar's update: chapter and status; for a batch, also regions done and failures so far."""
    if len(variants) == 1:

        def progress(outcome):
            bar.set_postfix_str(f"{outcome.chapter}: {outcome.status}")
            bar.update(1)

        return progress
    waiting = {v.name: set() for v in variants}  # per variant, the jobs (key + chapter) it still waits for
    for (name, chapter), outcome in planned.items():
        if outcome.status == "pending":
            waiting[name].add(outcome.key + chapter)
    failures = []

    def progress(outcome):
        job = outcome.key + outcome.chapter
        for name, jobs in waiting.items():
            if job in jobs:
                jobs.discard(job)
                if outcome.status == "failed":
                    failures.append(f"{name}/{outcome.chapter}")
        done = sum(1 for jobs in waiting.values() if not jobs)
        bar.set_postfix_str(
            f"regions {done}/{len(waiting)}, failures {len(failures)}; {outcome.chapter}: {outcome.status}"
        )
        bar.update(1)

    return progress


def _run_batch(args, inputs, log) -> int:
    """A batch (``regbook.batch``): its invalid files, a progress bar by region, the summary; 0 when every region
    was built or unchanged, 1 when anything was invalid or failed, 2 when nothing could be built."""
    from tqdm import tqdm

    from .batch import run_batch

    for item in inputs.invalid:
        say(item.message, "invalid:", "red")
    if not inputs.variants:
        _error(f"none of the {len(inputs.invalid)} region file(s) can be built (listed above); nothing was started")
        return 2
    bar = None
    counts = {"built": 0, "executed": 0, "failed": 0}

    def on_plan(total: int) -> None:
        nonlocal bar
        unit = "region built" if args.scheduler else "region executed"
        bar = tqdm(
            total=total,
            desc="regions",
            unit="region",
            disable=not total,
            file=sys.stderr,
            postfix=unit.replace("region ", "") + " 0, failed 0",
        )

    def on_region(name: str, status: str) -> None:
        counts[status] = counts.get(status, 0) + 1
        done = "built" if args.scheduler else "executed"
        bar.set_postfix_str(f"{done} {counts[done]}, failed {counts['failed']}; {name}: {status}")
        bar.update(1)

    try:
        summary = run_batch(
            inputs,
            scheduler=args.scheduler,
            jobs=args.jobs,
            log=log,
            on_plan=on_plan,
            on_region=on_region,
            screenshots=args.screenshots,
            wait=not args.no_wait,
        )
    except build.BuildInterrupted as exc:
        if bar is not None:
            bar.close()
        say(
            f"interrupted while {exc}; stopped everything the build started; the regions finished so far have their "
            "new sites, the others keep their previous ones"
        )
        return 130
    except build.BuildError as exc:  # BuildLocked among them
        if bar is not None:
            bar.close()
        _error(str(exc))
        return 1
    except OSError as exc:
        if bar is not None:
            bar.close()
        _error(build.describe_os_error(exc))
        return 1
    if bar is not None:
        bar.close()
    say(summary.headline())
    for item in summary.invalid:
        say(item.message, "invalid:", "red")
    for name in summary.names("failed"):
        say(f"{name}: {summary.statuses[name].cause}", "failed:", "red")
    if args.language == "en":
        say(f"landing page -> {paths.BUILD_DIR / 'regions' / 'index.html'}")
    return 0 if summary.ok else 1


def _run_locked(args, variants, compile_html: bool, log) -> int:
    try:
        planned = build.plan(variants, args.chapter)
    except build.BuildError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _error(build.describe_os_error(exc))
        return 1
    todo, planned_outcomes = planned
    executor = None
    if getattr(args, "scheduler", None):
        if not todo:
            log("nothing to execute: every chapter is cached, so the Dask scheduler was not contacted")
        else:
            from .dask_batch import DaskExecutor  # dask is imported only for a batch that runs on a cluster

            executor = DaskExecutor(args.scheduler, log=log)
    from tqdm import tqdm

    bar = tqdm(total=len(todo), desc="executing notebooks", unit="nb", disable=not todo, file=sys.stderr)
    progress = _progress(bar, variants, planned_outcomes)
    try:
        report = build.build(
            variants,
            jobs=args.jobs,
            compile_html=compile_html,
            chapters=args.chapter,
            progress=progress,
            log=log,
            screenshots=compile_html and getattr(args, "screenshots", False),
            executor=executor,
            planned=planned,
        )
    except build.BuildInterrupted as exc:
        bar.close()
        say(f"interrupted while {exc}; stopped everything the build started, and the previous site is kept")
        return 130
    except build.BuildError as exc:
        bar.close()
        _error(str(exc))
        return 1
    bar.close()
    _summary(report)
    if compile_html:
        for v in variants:
            state = "built" if report.compiled.get(v.name) else "NOT built (previous site kept)"
            say(f"{v.name}: {state} -> {v.layout.html / 'index.html'}")
        if len(variants) > 1 and args.language == "en":
            say(f"landing page -> {paths.BUILD_DIR / 'regions' / 'index.html'}")
    return 0 if report.ok else 1


def cmd_run(args) -> int:
    return _execute(args, compile_html=False)


def cmd_build(args) -> int:
    if args.chapter:
        _error("build compiles the whole book; use `run --chapter` for single chapters")
        return 2
    code = _execute(args, compile_html=True)
    if code == 0 and args.pdf:
        from .pdf import write_pdfs

        code = write_pdfs(_variants(args), log=say)
    return code


def cmd_clean(args) -> int:
    try:
        removed = build.clean(log=say)
    except OSError as exc:
        _error(build.describe_os_error(exc))
        return 1
    say("removed " + (", ".join(map(str, removed)) if removed else "nothing"))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error reported as one line naming the problem."""

    def error(self, message: str):
        _error(f"{message} (see `{self.prog} --help`)")
        raise SystemExit(2)


def _language(text: str) -> str:
    """The edition ``--language`` names (``regbook.layout.LANGUAGES``)."""
    from .layout import BuildError, check_language

    try:
        return check_language(text)
    except BuildError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--language: ")) from None


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _scheduler(text: str) -> str:
    if text == "local":
        return text
    from .dask_batch import parse_scheduler

    try:
        return parse_scheduler(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--scheduler: ")) from None


def _split_params(argv: list[str]) -> tuple[list[str], list[list[str]]]:
    """Take every ``-p NAME VALUE`` out of ``argv`` before argparse sees it.

    argparse would read a VALUE that starts with a minus sign (``-Infinity``, ``-1e3``) as an option; here the two
    words after ``-p`` are always its name and value, to be validated like any other.
    """
    rest, pairs, i = [], [], 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            rest.extend(argv[i:])
            break
        if word in ("-p", "--param") and i + 2 < len(argv):
            pairs.append([argv[i + 1], argv[i + 2]])
            i += 3
            continue
        rest.append(word)
        i += 1
    return rest, pairs


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m helpers", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("regions", help="list region ids, names and aliases").set_defaults(func=cmd_regions)
    sub.add_parser("params", help="list the book's parameters").set_defaults(func=cmd_params)
    for name, func, helptext in (
        ("run", cmd_run, "execute chapters (papermill, cached)"),
        ("build", cmd_build, "execute and compile the site"),
    ):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("--region", help="focus region id or alias (builds that region's variant)")
        sp.add_argument(
            "-p",
            "--param",
            nargs=2,
            action="append",
            metavar=("NAME", "VALUE"),
            help="set a parameter: a number, a region, regions 'a,b', or JSON weights "
            "'{\"unemployment\": 2}'; `params` lists them",
        )
        sp.add_argument(
            "--language",
            type=_language,
            default="en",
            metavar="en|nl",
            help="the edition: 'en' (English, into _build/html) or 'nl' (Dutch, into _build/nl/html; a "
            "region's into _build/regions/<id>/nl/html)",
        )
        sp.add_argument(
            "--jobs", type=_jobs, default=None, help="parallel notebook processes, at least 1 (default: cores + 1)"
        )
        sp.add_argument(
            "--no-wait",
            action="store_true",
            help="refuse, instead of waiting, when another build is using the build folder",
        )
        sp.add_argument("--chapter", action="append", help="only this chapter (repeatable; run only)")
        sp.add_argument(
            "--scheduler",
            type=_scheduler,
            metavar="ADDRESS|local",
            help="on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a "
            "LocalCluster on this machine; build: each region's whole book is one task on a "
            "worker; run: each chapter (workers need the project at the same path)",
        )
        sp.add_argument(
            "--region-file",
            action="append",
            metavar="PATH",
            help="a region file, a folder of them, a glob ('regions/*.csv') or a .txt list of them "
            "(one per line): the book for each region (repeatable)",
        )
        if name == "build":
            sp.add_argument("--all-regions", action="store_true", help="every region's variant and a landing page")
            sp.add_argument("--pdf", action="store_true", help="also print each variant as one PDF (needs Chromium)")
            sp.add_argument(
                "--screenshots",
                action="store_true",
                help="also take review screenshots of each changed page at a laptop's and a phone's "
                "width into _build/screenshots (needs Chromium)",
            )
        sp.set_defaults(func=func)
    sub.add_parser("clean", help="remove _build").set_defaults(func=cmd_clean)
    from helpers.fetch.cli import add_subcommand as add_fetch  # standard library only: no client is imported

    add_fetch(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    rest, pairs = _split_params(argv)
    try:
        try:
            args = parser().parse_args(rest)
        except SystemExit as exc:  # --help, or a usage error already reported in one line
            return exc.code if isinstance(exc.code, int) else 2
        if pairs:
            if not hasattr(args, "param"):
                _error(f"-p/--param belongs to `run` and `build`, not `{args.command}`")
                return 2
            args.param = (args.param or []) + pairs
        return args.func(args)
    except KeyboardInterrupt:  # outside the build proper (e.g. while planning): nothing was started
        console.print("interrupted; nothing was changed", highlight=False)
        return 130
