"""Example region files derived from the report's own Tabel 1.1 (``examples/``), to try ``--region-file`` on.

- ``rest-of-nl.csv``: the Netherlands minus the four Dutch study regions, by NACE section;
- ``rest-of-de-groups.csv``: Germany minus Emsland and Bremen, summed to Eurostat's NUTS 3 groups (the coarser
  level a Eurostat region file has).

``python tools/make_examples.py`` writes them; a test regenerates them and compares with the committed files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import derived, paths, regions
from . import sector_levels as levels
from .region_file import REPORT_YEAR, write
from .user_region import aggregate

EXAMPLES_DIR = Path(paths.ROOT) / "examples"
#: When the examples were first derived from the edition's transcription of Tabel 1.1 (the provenance's "retrieved").
RETRIEVED = "2026-11-29"
SOURCE = "derived from the report's Bijlage 1, Tabel 1.1"
CONCEPT = "employees, December (as Tabel 1.1)"
DECIMALS = 1  # Tabel 1.1 prints thousands with at most one decimal


def rest_of_country(country_id: str, minus: list[str]) -> pd.Series:
    """A country's Tabel 1.1 column minus some of its regions (thousands of employees by NACE section).

    Raises ``ValueError`` when a section would come out negative (the regions would hold more than the country).
    """
    mat = derived.employment()
    rest = (mat.loc[country_id] - mat.loc[minus].sum()).round(DECIMALS)
    negative = rest[rest < 0]
    if not negative.empty:
        raise ValueError(
            f"{country_id} minus {', '.join(minus)} is negative in section(s) "
            f"{', '.join(negative.index)}: the regions are not part of the country's count"
        )
    return rest + 0.0  # no negative zero


def _provenance(query: str) -> dict:
    return {
        "source": SOURCE,
        "table_id": "Bijlage 1, Tabel 1.1",
        "retrieved": RETRIEVED,
        "query": query,
        "concept": CONCEPT,
    }


def write_examples(folder: Path | str = EXAMPLES_DIR) -> list[Path]:
    """Write the example region files and their provenance sidecars into ``folder``; returns the CSV paths."""
    folder = Path(folder)
    dutch, german = list(regions.DUTCH_REGIONS), list(regions.GERMAN_REGIONS)
    rest_nl = rest_of_country("nl", dutch)
    rest_de = rest_of_country("de", german)
    grouped = aggregate(rest_de.to_frame().T, levels.A10).iloc[0].round(DECIMALS)
    return [
        write(
            folder / "rest-of-nl.csv",
            "rest-of-nl",
            "Rest of the Netherlands",
            "NL",
            rest_nl,
            REPORT_YEAR,
            SOURCE,
            _provenance(f"Tabel 1.1, column Nederland minus the columns {', '.join(dutch)}, per NACE section"),
        ),
        write(
            folder / "rest-of-de-groups.csv",
            "rest-of-de-groups",
            "Rest of Germany",
            "DE",
            grouped,
            REPORT_YEAR,
            SOURCE,
            _provenance(
                f"Tabel 1.1, column Duitsland minus the columns {', '.join(german)}, summed to "
                "Eurostat's NUTS 3 groups A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U"
            ),
        ),
    ]
