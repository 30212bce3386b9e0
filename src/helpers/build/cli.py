"""Command line: ``python -m helpers {regions,params,run,build,clean}`` (also installed as ``regbook``)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from .. import build, paths, regions
from .. import params as params_module

console = Console(stderr=True)


def _parse_overrides(pairs: list[list[str]] | None) -> dict:
    overrides = {}
    for name, value in pairs or []:
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        overrides[name] = parsed
    return overrides


def _variants(args) -> list[build.Variant]:
    overrides = _parse_overrides(args.param)
    if getattr(args, "all_regions", False):
        return [build.make_variant(r, overrides) for r in regions.STUDY_REGIONS]
    if args.region:
        return [build.make_variant(regions.resolve(args.region), overrides)]
    return [build.make_variant(None, overrides)]


def _summary(report: build.BuildReport) -> None:
    table = Table(title=f"Chapters ({report.seconds:.1f} s in all)")
    for col in ("variant", "chapter", "status", "seconds"):
        table.add_column(col)
    colours = {"cached": "cyan", "executed": "green", "failed": "red"}
    for variant, rows in report.outcomes.items():
        for o in rows:
            table.add_row(variant, o.chapter, f"[{colours.get(o.status, 'white')}]{o.status}[/]", f"{o.duration:.1f}")
    console.print(table)
    for o in report.failures():
        console.print(f"[red]FAILED[/] {o.chapter}: {o.error}\n  failed notebook kept at {o.notebook}")


def cmd_regions(args) -> int:
    table = Table(title="Regions")
    for col in ("id", "name", "country", "kind", "reference", "NUTS 2013", "aliases"):
        table.add_column(col)
    for r in regions.table():
        table.add_row(r["id"], r["name"], r["country"], r["kind"], r["reference"], r["nuts_2013"], r["aliases"])
    Console().print(table)
    return 0


def cmd_params(args) -> int:
    table = Table(title="Book parameters (set with -p NAME VALUE)")
    for col in ("name", "type", "default", "allowed", "help"):
        table.add_column(col, overflow="fold")
    for row in params_module.describe():
        table.add_row(row["name"], row["type"], row["default"], row["allowed"], row["help"])
    Console().print(table)
    return 0


def _execute(args, compile_html: bool) -> int:
    try:
        variants = _variants(args)
    except (params_module.ParameterError, regions.UnknownRegionError) as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    try:
        todo, _ = build.plan(variants, args.chapter)
    except build.BuildError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    bar = tqdm(total=len(todo), desc="executing notebooks", unit="nb", disable=not todo, file=sys.stderr)

    def progress(outcome):
        bar.set_postfix_str(f"{outcome.chapter}: {outcome.status}")
        bar.update(1)

    report = build.build(variants, jobs=args.jobs, compile_html=compile_html, chapters=args.chapter,
                            progress=progress, log=lambda m: console.print(m), screenshots=compile_html)
    bar.close()
    _summary(report)
    if compile_html:
        for v in variants:
            state = "built" if report.compiled.get(v.name) else "NOT built (previous site kept)"
            console.print(f"{v.name}: {state} -> {v.layout.html / 'index.html'}")
        if len(variants) > 1:
            console.print(f"landing page -> {paths.BUILD_DIR / 'regions' / 'index.html'}")
    return 0 if report.ok else 1


def cmd_run(args) -> int:
    return _execute(args, compile_html=False)


def cmd_build(args) -> int:
    if args.chapter:
        console.print("[red]error:[/] build compiles the whole book; use `run --chapter` for single chapters")
        return 2
    code = _execute(args, compile_html=True)
    if code == 0 and args.pdf:
        from .pdf import write_pdfs

        code = write_pdfs(_variants(args), log=lambda m: console.print(m, markup=False))
    return code


def cmd_clean(args) -> int:
    removed = build.clean()
    console.print("removed " + (", ".join(map(str, removed)) if removed else "nothing"))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("regions", help="list region ids, names and aliases").set_defaults(func=cmd_regions)
    sub.add_parser("params", help="list the book's parameters").set_defaults(func=cmd_params)
    for name, func, helptext in (("run", cmd_run, "execute chapters (papermill, cached)"),
                                 ("build", cmd_build, "execute and compile the site")):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("--region", help="focus region id or alias (builds that region's variant)")
        sp.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        help="set a parameter (VALUE is JSON or text); `params` lists them")
        sp.add_argument("--jobs", type=int, default=None, help="parallel notebook processes (default: cores)")
        sp.add_argument("--chapter", action="append", help="only this chapter (repeatable; run only)")
        if name == "build":
            sp.add_argument("--all-regions", action="store_true", help="every region's variant and a landing page")
            sp.add_argument("--pdf", action="store_true", help="also print each variant as one PDF (needs Chromium)")
        sp.set_defaults(func=func)
    sub.add_parser("clean", help="remove _build").set_defaults(func=cmd_clean)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
