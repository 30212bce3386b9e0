"""The sources' code lists, kept offline in ``data/``: NUTS 2013 names (``nuts_2013_labels.csv``, the names
Eurostat's ``geo`` code list gives NUTS regions) and CBS's COROP regions (``corop_regions.csv``).

A region's name in a region file comes from here (or from the answer itself where it has titles, as CBS's has),
never a bare code. Standard library only: read with ``csv``, once per process.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .. import paths

NUTS_FILE = "nuts_2013_labels.csv"
COROP_FILE = "corop_regions.csv"
NUTS_VERSION = "2013"


@lru_cache(maxsize=2)
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with open(Path(paths.DATA_DIR) / name, newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def nuts_labels() -> dict[str, str]:
    """NUTS code -> its official name, as the code list has it (levels 0 and 1 in capitals)."""
    return {row["nuts_code"]: row["label"] for row in _rows(NUTS_FILE)}


def nuts_name(code: str) -> str | None:
    """The official name of a NUTS region ("Grafschaft Bentheim" for DE94B), None when the list lacks the code."""
    return nuts_labels().get(code.strip().upper())


def country_name(country: str) -> str:
    """A country's name as the NUTS code list has it at level 0, in title case ("Deutschland",
    "Belgique-België"); the code itself when the list has no such country."""
    label = nuts_labels().get(country.strip().upper())
    if not label:
        return country
    return label.title() if label.isupper() else label


def countries() -> tuple[str, ...]:
    """The country codes of the NUTS code list (EU-28 in NUTS 2013: EL is Greece, UK the United Kingdom)."""
    return tuple(row["nuts_code"] for row in _rows(NUTS_FILE) if row["nuts_level"] == "0")


def corop_names() -> dict[str, str]:
    """COROP code (CR01 to CR40) -> the region's name, without StatLine's " (CR)"."""
    return {row["corop_code"]: row["name"] for row in _rows(COROP_FILE)}
