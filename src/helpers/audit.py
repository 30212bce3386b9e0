"""The audit of the report against itself: one row per check, with a verdict, and for what it flags a grade and
where the fault lies.

A statement is first checked against the table of the report that prints the same quantity (``claims.quotes``);
only where none does is it checked against a recomputation from another table (``claims.recompute``). Two tables
that give one quantity different values are compared with each other, in a check of their own. Every comparison
uses one rounding rule, derived from the precision each number is printed with (``helpers.rounding``).

Verdicts (``VERDICTS``):

- *consistent*: equal as printed;
- *consistent within rounding*: the intervals the printed numbers stand for overlap;
- *discrepancy*: the report contradicts itself (a statement and its table, a table and the count printed under
  it, one quantity stated twice, a reading of a table that the table does not bear out);
- *tables differ*: two tables give one quantity values that differ beyond rounding (another source, year, area or
  definition); not an error of the text;
- *uncertain*: the check rests on an identification or coding the report does not settle; the note says which;
- *not recomputable*: no table of the report holds the quantity.

A discrepancy or a difference between tables is graded (``GRADES``) and says where the fault lies (``fault``).
Nothing here is tuned to make a check pass: a check reports what it finds.

Language: every sentence a check writes (location, statement, fault, note) is a gettext message in the reader's
language (``helpers.i18n``), its numbers in that language's symbols (``helpers.numbers``), the editors' notes kept
in the datasets (``claims.note``, ``firm_identifications.reason``, ``largest_employers.note``) through the data's
catalogue (``i18n.data_texts``); quotes of the report stay as the report wrote them. The ``check_id`` and the codes
in ``verdict`` and ``grade`` (``VERDICTS``, ``GRADES``) are the same in both editions: pages translate them where
they show them. So the ``audit.csv`` of the Dutch edition (``_build/nl/results/``) is in Dutch, as its pages are;
the English edition's is byte for byte what it was.
"""

from __future__ import annotations

import pandas as pd

from . import data, derived, i18n, narrative, regions, rounding, sharing
from .i18n import N_, _, ngettext
from .numbers import general, long_date

COLUMNS = [
    "check_id",
    N_("location"),
    N_("statement"),
    N_("stated"),
    N_("recomputed"),
    N_("difference"),
    N_("verdict"),
    N_("grade"),
    N_("fault"),
    N_("note"),
]  # headers of the audit's tables, shown translated

TABLES_DIFFER = N_("tables differ")
UNCERTAIN = N_("uncertain")
NOT_RECOMPUTABLE = N_("not recomputable")
#: Verdicts, the ones that flag something first.
VERDICTS = (
    rounding.DISCREPANCY,
    TABLES_DIFFER,
    UNCERTAIN,
    NOT_RECOMPUTABLE,
    rounding.WITHIN_ROUNDING,
    rounding.CONSISTENT,
)
#: Verdicts that get a grade and a fault.
FLAGGED = (rounding.DISCREPANCY, TABLES_DIFFER)

CONCLUSION = N_("changes the conclusion")
NUMBER = N_("number off")
WORDING = N_("wording")
#: Grades of what the audit flags, the weightiest first, with what each means.
GRADES = {
    CONCLUSION: "a reader would conclude something else: a ranking or finding the report states does not hold",
    NUMBER: "a number is off beyond rounding, and what the report concludes from it still stands",
    WORDING: "the numbers agree, the words do not: a label, a description or a period",
}

#: Quantities the report states in two places (claims.variable): what it is (with {region} where it differs by
#: region), the grade and fault when the two differ, and a note saying which of the two fits the rest.
STATED_TWICE = {
    "philips_founded": (
        N_("The year Philips was founded"),
        NUMBER,
        N_("chapter 4"),
        N_("Chapter 3's year is the one usually given for the founding of Philips in Eindhoven."),
    ),
    "philips_emmen_closure_year": (N_("The year the Philips plant in Emmen closes"), WORDING, N_("chapter 4"), None),
    "jobs_high_automation_risk_us": (
        N_("Frey and Osborne's share of US jobs at high risk of automation (%)"),
        NUMBER,
        N_("the text"),
        None,
    ),
    "cohort_1984_same_occupation_same_employer": (
        N_("The 1984 cohort's share in the same occupation with the same employer (%)"),
        NUMBER,
        N_("the text"),
        None,
    ),
    "cohort_1984_other_occupation": (
        N_("The 1984 cohort's share in another occupation (%)"),
        NUMBER,
        N_("the text"),
        None,
    ),
    "board_members": (N_("The number of members of {region}'s board"), NUMBER, N_("the text"), None),
}

#: The report's readings of Tabel 1 (chapter 2): region, the columns the reading is about, their block, and
#: whether the region is said to be highest or lowest.
TABEL_1_READINGS = [
    (
        "groot-rijnmond",
        ("no_job",),
        "status_2014",
        "highest",
        N_("Groot Rijnmond has a higher chance of unemployment than the other regions"),
    ),
    (
        "zo-drenthe",
        ("same_occupation_same_employer", "same_occupation_other_employer"),
        "occupation_2014",
        "highest",
        N_("In Vierkant voor Werk occupational loyalty (the same occupation, with either employer) is greatest"),
    ),
    (
        "zo-drenthe",
        ("no_job",),
        "status_2014",
        "lowest",
        N_("In Vierkant voor Werk the chance of unemployment is lowest"),
    ),
    (
        "zo-brabant",
        ("other_occupation",),
        "occupation_2014",
        "highest",
        N_("In Brainport most people changed occupation"),
    ),
    (
        "zo-brabant",
        ("higher_level",),
        "level_2014",
        "highest",
        N_("Of those working, the chance of a higher level is greatest in Brainport"),
    ),
    (
        "zo-brabant",
        ("lower_level",),
        "level_2014",
        "lowest",
        N_("Of those working, the chance of a lower level is smallest in Brainport"),
    ),
]

#: The report's readings of Tabel 2: region, indicator, highest or lowest, the reading, where the text makes it.
TABEL_2_READINGS = [
    (
        "groot-rijnmond",
        "unemployment",
        "highest",
        N_(
            "Groot Rijnmond's higher chance of unemployment "
            "\u201csluit aan bij de actuele werkloosheidscijfers (zie tabel 2)\u201d"
        ),
        N_("chapter 2, text below Tabel 1"),
    ),
    (
        "groot-rijnmond",
        "unemployment",
        "highest",
        N_("Rijnmond has the highest unemployment of the four regions"),
        N_("chapter 4, Rijnmond"),
    ),
    (
        "groot-rijnmond",
        "labour_productivity",
        "highest",
        N_("Rijnmond has the highest labour productivity of the four regions"),
        N_("chapter 4, Rijnmond"),
    ),
    (
        "groot-rijnmond",
        "industry_share_employment",
        "lowest",
        N_("Rijnmond's share of industry is the lowest of the four (\u201ckomt dat niet verder dan\u201d)"),
        N_("chapter 4, Rijnmond"),
    ),
    (
        "zo-drenthe",
        "industry_share_employment",
        "highest",
        N_("Zuidoost-Drenthe has the highest share of industrial employment of the four regions"),
        N_("chapter 4, Zuidoost-Drenthe"),
    ),
    (
        "zo-drenthe",
        "share_higher_educated_labour_force",
        "lowest",
        N_("Zuidoost-Drenthe has the lowest share of higher-educated in the labour force"),
        N_("chapter 4, Zuidoost-Drenthe"),
    ),
]


def _check(
    check_id,
    location,
    statement,
    verdict,
    stated=None,
    recomputed=None,
    grade=None,
    fault=None,
    note=None,
    difference=None,
):
    """One row of the audit; a verdict that flags nothing carries no grade and no fault."""
    if difference is None and stated is not None and recomputed is not None:
        difference = float(recomputed) - float(stated)
    if verdict not in FLAGGED:
        grade = fault = None
    notes = list(note) if isinstance(note, (list, tuple)) else [note]  # a missing note may be None or NaN
    note = " ".join(n for n in notes if isinstance(n, str) and n) or None
    return {
        "check_id": check_id,
        "location": location,
        "statement": statement,
        "stated": stated,
        "recomputed": recomputed,
        "difference": difference,
        "verdict": verdict,
        "grade": grade,
        "fault": fault,
        "note": note,
    }


#: Periods in words, shown in the reader's language: the ``claims`` dataset's (its ``period`` column) and the
#: reference period of Tabel 1.1 (``employees_by_sector`` in datapackage.json).
PERIOD_WORDS = (N_("the coming ten years"), N_("until the 1970s"), N_("early 1990s"), N_("December 2013"))


def _location(chapter, section: str) -> str:
    """Where a statement stands: 'chapter 4, Twente'; the report's 'Inleiding' is the introduction."""
    if chapter == "Inleiding":
        return _("introduction, {section}").format(section=section)
    return _("chapter {chapter}, {section}").format(chapter=chapter, section=section)


def _period(text: str) -> str:
    """A period ('2015', 'the coming ten years', 'December 2013') in the reader's language."""
    return _(text) if text in PERIOD_WORDS else text


def _pct(value: float) -> str:
    """A printed share as the report printed it ('47%'), in the reader's number symbols."""
    return general(value) + "%"


# --- readings of a table: is the region the report names the highest or lowest? -----------------------------


def read_extreme(values: dict, bounds: dict, region: str, direction: str) -> dict:
    """Whether ``region`` is the highest or lowest of ``values`` as printed, and within rounding.

    ``values`` and ``bounds`` map each region to its printed value and the interval it stands for. Returns the
    region at the extreme as printed (``table_region``), those tied with it, ``agrees`` (the named region is the
    strict extreme as printed) and the verdict: consistent when it agrees, consistent within rounding when the
    intervals let it be the strict extreme, else a discrepancy.
    """
    extreme = max(values.values()) if direction == "highest" else min(values.values())
    at_extreme = [r for r, v in values.items() if abs(v - extreme) < rounding.EPS]
    agrees = at_extreme == [region]
    possible = rounding.can_be_extreme(bounds[region], [b for r, b in bounds.items() if r != region], direction)
    verdict = rounding.CONSISTENT if agrees else rounding.WITHIN_ROUNDING if possible else rounding.DISCREPANCY
    return {
        "table_region": at_extreme[0],
        "tied_with": at_extreme[1:],
        "value": float(extreme),
        "agrees": agrees,
        "verdict": verdict,
    }


def tabel_1_readings() -> pd.DataFrame:
    """The report's six readings of Tabel 1 (chapter 2), each checked against the printed table.

    A reading about several columns (occupational loyalty: the same occupation with the same or another
    employer) is checked on their sum. ``agrees`` is True only when the named region is the strict extreme as
    printed; ``tied_with`` lists the regions that share the extreme value with ``table_region``; ``verdict``
    applies the rounding rule (``read_extreme``).
    """
    od = data.load("occupational_dynamics")
    printed = data.load_printed("occupational_dynamics").set_index(["region_id", "measure"])["share_percent"]
    wide = od.pivot(index="region_id", columns="measure", values="share_percent")
    rows = []
    for region, measures, block, direction, statement in TABEL_1_READINGS:
        values = {r: float(wide.loc[r, list(measures)].sum()) for r in wide.index}
        bounds = {r: rounding.total(rounding.printed_text(printed[(r, m)]) for m in measures) for r in wide.index}
        found = read_extreme(values, bounds, region, direction)
        rows.append(
            {
                "region_id": region,
                "measure": " + ".join(measures),
                "measures": list(measures),
                "block": block,
                "direction": direction,
                "statement": _(statement),
                "claimed_region": region,
                **found,
                "claimed_value": values[region],
            }
        )
    return pd.DataFrame(rows)


def _reading_note(table: str, found: dict, region: str, claimed_value: float, direction: str) -> str | None:
    """Why a reading is consistent only within rounding, or not at all."""
    if found["agrees"]:
        return None
    other = found["table_region"] if found["table_region"] != region else found["tied_with"][0]
    values = {
        "table": table,
        "other": regions.name(other),
        "value": _pct(found["value"]),
        "region": regions.name(region),
        "claimed": _pct(claimed_value),
    }
    if found["verdict"] == rounding.WITHIN_ROUNDING:
        template = (
            _(
                "{table} gives {other} {value} against {region}'s {claimed}; within rounding {region} can still "
                "be the highest."
            )
            if direction == "highest"
            else _(
                "{table} gives {other} {value} against {region}'s {claimed}; within rounding {region} can still "
                "be the lowest."
            )
        )
    else:
        template = (
            _(
                "{table} gives {other} {value} against {region}'s {claimed}; even within rounding {region} "
                "cannot be the highest."
            )
            if direction == "highest"
            else _(
                "{table} gives {other} {value} against {region}'s {claimed}; even within rounding {region} "
                "cannot be the lowest."
            )
        )
    return template.format(**values)


def _tabel_2_bounds(indicator: str) -> tuple[dict, dict]:
    dutch = list(regions.DUTCH_REGIONS)
    return (
        {r: derived.key_figure(r, indicator) for r in dutch},
        {r: derived.key_figure_bounds(r, indicator) for r in dutch},
    )


# --- the checks ------------------------------------------------------------------------------------------------


def _uncoded_firms_note(region: str) -> str:
    """What the industrial count of a region depends on: its firms left uncoded and why (identifications first)."""
    firms = i18n.data_texts(data.load("largest_employers"), "largest_employers")
    uncoded = firms[(firms["region_id"] == region) & firms["industrial"].isna()]
    ids = i18n.data_texts(data.load("firm_identifications"), "firm_identifications")
    notes = []
    for firm, why in zip(uncoded["firm"], uncoded["note"], strict=True):
        named = ids[(ids["region_id"] == region) & (ids["firm_in_table"] == firm) & (ids["match"] != "same")]
        reason = named["reason"].iloc[0] if len(named) else why
        notes.append(
            _("{firm}, not coded: {reason}").format(firm=firm, reason=reason)
            if isinstance(reason, str)
            else _("{firm}, not coded.").format(firm=firm)
        )
    return _("The count holds only if one firm this edition leaves uncoded is industrial.") + " " + " ".join(notes)


def rd_top60_row_counts_ten_largest() -> bool:
    """Whether Tabel 2's 'R&D-intensieve bedrijven (# bedrijven in NL top 60)' equals, in every Dutch region, the
    number of firms marked with a top-60 rank among the ten largest employers of Tabel 3."""
    marks = derived.employer_counts()["rd_top60_in_table"]
    return all(derived.key_figure(r, "rd_top60_firms") == float(marks[r]) for r in regions.DUTCH_REGIONS)


def _repeated_figure_note(claim, checked: pd.DataFrame) -> str | None:
    """A figure the text also gives to a neighbouring quantity that the table bears out: a likely repetition."""
    same = checked[
        (checked["region_id"] == claim.region_id)
        & (checked["chapter"] == claim.chapter)
        & (checked["claim_id"] != claim.claim_id)
        & (checked["stated"] == claim.stated)
        & checked["verdict"].isin([rounding.CONSISTENT, rounding.WITHIN_ROUNDING])
    ]
    if same.empty:
        return None
    return _(
        "The text gives the same figure to \u201c{quote}\u201d, which Tabel 1.1 bears out: it may have been "
        "repeated by mistake."
    ).format(quote=same["quote_nl"].iloc[0])


def claim_checks(checked: pd.DataFrame) -> list[dict]:
    """The numeric statements of the prose, each against the table it quotes or a recomputation."""
    rows = []
    for claim in i18n.data_texts(checked, "claims").itertuples(index=False):  # the editors' notes translated
        location = _location(claim.chapter, claim.section)
        quote = f"\u201c{claim.quote_nl}\u201d"
        other_period = (
            isinstance(claim.period, str)
            and isinstance(claim.period_of_table, str)
            and claim.period_of_table != claim.period
        )
        if not isinstance(claim.against, str):  # pandas keeps a missing string as NaN
            why = (
                _(
                    "the text speaks of {period}; its table holds {table_period}; a separate check compares the two "
                    "periods"
                ).format(period=_period(claim.period), table_period=claim.period_of_table)
                if other_period
                else _("no table of the report holds this quantity")
            )
            rows.append(
                _check(
                    f"claim:{claim.claim_id}",
                    location,
                    f"{quote} ({why})",
                    NOT_RECOMPUTABLE,
                    stated=claim.stated,
                    note=claim.note,
                )
            )
        else:
            quoted = claim.against == "quoted"
            rule = claim.quotes if quoted else claim.recompute
            value = claim.quoted if quoted else claim.recomputed
            what = (_("quoting {rule}") if quoted else _("recomputed as {rule}")).format(
                rule=derived.rule_in_words(rule, claim.region_id)
            )
            verdict, grade, fault, note = claim.verdict, NUMBER, _("the text"), None
            bounds = (claim.recomputed_lo, claim.recomputed_hi)
            if (
                not quoted
                and rule == "industrial_count"
                and verdict == rounding.WITHIN_ROUNDING
                and bounds[0] < bounds[1]
            ):
                verdict, note = UNCERTAIN, _uncoded_firms_note(claim.region_id)
            elif (
                verdict == rounding.DISCREPANCY
                and rule == "key_figure:rd_top60_firms"
                and rd_top60_row_counts_ten_largest()
            ):
                grade, fault = WORDING, _("Tabel 2 (its row label)")
                note = _(
                    "Tabel 2's row equals, in all four regions, the firms marked with a top-60 rank among the ten "
                    "largest employers of Tabel 3: it counts only those, while its label promises all the "
                    "region's firms in the top 60. The text's count also names firms outside the ten."
                )
            elif verdict == rounding.DISCREPANCY and str(rule).startswith("sector_share"):
                note = _repeated_figure_note(claim, checked)
            rows.append(
                _check(
                    f"claim:{claim.claim_id}",
                    location,
                    f"{quote} ({what})",
                    verdict,
                    stated=claim.stated,
                    recomputed=value,
                    grade=grade,
                    fault=fault,
                    note=[note, claim.note],
                    difference=claim.difference,
                )
            )
        if other_period:
            # the same quantity for another period: equal values mean the table's figure was relabelled
            table_value = derived.recompute(claim.quotes, claim.region_id)
            same = table_value is not None and abs(table_value - claim.stated) < rounding.EPS
            kf = data.load("key_figures")
            table = kf.loc[
                (kf["region_id"] == claim.region_id) & (kf["indicator"] == claim.quotes.partition(":")[2]),
                "source_table",
            ].iloc[0]
            rows.append(
                _check(
                    f"period:{claim.claim_id}",
                    location,
                    (
                        _(
                            "{region}: the text states {stated} for {period}; {table} gives {value} for "
                            "{table_period} (the same figure, for another period)"
                        )
                        if same
                        else _(
                            "{region}: the text states {stated} for {period}; {table} gives {value} for "
                            "{table_period} (different periods, so the two cannot be compared)"
                        )
                    ).format(
                        region=regions.name(claim.region_id),
                        stated=general(claim.stated),
                        period=_period(claim.period),
                        table=table,
                        value=general(table_value),
                        table_period=claim.period_of_table,
                    ),
                    rounding.DISCREPANCY if same else NOT_RECOMPUTABLE,
                    stated=claim.stated,
                    recomputed=table_value,
                    grade=WORDING,
                    fault=_("the text (the period it gives the table's figure)"),
                )
            )
    return rows


def table_checks(checked: pd.DataFrame) -> list[dict]:
    """Two tables of the report that hold the same quantity, against each other."""
    rows, seen = [], set()
    both = checked[
        checked["quotes"].notna()
        & checked["recompute"].notna()
        & checked["quoted"].notna()
        & checked["recomputed"].notna()
    ]
    recompute_period = _period(data.provenance("employees_by_sector").reference_period)
    for claim in both.itertuples(index=False):
        key = (claim.quotes, claim.recompute, claim.region_id)
        if key in seen:
            continue
        seen.add(key)
        indicator = claim.quotes.partition(":")[2]
        quoted_bounds = rounding.Bounds(claim.quoted_lo, claim.quoted_hi)
        recomputed_bounds = rounding.Bounds(claim.recomputed_lo, claim.recomputed_hi)
        verdict = rounding.verdict(claim.quoted, quoted_bounds, claim.recomputed, recomputed_bounds)
        grade, note = NUMBER, None
        if verdict == rounding.DISCREPANCY:
            verdict = TABLES_DIFFER
            failing = []
            for region, ind, direction, statement, _location_text in TABEL_2_READINGS:
                if ind != indicator:
                    continue
                values = {r: derived.recompute(claim.recompute, r) for r in regions.DUTCH_REGIONS}
                bounds = {r: derived.recompute_bounds(claim.recompute, r)[1] for r in regions.DUTCH_REGIONS}
                found = read_extreme(values, bounds, region, direction)
                if found["verdict"] == rounding.DISCREPANCY:
                    failing.append(_(statement))
                elif region == claim.region_id:
                    note = (
                        _(
                            "Within rounding Tabel 1.1 still lets {region} be the highest of the four, so the "
                            "report's reading of Tabel 2 stands."
                        )
                        if direction == "highest"
                        else _(
                            "Within rounding Tabel 1.1 still lets {region} be the lowest of the four, so the "
                            "report's reading of Tabel 2 stands."
                        )
                    ).format(region=regions.name(region))
            if failing:
                grade = CONCLUSION
                note = _("On Tabel 1.1 the report's reading fails: {readings}.").format(readings="; ".join(failing))
        period = derived.key_figure_period(claim.region_id, indicator)
        rows.append(
            _check(
                f"tables:{indicator}:{claim.region_id}",
                _("chapter {chapter} and Bijlage 1").format(chapter=claim.chapter),
                _("{region}: {quoted} ({period}) against {recomputed} ({recompute_period})").format(
                    region=regions.name(claim.region_id),
                    quoted=derived.rule_in_words(claim.quotes),
                    period=period,
                    recomputed=derived.rule_in_words(claim.recompute),
                    recompute_period=recompute_period,
                ),
                verdict,
                stated=claim.quoted,
                recomputed=claim.recomputed,
                grade=grade,
                fault=_(
                    "neither table alone: the two differ in year and perhaps in source and delimitation, which the "
                    "report does not give"
                ),
                note=note,
            )
        )
    # Tabel 2's R&D row against the #n marks of Tabel 3
    marks = derived.employer_counts()["rd_top60_in_table"]
    for region in regions.DUTCH_REGIONS:
        printed, marked = derived.key_figure(region, "rd_top60_firms"), float(marks[region])
        verdict = (
            NOT_RECOMPUTABLE
            if printed is None
            else rounding.verdict(printed, rounding.exact(printed), marked, rounding.exact(marked))
        )
        rows.append(
            _check(
                f"tables:rd_top60:{region}",
                _("chapter 3, Tabel 2 and chapter 4, Tabel 3"),
                _(
                    "{region}: Tabel 2's number of R&D-intensive firms in the Dutch top 60 against the firms marked "
                    "with a top-60 rank among the ten largest employers of Tabel 3"
                ).format(region=regions.name(region)),
                TABLES_DIFFER if verdict == rounding.DISCREPANCY else verdict,
                stated=printed,
                recomputed=marked,
                grade=NUMBER,
                fault=_("Tabel 2 or Tabel 3"),
            )
        )
    # Tabel 4 repeats Tabel 2's establishment figures
    kf = data.load("key_figures").set_index(["region_id", "indicator"])["value"]
    words = data.load("key_figures").drop_duplicates("indicator").set_index("indicator")[i18n.column("label")]
    repeated, parts = True, []
    for indicator in ("establishments_per_km2", "establishments_per_100k_labour_force"):
        t2 = (kf[("zo-drenthe", indicator)], kf[("twente", indicator)])
        t4 = (kf[("emsland", indicator)], kf[("bremen", indicator)])
        repeated = repeated and t2 == t4
        parts.append(
            _("{figure} ({emsland}, {bremen} against {drenthe}, {twente})").format(
                figure=words[indicator].lower(),
                emsland=general(t4[0]),
                bremen=general(t4[1]),
                drenthe=general(t2[0]),
                twente=general(t2[1]),
            )
        )
    rows.append(
        _check(
            "repeat:tabel4:establishments",
            _location(5, "Tabel 4"),
            _(
                "Tabel 4's establishment figures for Emsland and Bremen repeat Tabel 2's for ZO Drenthe and Twente: "
                "{figures}"
            ).format(figures="; ".join(parts)),
            rounding.DISCREPANCY if repeated else rounding.CONSISTENT,
            grade=NUMBER,
            fault=_("Tabel 4 (two rows copied from Tabel 2)"),
            note=_(
                "Two German regions cannot share both figures with two Dutch ones by chance; the German values are "
                "missing."
            ),
        )
    )
    return rows


def sum_check(check_id, location, statement, printed_parts, target, grade, fault, note=None) -> dict:
    """A set of printed shares that should add up to ``target``, with the rounding rule for sums."""
    parts = [rounding.printed_text(p) for p in printed_parts]
    values = [float(str(p).replace(",", ".")) for p in printed_parts]
    value = sum(values)
    verdict = rounding.verdict(target, rounding.exact(target), value, rounding.total(parts))
    half = sum(b.hi - b.lo for b in parts) / 2
    shown = " + ".join(general(v) for v in values) + " = " + general(value)
    rule = _("each printed share may be off by half its last digit, so the sum by up to {half}").format(
        half=general(half)
    )
    return _check(
        check_id,
        location,
        f"{statement} ({shown}; {rule})",
        verdict,
        stated=float(target),
        recomputed=value,
        grade=grade,
        fault=fault,
        note=note,
    )


def sum_slack(terms: int, decimals: int = 0) -> float:
    """How far a sum of ``terms`` numbers, each printed with ``decimals`` decimals, may lie from the sum of the
    printed numbers under the audit's rounding rule (each stands for half a unit of its last digit either side)."""
    total = rounding.total([rounding.printed(1, decimals)] * terms)
    return (total.hi - total.lo) / 2


def sum_checks() -> list[dict]:
    rows = []
    od = data.load_printed("occupational_dynamics")
    statements = {
        "occupation_2014": N_("{region}: the occupation columns of those working add up to 100"),
        "level_2014": N_("{region}: the level columns of those working add up to 100"),
    }
    for (region, block), part in od[od["block"] != "status_2014"].groupby(["region_id", "block"], sort=False):
        rows.append(
            sum_check(
                f"sum:tabel1:{region}:{block}",
                _location(2, "Tabel 1"),
                _(statements[block]).format(region=regions.name(region)),
                part["share_percent"].tolist(),
                100.0,
                NUMBER,
                "Tabel 1",
            )
        )
    claims = data.load_printed("claims").set_index("claim_id")["value"]
    groups = {
        "sum:cohort1984": (
            (2, "Dynamiek van beroepen"),
            N_("the 1984 cohort's three shares, as chapter 2 describes them, add up to 100"),
            [
                "ch2_cohort1984_same_occ_same_employer",
                "ch2_cohort1984_same_occ_other_employer",
                "ch2_cohort1984_other_occ",
            ],
            N_("the text (chapter 2)"),
            N_(
                "Read as the introduction describes the middle group (another occupation with the same "
                "employer), the groups need not exclude each other: the middle group may be part of those "
                "in another occupation."
            ),
        ),
        "sum:education:de": (
            (5, "sociaal-economische sturing"),
            N_("Germany's low, middle and high educated add up to 100"),
            ["ch5_de_low_educated", "ch5_de_middle_educated", "ch5_de_high_educated"],
            N_("the text"),
            None,
        ),
        "sum:education:nl": (
            (5, "sociaal-economische sturing"),
            N_("the Netherlands' low, middle and high educated add up to 100"),
            ["ch5_nl_low_educated", "ch5_nl_middle_educated", "ch5_nl_high_educated"],
            N_("the text"),
            None,
        ),
    }
    for check_id, (location, statement, ids, fault, note) in groups.items():
        parts = [claims[i] for i in ids]
        note = _(note) if note else None
        rows.append(sum_check(check_id, _location(*location), _(statement), parts, 100.0, NUMBER, _(fault), note))
    return rows


def count_checks() -> list[dict]:
    """Counts printed under Tabel 3 and 5 against the firm rows above them."""
    rows = []
    firms = data.load("largest_employers")
    for region, row in derived.hq_comparison().iterrows():
        table = "Tabel 3" if region in regions.DUTCH_REGIONS else "Tabel 5"
        location = _location(4 if table == "Tabel 3" else 5, table)
        fault = _("{table} (its count line against its own rows)").format(table=table)
        stated = None if pd.isna(row["outside_region_stated"]) else float(row["outside_region_stated"])
        rows.append(
            _check(
                f"count:hq_outside_region:{region}",
                location,
                _("{region}: 'HQ buiten de regio' against the firm rows").format(region=regions.name(region)),
                NOT_RECOMPUTABLE
                if stated is None
                else rounding.verdict(
                    stated,
                    rounding.exact(stated),
                    row["outside_region_recomputed"],
                    rounding.exact(row["outside_region_recomputed"]),
                ),
                stated=stated,
                recomputed=float(row["outside_region_recomputed"]),
                grade=NUMBER,
                fault=fault,
                note=None if stated is not None else _("The report leaves the cell empty."),
            )
        )
        abroad = firms[(firms["region_id"] == region) & (firms["hq_scope"] == "abroad")]["firm"].tolist()
        verdict = rounding.verdict(
            row["abroad_stated"],
            rounding.exact(row["abroad_stated"]),
            row["abroad_recomputed"],
            rounding.exact(row["abroad_recomputed"]),
        )
        rows.append(
            _check(
                f"count:hq_abroad:{region}",
                location,
                _("{region}: 'Waarvan buiten {country}' against the firm rows").format(
                    region=regions.name(region), country="NL" if table == "Tabel 3" else "DE"
                ),
                verdict,
                stated=float(row["abroad_stated"]),
                recomputed=float(row["abroad_recomputed"]),
                grade=NUMBER,
                fault=fault,
                note=(
                    _("The rows give a foreign owner or head office for {firms}.").format(firms=", ".join(abroad))
                    if verdict == rounding.DISCREPANCY
                    else None
                ),
            )
        )
    return rows


def reading_checks() -> list[dict]:
    rows = []
    for i, reading in tabel_1_readings().iterrows():
        note = _reading_note("Tabel 1", reading, reading["region_id"], reading["claimed_value"], reading["direction"])
        rows.append(
            _check(
                f"reading:tabel1:{i + 1}",
                _("chapter 2, text below Tabel 1"),
                _("{reading} (Tabel 1: extreme in {region}, {value})").format(
                    reading=reading["statement"],
                    region=regions.name(reading["table_region"]),
                    value=_pct(reading["value"]),
                ),
                reading["verdict"],
                grade=CONCLUSION,
                fault=_("the text (its reading of Tabel 1)"),
                note=note,
            )
        )
    for i, (region, indicator, direction, statement, location) in enumerate(TABEL_2_READINGS):
        values, bounds = _tabel_2_bounds(indicator)
        found = read_extreme(values, bounds, region, direction)
        rows.append(
            _check(
                f"reading:tabel2:{i + 1}",
                _(location),
                (
                    _("{reading} (Tabel 2: highest in {region}, {value})")
                    if direction == "highest"
                    else _("{reading} (Tabel 2: lowest in {region}, {value})")
                ).format(
                    reading=_(statement), region=regions.name(found["table_region"]), value=general(found["value"])
                ),
                found["verdict"],
                grade=CONCLUSION,
                fault=_("the text (its reading of Tabel 2)"),
                note=_reading_note("Tabel 2", found, region, values[region], direction),
            )
        )
    return rows


def name_checks() -> list[dict]:
    """Firms the text names against the table that should list them (``firm_identifications``)."""
    rows = []
    ids = i18n.data_texts(data.load("firm_identifications"), "firm_identifications")
    firms = data.load("largest_employers")
    for region, named in ids.groupby("region_id", sort=False):
        listed = set(firms.loc[firms["region_id"] == region, "firm"])
        found = named[(named["match"] == "same") & named["firm_in_table"].isin(listed)]
        unsure = named[named["match"] == "uncertain"]
        absent = named[~named.index.isin(found.index) & ~named.index.isin(unsure.index)]
        verdict = rounding.DISCREPANCY if len(absent) else UNCERTAIN if len(unsure) else rounding.CONSISTENT
        table = "Tabel 3" if region in regions.DUTCH_REGIONS else "Tabel 5"
        missing = ", ".join(absent["name_in_text"].tolist() + unsure["name_in_text"].tolist())
        rows.append(
            _check(
                f"names:{region}_industrial",
                _location(4, regions.name(region)),
                (
                    _(
                        "The long-established industrial firms the text names for {region} ({n}) are among the ten "
                        "of {table} (not listed under the text's name: {missing})"
                    )
                    if missing
                    else _(
                        "The long-established industrial firms the text names for {region} ({n}) are among the ten "
                        "of {table}"
                    )
                ).format(region=regions.name(region), n=len(named), table=table, missing=missing),
                verdict,
                stated=float(len(named)),
                recomputed=float(len(found)),
                grade=NUMBER,
                fault=_("the text"),
                note=" ".join(r for r in pd.concat([unsure, absent])["reason"].dropna()),
            )
        )
    return rows


def twice_checks() -> list[dict]:
    """One quantity stated in two places."""
    rows = []
    claims = data.load("claims")
    for variable, (label, grade, fault, note) in STATED_TWICE.items():
        for region, part in claims[claims["variable"] == variable].groupby(claims["region_id"].fillna(""), sort=False):
            if len(part) < 2:
                continue
            a, b = part.iloc[0], part.iloc[1]
            where = [
                _("the introduction") if c == "Inleiding" else _("chapter {chapter}").format(chapter=c)
                for c in (a["chapter"], b["chapter"])
            ]
            if where[0] == where[1]:
                where = [f"{w} ({s})" for w, s in zip(where, (a["section"], b["section"]), strict=True)]
            what = _(label).format(region=regions.name(region) if region else "")
            if variable == "philips_emmen_closure_year":
                note = _(
                    "Chapter 1 has Philips announce on {date} that the plant will close in {year}; chapter 4 gives "
                    "the year of the announcement as the closure's."
                ).format(date=long_date(a["period"]), year=f"{a['value']:.0f}")
            else:
                note = _(note) if note else None
            suffix = "" if variable != "board_members" else f":{region}"
            rows.append(
                _check(
                    f"twice:{variable}{suffix}",
                    _("{first} and {second}").format(first=where[0], second=where[1]),
                    _(
                        "{what}: {first_value} in {first} (\u201c{first_quote}\u201d), {second_value} in {second} "
                        "(\u201c{second_quote}\u201d)"
                    ).format(
                        what=what,
                        first_value=general(a["value"]),
                        first=where[0],
                        first_quote=a["quote_nl"],
                        second_value=general(b["value"]),
                        second=where[1],
                        second_quote=b["quote_nl"],
                    ),
                    rounding.verdict(a["value"], rounding.exact(a["value"]), b["value"], rounding.exact(b["value"])),
                    stated=float(a["value"]),
                    recomputed=float(b["value"]),
                    grade=grade,
                    fault=_(fault),
                    note=note,
                )
            )
    intro = claims.set_index("claim_id")["value"]["intro_other_occ_same_employer"]
    rows.append(
        _check(
            "twice:cohort1984_middle_group",
            _("introduction and chapter 2"),
            _(
                "The {share} of the 1984 cohort is 'another occupation, same employer' in the introduction and 'same "
                "occupation, another employer' in chapter 2"
            ).format(share=_pct(intro)),
            rounding.DISCREPANCY,
            grade=WORDING,
            fault=_("the introduction or chapter 2"),
            note=_(
                "With chapter 2's description the three shares are separate groups (and add up to more than a "
                "hundred); with the introduction's, the middle group may be part of those in another occupation. "
                "The report does not say which is meant."
            ),
        )
    )
    return rows


def industrial_others_check() -> list[dict]:
    claims = data.load("claims")
    others = claims[claims["variable"] == "industrial_in_top10_other_regions"]["value"].astype(int).tolist()
    if not others:
        return []
    rec = industrial_reconciliation()
    assigned = "; ".join(
        _("{region} {stated} against {coded} coded").format(
            region=regions.name(r.region_id), stated=r.stated, coded=f"{r.low}-{r.high}" if r.high != r.low else r.low
        )
        for r in rec.itertuples()
    )
    total = int(rec["difference"].sum())
    return [
        _check(
            "count:industrial_in_top10:other_regions",
            _("chapter 4, Rijnmond and Tabel 3"),
            _(
                "The industrial firms among the ten largest in the three other Dutch regions, stated as {counts} "
                "without naming the regions, matched to this book's coding of Tabel 3 (closest assignment: "
                "{assignment})"
            ).format(counts=narrative.listing(others, "or"), assignment=assigned),
            rounding.CONSISTENT if total == 0 else rounding.DISCREPANCY,
            difference=float(total),
            grade=NUMBER,
            fault=_("the text"),
            note=None
            if total == 0
            else _("No assignment of the three counts fits the firms the table lists: {regions}.").format(
                regions="; ".join(
                    (
                        _("{region} lists {low} industrial firms, not {stated}")
                        if r.high == r.low
                        else _("{region} lists {low} to {high} industrial firms, not {stated}")
                    ).format(region=regions.name(r.region_id), low=r.low, high=r.high, stated=r.stated)
                    for r in rec.itertuples()
                    if r.difference
                )
            ),
        )
    ]


@sharing.once_per_build
def run_audit() -> pd.DataFrame:
    """Every check of the audit, in the ``COLUMNS`` layout."""
    checked = derived.claims_checked()
    rows = [
        *claim_checks(checked),
        *table_checks(checked),
        *sum_checks(),
        *count_checks(),
        *reading_checks(),
        *name_checks(),
        *twice_checks(),
        *industrial_others_check(),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def industrial_reconciliation() -> pd.DataFrame:
    """The report's 'tegenover 4, 6 of 7 in de andere regio's' (industrial firms among the ten largest, chapter 4)
    matched to the coded firm rows of the three Dutch regions other than Rijnmond."""
    others = [r for r in regions.DUTCH_REGIONS if r != "groot-rijnmond"]
    return derived.industrial_count_reconciliation(stated_counts("industrial_in_top10_other_regions"), others)


def stated_counts(variable: str) -> list[int]:
    """The counts the report states for one quantity of the ``claims`` dataset (its ``variable``), in the dataset's
    order: ``stated_counts("industrial_in_top10_other_regions")`` gives chapter 4's '4, 6 of 7'."""
    claims = data.load("claims")
    return [int(v) for v in claims.loc[claims["variable"] == variable, "value"]]


def reconciliation_table(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """``industrial_reconciliation`` as appendix B shows it: region (named), the industrial firms coded, those left
    uncoded, the report's count assigned to the region and the difference (firms)."""
    return pd.DataFrame(
        {
            N_("region"): reconciliation["region_id"].map(regions.name),
            N_("industrial firms, coded"): reconciliation["coded"],
            N_("firms left uncoded"): reconciliation["uncoded"],
            N_("the report's count, assigned"): reconciliation["stated"],
            N_("difference (firms)"): reconciliation["difference"],
        }
    )


def firm_coding() -> pd.DataFrame:
    """Every firm of Tabel 3 and 5 with the report's annotation and this book's coding (head office, industrial)."""
    firms = i18n.data_texts(data.load("largest_employers"), "largest_employers")
    scope = {
        "in_region": _("in the region"),
        "national_outside_region": _("elsewhere in the country"),
        "abroad": _("abroad"),
    }
    return pd.DataFrame(
        {
            N_("region"): firms["region_id"].map(regions.name),
            N_("table"): firms["source_table"],
            N_("rank"): firms["rank"],
            N_("firm"): firms["firm"],
            N_("the report's annotation"): firms["annotation_in_report"],
            N_("head office (coded)"): firms["hq_scope"].map(scope),
            N_("industrial (coded)"): firms["industrial"]
            .map({True: _("yes"), False: _("no")})
            .astype(object)
            .where(firms["industrial"].notna(), _("not coded")),
            N_("why"): firms["note"],
        }
    )


def checks_matching(checks: pd.DataFrame, prefixes) -> pd.DataFrame:
    """The audit rows whose check id starts with one of ``prefixes`` (a list, or text separated by ';')."""
    if isinstance(prefixes, str):
        prefixes = [p for p in prefixes.split(";") if p]
    prefixes = [p for p in (prefixes or []) if isinstance(p, str) and p]
    if not prefixes:
        return checks.iloc[0:0]
    return checks[checks["check_id"].apply(lambda c: any(c.startswith(p) for p in prefixes))]


def summary(audit: pd.DataFrame) -> pd.Series:
    """Number of checks per verdict, in the order of ``VERDICTS``."""
    return audit["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


def grade_summary(audit: pd.DataFrame) -> pd.Series:
    """Number of flagged checks (discrepancies and differences between tables) per grade, weightiest first."""
    flagged = audit[audit["verdict"].isin(FLAGGED)]
    return flagged["grade"].value_counts().reindex(list(GRADES), fill_value=0)


def counts(audit: pd.DataFrame) -> dict[str, int]:
    """The numbers appendix B states about the audit, by name: ``n_checks``; ``n_<verdict>`` for every verdict and
    ``n_grade_<grade>`` for every grade (spaces as underscores: ``n_tables_differ``,
    ``n_grade_changes_the_conclusion``); ``n_claims`` (checks of the prose's numeric statements) and
    ``n_claims_recomputed`` (those a table of the report can check)."""
    claims = audit[audit["check_id"].str.startswith("claim:")]
    out = {"n_checks": len(audit)}
    out |= {"n_" + verdict.replace(" ", "_"): int(n) for verdict, n in summary(audit).items()}
    out |= {"n_grade_" + grade.replace(" ", "_"): int(n) for grade, n in grade_summary(audit).items()}
    out |= {"n_claims": len(claims), "n_claims_recomputed": int((claims["verdict"] != NOT_RECOMPUTABLE).sum())}
    return out


def flagged(audit: pd.DataFrame) -> pd.DataFrame:
    """The checks that flag something, weightiest grade first, discrepancies before differences between tables."""
    rows = audit[audit["verdict"].isin(FLAGGED)].copy()
    rows["_grade"] = rows["grade"].map({g: i for i, g in enumerate(GRADES)})
    rows["_verdict"] = rows["verdict"].map({v: i for i, v in enumerate(FLAGGED)})
    return rows.sort_values(["_grade", "_verdict"], kind="stable").drop(columns=["_grade", "_verdict"])


def headline(audit: pd.DataFrame, listed: int = 3) -> str:
    """One paragraph summing up the audit, the weightiest grade first: how many findings (discrepancies and
    differences between tables) change what a reader would conclude (the first ``listed`` of them named), are a
    number off beyond rounding or are wording; then the differences between tables among them, the uncertain checks,
    and how many checks agree or cannot be made."""
    counts, grades = summary(audit), grade_summary(audit)
    lead = flagged(audit)
    first = lead[lead["grade"] == CONCLUSION]
    named = "; ".join(s.split(" (Tabel")[0] for s in first["statement"].head(listed))
    conclusion, number, wording = (int(grades[g]) for g in (CONCLUSION, NUMBER, WORDING))
    text = (
        ngettext(
            "Of {n} check of the report against itself, {found} find something.",
            "Of {n} checks of the report against itself, {found} find something.",
            len(audit),
        ).format(n=len(audit), found=len(lead))
        + " "
    )
    text += (
        _("{conclusion}{named}; {number} and {wording}.").format(
            conclusion=ngettext(
                "{n} of these changes what a reader would conclude",
                "{n} of these change what a reader would conclude",
                conclusion,
            ).format(n=conclusion),
            named=f" ({named})" if named else "",
            number=ngettext(
                "{n} is a number off beyond rounding", "{n} are numbers off beyond rounding", number
            ).format(n=number),
            wording=ngettext("{n} is a matter of wording", "{n} are matters of wording", wording).format(n=wording),
        )
        + " "
    )
    differ = int(counts[TABLES_DIFFER])
    if differ:
        text += (
            ngettext(
                "{n} of the {found} is a difference between two tables rather than an error of the text.",
                "{n} of the {found} are a difference between two tables rather than an error of the text.",
                differ,
            ).format(n=differ, found=len(lead))
            + " "
        )
    uncertain = int(counts[UNCERTAIN])
    text += ngettext(
        "Besides, {n} check rests on an identification the report does not settle; {agree} agree, within "
        "the rounding of the printed figures; and {unchecked} cannot be checked from the report's own "
        "tables.",
        "Besides, {n} checks rest on an identification the report does not settle; {agree} agree, "
        "within the rounding of the printed figures; and {unchecked} cannot be checked from the report's "
        "own tables.",
        uncertain,
    ).format(
        n=uncertain,
        agree=int(counts[rounding.CONSISTENT] + counts[rounding.WITHIN_ROUNDING]),
        unchecked=int(counts[NOT_RECOMPUTABLE]),
    )
    return text
