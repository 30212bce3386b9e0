"""The audit of the report against its own tables: one row per check, with a verdict.

Verdicts: 'consistent', 'consistent within rounding', 'discrepancy' (the report contradicts its own data),
'not recomputable' (the report's data cannot check the statement; the reason is in ``statement``).
Nothing here is tuned to make a check pass: a check reports what it finds.
"""

from __future__ import annotations

import pandas as pd

from . import data, derived, regions, sharing

COLUMNS = ["check_id", "location", "statement", "stated", "recomputed", "difference", "verdict"]

#: Quantities the report states in two places (claims.variable), with the words the audit uses for them.
STATED_TWICE = {
    "philips_founded": "The year Philips was founded",
    "philips_emmen_closure_year": "The year the Philips plant in Emmen closes",
    "jobs_high_automation_risk_us": "Frey and Osborne's share of US jobs at high risk of automation (%)",
    "cohort_1984_same_occupation_same_employer": "The 1984 cohort's share in the same occupation with the same employer (%)",
    "cohort_1984_other_occupation": "The 1984 cohort's share in another occupation (%)",
}


def _row(check_id, location, statement, stated, recomputed, verdict=None):
    if verdict is None:
        verdict, difference = derived.classify(stated, recomputed)
    else:
        difference = None if stated is None or recomputed is None else float(recomputed) - float(stated)
    return {"check_id": check_id, "location": location, "statement": statement, "stated": stated,
            "recomputed": recomputed, "difference": difference, "verdict": verdict}


def tabel_1_readings() -> pd.DataFrame:
    """The report's six readings of Tabel 1 (chapter 2), each checked against the printed table.

    A reading about several columns (occupational loyalty: the same occupation with the same or another
    employer) is checked on their sum. ``agrees`` is True only when the named region is the strict extreme;
    ``tied_with`` lists the regions that share the extreme value with ``table_region``.
    """
    # named region, the Tabel 1 columns the reading is about, their block, and highest or lowest
    specs = [
        ("groot-rijnmond", ("no_job",), "status_2014", "highest",
         "Groot Rijnmond has a higher chance of unemployment than the other regions"),
        ("zo-drenthe", ("same_occupation_same_employer", "same_occupation_other_employer"), "occupation_2014", "highest",
         "In Vierkant voor Werk occupational loyalty (the same occupation, with either employer) is greatest"),
        ("zo-drenthe", ("no_job",), "status_2014", "lowest", "In Vierkant voor Werk the chance of unemployment is lowest"),
        ("zo-brabant", ("other_occupation",), "occupation_2014", "highest", "In Brainport most people changed occupation"),
        ("zo-brabant", ("higher_level",), "level_2014", "highest",
         "Of those working, the chance of a higher level is greatest in Brainport"),
        ("zo-brabant", ("lower_level",), "level_2014", "lowest", "... and the chance of a lower level smallest in Brainport"),
    ]
    od = data.load("occupational_dynamics")
    wide = od.pivot(index="region_id", columns="measure", values="share_percent")
    rows = []
    for region, measures, block, direction, statement in specs:
        values = wide[list(measures)].sum(axis=1)
        extreme_value = values.max() if direction == "highest" else values.min()
        at_extreme = [r for r in values.index if values[r] == extreme_value]
        found = at_extreme[0]
        rows.append({"region_id": region, "measure": " + ".join(measures), "measures": list(measures), "block": block,
                     "direction": direction, "statement": statement, "claimed_region": region,
                     "table_region": found, "tied_with": [r for r in at_extreme if r != found],
                     "value": float(extreme_value), "agrees": at_extreme == [region]})
    return pd.DataFrame(rows)


@sharing.once_per_build
def run_audit() -> pd.DataFrame:
    """Every check of the audit, in the ``COLUMNS`` layout."""
    rows = []
    # 1. the numeric claims of the prose
    for claim in derived.claims_checked().itertuples(index=False):
        location = f"chapter {claim.chapter}, {claim.section}" if claim.chapter != "Inleiding" else f"introduction, {claim.section}"
        note = f" Note: {claim.note}" if isinstance(claim.note, str) and claim.note else ""
        other_period = isinstance(claim.period_of_table, str) and claim.period_of_table != claim.period
        if claim.verdict == "not recomputable" and other_period:
            rows.append(_row(f"claim:{claim.claim_id}", location,
                             f"\u201c{claim.quote_nl}\u201d (the text speaks of {claim.period}; the table holds "
                             f"{claim.period_of_table}; a separate check compares the two periods).{note}",
                             claim.stated, None, "not recomputable"))
        elif claim.verdict == "not recomputable":
            rows.append(_row(f"claim:{claim.claim_id}", location,
                             f"\u201c{claim.quote_nl}\u201d (no table of the report holds this quantity).{note}",
                             claim.stated, None, "not recomputable"))
        else:
            rows.append(_row(f"claim:{claim.claim_id}", location,
                             f"\u201c{claim.quote_nl}\u201d (recomputed as {derived.rule_in_words(claim.recompute)}).{note}",
                             claim.stated, claim.recomputed))
        if other_period:
            # the same quantity for another period: equal values mean the table's figure was relabelled
            table_value = derived.recompute(claim.recompute, claim.region_id)
            same = table_value is not None and abs(table_value - claim.stated) < 1e-9
            rows.append({"check_id": f"period:{claim.claim_id}", "location": location,
                         "statement": f"{regions.name(claim.region_id)}: the text states {claim.stated:g} for "
                                      f"{claim.period}; the table gives {table_value:g} for {claim.period_of_table}"
                                      + (" (the same figure, for another period)" if same else
                                         " (different periods, so the two cannot be compared)"),
                         "stated": claim.stated, "recomputed": table_value,
                         "difference": None if table_value is None else table_value - claim.stated,
                         "verdict": "discrepancy" if same else "not recomputable"})
    # 2. shares that should add up to 100
    od = data.load("occupational_dynamics")
    for (region, block), part in od[od["block"] != "status_2014"].groupby(["region_id", "block"], sort=False):
        rows.append(_row(f"sum:tabel1:{region}:{block}", "chapter 2, Tabel 1",
                         f"{regions.name(region)}: the {block.replace('_2014', '')} columns of those working add up to 100",
                         100.0, float(part["share_percent"].sum())))
    claims = data.load("claims").set_index("claim_id")["value"]
    groups = {
        "sum:cohort1984": ("chapter 2, Dynamiek van beroepen", "the 1984 cohort's three shares add up to 100",
                           ["ch2_cohort1984_same_occ_same_employer", "ch2_cohort1984_same_occ_other_employer", "ch2_cohort1984_other_occ"]),
        "sum:education:de": ("chapter 5, sociaal-economische sturing", "Germany's low, middle and high educated add up to 100",
                             ["ch5_de_low_educated", "ch5_de_middle_educated", "ch5_de_high_educated"]),
        "sum:education:nl": ("chapter 5, sociaal-economische sturing", "the Netherlands' low, middle and high educated add up to 100",
                             ["ch5_nl_low_educated", "ch5_nl_middle_educated", "ch5_nl_high_educated"]),
    }
    for check_id, (location, statement, ids) in groups.items():
        rows.append(_row(check_id, location, statement, 100.0, float(sum(claims[i] for i in ids))))
    # 3. counts stated beside the lists they summarise
    hq = derived.hq_comparison()
    for region, row in hq.iterrows():
        table = "Tabel 3" if region in regions.DUTCH_REGIONS else "Tabel 5"
        stated = None if pd.isna(row["outside_region_stated"]) else float(row["outside_region_stated"])
        rows.append(_row(f"count:hq_outside_region:{region}", f"chapter {4 if table == 'Tabel 3' else 5}, {table}",
                         f"{regions.name(region)}: 'HQ buiten de regio' against the firm rows",
                         stated, float(row["outside_region_recomputed"]),
                         "not recomputable" if stated is None else None))
        rows.append(_row(f"count:hq_abroad:{region}", f"chapter {4 if table == 'Tabel 3' else 5}, {table}",
                         f"{regions.name(region)}: 'Waarvan buiten {'NL' if table == 'Tabel 3' else 'DE'}' against the firm rows",
                         float(row["abroad_stated"]), float(row["abroad_recomputed"])))
    counts = derived.employer_counts()
    for region in regions.DUTCH_REGIONS:
        rows.append(_row(f"count:rd_top60:{region}", "chapter 3, Tabel 2 and chapter 4, Tabel 3",
                         f"{regions.name(region)}: Tabel 2's number of R&D top-60 firms against the #n marks in Tabel 3 "
                         "(Tabel 3 lists only the ten largest employers, so it can show fewer)",
                         derived.key_figure(region, "rd_top60_firms"), float(counts.loc[region, "rd_top60_in_table"])))
    # 4. rows repeated from one table into another
    kf = data.load("key_figures").set_index(["region_id", "indicator"])["value"]
    indicator_words = data.load("key_figures").drop_duplicates("indicator").set_index("indicator")["label_en"]
    for indicator in ("establishments_per_km2", "establishments_per_100k_labour_force"):
        t2 = (kf[("zo-drenthe", indicator)], kf[("twente", indicator)])
        t4 = (kf[("emsland", indicator)], kf[("bremen", indicator)])
        repeated = t2 == t4
        rows.append({"check_id": f"repeat:tabel4:{indicator}", "location": "chapter 5, Tabel 4",
                     "statement": f"Tabel 4's {indicator_words[indicator]} for Emsland and Bremen ({t4[0]:g}, {t4[1]:g}) repeat Tabel 2's "
                                  f"values for ZO Drenthe and Twente ({t2[0]:g}, {t2[1]:g})",
                     "stated": None, "recomputed": None, "difference": None,
                     "verdict": "discrepancy" if repeated else "consistent"})
    # 5. statements in the text about a table that the table contradicts
    for i, reading in tabel_1_readings().iterrows():
        rows.append({"check_id": f"reading:tabel1:{i + 1}", "location": "chapter 2, text below Tabel 1",
                     "statement": f"{reading['statement']} (Tabel 1: extreme in {regions.name(reading['table_region'])}, "
                                  f"{reading['value']:g}%)", "stated": None, "recomputed": None, "difference": None,
                     "verdict": "consistent" if reading["agrees"] else "discrepancy"})
    firms = data.load("largest_employers")
    twente = set(firms.loc[firms["region_id"] == "twente", "firm"])
    named = ["Thales Nederland", "Apollo Vredestein", "Eaton Industries", "Power Packer Europa", "Koninklijke Ten Cate",
             "Grolsch Bierbrouwerij", "Enrichment Technology"]
    missing = [n for n in named if not any(n.split()[0] in f for f in twente)]
    rows.append({"check_id": "names:twente_industrial", "location": "chapter 4, Twente",
                 "statement": "The seven long-established industrial firms the text names are among the ten of Tabel 3"
                              + (f" (missing from Tabel 3: {', '.join(missing)})" if missing else ""),
                 "stated": 7.0, "recomputed": float(len(named) - len(missing)),
                 "difference": float(len(named) - len(missing) - 7), "verdict": "consistent" if not missing else "discrepancy"})
    # 6. the same quantity stated twice with different values
    all_claims = data.load("claims")
    for variable, label in STATED_TWICE.items():
        part = all_claims[all_claims["variable"] == variable]
        if len(part) < 2:
            continue
        a, b = part.iloc[0], part.iloc[1]
        where = [("the introduction" if c == "Inleiding" else f"chapter {c}") for c in (a["chapter"], b["chapter"])]
        rows.append(_row(f"twice:{variable}", f"{where[0]} and {where[1]}",
                         f"{label}: {a['value']:g} in {where[0]} "
                         f"(\u201c{a['quote_nl']}\u201d), {b['value']:g} in {where[1]} (\u201c{b['quote_nl']}\u201d)",
                         float(a["value"]), float(b["value"])))
    # 7. counts the report states without naming the regions
    others = all_claims[all_claims["variable"] == "industrial_in_top10_other_regions"]["value"].astype(int).tolist()
    if others:
        rec = industrial_reconciliation()
        assigned = "; ".join(
            f"{regions.name(r.region_id)} {r.stated} against {r.low}" + (f"-{r.high}" if r.high != r.low else "")
            + " coded" for r in rec.itertuples())
        total = int(rec["difference"].sum())
        rows.append({"check_id": "count:industrial_in_top10:other_regions", "location": "chapter 4, Rijnmond and Tabel 3",
                     "statement": "The industrial firms among the ten largest in the three other Dutch regions, stated as "
                                  f"{', '.join(str(v) for v in others[:-1])} or {others[-1]} without naming the regions, "
                                  f"matched to this book's coding of Tabel 3 (closest assignment: {assigned})",
                     "stated": None, "recomputed": None, "difference": float(total),
                     "verdict": "consistent" if total == 0 else "discrepancy"})
    intro = claims["intro_other_occ_same_employer"]
    rows.append({"check_id": "twice:cohort1984_middle_group", "location": "introduction and chapter 2",
                 "statement": f"The {intro:g}% of the 1984 cohort is 'another occupation, same employer' in the introduction "
                              "and 'same occupation, another employer' in chapter 2",
                 "stated": None, "recomputed": None, "difference": None, "verdict": "discrepancy"})
    return pd.DataFrame(rows, columns=COLUMNS)


def industrial_reconciliation() -> pd.DataFrame:
    """The report's 'tegenover 4, 6 of 7 in de andere regio's' (industrial firms among the ten largest, chapter 4)
    matched to the coded firm rows of the three Dutch regions other than Rijnmond."""
    claims = data.load("claims")
    stated = claims[claims["variable"] == "industrial_in_top10_other_regions"]["value"].astype(int).tolist()
    others = [r for r in regions.DUTCH_REGIONS if r != "groot-rijnmond"]
    return derived.industrial_count_reconciliation(stated, others)


def firm_coding() -> pd.DataFrame:
    """Every firm of Tabel 3 and 5 with the report's annotation and this book's coding (head office, industrial)."""
    firms = data.load("largest_employers")
    scope = {"in_region": "in the region", "national_outside_region": "elsewhere in the country", "abroad": "abroad"}
    return pd.DataFrame({
        "region": firms["region_id"].map(regions.name),
        "table": firms["source_table"],
        "rank": firms["rank"],
        "firm": firms["firm"],
        "the report's annotation": firms["annotation_in_report"],
        "head office (coded)": firms["hq_scope"].map(scope),
        "industrial (coded)": firms["industrial"].map({True: "yes", False: "no"}).astype(object).where(
            firms["industrial"].notna(), "not coded"),
        "why": firms["note"],
    })


def checks_matching(checks: pd.DataFrame, prefixes) -> pd.DataFrame:
    """The audit rows whose check id starts with one of ``prefixes`` (a list, or text separated by ';')."""
    if isinstance(prefixes, str):
        prefixes = [p for p in prefixes.split(";") if p]
    prefixes = [p for p in (prefixes or []) if isinstance(p, str) and p]
    if not prefixes:
        return checks.iloc[0:0]
    return checks[checks["check_id"].apply(lambda c: any(c.startswith(p) for p in prefixes))]


def summary(audit: pd.DataFrame) -> pd.Series:
    """Number of checks per verdict."""
    order = ["consistent", "consistent within rounding", "discrepancy", "not recomputable"]
    return audit["verdict"].value_counts().reindex(order, fill_value=0)
