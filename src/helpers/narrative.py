"""Sentences and phrases that follow the data: each function picks the words for one kind of statement."""


# --- chapters 1 and 4

import pandas as pd

from . import regions
from .numbers import confidence_level, fmt, pct, pvalue

#: Small counts written as words where the prose reads better so ('four yearly counts').
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(count: int) -> str:
    """A count as the prose writes it: a word up to ten ('four'), digits above ('11', '1 082')."""
    return _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else fmt(int(count))


def listing(items, empty: str = "") -> str:
    """Items as an English list: 'A', 'A and B', 'A, B and C'; ``empty`` when there are none."""
    items = [str(i) for i in items]
    if not items:
        return empty
    return items[0] if len(items) == 1 else "{first} and {last}".format(first=", ".join(items[:-1]), last=items[-1])


def faster_or_slower(difference: float) -> str:
    """'faster' for a difference in growth of zero or more, else 'slower'."""
    return "faster" if difference >= 0 else "slower"


def significance(p: float, alpha: float) -> str:
    """Whether a difference 'is statistically significant' (p < alpha) or 'is not statistically significant'."""
    return "is statistically significant" if p < alpha else "is not statistically significant"


def undated_values_sentence(values: pd.Series) -> str:
    """The caption's sentence on values a table places in no year (``values``: count by area id); '' for none."""
    if values.empty:
        return ""
    phrases = ["{area}'s single value ({value})".format(area=regions.name(a), value=fmt(v, 0))
               for a, v in values.items()]
    if len(phrases) == 1:
        return "{values} cannot be placed in a year and is left out of the series.".format(values=phrases[0])
    return "{values} cannot be placed in a year and are left out of the series.".format(values=listing(phrases))


def index_chart_alt(index: pd.DataFrame) -> str:
    """Alt text of the chart of an index per area (areas x years, first year = 100): where each area stands in
    the last year, highest first."""
    first, last = index.columns[0], index.columns[-1]
    standing = "; ".join("{value} in {area}".format(value=fmt(v, 0), area=regions.name(a))
                         for a, v in index[last].sort_values(ascending=False).items())
    return ("Line chart of foreign-controlled establishments per area, indexed to {first} = 100. By {last} the index "
            "stands at {standing}.").format(first=first, last=last, standing=standing)


def foreign_control_focus_paragraph(region: str, series: pd.DataFrame, trends: pd.DataFrame, undated: pd.Series,
                                    alpha: float) -> str:
    """Chapter 1's paragraph on the focus region's foreign-controlled establishments (Tabel 1.2): its growth and
    trend against the rest of its country when it has a full series, else what the report gives for it.

    ``series``: areas x years (``derived.foreign_control_series``); ``trends``: rows of the areas with a full
    series (``derived.foreign_control_trends_against_rest``); ``undated``: values placed in no year, by area.
    """
    if region in trends.index:
        return _foreign_control_trend_paragraph(region, series, trends, alpha)
    dated = series.loc[region].dropna() if region in series.index else pd.Series(dtype=float)
    values = [*dated.to_numpy(), *undated[undated.index == region].to_numpy()]
    return _foreign_control_without_series(region, values, series.loc["de"])


def _foreign_control_trend_paragraph(region: str, series: pd.DataFrame, trends: pd.DataFrame, alpha: float) -> str:
    """The paragraph for a region with a full series and a test against the rest of its country."""
    row, reference = trends.loc[region], regions.reference_of(region)
    counts = series.loc[region]
    first, last = counts.index[0], counts.index[-1]
    return (
        "In {region} the number of foreign-controlled establishments went from {first_count} in {first} to "
        "{last_count} in {last} (index {index}), a compound growth of {cagr} a year against {reference_cagr} for "
        "{reference}. The log-linear trend is {trend} a year ({level} interval {trend_low} to {trend_high}, which "
        "reflects the scatter of the {n_years} yearly counts around a line, not sampling error). Its count grows "
        "{difference}% a year {faster_or_slower} than in the rest of the country ({reference} minus {region}; "
        "interval {difference_low}% to {difference_high}%), a difference that {significance} ({p}). "
        "{n_years_capital} annual values leave {df} degrees of freedom per line: only a large difference could show "
        "up as significant."
    ).format(
        region=regions.name(region), first_count=fmt(counts[first], 0), first=first, last_count=fmt(counts[last], 0),
        last=last, index=fmt(row["index_2013"], 1), cagr=pct(row["cagr_percent"]),
        reference_cagr=pct(trends.loc[reference, "cagr_percent"]), reference=regions.name(reference),
        trend=pct(row["trend_percent"]), level=confidence_level(alpha), trend_low=pct(row["trend_ci_low"]),
        trend_high=pct(row["trend_ci_high"]), n_years=number_word(len(counts)),
        difference=fmt(abs(row["difference_pp"]), 1), faster_or_slower=faster_or_slower(row["difference_pp"]),
        difference_low=fmt(row["difference_ci_low"], 1), difference_high=fmt(row["difference_ci_high"], 1),
        significance=significance(row["difference_p"], alpha), p=pvalue(row["difference_p"]),
        n_years_capital=number_word(len(counts)).capitalize(), df=number_word(len(counts) - 2))


def _foreign_control_without_series(region: str, values: list, german: pd.Series) -> str:
    """The paragraph for a region without a full series: what the report gives for it, and Germany's series."""
    if not values:
        given = "no values at all"
    elif len(values) == 1:
        given = "a single value ({value}) whose year cannot be read from the table".format(
            value=fmt(float(values[0]), 0))
    else:
        given = "values for only some of the years"
    return ("For {region} the report gives {given}, so no index, growth rate or trend can be computed; the report's "
            "Germany-wide series (from {first_count} in {first} to {last_count} in {last}) is the only German "
            "reference.").format(region=regions.name(region), given=given, first_count=fmt(german.iloc[0], 0),
                                 first=german.index[0], last_count=fmt(german.iloc[-1], 0), last=german.index[-1])


def hq_mismatch_text(mismatch: pd.DataFrame) -> str:
    """Where the head offices abroad counted from Tabel 3's rows differ from the count printed under it
    (``mismatch``: rows of ``derived.hq_comparison`` by region id); 'none' when they agree everywhere."""
    return "; ".join(
        "{region}: the table lists {counted} firms with a foreign owner or head office, the count under it says "
        "{stated}".format(region=regions.name(r), counted=fmt(int(row["abroad_recomputed"])),
                          stated=fmt(int(row["abroad_stated"])))
        for r, row in mismatch.iterrows()) or "none"


def rd_firms_text(rd: pd.DataFrame) -> str:
    """The R&D top-60 firms among the largest employers, per region ('Twente: Thales (#12), ...; ...'); ``rd``:
    region_id, firm, rd_top60_rank (``derived.rd_top60_firms``); 'none' when there are none."""
    return "; ".join(
        "{region}: {firms}".format(region=regions.name(r), firms=", ".join(
            "{firm} (#{rank})".format(firm=f, rank=int(k)) for f, k in zip(g["firm"], g["rd_top60_rank"], strict=True)))
        for r, g in rd.groupby("region_id", sort=False)) or "none"


def industrial_counts_text(counts: pd.DataFrame) -> str:
    """Industrial firms among each region's ten largest employers as coded here ('Twente 4, Rijnmond 2 (and 1 not
    coded)'); ``counts``: industrial_count and industrial_uncoded by region id (``derived.employer_counts``)."""
    return ", ".join(
        ("{region} {count} (and {uncoded} not coded)" if row["industrial_uncoded"] else "{region} {count}").format(
            region=regions.name(r), count=fmt(int(row["industrial_count"])),
            uncoded=fmt(int(row["industrial_uncoded"])))
        for r, row in counts.iterrows())


def hq_counts_alt(long: pd.DataFrame) -> str:
    """Alt text of the chart of head offices counted and printed (``derived.hq_counts_long``): which counts differ,
    or that every count agrees."""
    differ = long[long["recomputed"].astype(float) != long["stated"].astype(float)]
    if differ.empty:
        return ("Paired bars comparing, for each Dutch region, the head offices outside the region and abroad counted "
                "from the firm rows with the counts printed under Tabel 3. Every count agrees with the printed one.")
    return ("Paired bars comparing, for each Dutch region, the head offices outside the region and abroad counted "
            "from the firm rows with the counts printed under Tabel 3. They differ for {differences}.").format(
        differences="; ".join("{region} {measure} (counted {counted}, printed {printed})".format(
            region=row["region"], measure=row["measure"], counted=fmt(row["recomputed"], 0),
            printed=fmt(row["stated"], 0)) for _, row in differ.iterrows()))


def timeline_alt(dated: pd.DataFrame, since: int) -> str:
    """Alt text of the timeline of organisations (``derived.dated_organisations``): how many there are, how many
    were founded in ``since`` or later, and the earliest year per region."""
    earliest = dated.groupby("region")["founded"].min()
    return ("Timeline of the {n} organisations with a founding year, one row per region, marker shape by kind; "
            "{recent} of them were founded in {since} or later. Earliest: {earliest}.").format(
        n=len(dated), recent=int((dated["founded"] >= since).sum()), since=since,
        earliest="; ".join("{region} {year}".format(region=r, year=int(y)) for r, y in earliest.items()))


def level_basis(basis: str) -> str:
    """How a region's level of cooperation is known: 'as the report states it' (``basis`` 'stated') or 'as this
    edition reads the report's description' (otherwise)."""
    return "as the report states it" if basis == "stated" else "as this edition reads the report's description"


def ladder_place(place: int, lowest: int, highest: int, note: str) -> str:
    """A region's place on the report's ladder of cooperation, the ladder's ends, then this edition's note."""
    return ("its place on the report's ladder is {place} ({lowest} = least advanced, {highest} = the top). "
            "{note}").format(place=fmt(int(place)), lowest=fmt(int(lowest)), highest=fmt(int(highest)), note=note)


def uncertain_levels(coop: pd.DataFrame) -> str:
    """The sentence naming the regions whose words allow more than one level of cooperation (``coop``: rows of
    ``region_cooperation``); '' when every reading is certain."""
    unsure = coop[coop["level_low"] < coop["level_high"]]
    if unsure.empty:
        return ""
    return "The reading is uncertain for {regions}.".format(regions="; ".join(
        "{region} (levels {low} to {high})".format(region=regions.name(r), low=int(lo), high=int(hi))
        for r, lo, hi in zip(unsure["region_id"], unsure["level_low"], unsure["level_high"], strict=True)))


def cooperation_labels(points: pd.DataFrame) -> dict:
    """Chart labels of the regions on the axes of cooperation (``points``: rows of ``region_cooperation`` by region
    id): name, level as read (with its range) and place on the report's ladder."""
    from .content import level_text

    return {r: "{region}\n(level {level}, ladder {place})".format(
        region=regions.name(r), level=level_text(row), place=int(row["ladder_position"]))
        for r, row in points.iterrows()}


def cooperation_alt(points: pd.DataFrame) -> str:
    """Alt text of the chart of the regions on the axes of cooperation, in the order of the report's ladder."""
    from .content import level_text

    return ("Scatter of the Dutch regions on two axes, autonomy handed to a shared centre and breadth of the agenda: "
            "{regions}.").format(regions="; ".join(
        "{region} at autonomy {autonomy} and breadth {breadth}, level {level}".format(
            region=regions.name(r), autonomy=int(row["autonomy_to_centre"]), breadth=int(row["agenda_breadth"]),
            level=level_text(row)) for r, row in points.sort_values("ladder_position").iterrows()))


def vocational_focus_paragraph(region: str, assessment: str | None, hq_in_region: int) -> str:
    """Chapter 4's closing paragraph: for a Dutch case study the report's assessment and the head offices of its ten
    largest employers in the region; for another region that the report describes it in chapter 5, with its pair."""
    if assessment is not None:
        return ("The report's assessment of {region}: {assessment} Of its ten largest employers, {hq} have their "
                "head office in the region (Tabel 3, counted).").format(
            region=regions.name(region), assessment=assessment, hq=fmt(int(hq_in_region)))
    return ("{region} is not one of chapter 4's case studies; the report describes it in chapter 5, where it plays "
            "the role of a case study, and pairs it with {peer}.").format(
        region=regions.name(region), peer=regions.name(regions.peer_of(region)))


def index_chart_title(index: pd.DataFrame, dutch_regions) -> str:
    """Title of the chart of foreign-controlled establishments indexed to the first year (areas x years): whether
    the count grew in every one of ``dutch_regions`` that has a line, or in how many of them."""
    shown = [r for r in dutch_regions if r in index.index]
    grew = int((index.loc[shown, index.columns[-1]] > index.loc[shown, index.columns[0]]).sum())
    years = {"first": index.columns[0], "last": index.columns[-1]}
    if grew == len(shown):
        return "Foreign-controlled establishments grew in every Dutch region, {first}-{last}".format(**years)
    return "Foreign-controlled establishments grew in {grew} of the {n} Dutch regions, {first}-{last}".format(
        grew=number_word(grew), n=number_word(len(shown)), **years)


def timeline_title(dated: pd.DataFrame, since: int) -> str:
    """Title of the timeline of organisations: whether most of those with a founding year date from ``since`` or
    later, most from before it, or half from each side."""
    recent, earlier = int((dated["founded"] >= since).sum()), int((dated["founded"] < since).sum())
    if recent > earlier:
        return "Most initiatives date from after {since}".format(since=since)
    if recent < earlier:
        return "Most initiatives date from before {since}".format(since=since)
    return "Half the initiatives date from {since} or later".format(since=since)
