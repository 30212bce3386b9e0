"""How p-values reach the page: never 'p = 0' or a bare 0.000, whatever the size of p."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import numbers, stats


def test_tiny_and_underflowed_p_values_show_as_below_one_in_a_thousand():
    assert numbers.pvalue(0.0) == "p < 0.001" and numbers.pvalue(5e-324) == "p < 0.001"
    assert numbers.pvalue(0.0004) == "p < 0.001" and numbers.pvalue(0.00099) == "p < 0.001"
    assert (
        numbers.pvalue(0.001) == "p = 0.001"
        and numbers.pvalue(0.0436) == "p = 0.044"
        and numbers.pvalue(1.0) == "p = 1.000"
    )
    # table cells: the same rule without the 'p'
    assert numbers.pvalue(0.0, prefix=False) == "< 0.001" and numbers.pvalue(0.0436, prefix=False) == "0.044"
    assert numbers.pvalue(np.float64(0.2), prefix=False) == "0.200"
    # an underflowing test: z = 40 has p = 0 in double precision
    out = stats.pairwise_proportions(pd.Series({"a": 10.0, "b": 90.0}), 100_000)
    assert out.loc[0, "p_value"] == 0.0 and numbers.pvalue(out.loc[0, "p_value"]) == "p < 0.001"


def test_missing_or_impossible_p_values_are_not_printed_as_numbers():
    assert numbers.pvalue(float("nan")) == "p not computable" and numbers.pvalue(None, prefix=False) == "not computable"
    with pytest.raises(ValueError, match="between 0 and 1, got 1.5"):
        numbers.pvalue(1.5)
    with pytest.raises(ValueError, match="between 0 and 1, got -0.1"):
        numbers.pvalue(-0.1)


P_COLUMNS = {
    "ch2_occupations": {
        "ch2_pairwise": ["p", "p (Holm)"],
        "ch2_homogeneity": ["p-value"],
        "ch2_reading_tests": ["p at the assumed n"],
    },
    "ch1_world": {"ch1_trends": ["p (difference)"]},
    "ch5_germany": {"ch5_pairing": ["p (exact)"]},
}


@pytest.mark.slow
def test_p_value_columns_on_the_pages_never_show_zero(built_books):
    build_dir, _ = built_books
    for chapter, tables in P_COLUMNS.items():
        page = BeautifulSoup((build_dir / "html" / "chapters" / f"{chapter}.html").read_text(), "html.parser")
        for table_id, columns in tables.items():
            wrap = page.find(id=table_id)
            assert wrap is not None, (chapter, table_id)
            headers = [th.get_text(strip=True) for th in wrap.find("thead").find_all("th")]
            for column in columns:
                j = headers.index(column)
                cells = [tr.find_all("td")[j].get_text(strip=True) for tr in wrap.find("tbody").find_all("tr")]
                assert cells and not any(c in ("0.000", "0.00", "0") or c.startswith("p = 0.000") for c in cells), (
                    chapter,
                    table_id,
                    column,
                    cells,
                )
