"""results.json, audit.csv and timings.json: the book in machine-readable form.

``results.json`` and ``audit.csv`` are a function of the book's inputs (chapters, parameters, data, helper
package) and environment (package versions and the numerical environment its kernels record): built again, in
any process or on any worker of a cluster, they come out byte for byte the same (see docs/results.md). How long
each chapter took, which is not, goes to ``timings.json`` beside them.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import nbformat

from helpers import datapackage
from helpers.environment import PACKAGES, package_versions  # noqa: F401 (PACKAGES: re-exported)

from .execute import Outcome
from .planning import Variant

#: The mime type under which ``helpers.glue.glue`` stores a value (not imported from there: ``helpers.glue``
#: imports pandas and matplotlib, which the build process does not need).
VALUE_MIME = "application/vnd.regbook.value+json"


def glued_values(nb: nbformat.NotebookNode | dict) -> dict[str, Any]:
    """Every glued name in an executed notebook with its machine-readable value."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            payload = output.get("data", {})
            if prefix + VALUE_MIME in payload:
                values[meta["name"]] = payload[prefix + VALUE_MIME]["value"]
            elif prefix + "text/plain" in payload:
                text = payload[prefix + "text/plain"]
                text = text if isinstance(text, str) else "".join(text)  # raw JSON keeps multi-line text split
                try:
                    values[meta["name"]] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[meta["name"]] = text
    return values


def _read_notebook(path: str | Path) -> dict:
    """An executed notebook as plain JSON (nbformat's schema validation would cost a second per build)."""
    return json.loads(Path(path).read_bytes())


def _numerical_environment(outcomes: list[Outcome]) -> dict | None:
    """The numerical environment the chapters' kernels recorded (their cache entries' ``meta.json``): one record,
    since every kernel of a build gets the same (``helpers.environment.NUMERICAL_ENVIRONMENT``)."""
    records = []
    for outcome in outcomes:
        meta = json.loads((Path(outcome.notebook).parent / "meta.json").read_bytes())
        records.append(meta.get("numerical_environment"))
    distinct = {json.dumps(record, sort_keys=True) for record in records}
    if len(distinct) > 1:
        raise RuntimeError(f"the chapters' kernels recorded {len(distinct)} different numerical environments")
    return records[0] if records else None


def results_document(variant: Variant, outcomes: list[Outcome]) -> dict[str, Any]:
    """The book in machine-readable form: glued values per chapter, parameters, data hashes, package versions and
    the kernels' numerical environment. No run times: the document is the same whenever and wherever it is built."""
    values: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        values[outcome.chapter] = glued_values(_read_notebook(outcome.notebook))
    return {
        "book": "Regional dynamics and vocational education (NEF 2016)",
        "variant": variant.name,
        "parameters": variant.parameters,
        "data": {"version": datapackage.data_version(), "files": datapackage.data_hashes()},
        "environment": package_versions(),
        "numerical_environment": _numerical_environment(outcomes),
        "values": values,
    }


def timings_document(variant: Variant, outcomes: list[Outcome]) -> dict[str, Any]:
    """How long each chapter's execution took (seconds; a cached chapter: its execution's)."""
    return {"variant": variant.name, "durations_seconds": {o.chapter: round(o.duration, 3) for o in outcomes}}


def write_results(variant: Variant, outcomes: list[Outcome]) -> None:
    """Write results.json, timings.json and (when the book has the audit appendix) audit.csv of a variant."""
    for name, document in (
        ("results.json", results_document(variant, outcomes)),
        ("timings.json", timings_document(variant, outcomes)),
    ):
        _write_atomic(
            variant.layout.results / name, json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        )
    audit = [o for o in outcomes if o.chapter == "appendix_audit"]
    if audit:
        _export_audit(audit[0], variant.layout.results / "audit.csv")


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:  # a full disk or Ctrl-C: no half-written file stays behind
        tmp.unlink(missing_ok=True)
        raise


#: The columns of the audit table, in its order (``helpers.audit.COLUMNS``, which imports pandas; a test keeps the
#: two the same).
AUDIT_COLUMNS = (
    "check_id",
    "location",
    "statement",
    "stated",
    "recomputed",
    "difference",
    "verdict",
    "grade",
    "fault",
    "note",
)


def _export_audit(outcome: Outcome, target: Path) -> None:
    """Write the audit chapter's glued check table as CSV beside results.json."""
    import csv
    import io

    records = glued_values(_read_notebook(outcome.notebook)).get("audit_checks")
    if not records:
        return
    # the notebook stores each record with its keys sorted: put them back in the audit table's order
    columns = [c for c in AUDIT_COLUMNS if c in records[0]] + sorted(set(records[0]) - set(AUDIT_COLUMNS))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    _write_atomic(target, buffer.getvalue())
