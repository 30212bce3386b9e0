"""Summarise a finished `mutmut run`: the mutation score and the surviving mutants.

Reads mutmut's result files (``mutants/**/*.py.meta``), counts killed and timed-out mutants as killed, and leaves
out of the total only the survivors that ``tools/mutation_equivalents.csv`` lists as equivalent (columns
``mutant``, ``reason``: why no test can kill it). Prints ``mutation score: P% (K killed of N)`` and writes
every other survivor, with its diff, to ``_build/mutation/survivors.txt``. Exit status 1 below ``--minimum``.
Run from the project root after ``mutmut run`` (``make mutation`` does both).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
KILLED = {"killed", "timeout", "caught by type check"}


#: The survivors no test can kill (the program's behaviour does not change), each with the reason.
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.csv"


def equivalent_mutants(path: Path = EQUIVALENTS) -> dict[str, str]:
    """Mutant name -> reason, from ``tools/mutation_equivalents.csv``."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["mutant"]: row["reason"] for row in csv.DictReader(fh)}


def statuses(mutants_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Mutant name -> mutmut status, and mutant name -> source file, over every mutated file."""
    out, files = {}, {}
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        source = str(meta.relative_to(mutants_dir)).removesuffix(".meta")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            out[name] = status_by_exit_code[code]
            files[name] = source
    return out, files


def diff_of(name: str, source: str) -> str:
    """The mutant's diff (mutmut's own function; `mutmut show` in a subprocess if it is not importable)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
    except ImportError:
        return subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name], cwd=ROOT, capture_output=True, text=True
        ).stdout
    return get_diff_for_mutant(name, path=source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minimum", type=float, default=85.0, help="lowest acceptable score in percent")
    parser.add_argument("--survivors", type=Path, default=ROOT / "_build" / "mutation" / "survivors.txt")
    args = parser.parse_args()
    status, files = statuses(ROOT / "mutants")
    if not status:
        print("no mutmut results under mutants/: run `mutmut run` first", file=sys.stderr)
        return 2
    equivalent = equivalent_mutants()
    survivors = sorted(name for name, s in status.items() if s not in KILLED)
    listed = [name for name in survivors if name in equivalent]
    others = [name for name in survivors if name not in equivalent]
    killed = sum(s in KILLED for s in status.values())
    total = len(status) - len(listed)
    args.survivors.parent.mkdir(parents=True, exist_ok=True)
    with args.survivors.open("w") as out:
        out.write(f"# {len(others)} surviving mutants not listed as equivalent in {EQUIVALENTS.relative_to(ROOT)}\n\n")
        for name in others:
            out.write(f"## {name}: {status[name]}\n{diff_of(name, files[name])}\n")
    stale = sorted(set(equivalent) - set(listed))
    if stale:
        print(
            f"listed as equivalent but not surviving (remove from {EQUIVALENTS.name}): {', '.join(stale)}",
            file=sys.stderr,
        )
    score = 100.0 * killed / total if total else 100.0
    print(f"mutation score: {score:.1f}% ({killed} killed of {total})")
    print(f"survivors written to {args.survivors.relative_to(ROOT)} ({len(others)}; {len(listed)} equivalent left out)")
    return 0 if score >= args.minimum else 1


if __name__ == "__main__":
    sys.exit(main())
