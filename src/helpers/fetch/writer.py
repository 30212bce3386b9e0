"""Turn what a statistics office publishes into a region file, its country's reference file and their provenance.

Both fetchers hand this module the values they read, by the code the source uses for a sector or a group of
sectors (``"A"``, ``"B-E"``, ``"M-N"``, ``"G-J"``, ...), in thousands. It chooses the finest level that is complete
for the region *and* its country (``helpers.sector_levels``: the NACE sections A to S, else Eurostat's ten groups,
else the six groups Eurostat publishes for German NUTS 3 regions), so that the two files always compare like with
like; at a coarser level it adds manufacturing (C) as a row of its own where both areas have it. It writes:

- ``<region_id>.csv``: the region file, one row per section or group (columns ``COLUMNS``);
- ``<region_id>-reference.csv``: the country from the same source, year and level, in the same format;
- ``<stem>.provenance.json`` beside each: source, table id, retrieval date, the exact query, what is counted.

Only the standard library is used here, so that ``python -m helpers fetch`` starts quickly.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import sector_levels as levels

COLUMNS = (
    "region_id",
    "region_name",
    "country",
    "nuts_code",
    "nuts_version",
    "reference_year",
    "source",
    "nace_section",
    "employees_thousands",
)


class FetchError(Exception):
    """A fetch that cannot write a complete region file (the message is one line)."""


class ServiceUnreachable(FetchError):
    """The statistics office did not answer (no network, DNS failure, time-out)."""

    def __init__(self, service: str, host: str, reason: BaseException | str):
        super().__init__(f"cannot reach {service} ({host}): {short_reason(reason)}; check your connection")


def short_reason(reason: BaseException | str) -> str:
    """The innermost, human part of a connection error: "Failed to resolve 'host' (...)" rather than the pool's
    whole retry story."""
    if isinstance(reason, str):
        return reason
    inner = reason.args[0] if reason.args else reason
    inner = getattr(inner, "reason", inner)  # urllib3's MaxRetryError keeps the cause in .reason
    text = str(inner) or type(inner).__name__
    head, sep, tail = text.partition("): ")  # "HTTPSConnection(host=..., port=443): Failed to resolve ..."
    return " ".join((tail if sep and tail else text).split())


def file_record(path: Path, content: bytes) -> dict[str, str]:
    """What a provenance records of a saved answer it read: the file and the SHA-256 of its bytes."""
    return {"file": str(path), "sha256": hashlib.sha256(content).hexdigest()}


@dataclass
class Area:
    """One area as a source publishes it: values in thousands by sector code (None where not published)."""

    region_id: str
    region_name: str
    country: str  # the country code, e.g. "NL", "DE", "BE"
    values: dict[str, float | None]
    nuts_code: str = ""
    nuts_version: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def published(self, code: str) -> float | None:
        """The value the source gives for ``code``; None where it gives none (or a value that is not finite)."""
        value = self.values.get(code)
        return None if value is None or not math.isfinite(value) else float(value)

    def codes(self) -> list[str]:
        """The codes the source gives a value for, in its order."""
        return [code for code in self.values if self.published(code) is not None]


def _no_complete_level(area: Area, source: str, year: int) -> FetchError:
    coarsest = levels.LEVELS[-1]
    _, missing = levels.at_level(coarsest, area.published)
    published = ", ".join(area.codes()) or "nothing"
    return FetchError(
        f"{source} publishes for {area.region_name} ({area.nuts_code or area.region_id}, {year}) only "
        f"{published}: no level is complete; even {levels.LEVEL_NAMES[coarsest]} lacks "
        f"{', '.join(missing)}"
    )


def complete_level(region: Area, reference: Area, source: str, year: int) -> tuple[str, dict, dict]:
    """The finest level complete for both areas: (level, region values, reference values); at a coarser level
    each holds C after B-E when the source publishes it for both."""
    for level in levels.LEVELS:
        region_values, region_missing = levels.at_level(level, region.published)
        reference_values, reference_missing = levels.at_level(level, reference.published)
        if region_missing or reference_missing:
            continue
        manufacturing = (region.published(levels.MANUFACTURING), reference.published(levels.MANUFACTURING))
        if levels.allows_manufacturing_row(level) and None not in manufacturing:
            region_values = _with_manufacturing(region_values, manufacturing[0])
            reference_values = _with_manufacturing(reference_values, manufacturing[1])
        return level, region_values, reference_values
    for area in (region, reference):
        if levels.at_level(levels.LEVELS[-1], area.published)[1]:
            raise _no_complete_level(area, source, year)
    raise FetchError(f"{source}: {region.region_name} and {reference.region_name} have no level in common")


def _with_manufacturing(values: dict[str, float], manufacturing: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for code, value in values.items():
        out[code] = value
        if code == "B-E":
            out[levels.MANUFACTURING] = manufacturing
    return out


def _number(value: float) -> str:
    """Thousands with at most three decimals (one job or person), without trailing zeros."""
    text = f"{round(value, 3):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _write_csv(path: Path, area: Area, values: dict[str, float], year: int, source_label: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for code, value in values.items():
            writer.writerow(
                (
                    area.region_id,
                    area.region_name,
                    area.country,
                    area.nuts_code,
                    area.nuts_version,
                    year,
                    source_label,
                    code,
                    _number(value),
                )
            )


@dataclass
class Written:
    """What a fetch wrote (paths) and at which level."""

    region_file: Path
    reference_file: Path
    region_provenance: Path
    reference_provenance: Path
    level: str  # a key of helpers.sector_levels.GROUPS
    rows: int
    region_total: float  # thousands, the level's groups (manufacturing, a part of B-E, not added again)
    reference_total: float
    published_total: float | None  # the source's own total for the region (all activities), when it has one
    notes: list[str] = field(default_factory=list)  # what the user should know (one line each)

    @property
    def level_name(self) -> str:
        return levels.LEVEL_NAMES[self.level]


def _total(values: dict[str, float], level: str) -> float:
    return sum(values[code] for code in levels.codes(level))


def write_region_files(
    out_dir: Path | str,
    region: Area,
    reference: Area,
    *,
    year: int,
    source_label: str,
    provenance: dict,
    retrieved: date | None = None,
) -> Written:
    """Write the region file, the country's reference file and a provenance sidecar beside each.

    ``provenance`` holds what the fetcher knows (``source``, ``table_id``, ``query``, ``concept``, ...); this adds
    ``retrieved`` (ISO date), ``level``, ``unit`` and the file names that tie the two files together.
    """
    level, region_values, reference_values = complete_level(region, reference, provenance["source"], year)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    region_csv = out / f"{region.region_id}.csv"
    reference_csv = out / f"{reference.region_id}.csv"
    has_manufacturing = levels.MANUFACTURING in region_values and level != levels.SECTION
    common = {
        **provenance,
        "retrieved": (retrieved or date.today()).isoformat(),
        "reference_year": year,
        "level": levels.LEVEL_NAMES[level],
        "level_code": level,
        "unit": "thousands",
    }
    if level != levels.SECTION:
        common["level_note"] = (
            f"The source does not publish every NACE section for both areas, so both files hold "
            f"{levels.LEVEL_NAMES[level]}: {levels.limits(level, has_manufacturing)}."
        )
    region_sidecar = {**common, "region_id": region.region_id, "reference_file": reference_csv.name, **region.extra}
    # The reference's own sidecar names no reference_file: it is the reference (a folder of region files then
    # builds the region only, since the region's sidecar names this file as its reference).
    reference_sidecar = {
        **common,
        "region_id": reference.region_id,
        "role": "country reference",
        "reference_for": region_csv.name,
        **reference.extra,
    }
    _write_csv(region_csv, region, region_values, year, source_label)
    _write_csv(reference_csv, reference, reference_values, year, source_label)
    region_json = out / f"{region.region_id}.provenance.json"
    reference_json = out / f"{reference.region_id}.provenance.json"
    for path, sidecar in ((region_json, region_sidecar), (reference_json, reference_sidecar)):
        path.write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Written(
        region_csv,
        reference_csv,
        region_json,
        reference_json,
        level,
        len(region_values),
        _total(region_values, level),
        _total(reference_values, level),
        region.extra.get("published_total_thousands"),
    )
