"""Chapters read as chapters (issue 31, STYLE.md): one parameters cell on top, short code cells (median at most 6
lines, none over 15), no function defined in a chapter (logic lives in the tested library)."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import jupytext
import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))
LONGEST_CELL = 15
MEDIAN_CELL = 6


def code_cells(path: Path) -> list[dict]:
    return [cell for cell in jupytext.read(path)["cells"] if cell["cell_type"] == "code"]


def lines_of(cell: dict) -> int:
    return sum(1 for line in cell["source"].splitlines() if line.strip())


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_code_cells_are_short(path):
    cells = code_cells(path)
    if not cells:
        return
    counts = [lines_of(cell) for cell in cells]
    assert max(counts) <= LONGEST_CELL, f"{path.name}: a code cell of {max(counts)} lines"
    assert statistics.median(counts) <= MEDIAN_CELL, f"{path.name}: median code cell {statistics.median(counts)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_function_or_class_is_defined_in_a_chapter(path):
    for cell in code_cells(path):
        tree = ast.parse(cell["source"])
        defined = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        assert not defined, f"{path.name} defines {defined}: move it into the library, with a test"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_parameters_cell_comes_first_and_only_once(path):
    cells = code_cells(path)
    if not cells:
        return
    tagged = [i for i, cell in enumerate(cells) if "parameters" in cell["metadata"].get("tags", [])]
    assert tagged == [0], f"{path.name}: parameters cells at code cells {tagged}"
