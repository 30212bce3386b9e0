"""The whole build: run every variant's chapters, then stage, compile and export them."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import paths
from . import fingerprint
from .compile import compile_site
from .execute import Outcome
from .export import _export_audit, _write_atomic, results_document
from .landing import write_landing_page
from .planning import Variant, run
from .screenshots import take_screenshots
from .staging import stage


@dataclass
class BuildReport:
    """What a run or build did: outcomes per variant, which variants compiled, and whether all succeeded."""

    outcomes: dict[str, list[Outcome]]
    compiled: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        failed = any(o.status == "failed" for rows in self.outcomes.values() for o in rows)
        return not failed and all(self.compiled.values())

    def failures(self) -> list[Outcome]:
        return [o for rows in self.outcomes.values() for o in rows if o.status == "failed"]


def build(variants: list[Variant], jobs: int | None = None, compile_html: bool = True,
          chapters: list[str] | None = None, progress: Callable[[Outcome], None] | None = None,
          log: Callable[[str], None] = print, screenshots: bool = False) -> BuildReport:
    """Run every variant's chapters, then (when all succeeded) stage, compile and export each variant."""
    start = time.perf_counter()
    inputs_at_start = fingerprint.static_inputs() if compile_html and not chapters else None
    outcomes = run(variants, chapters=chapters, jobs=jobs, progress=progress)
    report = BuildReport(outcomes)
    if not compile_html:
        report.seconds = time.perf_counter() - start
        return report
    ready = [v for v in variants if not any(o.status == "failed" for o in outcomes[v.name])]
    for variant in variants:
        if variant not in ready:
            report.compiled[variant.name] = False
            log(f"{variant.name}: not compiled because a chapter failed; the previous site is kept")
    fingerprints = {v.name: stage(v, outcomes[v.name]) for v in ready}
    compile_status: dict[str, str] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(ready)))
    with cf.ThreadPoolExecutor(max_workers=workers) as pool:  # each compile is its own subprocess
        futures = {pool.submit(compile_site, v, fingerprints[v.name], log): v for v in ready}
        for future in cf.as_completed(futures):
            compile_status[futures[future].name] = future.result()
    report.compiled.update({name: status != "failed" for name, status in compile_status.items()})
    for variant in ready:
        if report.compiled[variant.name]:
            doc = results_document(variant, outcomes[variant.name])
            _write_atomic(variant.layout.results / "results.json",
                          json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
            audit = [o for o in outcomes[variant.name] if o.chapter == "appendix_audit"]
            if audit:
                _export_audit(audit[0], variant.layout.results / "audit.csv")
            if screenshots and compile_status[variant.name] == "built":
                take_screenshots(variant, log)
    if len(variants) > 1 or variants[0].name != "default":
        write_landing_page([v for v in variants if v.name != "default"] or variants)
    if inputs_at_start is not None and report.ok:  # lets the next `build` of the same request stop at once
        fingerprint.record(variants, inputs_at_start, outcomes)
    report.seconds = time.perf_counter() - start
    return report


def clean() -> list[Path]:
    """Remove build outputs (the whole ``_build`` directory); returns what was removed."""
    removed = []
    if paths.BUILD_DIR.exists():
        shutil.rmtree(paths.BUILD_DIR)
        removed.append(paths.BUILD_DIR)
    return removed
