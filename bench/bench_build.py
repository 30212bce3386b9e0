"""Benchmark the build pipeline against the naive baseline, side by side in one run, and print the ratios.

Baseline: for each notebook, one sequential ``papermill`` call, then ``jupyter-book build`` of the executed
notebooks (no cache, no parallelism). Ours: ``helpers.build.build``. Scenarios:

1. cold build of the default book;
2. rebuild with no change;
3. rebuild after one parameter change (alpha);
4. every region's variant of the book.

Usage: ``.venv/bin/python bench/bench_build.py [--jobs N]``. Takes several minutes; each scenario uses fresh
temporary build directories, so a developer's ``_build`` is left alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
import yaml

from helpers import build, params, paths, regions


def baseline_book(parameters: dict, workdir: Path) -> float:
    """Sequential papermill per notebook, then jupyter-book build; returns seconds."""
    start = time.perf_counter()
    stage = workdir / "stage"
    shutil.rmtree(workdir, ignore_errors=True)
    (stage / "chapters").mkdir(parents=True)
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text())
    (stage / "_config.yml").write_text(yaml.safe_dump(config))
    shutil.copy(paths.ROOT / "_toc.yml", stage / "_toc.yml")
    for entry in build.toc_entries():
        nb = build.read_chapter(entry)
        declared = build.declared_parameters(nb)
        papermill.execute_notebook(nb, str(stage / f"{entry}.ipynb"), kernel_name=build.KERNEL_NAME,
                                   parameters={k: parameters[k] for k in declared}, progress_bar=False,
                                   cwd=str(paths.CHAPTERS_DIR))
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(stage), "--path-output", str(workdir / "out"), "-W", "-n", "--keep-going",
                    "--quiet"], check=True, capture_output=True)
    return time.perf_counter() - start


def ours(variants, jobs) -> float:
    start = time.perf_counter()
    report = build.build(variants, jobs=jobs, log=lambda m: None)
    if not report.ok:
        raise SystemExit(f"build failed: {[(o.chapter, o.error) for o in report.failures()]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="regbook-bench-"))
    default = params.validate({})
    rows = []

    def use_build_dir(name: str) -> None:
        paths.BUILD_DIR = tmp / name
        os.environ["REGBOOK_BUILD_DIR"] = str(paths.BUILD_DIR)

    print(f"machine: {os.cpu_count()} cores; jobs = {args.jobs}; chapters = {len(build.toc_entries())}", flush=True)
    base_cold = baseline_book(default, tmp / "baseline-default")
    use_build_dir("ours")
    our_cold = ours([build.make_variant()], args.jobs)
    rows.append(("cold build, default book", base_cold, our_cold))
    our_nochange = ours([build.make_variant()], args.jobs)
    rows.append(("rebuild, no change", base_cold, our_nochange))
    changed = params.validate({"alpha": 0.1})
    base_param = baseline_book(changed, tmp / "baseline-param")
    our_param = ours([build.make_variant(None, {"alpha": 0.1})], args.jobs)
    rows.append(("rebuild, one parameter changed (alpha)", base_param, our_param))
    base_regions = sum(baseline_book(params.validate({"focus_region": r}), tmp / f"baseline-{r}")
                       for r in regions.STUDY_REGIONS)
    use_build_dir("ours-regions")
    our_regions = ours([build.make_variant(r) for r in regions.STUDY_REGIONS], args.jobs)
    rows.append(("all six region variants, cold", base_regions, our_regions))

    print(f"\n{'scenario':42} {'baseline s':>11} {'ours s':>9} {'speed-up':>9}")
    for name, base, our in rows:
        print(f"{name:42} {base:11.1f} {our:9.1f} {base / our:8.1f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
