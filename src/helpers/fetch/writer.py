"""Turn what a statistics office publishes into a region file, its country's reference file and their provenance.

Both fetchers hand this module the values they read, by the code the source uses for a sector or a group of
sectors (``"A"``, ``"B-E"``, ``"M-N"``, ...), in thousands. It chooses the finest level that is complete for the
region *and* its country (the NACE sections A to S, else the coarser groups of Eurostat's NUTS 3 tables), so that
the two files always compare like with like, and writes:

- ``<region_id>.csv``: the region file, one row per section or group (columns ``COLUMNS``);
- ``<region_id>-reference.csv``: the country from the same source, year and level, in the same format;
- ``<stem>.provenance.json`` beside each: source, table id, retrieval date, the exact query, what is counted.

Only the standard library is used here, so that ``python -m helpers fetch`` starts quickly.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

COLUMNS = ("region_id", "region_name", "country", "nuts_code", "nuts_version", "reference_year", "source",
           "nace_section", "employees_thousands")

#: The NACE Rev. 2 sections of the report's Tabel 1.1 (T and U, households and extraterritorial bodies, are not in it).
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRS")

#: The groups Eurostat publishes by NUTS 3 region (its A10 breakdown), with the sections each one adds up.
#: R-U includes T and U, which the sections level leaves out.
GROUPS = {"A": "A", "B-E": "BCDE", "F": "F", "G-I": "GHI", "J": "J", "K": "K", "L": "L", "M-N": "MN",
          "O-Q": "OPQ", "R-U": "RSTU"}

LEVEL_SECTIONS = "NACE sections A to S"
LEVEL_GROUPS = "Eurostat's NUTS 3 groups A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U"


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


@dataclass
class Area:
    """One area as a source publishes it: values in thousands by sector code (None where not published)."""

    region_id: str
    region_name: str
    country: str  # "NL" or "DE"
    values: dict[str, float | None]
    nuts_code: str = ""
    nuts_version: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _value(area: Area, code: str) -> float | None:
    value = area.values.get(code)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def at_sections(area: Area) -> tuple[dict[str, float], list[str]]:
    """Values by section A..S, and the sections that are not published."""
    values = {code: _value(area, code) for code in SECTIONS}
    return {c: v for c, v in values.items() if v is not None}, [c for c, v in values.items() if v is None]


def at_groups(area: Area) -> tuple[dict[str, float], list[str]]:
    """Values by Eurostat group: the group as published, else the sum of its sections when all are published;
    and the groups that can be had neither way."""
    values, missing = {}, []
    for group, members in GROUPS.items():
        value = _value(area, group)
        if value is None:
            parts = [_value(area, m) for m in members]
            value = None if any(p is None for p in parts) else sum(parts)
        if value is None:
            missing.append(group)
        else:
            values[group] = value
    return values, missing


def complete_level(region: Area, reference: Area, source: str, year: int) -> tuple[str, dict, dict]:
    """The finest level complete for both areas: (level, region values, reference values)."""
    region_sections, region_gaps = at_sections(region)
    reference_sections, reference_gaps = at_sections(reference)
    if not region_gaps and not reference_gaps:
        return LEVEL_SECTIONS, region_sections, reference_sections
    region_groups, region_missing = at_groups(region)
    reference_groups, reference_missing = at_groups(reference)
    for area, missing in ((region, region_missing), (reference, reference_missing)):
        if missing:
            raise FetchError(f"{source} publishes no figure for {', '.join(missing)} in {area.region_name} "
                             f"({year}), not even as a coarser group; a complete region file needs every one of "
                             f"{', '.join(GROUPS)}")
    return LEVEL_GROUPS, region_groups, reference_groups


def _number(value: float) -> str:
    """Thousands with at most three decimals (one job or person), without trailing zeros."""
    text = f"{round(value, 3):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _write_csv(path: Path, area: Area, values: dict[str, float], year: int, source_label: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for code, value in values.items():
            writer.writerow((area.region_id, area.region_name, area.country, area.nuts_code, area.nuts_version,
                             year, source_label, code, _number(value)))


@dataclass
class Written:
    """What a fetch wrote (paths) and at which level."""

    region_file: Path
    reference_file: Path
    region_provenance: Path
    reference_provenance: Path
    level: str
    rows: int
    region_total: float
    reference_total: float
    published_total: float | None  # the source's own total for the region (all activities), when it has one


def write_region_files(out_dir: Path | str, region: Area, reference: Area, *, year: int, source_label: str,
                       provenance: dict, retrieved: date | None = None) -> Written:
    """Write the region file, the country's reference file and a provenance sidecar beside each.

    ``provenance`` holds what the fetcher knows (``source``, ``table_id``, ``query``, ``concept``, ...); this adds
    ``retrieved`` (ISO date), ``level``, ``unit`` and the file names that tie the two files together.
    """
    level, region_values, reference_values = complete_level(region, reference, provenance["source"], year)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    region_csv = out / f"{region.region_id}.csv"
    reference_csv = out / f"{reference.region_id}.csv"
    common = {
        **provenance,
        "retrieved": (retrieved or date.today()).isoformat(),
        "reference_year": year,
        "level": level,
        "unit": "thousands",
    }
    if level == LEVEL_GROUPS:
        common["level_note"] = ("The source does not publish every NACE section here, so both files hold the "
                                "coarser groups; R-U includes T and U, and B-E has no separate manufacturing.")
    region_sidecar = {**common, "region_id": region.region_id, "reference_file": reference_csv.name,
                      **region.extra}
    # The reference's own sidecar names no reference_file: it is the reference (a folder of region files then
    # builds the region only, since the region's sidecar names this file as its reference).
    reference_sidecar = {**common, "region_id": reference.region_id, "role": "country reference",
                         "reference_for": region_csv.name, **reference.extra}
    _write_csv(region_csv, region, region_values, year, source_label)
    _write_csv(reference_csv, reference, reference_values, year, source_label)
    region_json = out / f"{region.region_id}.provenance.json"
    reference_json = out / f"{reference.region_id}.provenance.json"
    for path, sidecar in ((region_json, region_sidecar), (reference_json, reference_sidecar)):
        path.write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Written(region_csv, reference_csv, region_json, reference_json, level, len(region_values),
                   sum(region_values.values()), sum(reference_values.values()),
                   region.extra.get("published_total_thousands"))
