"""Region files generated from the report's Tabel 1.1, to test and benchmark batches of hundreds of regions
without a network (``python tools/make_regions.py N FOLDER``).

Each generated region is made of the report's own areas of one country (its four or two study regions and the
country itself), in one of three ways, so that every file is a plausible economy with its own sector profile:

- ``rest``: the country minus one of its study regions (as ``helpers.examples.rest_of_country``);
- ``sum``: two of the country's study regions together;
- ``blend``: w x one area + (1 - w) x another, w = k/40 for k = 1 ... 39, the simplest weights first (1/2, then 1/4
  and 3/4, ...): a region shaped partly like each.

The specifications are interleaved (rest, sum, blend, ...; Dutch and German in turn) so that the first few files
already hold every kind and both countries; every third file is written at Eurostat's ten groups of sections
(``sector_levels.A10``), the others by NACE section. Beyond the distinct combinations (``len(specs())``)
the sequence repeats with the employees scaled (x1.1, x1.2, ...): the same profile, another region. Files are
written with ``region_file.write`` (so they follow the schema) with a provenance sidecar saying how each was made.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from . import derived, regions, sector_levels
from .examples import DECIMALS, rest_of_country
from .region_file import REPORT_YEAR, write
from .user_region import aggregate

SOURCE = "generated from the report's Bijlage 1, Tabel 1.1 (for testing at scale)"
CONCEPT = "employees, December (as Tabel 1.1)"
#: The provenance's "retrieved": fixed, so that the same count writes the same bytes.
RETRIEVED = "2026-12-01"
#: Weights of a blend: 1/40 ... 39/40.
BLEND_STEPS = 40
#: Each of the first n regions whose index is 2 modulo this is written at Eurostat's groups.
GROUPS_EVERY = 3
#: The areas of each country a region is made from: the country, then its study regions.
COUNTRY_AREAS = {"NL": ("nl", *regions.DUTCH_REGIONS), "DE": ("de", *regions.GERMAN_REGIONS)}


@dataclass(frozen=True)
class Spec:
    """How one generated region is made: ``kind`` (rest, sum, blend), its country and areas, and the weight of the
    first area in a blend (the second gets 1 - weight)."""

    kind: str
    country: str
    areas: tuple[str, ...]
    weight: float = 1.0

    def employees(self, matrix: pd.DataFrame) -> pd.Series:
        """Thousands of employees by NACE section (unrounded)."""
        if self.kind == "rest":
            return rest_of_country(self.areas[0], [self.areas[1]])
        first, second = (matrix.loc[a] for a in self.areas)
        if self.kind == "sum":
            return first + second
        return self.weight * first + (1 - self.weight) * second

    def description(self) -> str:
        """The formula in words, e.g. "25% of Twente + 75% of Zuidoost-Brabant"."""
        names = [regions.name(a) for a in self.areas]
        if self.kind == "rest":
            return f"{names[0]} without {names[1]}"
        if self.kind == "sum":
            return f"{names[0]} and {names[1]} together"
        return f"{self.weight * 100:g}% of {names[0]} + {100 - self.weight * 100:g}% of {names[1]}"


def specs() -> list[Spec]:
    """Every distinct generated region, interleaved by kind and country (see the module's docstring)."""
    by_kind: dict[str, list[Spec]] = {"rest": [], "sum": [], "blend": []}
    for country, (whole, *parts) in COUNTRY_AREAS.items():
        by_kind["rest"] += [Spec("rest", country, (whole, part)) for part in parts]
        by_kind["sum"] += [Spec("sum", country, pair) for pair in itertools.combinations(parts, 2)]
        pairs = list(itertools.combinations((whole, *parts), 2))
        steps = sorted(range(1, BLEND_STEPS), key=lambda step: (Fraction(step, BLEND_STEPS).denominator, step))
        by_kind["blend"] += [Spec("blend", country, pair, step / BLEND_STEPS) for step in steps for pair in pairs]
    for kind, items in by_kind.items():  # Dutch and German in turn within each kind
        dutch = [s for s in items if s.country == "NL"]
        german = [s for s in items if s.country == "DE"]
        by_kind[kind] = [s for pair in itertools.zip_longest(dutch, german) for s in pair if s is not None]
    ordered = itertools.zip_longest(*by_kind.values())
    return [s for group in ordered for s in group if s is not None]


def write_generated(folder: Path | str, count: int) -> list[Path]:
    """Write ``count`` region files ``gen-0001.csv`` ... (each with its provenance sidecar) into ``folder``; returns
    their paths. The same count always writes the same bytes; a larger count writes the smaller one's files first."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    folder = Path(folder)
    matrix = derived.employment()
    distinct = specs()
    paths = []
    for index in range(count):
        spec = distinct[index % len(distinct)]
        scale = 1 + (index // len(distinct)) / 10
        employees = spec.employees(matrix) * scale  # unrounded: the file rounds each value once, as written
        level = sector_levels.A10 if index % GROUPS_EVERY == GROUPS_EVERY - 1 else sector_levels.SECTION
        if level != "section":
            employees = aggregate(employees.to_frame().T, level).iloc[0]
        number = f"{index + 1:04d}"
        formula = spec.description() + (f", x{scale:g}" if scale != 1 else "")
        query = (
            f"Tabel 1.1: {formula}"
            + (", summed to Eurostat's ten groups" if level != "section" else "")
            + ", per "
            + ("group" if level != "section" else "NACE section")
        )
        provenance = {
            "source": SOURCE,
            "table_id": "Bijlage 1, Tabel 1.1",
            "retrieved": RETRIEVED,
            "query": query,
            "concept": CONCEPT,
        }
        paths.append(
            write(
                folder / f"gen-{number}.csv",
                f"gen-{number}",
                f"Generated {number}: {formula}",
                spec.country,
                employees + 0.0,
                REPORT_YEAR,
                SOURCE,
                provenance,
                decimals=DECIMALS,
            )
        )
    return paths
