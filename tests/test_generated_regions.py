"""Generated region files (``helpers.generated_regions``, ``tools/make_regions.py``): valid, distinct, reproducible,
and made from Tabel 1.1 as their provenance says (checked against the data file read with the csv module)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from helpers import generated_regions, paths, region_file

ROOT = Path(__file__).resolve().parents[1]


def tabel_1_1() -> dict[str, dict[str, float]]:
    """Tabel 1.1 as {area: {section: thousands}}, straight from the CSV."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    with open(paths.DATA_DIR / "employees_by_sector.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table[row["region_id"]][row["nace_section"]] = float(row["employees_thousands"])
    return table


def file_values(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as fh:
        return {row["nace_section"]: row["employees_thousands"] for row in csv.DictReader(fh)}


def test_the_first_files_follow_their_formulas_by_hand(tmp_path):
    files = generated_regions.write_generated(tmp_path, 4)
    t = tabel_1_1()
    sections = "ABCDEFGHIJKLMNOPQRS"
    # gen-0001: the Netherlands without Zuidoost-Drenthe, by section
    assert file_values(files[0]) == {s: f"{t['nl'][s] - t['zo-drenthe'][s]:.1f}" for s in sections}
    # gen-0002: Zuidoost-Drenthe and Twente together
    assert file_values(files[1]) == {s: f"{t['zo-drenthe'][s] + t['twente'][s]:.1f}" for s in sections}
    # gen-0003: half the Netherlands + half Zuidoost-Drenthe, summed to Eurostat's groups (R-U = R + S)
    groups = {
        "A": "A",
        "B-E": "BCDE",
        "F": "F",
        "G-I": "GHI",
        "J": "J",
        "K": "K",
        "L": "L",
        "M-N": "MN",
        "O-Q": "OPQ",
        "R-U": "RS",
    }
    half = {s: 0.5 * t["nl"][s] + 0.5 * t["zo-drenthe"][s] for s in sections}
    assert file_values(files[2]) == {g: f"{sum(half[s] for s in members):.1f}" for g, members in groups.items()}
    # gen-0004: Germany without Emsland
    assert file_values(files[3]) == {s: f"{t['de'][s] - t['emsland'][s]:.1f}" for s in sections}
    sidecar = json.loads(region_file.provenance_path(files[2]).read_text(encoding="utf-8"))
    assert sidecar["query"] == (
        "Tabel 1.1: 50% of Netherlands + 50% of Zuidoost-Drenthe, summed to Eurostat's ten groups, per group"
    )


def test_many_files_are_valid_distinct_and_written_the_same_way_twice(tmp_path):
    count = len(generated_regions.specs()) + 3  # beyond the distinct combinations: scaled repeats
    first = generated_regions.write_generated(tmp_path / "a", count)
    again = generated_regions.write_generated(tmp_path / "b", count)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    loaded = [region_file.load(p, register=False) for p in first]
    assert len({r.id for r in loaded}) == count
    assert {r.country for r in loaded[:6]} == {"NL", "DE"} and {r.level for r in loaded[:6]} == {"section", "a10"}
    profiles = {tuple(r.employees.round(1)) for r in loaded}
    assert len(profiles) == count  # the repeats are scaled, so no two files are the same region
    repeat, original = loaded[len(generated_regions.specs())], loaded[0]
    assert repeat.level == original.level == "section"
    assert (repeat.employees / original.employees).round(2).dropna().unique().tolist() == [1.1]


@pytest.mark.processes
def test_the_tool_writes_the_files(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_regions.py"), "3", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(tmp_path / f"gen-000{i}.csv") for i in (1, 2, 3)]
    assert region_file.region_files(tmp_path) == [Path(p) for p in out]


def test_a_count_below_one_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        generated_regions.write_generated(tmp_path, 0)
