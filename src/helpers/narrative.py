"""Sentences and phrases that branch on the data: one small function per kind, for the chapters' glued words."""

# --- chapter 6, appendices A and B

from collections.abc import Mapping, Sequence

import pandas as pd

from . import derived, regions
from .numbers import fmt, pct


def or_list(items: Sequence) -> str:
    """Items as the prose lists alternatives: '4', '4 or 6', '4, 6 or 7'."""
    words = [str(item) for item in items]
    return words[0] if len(words) == 1 else "{rest} or {last}".format(rest=", ".join(words[:-1]), last=words[-1])


def values_by_area(values: pd.Series, decimals: int = 1) -> str:
    """Each area's value after its name, in the book's number format: 'Zuidoost-Drenthe 60.0, Twente 271.2'.

    ``values``: a number per area id, in the order to list them.
    """
    return ", ".join("{area} {value}".format(area=regions.name(area), value=fmt(value, decimals))
                     for area, value in values.items())


def focus_lesson(focus: str, dutch: bool, initiative: str) -> str:
    """What chapter 6's lessons mean for the focus region: for a Dutch region, the report's argument and the first
    sentence of its chapter 4 on who takes the initiative there; for a German region, that the lessons come from it,
    and the first sentence of its chapter 5. ``focus``: the region's name; ``initiative``: its case-study text."""
    first = initiative.split(". ")[0]
    first = first if first.endswith((".", "!", "?")) else first + "."  # a text of one sentence keeps its full stop
    if dutch:
        return ("The less business organises itself, the report argues, the more vocational education and government "
                "must lead. For {focus}, the report's chapter 4 says: {first}").format(focus=focus, first=first)
    return ("{focus} is one of the German regions the lessons are drawn from. The report's chapter 5 says: "
            "{first}").format(focus=focus, first=first)


def weights_phrase(weights: Mapping[str, float], words: Mapping[str, str]) -> str:
    """The scorecard's weights in words: 'manufacturing share 1, unemployment 0.5'. ``words``: indicator -> words
    (an indicator without words is named by its code with spaces); a weight shows the decimals it was given with."""
    return ", ".join("{indicator} {weight}".format(indicator=words.get(name, name.replace("_", " ")),
                                                   weight=fmt(float(weight), derived.decimals_of(float(weight))))
                     for name, weight in weights.items())


def number_range(low: int, high: int) -> str:
    """A range of whole numbers (ranks, counts): '4 to 6', or '6' when both ends are the same."""
    if low == high:
        return fmt(int(low))
    return "{low} to {high}".format(low=fmt(int(low)), high=fmt(int(high)))


def first_and_focus(ranks: pd.Series, focus_region: str) -> str:
    """Who ranks first under one reading, and where the focus region ranks: 'Twente ranks first' when the focus
    region leads, else 'Landkreis Emsland ranks first and Twente 3'. ``ranks``: rank (1 = first) per region id."""
    leader = ranks.idxmin()
    if leader == focus_region:
        return "{focus} ranks first".format(focus=regions.name(focus_region))
    return "{leader} ranks first and {focus} {rank}".format(
        leader=regions.name(leader), focus=regions.name(focus_region), rank=fmt(int(ranks[focus_region])))


def manufacturing_note(differences: Mapping[str, Mapping[str, float]]) -> str:
    """The note on Dutch regions whose manufacturing share in Tabel 2 differs by a point or more from the share of
    employees computed from Tabel 1.1; a sentence that they agree when none does.

    ``differences``: region id -> {"tabel_2": percent, "tabel_1_1": percent} (``derived.manufacturing_differences``).
    """
    if not differences:
        return ("Tabel 2's manufacturing shares and those computed from Tabel 1.1 agree within a point for the four "
                "Dutch regions.")
    return " ".join(
        ("Note: {region}'s manufacturing share is {tabel_2} of employment in Tabel 2 (and in chapter 4's text) but "
         "{tabel_1_1} of employees computed from Tabel 1.1 (December 2013); the report does not say which source or "
         "definition each uses, and this table uses Tabel 1.1.").format(
            region=regions.name(region), tabel_2=pct(shares["tabel_2"], 0), tabel_1_1=pct(shares["tabel_1_1"]))
        for region, shares in differences.items())


def industrial_mismatch(reconciliation: pd.DataFrame) -> str:
    """Whether the report's industrial-firm counts for the other Dutch regions fit this book's coding, and where
    not, what each region would need. ``reconciliation``: ``derived.industrial_count_reconciliation``'s rows."""
    off = reconciliation[reconciliation["difference"] > 0]
    if off.empty:
        return "The report's counts match this book's coding."
    needs = "; ".join(
        "{region} would need {stated} industrial firms where this book codes {coded}".format(
            region=regions.name(row.region_id), stated=fmt(int(row.stated)), coded=number_range(row.low, row.high))
        for row in off.itertuples())
    return "The report's counts cannot all be matched to this book's coding: {needs}.".format(needs=needs)
