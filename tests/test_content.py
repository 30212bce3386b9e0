"""The rendering of the report's structured argument (helpers.content)."""

from __future__ import annotations

import pytest

from helpers import content, data, regions


def test_every_organisation_kind_has_a_reader_word():
    kinds = set(data.load("organisations")["kind"])
    assert all(content.kind_word(k) and "_" not in content.kind_word(k) for k in kinds)


def test_unknown_kind_names_the_valid_ones():
    with pytest.raises(ValueError, match="valid kinds: board"):
        content.kind_word("RIF")


def test_only_the_focus_region_is_highlighted():
    marker = "This is the focus region of this edition"
    for region in regions.STUDY_REGIONS:
        own = content.case_study_html(region, region)
        other = content.case_study_html(region, "twente" if region != "twente" else "bremen")
        assert marker in own and regions.name(region) in own
        assert marker not in other
        assert own.count("<p>") == len(content.case_study(region))


def test_case_study_html_escapes_and_renders_source_terms_in_italics():
    html = content.case_study_html("zo-drenthe", "twente")
    assert "<em>filiaaleconomie</em>" in html and "*" not in html
    assert "&amp; Biobased" in html  # 'Smart & Biobased Materials' escaped


def test_bad_region_aspect_and_points_name_the_valid_choices():
    with pytest.raises(ValueError, match="regions with one: zo-drenthe"):
        content.case_study("nl")
    with pytest.raises(ValueError, match="it has: economy"):
        content.case_study_text("bremen", "assessment")
    with pytest.raises(ValueError, match="valid: 1, 2"):
        content.show_points("synthesis_points", [7])
    with pytest.raises(ValueError, match="valid: synthesis_points"):
        content.show_points("claims")
    with pytest.raises(ValueError, match="valid: routes"):
        content.comparison_table(["nope"])


def test_comparison_table_is_in_the_report_s_order_without_markup():
    table = content.comparison_table()
    assert list(table.columns) == ["aspect", "Germany", "the Netherlands"]
    assert table["aspect"].iloc[0].startswith("Routes")
    assert not table["Germany"].str.contains(r"\*").any()


def test_figures_sentence_joins_comparisons_with_commas():
    assert content.figures_sentence(["industry 42%", "against 30% in Germany", "unemployment about 3%"]) == (
        "industry 42%, against 30% in Germany; unemployment about 3%"
    )
    assert content.figures_sentence([]) == ""


def test_the_four_questions_title_only_the_dutch_case_studies():
    # chapter 3: 'Voor elk van deze vier regio's zochten we naar een antwoord op vier vragen' (the Dutch regions);
    # chapter 5 describes Emsland and Bremen in running text
    assert "<strong>Who takes the initiative.</strong>" in content.case_study_html("twente", "zo-drenthe")
    for region in ("emsland", "bremen"):
        page = content.case_study_html(region, "zo-drenthe")
        assert not any(title in page for title in content.ASPECT_TITLES.values())


def test_a_dutch_side_the_report_does_not_give_is_marked_as_the_editions():
    table = content.comparison_table().set_index("aspect")
    marked = table["the Netherlands"].str.startswith(content.EDITION_CELL)
    frame = data.load("institutional_comparison").set_index("aspect")
    assert marked.tolist() == (frame["netherlands_basis"] == "edition").tolist()
    assert marked.sum() >= 1  # the permanent human capital agenda: the report gives only the German side
