"""The audit of the report against its own tables, and the page 'The report in brief' built on it.

Expected values come from the report (table and chapter cited) and arithmetic written out here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import audit, brief, data, derived, i18n, paths, regions
from regbook.export import AUDIT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checks() -> pd.DataFrame:
    return audit.run_audit().set_index("check_id")


def test_mining_and_energy_read_with_the_reports_grouping(checks):
    # Tabel 1.1, Emsland: B 0.7 + D 1.2 = 1.9 of 120.5 thousand = 1.58% (not '3 %');
    # with E 1.2: 3.1 / 120.5 = 2.57%, which rounds to the report's 3
    row = checks.loc["claim:ch5_emsland_mining_energy"]
    assert row["recomputed"] == pytest.approx(3.1 / 120.5 * 100)
    assert row["verdict"] == "consistent within rounding"
    assert "sections B, D and E together" in row["statement"]
    # Germany: (79.1 + 236.6 + 231.2) / 29 814.3 = 1.83%, the report's 'Duits gemiddelde 2 %'
    assert checks.loc["claim:ch5_de_mining_energy", "recomputed"] == pytest.approx(546.9 / 29814.3 * 100)


def test_literal_grouping_is_kept_when_no_alternative_matches():
    # B+D alone for Emsland: 1.9 / 120.5 = 1.58%; the alternatives 'B' (0.58%) do not match 3 either
    rule, value, _, verdict, _ = derived.recompute_with_groupings("sector_share:B+D|B", "emsland", 3.0)
    assert rule == "sector_share:B+D" and verdict == "discrepancy"
    assert value == pytest.approx(1.9 / 120.5 * 100)


def test_one_figure_for_three_regions_is_checked_region_by_region(checks):
    # chapter 4: 'tegenover 7% in de andere regio's'; Tabel 2: ZO Drenthe 7.7, Twente 7.2, Brainport 6.7
    assert checks.loc["claim:ch4_unemployment_drenthe_as_other", "verdict"] == "discrepancy"
    assert checks.loc["claim:ch4_unemployment_twente_as_other", "verdict"] == "consistent within rounding"
    assert checks.loc["claim:ch4_unemployment_brabant_as_other", "verdict"] == "consistent within rounding"


def test_a_figure_stated_for_another_period(checks):
    # chapter 4: '4,2% over de komende tien jaar in Rijnmond'; Tabel 2: 4.2 for 2006-2015
    assert checks.loc["claim:ch4_popgrowth_rijnmond", "verdict"] == "not recomputable"
    period = checks.loc["period:ch4_popgrowth_rijnmond"]
    assert period["verdict"] == "discrepancy" and period["stated"] == period["recomputed"] == 4.2
    # chapter 5: Bremen 'rond 11 % (juni 2016)'; Tabel 4: 10.9 for 2015, another period, not the same figure
    assert checks.loc["period:ch5_bremen_unemployment", "verdict"] == "not recomputable"
    # ZO Drenthe's -1.6 'over tien jaar' has no period of its own: compared as usual
    assert checks.loc["claim:ch4_popgrowth_drenthe", "verdict"] == "consistent"


def test_the_philips_closure_dated_differently_in_chapters_1_and_4(checks):
    row = checks.loc["twice:philips_emmen_closure_year"]
    assert (row["stated"], row["recomputed"], row["verdict"]) == (2016, 2014, "discrepancy")
    # the same quantity stated alike twice is consistent (Frey and Osborne's 47% in the introduction and chapter 2)
    assert checks.loc["twice:jobs_high_automation_risk_us", "verdict"] == "consistent"


def test_industrial_counts_reconciled_with_the_reports_4_6_or_7():
    rec = audit.industrial_reconciliation().set_index("region_id")
    # Tabel 3 coded: ZO Drenthe Fokker, Teijin, Wavin, DSM, Fresenius, Ardagh (6); Twente Thales, Apollo, Eaton,
    # Ten Cate, Grolsch, Enrichment (6) and Engineered Solutions uncoded; ZO Brabant Philips, ASML, VDL, DAF, NXP (5)
    assert rec.loc["zo-drenthe", ["low", "high"]].tolist() == [6, 6]
    assert rec.loc["twente", ["low", "high"]].tolist() == [6, 7]
    assert rec.loc["zo-brabant", ["low", "high"]].tolist() == [5, 5]
    # closest assignment of 4, 6, 7: Drenthe 6, Twente 7, Brabant 4 (one firm off)
    assert rec["stated"].tolist() == [6, 7, 4]
    assert rec["difference"].tolist() == [0, 0, 1]


def test_reconciliation_finds_an_exact_match_when_there_is_one():
    rec = derived.industrial_count_reconciliation([5, 6, 6], ["zo-drenthe", "twente", "zo-brabant"])
    assert rec["difference"].sum() == 0
    assert sorted(rec["stated"].tolist()) == [5, 6, 6]


def test_the_counts_the_report_states_for_the_other_regions():
    # chapter 4, Rijnmond: 'tegenover 4, 6 of 7 in de andere regio's'
    assert audit.stated_counts("industrial_in_top10_other_regions") == [4, 6, 7]
    assert audit.stated_counts("no_such_quantity") == []


def test_the_reconciliation_as_appendix_b_shows_it():
    rec = pd.DataFrame(
        {
            "region_id": ["twente"],
            "coded": [6],
            "uncoded": [1],
            "low": [6],
            "high": [7],
            "stated": [7],
            "difference": [0],
        }
    )
    shown = audit.reconciliation_table(rec)
    assert shown.to_dict("records") == [
        {
            "region": "Twente",
            "industrial firms, coded": 6,
            "firms left uncoded": 1,
            "the report's count, assigned": 7,
            "difference (firms)": 0,
        }
    ]


def test_every_firm_is_listed_with_its_coding():
    coding = audit.firm_coding()
    assert len(coding) == 60  # ten firms in each of six regions (Tabel 3 and 5)
    assert set(coding["industrial (coded)"]) <= {"yes", "no", "not coded"}
    assert (coding["industrial (coded)"] == "not coded").sum() == 3  # Engineered Solutions, Erwin Müller, Kafer


# --- research questions, conclusions and 'The report in brief' ------------------------------------------


def toc_pages() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = {toc["root"]}
    for part in toc["parts"]:
        pages |= {c["file"] for c in part["chapters"]}
    return {Path(p).name for p in pages}


@pytest.mark.parametrize("dataset", ["research_questions", "report_conclusions"])
def test_questions_and_conclusions_link_to_pages_and_checks_that_exist(dataset, checks):
    frame = data.load(dataset)
    assert set(frame["book_page"]) <= toc_pages()
    for evidence in frame["evidence"]:
        assert set(evidence.split(";")) <= set(data.list_datasets())
    ids = checks.index.to_series()
    for prefixes in frame["audit_checks"].dropna():
        for prefix in prefixes.split(";"):
            assert ids.str.startswith(prefix).any(), f"{dataset}: no audit check starts with {prefix!r}"


def test_the_report_asks_four_questions():
    assert data.load("research_questions")["question"].tolist() == [1, 2, 3, 4]  # chapter 3, questions 1-4


def test_audit_finding_counts_the_verdicts_of_the_matching_checks(checks):
    frame = checks.reset_index()
    found = brief.audit_finding(frame, "twice:philips")
    # two checks: the founding year (1891 / 1881) and the Emmen closure (2016 / 2014), both discrepancies
    assert found["n"] == 2 and found["discrepancy"] == 2 and found["consistent"] == 0
    assert "2 are discrepancies" in found["text"]
    assert brief.audit_finding(frame, "")["n"] == 0


def test_edition_test_finding_names_the_valid_tests():
    assert brief.edition_test_finding("", 0.05, 1000)["text"] == ""
    with pytest.raises(ValueError, match="valid: tabel1_homogeneity, foreign_control_trends"):
        brief.edition_test_finding("anova", 0.05, 1000)


def test_tabel_1_finding_depends_on_the_assumed_size():
    small = brief.edition_test_finding("tabel1_homogeneity", 0.05, 50)
    large = brief.edition_test_finding("tabel1_homogeneity", 0.05, 100_000)
    assert small["significant_blocks"] <= large["significant_blocks"] == 3


def test_dutch_terms_in_asterisks_are_shown_in_italics_and_html_is_escaped():
    assert brief._inline("a (*filiaaleconomie*) & <b>") == "a (<em>filiaaleconomie</em>) &amp; &lt;b&gt;"


def test_tabel_1_blocks_rest_on_those_still_working():
    # Tabel 1, 'Geen baan': Groot Rijnmond 54%, Twente 47%, Vierkant voor werk 46%, Zuidoost-Brabant 49%;
    # at 1 000 persons per region the occupation and level blocks rest on 1000 x (1 - share) persons
    sizes = derived.tabel1_block_sizes(1000)
    assert sizes["status_2014"] == 1000
    assert sizes["occupation_2014"] == {"groot-rijnmond": 460, "twente": 530, "zo-drenthe": 540, "zo-brabant": 510}
    assert sizes["level_2014"] == sizes["occupation_2014"]


def test_foreign_control_trends_compare_a_region_with_the_rest_of_its_country():
    # Bijlage 1, Tabel 1.2: Twente 560 620 635 660; Nederland 19 310 21 320 22 395 23 210 (2010-2013)
    years = np.array([2010, 2011, 2012, 2013])
    twente = np.array([560, 620, 635, 660])
    rest = np.array([19310, 21320, 22395, 23210]) - twente
    # with a full interaction the OLS slopes are the two series' own slopes: b = slope(Twente) - slope(rest)
    b = np.polyfit(years, np.log(twente), 1)[0] - np.polyfit(years, np.log(rest), 1)[0]
    row = derived.foreign_control_trends().set_index("region_id").loc["twente"]
    assert row["difference_pp"] == pytest.approx(100 * np.expm1(b))
    assert row["difference_ci_low"] < row["difference_pp"] < row["difference_ci_high"]


def test_recompute_rules_read_in_words():
    # section letters and names as Tabel 1.1 gives them (the report, Bijlage 1)
    assert derived.rule_in_words("sector_share:C") == (
        "the share of section C (Manufacturing) in the region's employees in Tabel 1.1"
    )
    assert derived.rule_in_words("sector_share:B+D|B+D+E") == (
        "the share of sections B and D together (or of sections B, D and E) in the region's employees in Tabel 1.1"
    )
    assert "Unemployment rate" in derived.rule_in_words("key_figure:unemployment")
    with pytest.raises(ValueError, match="valid kinds"):
        derived.rule_in_words("no_such_rule:C")


def test_audit_statements_name_no_code_identifiers(checks):
    for statement in checks["statement"]:
        assert not re.search(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", statement), statement


# --- the verdict kinds on small constructed cases (issue 30) -----------------------------------------------


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    monkeypatch.setattr(paths, "DATA_DIR", target)
    return target


CLAIMS_HEADER = "claim_id,chapter,section,quote_nl,value,unit,region_id,period,variable,quotes,recompute,note\n"


def write_claims(folder, *rows: str) -> None:
    (folder / "claims.csv").write_text(CLAIMS_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize(
    "shares, verdict",
    [
        (["19", "22", "58"], "consistent within rounding"),  # 99: three whole percents may be off by 1.5
        (["60", "24", "18"], "discrepancy"),  # 102: beyond 1.5
        (["40", "30", "30"], "consistent"),
    ],
)
def test_a_sum_check_allows_k_half_units(shares, verdict):
    row = audit.sum_check("sum:x", "here", "three shares add up to 100", shares, 100.0, audit.NUMBER, "the text")
    assert row["verdict"] == verdict
    assert row["recomputed"] == sum(int(s) for s in shares)
    assert "by up to 1.5" in row["statement"]
    assert (row["grade"] is None) == (verdict != "discrepancy")


def test_the_slack_of_a_sum_of_printed_numbers():
    assert audit.sum_slack(3) == pytest.approx(1.5)  # three whole percents, each +-0.5 (Tabel 1: 60 + 24 + 18)
    assert audit.sum_slack(2, 1) == pytest.approx(0.1)  # two tenths, each +-0.05


def test_a_number_that_equals_its_own_table_is_consistent(data_copy):
    # a text quoting Tabel 2's 18 for ZO Drenthe is consistent with its table, whatever Tabel 1.1 gives (15.0%);
    # a text saying 17 differs from its own table (17 +- 0.5 against 18 +- 0.5)
    write_claims(
        data_copy,
        "a,4,Rijnmond,tot 18% (ZO Drenthe),18,percent,zo-drenthe,,industry_share_employment,"
        "key_figure:industry_share_employment,sector_share:C,",
        "b,4,Rijnmond,tot 17% (ZO Drenthe),17,percent,zo-drenthe,,industry_share_employment,"
        "key_figure:industry_share_employment,,",
    )
    checked = derived.claims_checked().set_index("claim_id")
    assert checked.loc["a", "verdict"] == "consistent" and checked.loc["a", "against"] == "quoted"
    assert checked.loc["a", "verdict_recomputed"] == "discrepancy"  # 9 / 60 = 15.0%, at most 16.2% within rounding
    assert checked.loc["b", "verdict"] == "discrepancy"
    rows = {r["check_id"]: r for r in audit.claim_checks(checked.reset_index())}
    assert rows["claim:a"]["verdict"] == "consistent" and "quoting the key figure" in rows["claim:a"]["statement"]
    assert rows["claim:b"]["fault"] == "the text"


def test_a_difference_between_two_tables_has_its_own_verdict(data_copy):
    # Tabel 2 (18) against Tabel 1.1 (9 of 60 thousand, printed '9': 13.9% to 16.2%): the tables differ, the text
    # does not err; Tabel 1.1 still lets ZO Drenthe be highest (Brainport: 15.8% to 16.0%), so a number is off
    write_claims(
        data_copy,
        "a,4,Rijnmond,tot 18% (ZO Drenthe),18,percent,zo-drenthe,,industry_share_employment,"
        "key_figure:industry_share_employment,sector_share:C,",
    )
    rows = {r["check_id"]: r for r in audit.table_checks(derived.claims_checked())}
    row = rows["tables:industry_share_employment:zo-drenthe"]
    assert (row["verdict"], row["grade"]) == ("tables differ", "number off")
    assert row["stated"] == 18 and row["recomputed"] == pytest.approx(9 / 60 * 100)
    assert "neither table alone" in row["fault"]
    # printed to a tenth ('8,0' of 59 thousand: 13.5% to 13.7%) ZO Drenthe cannot be highest on Tabel 1.1, and the
    # difference changes what a reader concludes from Tabel 2
    path = data_copy / "employees_by_sector.csv"
    path.write_text(
        path.read_text().replace(
            "zo-drenthe,C,Industrie,Manufacturing,9\n", "zo-drenthe,C,Industrie,Manufacturing,8.0\n"
        )
    )
    rows = {r["check_id"]: r for r in audit.table_checks(derived.claims_checked())}
    row = rows["tables:industry_share_employment:zo-drenthe"]
    assert (row["verdict"], row["grade"]) == ("tables differ", "changes the conclusion")
    assert "highest share of industrial employment" in row["note"]


def test_an_uncertain_identification_is_uncertain_with_its_reason(data_copy):
    rows = {r["check_id"]: r for r in audit.name_checks()}
    row = rows["names:twente_industrial"]
    assert row["verdict"] == "uncertain" and row["grade"] is None
    assert "Engineered Solutions" in row["note"] and "Power Packer Europa" in row["statement"]
    # settled as the same firm: consistent; settled as absent: a discrepancy
    path = data_copy / "firm_identifications.csv"
    text = path.read_text()
    line = next(row for row in text.splitlines() if row.startswith("twente,Power Packer Europa"))
    path.write_text(text.replace(line, "twente,Power Packer Europa,Engineered Solutions,same,,Twente"))
    assert audit.name_checks()[0]["verdict"] == "consistent"
    path.write_text(text.replace(line, "twente,Power Packer Europa,,absent,Not in the table.,Twente"))
    assert audit.name_checks()[0]["verdict"] == "discrepancy"


def test_a_count_that_depends_on_an_uncoded_firm_is_uncertain(checks):
    # Twente: 'zeven ... industriële bedrijven'; Tabel 3 codes six (Thales, Apollo, Eaton, Ten Cate, Grolsch,
    # Enrichment Technology) and leaves Engineered Solutions uncoded: 6 to 7
    row = checks.loc["claim:ch4_twente_industrial_top10"]
    assert row["verdict"] == "uncertain" and row["recomputed"] == 6
    assert "Engineered Solutions" in row["note"]


# --- the report's audit, by grade -------------------------------------------------------------------------


def test_the_reports_audit_counts_by_grade(checks):
    frame = checks.reset_index()
    assert audit.summary(frame).to_dict() == {
        "discrepancy": 22,
        "tables differ": 1,
        "uncertain": 2,
        "not recomputable": 90,
        "consistent within rounding": 25,
        "consistent": 55,
    }
    assert audit.grade_summary(frame).to_dict() == {"changes the conclusion": 2, "number off": 16, "wording": 5}
    # the two that change the conclusion: Tabel 1 gives Groot Rijnmond, not Brainport, the highest chance of a higher
    # level (24 against 23) and the lowest of a lower one (18 against 20)
    lead = audit.flagged(frame)
    assert lead["check_id"].head(2).tolist() == ["reading:tabel1:5", "reading:tabel1:6"]
    assert (lead["grade"].head(2) == "changes the conclusion").all()


def test_the_audit_counts_appendix_b_states():
    frame = pd.DataFrame(
        [
            {"check_id": "claim:a", "verdict": "discrepancy", "grade": "changes the conclusion"},
            {"check_id": "claim:b", "verdict": "not recomputable", "grade": None},
            {"check_id": "claim:c", "verdict": "consistent within rounding", "grade": None},
            {"check_id": "tables:d", "verdict": "tables differ", "grade": "number off"},
            {"check_id": "sum:e", "verdict": "discrepancy", "grade": "number off"},
            {"check_id": "names:f", "verdict": "uncertain", "grade": None},
        ]
    )
    assert audit.counts(frame) == {
        "n_checks": 6,
        "n_discrepancy": 2,
        "n_tables_differ": 1,
        "n_uncertain": 1,
        "n_not_recomputable": 1,
        "n_consistent_within_rounding": 1,
        "n_consistent": 0,
        "n_grade_changes_the_conclusion": 1,
        "n_grade_number_off": 2,
        "n_grade_wording": 0,
        "n_claims": 3,
        "n_claims_recomputed": 2,
    }
    assert all(type(n) is int for n in audit.counts(frame).values())


@pytest.mark.parametrize(
    "check_id, verdict",
    [
        # within rounding (issue 30): Tabel 1 occupation shares 19 + 22 + 58 and 18 + 22 + 61; Germany 20 + 57 + 24
        ("sum:tabel1:groot-rijnmond:occupation_2014", "consistent within rounding"),
        ("sum:tabel1:zo-brabant:occupation_2014", "consistent within rounding"),
        ("sum:education:de", "consistent within rounding"),
        # still discrepancies: Tabel 1's level blocks (102) and the 1984 cohort (105)
        ("sum:tabel1:groot-rijnmond:level_2014", "discrepancy"),
        ("sum:tabel1:twente:level_2014", "discrepancy"),
        ("sum:tabel1:zo-drenthe:level_2014", "discrepancy"),
        ("sum:tabel1:zo-brabant:level_2014", "discrepancy"),
        ("sum:cohort1984", "discrepancy"),
        # the text's 18% for ZO Drenthe is Tabel 2's; Tabel 2 and Tabel 1.1 differ
        ("claim:ch4_drenthe_industry_share", "consistent"),
        ("tables:industry_share_employment:zo-drenthe", "tables differ"),
        # Power Packer Europa / Engineered Solutions
        ("names:twente_industrial", "uncertain"),
        # Vierkant voor Werk 24 + 24 against Twente 23 + 25: a tie as printed, possible within rounding
        ("reading:tabel1:2", "consistent within rounding"),
    ],
)
def test_the_issues_cases(checks, check_id, verdict):
    assert checks.loc[check_id, "verdict"] == verdict


def test_the_fault_of_the_r_and_d_counts_lies_with_tabel_2s_label(checks):
    # Tabel 2: 0, 2, 2, 5 R&D top-60 firms; Tabel 3's #n marks: none in ZO Drenthe; Thales #11 and Ten Cate #37;
    # Shell #34 and Unilever #9; Philips #2, ASML #1, VDL #14, DAF #12, NXP #5: equal in every region
    for region in ("zo-drenthe", "twente", "groot-rijnmond", "zo-brabant"):
        assert checks.loc[f"tables:rd_top60:{region}", "verdict"] == "consistent"
    for claim in ("ch4_twente_rd_top60", "ch4_brabant_rd_top60"):  # 'vijf' (2 + 3) and 'nog drie' (5 + 3)
        row = checks.loc[f"claim:{claim}"]
        assert (row["verdict"], row["grade"], row["fault"]) == ("discrepancy", "wording", "Tabel 2 (its row label)")


def test_every_flagged_check_has_a_grade_and_a_fault_and_no_other_does(checks):
    flagged = checks["verdict"].isin(audit.FLAGGED)
    assert checks.loc[flagged, "grade"].isin(list(audit.GRADES)).all()
    assert checks.loc[flagged, "fault"].notna().all()
    assert checks.loc[~flagged, ["grade", "fault"]].isna().all().all()
    assert checks.loc[checks["verdict"] == "uncertain", "note"].notna().all()
    assert set(checks["verdict"]) <= set(audit.VERDICTS)


# --- the cooperation reading and the scorecard follow the report's benchmark -------------------------------


def test_the_scorecard_reads_cooperation_on_the_reports_ladder():
    coop = derived.scorecard_indicators()["cooperation_level"]
    # chapter 4: ZO Drenthe one-to-one (1), Rijnmond separate initiatives (2), 'Twente en vooral Brainport-regio zijn
    # een stap verder' (3, 4); chapter 5: Emsland and Bremen 'vergelijkbaar met Brainport' and the model (4)
    assert coop.to_dict() == {
        "zo-drenthe": 1.0,
        "twente": 3.0,
        "groot-rijnmond": 2.0,
        "zo-brabant": 4.0,
        "emsland": 4.0,
        "bremen": 4.0,
    }
    german = coop[list(regions.GERMAN_REGIONS)].min()
    assert (coop[list(regions.DUTCH_REGIONS)] <= german).all()
    # the other reading the words allow puts Twente and Brainport above the German regions' level 3
    high = derived.scorecard_indicators(cooperation="highest")["cooperation_level"]
    assert high["twente"] == high["zo-brabant"] == 4 > high["emsland"] == high["bremen"] == 3
    with pytest.raises(ValueError, match="valid: ladder, level, highest"):
        derived.scorecard_indicators(cooperation="book")


def test_scorecard_ranks_are_given_for_every_reading():
    weights = {k: 1.0 for k in derived.scorecard_indicators().columns}
    ranks = derived.scorecard_ranks_by_reading(weights)
    assert list(ranks.columns) == ["ladder", "level", "highest"]
    assert all(sorted(ranks[c]) == [1, 2, 3, 4, 5, 6] for c in ranks)


def test_the_headline_leads_with_what_changes_the_conclusion():
    frame = pd.DataFrame(
        [
            {
                "check_id": "a",
                "statement": "Brainport leads (Tabel 1: extreme in Twente, 24%)",
                "verdict": "discrepancy",
                "grade": "changes the conclusion",
            },
            {"check_id": "b", "statement": "a sum", "verdict": "discrepancy", "grade": "number off"},
            {"check_id": "c", "statement": "two tables", "verdict": "tables differ", "grade": "number off"},
            {"check_id": "d", "statement": "a firm", "verdict": "uncertain", "grade": None},
            {"check_id": "e", "statement": "x", "verdict": "consistent", "grade": None},
            {"check_id": "f", "statement": "y", "verdict": "consistent within rounding", "grade": None},
            {"check_id": "g", "statement": "z", "verdict": "not recomputable", "grade": None},
        ]
    )
    assert audit.headline(frame) == (
        "Of 7 checks of the report against itself, 3 find something. 1 of these changes what a reader would conclude "
        "(Brainport leads); 2 are numbers off beyond rounding and 0 are matters of wording. 1 of the 3 is a difference "
        "between two tables rather than an error of the text. Besides, 1 check rests on an identification the report "
        "does not settle; 2 agree, within the rounding of the printed figures; and 1 cannot be checked from the "
        "report's own tables."
    )


def test_audit_csv_has_the_audit_tables_columns_in_order():
    assert list(AUDIT_COLUMNS) == list(audit.COLUMNS)


def test_every_claim_the_audit_cannot_check_says_why():
    """A claim that no table holds says so in its statement; none reads 'recomputed as ' or 'quoting ' followed by
    nothing (pandas keeps a missing string as NaN, which an `is None` test let through)."""
    checks = audit.run_audit()
    claims = checks[checks["check_id"].str.startswith("claim:")]
    assert not claims["statement"].str.contains(r"\((?:recomputed as|quoting) \)", regex=True).any()
    unchecked = claims[claims["verdict"] == audit.NOT_RECOMPUTABLE]
    says_why = unchecked["statement"].str.contains("no table of the report holds|the text speaks of", regex=True)
    other_period = unchecked["check_id"].str.replace("claim:", "period:").isin(checks["check_id"])
    assert len(unchecked) and (says_why | other_period).all()  # a table of another period: its own check


# --- the audit in the reader's language (Dutch edition) ------------------------------------------------------------


@pytest.fixture(scope="module")
def dutch_checks() -> pd.DataFrame:
    with i18n.using("nl"):
        return audit.run_audit().set_index("check_id")


def test_a_period_check_reads_in_dutch_with_dutch_numbers(dutch_checks):
    # chapter 4: '4,2% over de komende tien jaar in Rijnmond'; Tabel 2 prints 4.2 for 2006-2015
    row = dutch_checks.loc["period:ch4_popgrowth_rijnmond"]
    assert row["location"] == "hoofdstuk 4, Hoe ecosystemen zich organiseren"
    assert row["statement"] == (
        "Groot-Rijnmond: de tekst noemt 4,2 voor de komende tien jaar; Tabel 2 geeft 4,2 voor 2006-2015 "
        "(hetzelfde getal, voor een andere periode)"
    )
    assert row["fault"] == "de tekst (de periode die ze aan het getal van de tabel geeft)"
    # the machine-readable codes stay as they are in both editions
    assert (row["verdict"], row["grade"]) == ("discrepancy", "wording")


def test_a_recomputed_claim_names_its_rule_in_dutch(dutch_checks):
    # chapter 5, Bremen: 'Gezondheidszorg en welzijnszorg (13,8 %)', recomputed from Tabel 1.1's section Q;
    # the quote stays as the report wrote it
    assert dutch_checks.loc["claim:ch5_bremen_health", "statement"] == (
        "\u201cGezondheidszorg en welzijnszorg (13,8 %)\u201d (nagerekend als het aandeel van sectie Q "
        "(Gezondheids- en welzijnszorg) in de werknemers van de regio in Tabel 1.1)"
    )


def test_a_sum_check_reads_in_dutch(dutch_checks):
    # chapter 5: 20% + 57% + 24% = 101; three whole percents may be off by 3 x 0.5 = 1.5 together
    row = dutch_checks.loc["sum:education:de"]
    assert row["location"] == "hoofdstuk 5, sociaal-economische sturing"
    assert row["statement"] == (
        "In Duitsland tellen de laag-, middelbaar en hoogopgeleiden op tot 100 (20 + 57 + 24 = 101; elk gedrukt "
        "aandeel kan een halve eenheid van het laatste cijfer afwijken, de som dus tot 1,5)"
    )
    # chapter 2's 21 + 23 + 61 = 105 is a discrepancy of the text
    assert dutch_checks.loc["sum:cohort1984", "fault"] == "de tekst (hoofdstuk 2)"


def test_the_philips_closure_note_dates_the_announcement_in_dutch(dutch_checks):
    # chapter 1: announced on 11 December 2014, closing in 2016
    row = dutch_checks.loc["twice:philips_emmen_closure_year"]
    assert row["location"] == "hoofdstuk 1 en hoofdstuk 4"
    assert row["note"] == (
        "Volgens hoofdstuk 1 maakt Philips op 11 december 2014 bekend dat de fabriek in 2016 sluit; hoofdstuk 4 "
        "geeft het jaar van de aankondiging als het jaar van de sluiting."
    )


def test_the_other_regions_industrial_counts_read_in_dutch(dutch_checks):
    # chapter 4: 'tegenover 4, 6 of 7 in de andere regio's'
    row = dutch_checks.loc["count:industrial_in_top10:other_regions"]
    assert row["location"] == "hoofdstuk 4, Rijnmond en Tabel 3"
    assert row["statement"].startswith(
        "De industriële bedrijven onder de tien grootste in de drie andere Nederlandse regio's, opgegeven als "
        "4, 6 of 7 zonder de regio's te noemen"
    )
    assert row["note"].startswith("Geen toewijzing van de drie aantallen past bij de bedrijven die de tabel noemt: ")


def test_the_english_sentences_are_unchanged(checks):
    # the English edition's audit.csv stays byte for byte what it was: a few of its sentences written out
    assert checks.loc["period:ch4_popgrowth_rijnmond", "statement"] == (
        "Groot-Rijnmond: the text states 4.2 for the coming ten years; Tabel 2 gives 4.2 for 2006-2015 "
        "(the same figure, for another period)"
    )
    assert checks.loc["sum:education:de", "statement"] == (
        "Germany's low, middle and high educated add up to 100 (20 + 57 + 24 = 101; each printed share may be off "
        "by half its last digit, so the sum by up to 1.5)"
    )
    assert checks.loc["twice:philips_emmen_closure_year", "note"] == (
        "Chapter 1 has Philips announce on 11 December 2014 that the plant will close in 2016; chapter 4 gives the "
        "year of the announcement as the closure's."
    )
    assert checks.loc["claim:ch5_bremen_health", "statement"] == (
        "\u201cGezondheidszorg en welzijnszorg (13,8 %)\u201d (recomputed as the share of section Q (Human health and "
        "social work) in the region's employees in Tabel 1.1)"
    )


def test_the_dutch_audit_has_no_english_words_of_its_own(dutch_checks):
    # where, what and whose fault: every sentence the audit builds is Dutch (the report's quotes are Dutch already)
    english = r"\b(?:the|against|chapter|coded|and|recomputed|quoting|firms)\b"
    for column in ("location", "statement", "fault"):
        texts = dutch_checks[column].dropna()
        assert not texts.str.contains(english).any(), texts[texts.str.contains(english)].head().tolist()
    assert list(dutch_checks.index) == list(audit.run_audit()["check_id"])


def test_the_editors_notes_read_in_dutch_and_stay_english_in_english(checks, dutch_checks):
    # the claims dataset's note on chapter 4's 'komende tien jaar', translated in data.po
    assert dutch_checks.loc["claim:ch4_popgrowth_rijnmond", "note"] == (
        "De tekst zegt 'de komende tien jaar'; Tabel 2 geeft dezelfde waarde voor de afgelopen tien jaar, 2006-2015."
    )
    assert checks.loc["claim:ch4_popgrowth_rijnmond", "note"] == (
        "The text says 'the coming ten years'; Tabel 2 gives the same value for the past ten years, 2006-2015."
    )
    # Twente's seventh industrial firm: the edition's note and the identification's reason, both in Dutch
    assert dutch_checks.loc["claim:ch4_twente_industrial_top10", "note"].startswith(
        "Het aantal klopt alleen als een van de bedrijven die deze editie niet codeert industrieel is. "
        "Engineered Solutions, niet gecodeerd: Tabel 3 noemt Power Packer Europa niet onder die naam;"
    )


def test_a_comparison_of_two_tables_names_tabel_1_1s_month_in_dutch(dutch_checks):
    # Bijlage 1's Tabel 1.1 counts employees in December 2013; Tabel 2 gives the industry share for 2015
    assert dutch_checks.loc["tables:industry_share_employment:twente", "statement"] == (
        "Twente: het kerncijfer \u2018Aandeel industrie in de werkgelegenheid (%)\u2019 van Tabel 2 (2015) tegen het "
        "aandeel van sectie C (Industrie) in de werknemers van de regio in Tabel 1.1 (december 2013)"
    )
    assert dutch_checks.loc["tables:industry_share_employment:twente", "location"] == "hoofdstuk 4 en Bijlage 1"
