"""The real chapters, executed for the default book and every region (papermill), checked against the report.

Expected values come from the report's tables (cited) or from arithmetic written out here.
"""

from __future__ import annotations

import json

import pytest

from helpers import regions

pytestmark = pytest.mark.slow


def results(build_dir, variant: str) -> dict:
    base = build_dir if variant == "default" else build_dir / "regions" / variant
    return json.loads((base / "results" / "results.json").read_text())


def test_every_chapter_executes_for_every_region(built_books):
    build_dir, report = built_books
    assert not report.failures(), [(o.chapter, o.error) for o in report.failures()]
    assert set(report.outcomes) == {"default", *regions.STUDY_REGIONS}
    for variant, rows in report.outcomes.items():
        assert {o.status for o in rows} <= {"executed", "cached"}, variant
        assert report.compiled[variant], variant
    assert (build_dir / "html" / "index.html").exists()
    for region in regions.STUDY_REGIONS:
        assert (build_dir / "regions" / region / "html" / "index.html").exists()


def test_front_page_shows_the_focus_region_and_data_version(built_books):
    build_dir, _ = built_books
    for region in regions.STUDY_REGIONS:
        values = results(build_dir, region)["values"]["index"]
        assert values["index_focus_region_id"] == region
        assert values["index_data_version"] == results(build_dir, region)["data"]["version"]


def test_industry_shares_recomputed_from_table_1_1(built_books):
    build_dir, _ = built_books
    ch3 = results(build_dir, "default")["values"]["ch3_regions"]
    # Tabel 1.1: Rijnmond C 47.5 / 637.3 = 7.45%, stated '7%' (ch. 4, Rijnmond); Twente 40.5 / 271.2 = 14.93% ('15%')
    assert round(ch3["ch3_industry_share_groot_rijnmond"]) == 7
    assert round(ch3["ch3_industry_share_twente"]) == 15
    # ZO Brabant 60.5 / 381.2 = 15.87% ('16%'); Bremen 38.2 / 289.7 = 13.19% (ch. 5: '13,2 %')
    assert round(ch3["ch3_industry_share_zo_brabant"]) == 16
    assert round(ch3["ch3_industry_share_bremen"], 1) == 13.2


def test_head_office_counts_recomputed_beside_the_stated_ones(built_books):
    build_dir, _ = built_books
    hq = {r["region_id"]: r for r in results(build_dir, "default")["values"]["ch4_vocational"]["ch4_hq_comparison"]}
    # Tabel 3: 'HQ buiten de regio' 7, 6, 6, 4 and 'Waarvan buiten NL' 5, 4, 6, 3
    assert [hq[r]["outside_region_stated"] for r in regions.DUTCH_REGIONS] == [7, 6, 6, 4]
    assert [hq[r]["outside_region_recomputed"] for r in regions.DUTCH_REGIONS] == [7, 6, 6, 4]
    assert hq["zo-brabant"]["abroad_recomputed"] == 3  # DAF (Paccar, VS), DHL (Duitsland), BDO (België)


def test_tabel_1_statistics_record_the_assumed_sample_size(built_books):
    build_dir, _ = built_books
    ch2 = results(build_dir, "default")["values"]["ch2_occupations"]
    assert ch2["ch2_sample_size"] == 1000
    # the report's six readings of Tabel 1: three hold; Brainport's higher/lower level do not, and occupational
    # loyalty (same occupation, either employer) ties: Twente 23 + 25 = 48, Zuidoost-Drenthe 24 + 24 = 48
    assert ch2["ch2_readings_agree"] == 3
    assert ch2["ch2_readings_possible"] == 4  # the tie is possible within rounding (47 to 49 each)
    homog = {r["block"]: r for r in ch2["ch2_homogeneity"]}
    assert 0 < homog["occupation compared to 1984"]["cramers_v"] < 0.1


def test_pairing_answer_is_glued_whatever_it_is(built_books):
    build_dir, _ = built_books
    ch5 = results(build_dir, "default")["values"]["ch5_germany"]
    pairing = {r["region"]: r for r in ch5["ch5_pairing"]}
    assert pairing["emsland"]["paired_with"] == "zo-drenthe" and pairing["bremen"]["paired_with"] == "groot-rijnmond"
    for row in pairing.values():
        assert row["verdict"] in ch5["ch5_pairing_answer"]
        # five comparison regions (the partner and four others): no exact p below 1/5, so nothing is 'supported'
        assert row["smallest_attainable_p"] == pytest.approx(1 / 5) and not row["supported"]
        assert row["verdict"] == "the data cannot confirm or refute the pairing at this level"


def test_focus_paragraphs_change_with_the_region(built_books):
    build_dir, _ = built_books
    paragraphs = {
        r: results(build_dir, r)["values"]["ch2_occupations"]["ch2_focus_paragraph"] for r in regions.DUTCH_REGIONS
    }
    assert len(set(paragraphs.values())) == 4
    for region, text in paragraphs.items():
        assert regions.name(region) in text
    # Tabel 1: 'Geen baan' Twente 47%
    assert "47%" in paragraphs["twente"]
    ch1 = {r: results(build_dir, r)["values"]["ch1_world"]["ch1_focus_paragraph"] for r in regions.STUDY_REGIONS}
    assert "no values at all" in ch1["emsland"]
    assert "single value (233)" in ch1["bremen"]
    # Tabel 1.2, Twente: 560 in 2010 to 660 in 2013
    assert "560" in ch1["twente"] and "660" in ch1["twente"]


def test_scorecard_is_labelled_and_ranks_all_six(built_books):
    build_dir, _ = built_books
    ch6 = results(build_dir, "default")["values"]["ch6_outlook"]
    assert sorted(r["rank"] for r in ch6["ch6_scorecard"]) == [1, 2, 3, 4, 5, 6]
    page = (build_dir / "html" / "chapters" / "ch6_outlook.html").read_text()
    assert "not a finding of the report" in page


def test_synthetic_figures_say_so(built_books):
    build_dir, _ = built_books
    page = (build_dir / "html" / "chapters" / "ch2_occupations.html").read_text()
    assert page.count("Synthetic data.") >= 2


def test_audit_csv_is_written_beside_results(built_books):
    import csv

    build_dir, _ = built_books
    rows = list(csv.DictReader((build_dir / "results" / "audit.csv").open()))
    assert list(rows[0]) == [
        "check_id",
        "location",
        "statement",
        "stated",
        "recomputed",
        "difference",
        "verdict",
        "grade",
        "fault",
        "note",
    ]
    by_id = {r["check_id"]: r for r in rows}
    # the text's '18%' for ZO Drenthe is Tabel 2's 18; Tabel 1.1 gives C 9 / 60 = 15.0%: the tables differ
    assert by_id["claim:ch4_drenthe_industry_share"]["verdict"] == "consistent"
    assert by_id["tables:industry_share_employment:zo-drenthe"]["verdict"] == "tables differ"
    assert float(by_id["tables:industry_share_employment:zo-drenthe"]["recomputed"]) == pytest.approx(15.0)
    # Tabel 1.1: Bremen 38.2 / 289.7 = 13.19% against '13,2 %'
    assert by_id["claim:ch5_bremen_industry"]["verdict"] == "consistent within rounding"
    # 21 + 23 + 61 = 105
    assert float(by_id["sum:cohort1984"]["recomputed"]) == 105


def page_text(build_dir, variant: str, chapter: str) -> str:
    """The visible text of a built chapter page (tags, scripts and embedded data removed)."""
    import html
    import re

    base = build_dir / "html" if variant == "default" else build_dir / "regions" / variant / "html"
    text = (base / "chapters" / f"{chapter}.html").read_text()
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r'<a class="data-download".*?</a>', " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


MARKER = "This is the focus region of this edition"


def test_each_variant_highlights_its_own_case_study(built_books):
    build_dir, _ = built_books
    default = page_text(build_dir, "default", "ch4_vocational")
    for heading in ("Zuidoost-Drenthe / Vierkant voor Werk", "Twente", "Rijnmond", "Zuidoost-Brabant (Brainport)"):
        assert heading in default
    assert default.count(MARKER) == 1 and f"{MARKER}: Zuidoost-Drenthe" in default
    for region in regions.DUTCH_REGIONS:
        assert f"{MARKER}: {regions.name(region)}" in page_text(build_dir, region, "ch4_vocational")
    for region in regions.GERMAN_REGIONS:
        assert MARKER not in page_text(build_dir, region, "ch4_vocational")
        assert f"{MARKER}: {regions.name(region)}" in page_text(build_dir, region, "ch5_germany")


def test_chapters_4_to_6_show_words_not_code_names(built_books):
    build_dir, _ = built_books
    for chapter in ("ch4_vocational", "ch5_germany", "ch6_outlook"):
        text = page_text(build_dir, "default", chapter)
        for code in (
            "employers_association",
            "training_centre",
            "industry_share",
            "hq_in_region",
            "ladder_position",
            "level_high",
            "netherlands_basis",
        ):
            assert code not in text, (chapter, code)
        assert "This edition’s analysis" in text or "This edition's analysis" in text


def test_chapter_5_does_not_put_bremen_on_the_border(built_books):
    build_dir, _ = built_books
    text = page_text(build_dir, "default", "ch5_germany")
    assert "near the Dutch border" not in text and "reasonably near" in text
    assert "Berufsfachschule" in text and "backward mapping" in text and "Ems-Achse" in text


def test_chapter_6_notes_the_two_manufacturing_shares_of_zo_drenthe(built_books):
    build_dir, _ = built_books
    note = results(build_dir, "default")["values"]["ch6_outlook"]["ch6_manufacturing_note"]
    # Tabel 2: 'Aandeel industrie in de werkgelegenheid' ZO Drenthe 18; Tabel 1.1: C 9 of 60.0 thousand = 15.0%
    assert set(note) == {"zo-drenthe"}
    assert note["zo-drenthe"]["tabel_2"] == 18
    assert note["zo-drenthe"]["tabel_1_1"] == pytest.approx(9 / 60.0 * 100)


def test_report_in_brief_carries_the_questions_and_conclusions(built_books):
    build_dir, _ = built_books
    values = results(build_dir, "default")["values"]
    brief = values["report_in_brief"]
    assert (
        brief["brief_n_questions"] == 4
    )  # chapter 3: 'Voor elk van deze vier regio's zochten we naar een antwoord op vier vragen'
    assert values["ch3_regions"]["ch3_n_questions"] == 4
    records = {r["conclusion"]: r for r in brief["brief_conclusions"]}
    assert all(r["audit"].startswith("The audit") for r in records.values())
    # conclusion 2 (chapter 2) carries the Tabel 1 tests at the assumed size of this build
    assert (
        "1\u202f000 persons per region" in records[2]["test"]
    )  # the book groups thousands with a narrow no-break space


def test_chapter_2_sentences_use_the_books_number_format(built_books):
    build_dir, _ = built_books
    ch2 = results(build_dir, "default")["values"]["ch2_occupations"]
    for name in ("ch2_focus_paragraph", "ch2_rijnmond_reading"):  # thousands grouped as everywhere in the book
        assert "1\u202f000 persons" in ch2[name] and "1,000" not in ch2[name]
    # the readings Tabel 1 shows at an extreme have a smallest n; the three it does not (a tie, Brainport's two
    # level readings) have none, and the range lists only counts
    assert len(ch2["ch2_reading_nmin_range"]) == 3 and None not in ch2["ch2_reading_nmin_range"]
    # Tabel 1, 'Geen baan': Groot-Rijnmond 54 against Zuidoost-Drenthe 46 (z = 3.6, p = 0.0003) and Twente 47
    # (z = 3.1, p = 0.002): significant after Holm over the six pairs at 1 000 persons each, Zuidoost-Brabant's 49
    # (p = 0.025) not; the regions are listed as a reader lists them
    rijnmond = results(build_dir, "groot-rijnmond")["values"]["ch2_occupations"]["ch2_focus_paragraph"]
    assert rijnmond.endswith("differs significantly from Zuidoost-Drenthe and Twente.")


def test_chapter_1_and_3_generated_sentences(built_books):
    build_dir, _ = built_books
    ch1 = results(build_dir, "default")["values"]["ch1_world"]
    # chapter 1: closure in September 2016; chapter 4: 'de sluiting van de Philips fabriek in Emmen in 2014'
    assert (ch1["ch1_philips_closure_ch1"], ch1["ch1_philips_closure_ch4"]) == (2016, 2014)
    # chapter 3: Rijnmond has both 'kennisintensieve systeemregisseur' and 'schaalintensieve producent'
    rijnmond = results(build_dir, "groot-rijnmond")["values"]["ch3_regions"]["ch3_focus_pavitt"]
    assert rijnmond == ["Scale-intensive", "Knowledge-intensive system integrator"]
    page = (build_dir / "regions" / "groot-rijnmond" / "html" / "chapters" / "ch3_regions.html").read_text()
    assert "scale-intensive producers and knowledge-intensive system integrators" in page


def _pages(build_dir):
    """Every built chapter page of the default book and of each region's variant."""
    yield from sorted((build_dir / "html" / "chapters").glob("*.html"))
    for region in regions.STUDY_REGIONS:
        yield from sorted((build_dir / "regions" / region / "html" / "chapters").glob("*.html"))


def alt_states_finding(alt: str) -> bool:
    """True if an alt text says more than what kind of chart it is: past its opening phrase (up to the first
    colon, full stop or comma) it still has at least five words and a number."""
    import re

    rest = re.split(r"[:.,]", alt, maxsplit=1)[1] if re.search(r"[:.,]", alt) else ""
    return len(rest.split()) >= 5 and re.search(r"\d", rest) is not None


def test_alt_text_rule_tells_a_chart_type_from_a_finding():
    assert not alt_states_finding("Heatmap of location quotients of 19 sectors in six regions.")
    assert not alt_states_finding("Line chart of indexed counts from 2010 to 2013 for the Dutch regions")
    assert alt_states_finding(
        "Stacked bars of each area's employees. In Twente the largest sector is manufacturing (21.4%)."
    )


def test_every_figure_has_alt_text_that_states_what_it_shows(built_books):
    from bs4 import BeautifulSoup

    build_dir, _ = built_books
    bare, count = [], 0
    for page in _pages(build_dir):
        for img in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("figure.book-figure img"):
            count += 1
            if not alt_states_finding(img.get("alt", "")):
                bare.append((page.name, img.find_parent("figure").get("id"), img.get("alt")))
    assert count > 0
    assert bare == []


#: Visible text that names a code identifier (two or more lower-case words joined by underscores).
_SNAKE = r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"


def visible_identifiers(page_html: str) -> list[str]:
    """snake_case identifiers in the text a reader sees: code blocks, scripts, styles, the download links' file
    names and attribute values are not text a reader reads."""
    import re

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    for tag in soup.select(
        "script, style, pre, code, kbd, samp, .highlight, a.data-download, .cell_input, "
        "input, textarea, template, noscript, [hidden], .output.text_plain, .cell_output pre"
    ):
        tag.decompose()
    main = soup.find("article") or soup
    return sorted(set(re.findall(_SNAKE, main.get_text(" "))))


def test_visible_text_has_no_code_names(built_books):
    build_dir, _ = built_books
    found = {}
    for page in _pages(build_dir):
        names = visible_identifiers(page.read_text(encoding="utf-8"))
        if names:
            found[str(page.relative_to(build_dir))] = names
    assert found == {}


def test_identifier_scan_keeps_code_blocks_and_finds_prose():
    html = (
        "<article><p>recomputed as sector_share of C</p><pre>focus_region = 'twente'</pre>"
        "<p>see <code>cohort_path</code></p></article>"
    )
    assert visible_identifiers(html) == ["sector_share"]
