"""Helpers chapters call: glue values for results.json, number formatting, the synthetic cohort's margins."""

import base64
import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from helpers import figures, glue, markup, numbers, stats, synthetic, tables


def test_values_are_stored_as_json_numbers_and_records():
    frame = pd.DataFrame({"region": ["twente", "bremen"], "share": [14.93, np.nan]})
    assert glue.jsonable(frame) == [{"region": "twente", "share": 14.93}, {"region": "bremen", "share": None}]
    assert glue.jsonable(np.int64(7)) == 7 and isinstance(glue.jsonable(np.float64(0.5)), float)
    assert glue.jsonable({"a": pd.NA, "b": [np.bool_(True)]}) == {"a": None, "b": [True]}


def test_glue_names_are_an_ascii_interface():
    with pytest.raises(ValueError, match="lower-case ASCII"):
        glue.glue("ch3 Share", 1.0)


NNBSP, MINUS, NBSP = "\u202f", "\u2212", "\u00a0"


def test_formatting_for_the_prose():
    assert numbers.pct(14.9254) == "14.9%"
    assert numbers.fmt(26934, 0) == "26\u202f934"
    assert numbers.fmt(float("nan")) == "–"
    assert numbers.pvalue(0.0004) == "p < 0.001" and numbers.pvalue(0.0436) == "p = 0.044"


def test_one_number_format():
    # counts are integers whatever decimals the caller asks for; thousands by a narrow no-break space
    assert numbers.fmt(1082, 1) == "1\u202f082"
    assert numbers.fmt(np.int64(1234567)) == "1\u202f234\u202f567"
    assert numbers.fmt(1082.04, 1) == "1\u202f082.0"
    # a true minus sign, and no negative zero
    assert numbers.fmt(-3.25, 1) == "\u22123.2"  # round half to even: 3.25 -> 3.2
    assert numbers.fmt(-1500.5, 1) == "\u22121\u202f500.5"
    assert numbers.fmt(-0.004, 2) == "0.00"
    assert numbers.pct(-0.04) == "0.0%"
    assert numbers.fmt(-0.0, 0) == "0"
    assert numbers.fmt(0.5, 1, signed=True) == "+0.5" and numbers.fmt(-0.5, 1, signed=True) == "\u22120.5"
    assert numbers.fmt(0.0, 1, signed=True) == "0.0"
    # units typeset: % attached, others after a no-break space, powers as superscripts
    assert numbers.fmt(12.34, 1, "km2") == "12.3\u00a0km²"
    assert numbers.fmt(1250, 0, "per km^2") == "1\u202f250\u00a0per km²"
    assert numbers.unit_symbol("m3") == "m³"
    # missing values and booleans
    assert numbers.fmt(None) == numbers.fmt(pd.NA) == numbers.fmt(np.nan) == "–"
    assert numbers.fmt(True) == "yes"


def test_p_values_in_tables():
    assert numbers.p_cell(0.0004) == "< 0.001"
    assert numbers.p_cell(0.0436) == "0.044"
    assert numbers.p_cell(1.0) == "1.000"
    assert numbers.p_cell(None) == "–"


def test_csv_cells_are_raw_numbers():
    assert numbers.raw_number("1\u202f082") == 1082
    assert numbers.raw_number("1\u2009082") == 1082  # the thin space of earlier builds
    assert numbers.raw_number("\u22120.50") == -0.5
    assert numbers.raw_number("–") is None
    assert numbers.raw_number("14.9%") == "14.9%" and numbers.raw_number("Twente") == "Twente"
    frame = pd.DataFrame({"area": ["Twente", "Bremen"], "firms": ["1\u202f082", "–"], "share": [14.93, np.nan]})
    link = markup.csv_link(frame, "table_x")
    csv = base64.b64decode(link.split("base64,")[1].split('"')[0]).decode()
    assert csv.splitlines() == ["area,firms,share", "Twente,1082,14.93", "Bremen,,"]


def test_columns_are_formatted_by_what_they_hold():
    # integral floats (counts, degrees of freedom) as integers, whatever the float format
    assert tables.format_column(pd.Series([1082.0, 3.0, np.nan]), "establishments", 2) == ["1\u202f082", "3", "–"]
    assert tables.format_column(pd.Series([3.0, 2.0]), "df", 3) == ["3", "2"]
    # other numbers with the decimals asked for, a true minus and no negative zero
    assert tables.format_column(pd.Series([-0.001, 12.5, -2.25]), "difference", 2) == ["0.00", "12.50", "\u22122.25"]
    # p-values
    assert tables.format_column(pd.Series([0.0001, 0.25]), "p (Holm)", 3) == ["< 0.001", "0.250"]
    assert tables.format_column(pd.Series([0.0001, 0.25]), "p-value", 3) == ["< 0.001", "0.250"]
    # years are not grouped
    assert tables.format_column(pd.Series([2010, 2013]), "year", 0) == ["2010", "2013"]
    # booleans read as words
    assert tables.format_column(pd.Series([True, False]), "agrees", 1) == ["yes", "no"]
    # a column spanning orders of magnitude keeps each value's own precision
    assert tables.format_column(pd.Series([1891.0, 14.9, 0.25]), "stated", 2) == ["1\u202f891", "14.90", "0.25"]
    # text columns keep their text; numbers inside them get the book's format
    assert tables.format_column(pd.Series(["a", 3, 2.5, None], dtype=object), "mixed", 1) == ["a", "3", "2.5", "–"]


def _parse(html_text):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html_text, "html.parser")


def test_table_html_for_readers():
    frame = pd.DataFrame(
        {
            "region_id": ["twente", "bremen"],
            "industry_share": [14.93, -0.001],
            "firms": [1082.0, 7.0],
            "quote_nl": ["een beroep", "werk"],
        }
    )
    soup = _parse(tables.table_html(frame, "t1", "Shares by area.", "the report, Tabel 1.1", float_format="{:,.2f}"))
    table = soup.find("table")
    assert table.caption.get_text(" ", strip=True) == "Shares by area. Source: the report, Tabel 1.1"
    # region ids become names; headers are words; numbers right-aligned
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
        "area",
        "industry share",
        "firms",
        "quote nl",
    ]
    assert [th.get("class") for th in table.thead.find_all("th")] == [None, ["num"], ["num"], None]
    first = [td.get_text() for td in table.tbody.find_all("tr")[0].find_all("td")]
    assert first == ["Twente", "14.93", "1\u202f082", "een beroep"]
    second = [td.get_text() for td in table.tbody.find_all("tr")[1].find_all("td")]
    assert second == ["Bremen", "0.00", "7", "werk"]
    # every cell carries its column's label for the phone layout; Dutch text is marked as Dutch
    assert [td["data-label"] for td in table.tbody.tr.find_all("td")] == ["area", "industry share", "firms", "quote nl"]
    assert table.tbody.tr.find_all("td")[3].span["lang"] == "nl"
    # the CSV keeps the ids and the raw numbers
    csv = base64.b64decode(soup.find("a", class_="data-download")["href"].split("base64,")[1]).decode()
    assert csv.splitlines()[0] == "region_id,industry_share,firms,quote_nl"
    assert csv.splitlines()[2] == "bremen,-0.001,7.0,werk"


def test_id_columns_are_not_shown_and_quotes_are_marked():
    frame = pd.DataFrame({"check_id": ["claim:a", "claim:b"], "statement": ["\u201cde industrie\u201d grows", "x"]})
    soup = _parse(tables.table_html(frame, "t2", "c", "s"))
    assert [th.get_text(strip=True) for th in soup.thead.find_all("th")] == ["statement"]
    assert [tr["data-id"] for tr in soup.tbody.find_all("tr")] == ["claim:a", "claim:b"]
    assert str(soup.tbody.td.span) == '<span lang="nl">\u201cde industrie\u201d</span>'


def test_a_verdict_column_becomes_badges_discrepancies_first_with_a_filter():
    frame = pd.DataFrame(
        {
            "check_id": ["a", "b", "c", "d"],
            "location": ["ch 1"] * 4,
            "statement": ["s1", "s2", "s3", "s4"],
            "stated": [1.0, 2.0, 3.0, 4.0],
            "verdict": ["consistent", "discrepancy", "not recomputable", "discrepancy"],
        }
    )
    soup = _parse(tables.table_html(frame, "audit", "c", "s", float_format="{:,.2f}"))
    headers = [th.get_text(strip=True) for th in soup.thead.find_all("th")]
    assert headers == ["verdict", "statement", "location", "stated"]
    rows = soup.tbody.find_all("tr")
    assert [r["data-verdict"] for r in rows] == ["discrepancy", "discrepancy", "not recomputable", "consistent"]
    assert [r["data-id"] for r in rows] == ["b", "d", "c", "a"]
    assert rows[0].td.span["class"] == ["verdict", "verdict-discrepancy"]
    options = [o.get_text() for o in soup.find("select", class_="verdict-filter").find_all("option")]
    assert options == ["all (4)", "discrepancy (2)", "not recomputable (1)", "consistent (1)"]
    assert soup.find("output", class_="filter-count").get_text() == "Showing 4 of 4 rows"


def test_long_tables_get_keyboard_sortable_headers_with_raw_sort_values():
    frame = pd.DataFrame({"area": list("abcdefgh"), "firms": [1500, 2, 3, 4, 5, 6, 7, 8]})
    soup = _parse(tables.table_html(frame, "t3", "c", "s"))
    assert soup.thead.th.button["type"] == "button" and soup.thead.th["aria-sort"] == "none"
    assert soup.tbody.tr.find_all("td")[1]["data-sort"] == "1500.0"
    short = _parse(tables.table_html(frame.head(3), "t4", "c", "s"))
    assert short.find("button") is None


def test_text_floor_grows_with_the_width_a_chart_is_drawn_at():
    # drawn narrower than the column: shown at natural size, 13 px = 9.75 pt
    assert figures.text_floor_pt(500) == pytest.approx(9.75)
    # 600 pt wide is 800 px natural, shown at 740 px: 13 px needs 13 * 600 / 740 = 10.54 pt
    assert figures.text_floor_pt(600) == pytest.approx(10.54, abs=0.005)
    # much wider: capped at 13 pt (such a chart needs redrawing narrower)
    assert figures.text_floor_pt(1200) == 13.0


def test_code_names_in_charts_become_words():
    import matplotlib.pyplot as plt

    assert figures.words("employers_association") == "employers association"
    assert figures.words("Tabel 1.1") == "Tabel 1.1" and figures.words("share_%") == "share_%"
    fig, ax = plt.subplots()
    ax.bar(["industry_share", "Twente"], [1, 2], label="employers_association")
    ax.set_xlabel("region_id")
    ax.get_xticklabels()[1].set_fontweight("bold")
    ax.legend()
    assert figures.chart_words(fig) >= 3
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["industry share", "Twente"]
    assert ax.get_xticklabels()[1].get_fontweight() == "bold"  # a label's own style is kept
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["employers association"]
    assert ax.get_xlabel() == "region id"
    plt.close(fig)


def test_overlapping_labels_are_found():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.5, 0.5, "first label", fontsize=12)
    ax.text(0.52, 0.5, "second label", fontsize=12)
    ax.text(0.1, 0.9, "apart", fontsize=12)
    assert figures.overlapping_texts(fig) == [("first label", "second label")]
    plt.close(fig)


def test_figures_are_deterministic_svg_files_with_readable_text():
    import matplotlib.pyplot as plt

    def draw():
        fig, ax = plt.subplots(figsize=(8, 4.5))
        ax.plot([1, 2, 3], [3, 1, 2])
        ax.set_title("A title")
        ax.text(1, 1, "small", fontsize=6)
        return fig

    first, width, smallest = figures.chart_svg(draw())
    second, _, _ = figures.chart_svg(draw())
    assert first == second  # fixed svg.hashsalt, no date
    assert first.lstrip().startswith("<?xml") and "<svg" in first
    assert 400 < width <= 8 * 72
    # the 6 pt label was raised: shown at most at natural size (1 pt = 4/3 px) and at most 740 px wide, the
    # smallest text is at least 13 px (the captions), and not needlessly larger
    shown_px = min(width * 4 / 3, 740)
    assert 13 <= smallest * shown_px / width <= 13 * 1.05
    expected = hashlib.sha256("\n".join(first.splitlines()).encode()).hexdigest() + ".svg"
    assert figures.chart_file_name(first) == expected


def test_clip_ids_depend_on_the_drawing_not_on_the_run():
    """matplotlib names a clip by a hash of its coordinates as floats (or of a path's address), so two runs that
    draw the same picture can name its clips differently (digits below the SVG's precision); the book renames
    them by their order and by the drawing, so the file, and its name, are the same in every run."""
    svg = (
        '<svg><defs><clipPath id="pa8f7ef7890"><rect x="1"/></clipPath><clipPath id="p255abd2845"><rect x="2"/>'
        '</clipPath></defs><path clip-path="url(#pa8f7ef7890)"/><path clip-path="url(#p255abd2845)"/>'
        '<path clip-path="url(#pa8f7ef7890)"/></svg>'
    )
    other_run = svg.replace("pa8f7ef7890", "p4d04e23b5c").replace("p255abd2845", "p0123456789")
    stable = figures._stable_clip_ids(svg)
    assert stable == figures._stable_clip_ids(other_run)
    stem = hashlib.sha256(svg.replace("pa8f7ef7890", "clip").replace("p255abd2845", "clip").encode()).hexdigest()[:8]
    assert stable.count(f"url(#c{stem}-0)") == 2 and f'id="c{stem}-1"' in stable and "pa8f7ef7890" not in stable
    # another drawing gets other ids (two charts on one page never share a clip id)
    assert figures._stable_clip_ids(svg.replace('x="2"', 'x="3"')) != stable
    assert figures._stable_clip_ids("<svg/>") == "<svg/>"


def test_synthetic_cohort_matches_the_published_margins():
    cohort = synthetic.synthetic_cohort(20000, seed=1)
    # chapter 2: 21% + 23% of the 1984 cohort still in the same occupation after 30 years -> S(30) = 0.44
    _, summary = stats.kaplan_meier(cohort["duration_years"], cohort["occupation_ended"], horizon=30)
    assert summary["survival_at_horizon"] == pytest.approx(0.44, abs=0.015)
    # chapter 2: of the 2006 cohort 22% rose in level and 15% fell
    shares = cohort["outcome"].value_counts(normalize=True)
    assert shares["higher"] == pytest.approx(0.22, abs=0.015)
    assert shares["lower"] == pytest.approx(0.15, abs=0.015)
    # a higher programme level gives a higher chance of a higher occupation (as the report says)
    level = cohort["education"].str.extract(r"(\d)")[0].fillna("5").astype(int)
    assert cohort.loc[level == 5, "outcome"].eq("higher").mean() > cohort.loc[level == 2, "outcome"].eq("higher").mean()


def test_synthetic_cohort_is_seeded():
    pd.testing.assert_frame_equal(synthetic.synthetic_cohort(500, seed=3), synthetic.synthetic_cohort(500, seed=3))
    assert not synthetic.synthetic_cohort(500, seed=3).equals(synthetic.synthetic_cohort(500, seed=4))


def test_cohort_file_must_follow_the_schema(tmp_path):
    path = tmp_path / "cohort.csv"
    pd.DataFrame({"person_id": [1, 2], "education": ["a", "b"]}).to_csv(path, index=False)
    with pytest.raises(stats.StatsInputError, match="lack column"):
        synthetic.load_cohort(str(path))


def test_code_names_in_tables_are_shown_as_code():
    frame = pd.DataFrame({"column": ["person_id"], "meaning": ["identifier, see `cohort_path`"]})
    text = tables.table_html(frame, "t", "Schema (parameter `cohort_path`).", "this book", code=["column"])
    assert '<td data-label="column"><code>person_id</code></td>' in text
    assert "identifier, see <code>cohort_path</code>" in text and "(parameter <code>cohort_path</code>)" in text


def test_a_chart_is_cut_to_its_drawing_as_a_tight_save_cuts_it_and_keeps_its_layout_engine():
    """The SVG is laid out once and cut to the figure's tight box plus savefig.pad_inches; its size is that of
    matplotlib's own ``savefig(bbox_inches="tight")`` (to text-measurement differences between renderers)."""
    import io

    import matplotlib.pyplot as plt

    def draw():
        fig, axes = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
        for ax in axes:
            ax.barh(["a long category label", "short"], [3, 5])
            ax.set_xlabel("employees (thousands)")
        fig.suptitle("A suptitle")
        return fig

    fig = draw()
    engine = fig.get_layout_engine()
    chart = figures.render_chart(fig)
    assert fig.get_layout_engine() is engine
    reference = draw()
    buffer = io.StringIO()
    reference.savefig(buffer, format="svg", bbox_inches="tight")
    size = re.compile(r'<svg[^>]*\swidth="([\d.]+)pt" height="([\d.]+)pt"')
    width, height = map(float, size.search(chart.svg).groups())
    expected_width, expected_height = map(float, size.search(buffer.getvalue()).groups())
    assert width == pytest.approx(expected_width, rel=0.01)
    assert height == pytest.approx(expected_height, rel=0.01)
    assert chart.width_pt == width
    plt.close(fig)
    plt.close(reference)


def test_the_overlap_check_of_a_chart_sees_its_legend_and_texts_where_they_are_drawn():
    """The check runs on the layout, without a full draw: a legend's entries (placed only when a legend is drawn)
    must not count as overlapping each other, and two labels printed on top of each other must."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for number, name in enumerate(["Twente", "Bremen", "Landkreis Emsland"]):
        ax.plot([0, 1], [number, number + 1], label=name)
    ax.legend(title="region")
    fig.legend(["first", "second", "third"], loc="outside lower center", ncols=3)
    ax.text(0.5, 0.5, "one label", fontsize=12)
    ax.text(0.52, 0.5, "another label", fontsize=12)
    assert figures.render_chart(fig).overlaps == [("one label", "another label")]
    plt.close(fig)


def test_glued_text_of_a_table_does_not_depend_on_the_terminal(monkeypatch):
    """A glued frame's prose text is its size in words, never pandas' repr, which wraps at the terminal width that
    pandas detects (it differed between forked and ordinary kernels, and so did the downloadable notebooks)."""
    shown = []
    monkeypatch.setattr(glue, "display", lambda bundle, **kwargs: shown.append(bundle))
    frame = pd.DataFrame({f"a fairly long column name {i}": range(3) for i in range(12)})
    for width in (80, 250):
        with pd.option_context("display.width", width):
            glue.glue("ch9_table", frame)
            glue.glue("ch9_series", frame.iloc[:, 0])
    texts = [b[glue.GLUE_PREFIX + "text/plain"] for b in shown]
    assert texts[0] == texts[2] == repr("a table of 3 rows and 12 columns")
    assert texts[1] == texts[3] == repr("a list of 3 values")
