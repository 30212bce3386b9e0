"""Sentences and phrases that follow the data: one small function per kind of statement, for the chapters' glued
words, captions, table cells and alt texts.

Every sentence is one template, a whole translatable unit filled by ``str.format`` with named placeholders (a Dutch
edition will wrap each in gettext's ``_()``); every number in it is written by ``helpers.numbers``. The functions take
what the chapters computed (with ``helpers.derived``, ``stats`` or ``user_region``) and choose the words; they read no
dataset, except chapter 5's lesson, which looks up a case study's text in ``content`` when it is called. So that
``derived`` may use them for its tables' cells, this module imports no other module of the analysis library but
``regions`` and ``numbers``.
"""

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from . import regions
from .i18n import N_, _, ngettext
from .numbers import confidence_level, decimals_of, fmt, general, pct, pvalue

# --- words, lists and ranges ------------------------------------------------------------------------------------------


#: Small counts written as words where the prose reads better so ('four yearly counts').
_NUMBER_WORDS = (
    N_("no"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
    N_("ten"),
)


def number_word(count: int) -> str:
    """A count as the prose writes it: a word up to ten ('four'), digits above ('11', '1 082')."""
    return _(_NUMBER_WORDS[count]) if 0 <= count < len(_NUMBER_WORDS) else fmt(int(count))


#: The last two items of a list, joined by its conjunction (``listing``).
LIST_ENDINGS = {"and": N_("{rest} and {last}"), "or": N_("{rest} or {last}")}


def listing(items: Iterable, conjunction: str = "and", empty: str = "") -> str:
    """Items as the prose lists them: 'A', 'A and B', 'A, B and C', or with ``conjunction`` 'or' alternatives
    ('4, 6 or 7'); ``empty`` when there are none."""
    if conjunction not in LIST_ENDINGS:
        raise ValueError(f"unknown conjunction {conjunction!r}; valid: {', '.join(LIST_ENDINGS)}")
    words = [str(item) for item in items]
    if len(words) <= 1:
        return words[0] if words else empty
    return _(LIST_ENDINGS[conjunction]).format(rest=", ".join(words[:-1]), last=words[-1])


def semicolon_list(phrases: Iterable[str], empty: str = N_("none")) -> str:
    """Phrases that hold commas themselves, separated by semicolons ('Twente: Thales (#11); Groot-Rijnmond: ...');
    ``empty`` when there are none."""
    return "; ".join(phrases) or _(empty)


def values_by_area(values: pd.Series, decimals: int = 1) -> str:
    """Each area's value after its name, in the book's number format: 'Zuidoost-Drenthe 60.0, Twente 271.2'.

    ``values``: a number per area id, in the order to list them.
    """
    return ", ".join(
        _("{area} {value}").format(area=regions.name(area), value=fmt(value, decimals))
        for area, value in values.items()
    )


#: A range of two values, each already in words ('4 to 6', '13.9% to 16.2%', '867 to never').
RANGE = N_("{low} to {high}")


def number_range(low: int, high: int) -> str:
    """A range of whole numbers (ranks, counts, levels): '4 to 6', or '6' when both ends are the same."""
    if low == high:
        return fmt(low, 0)
    return _(RANGE).format(low=fmt(low, 0), high=fmt(high, 0))


def count_span(values: Iterable[float], empty: str = N_("never")) -> str:
    """The smallest and largest of some counts as a range ('768 to 19 114', ``number_range``); ``empty`` when
    there are none."""
    values = list(values)
    return number_range(min(values), max(values)) if values else _(empty)


def percent_range(low: float, high: float) -> str:
    """Two percentages as a range: '13.9% to 16.2%'."""
    return _(RANGE).format(low=pct(low), high=pct(high))


def level_text(row) -> str:
    """A region's level of cooperation as read here, with the range of levels the report's words allow when they
    allow more than one ('3 (3 to 4)'); ``row`` has ``level``, ``level_low`` and ``level_high``."""
    level, low, high = int(row["level"]), int(row["level_low"]), int(row["level_high"])
    if low == high:
        return fmt(level)
    return _("{level} ({levels})").format(level=fmt(level), levels=number_range(low, high))


def first_sentence(text: str) -> str:
    """The first sentence of a text, with its full stop (a text of one sentence keeps its own)."""
    first = text.split(". ")[0]
    return first if first.endswith((".", "!", "?")) else first + "."


def faster_or_slower(difference: float) -> str:
    """'faster' for a difference in growth of zero or more, else 'slower'."""
    return _("faster") if difference >= 0 else _("slower")


def significance(p: float, alpha: float) -> str:
    """Whether a difference 'is statistically significant' (p < alpha) or 'is not statistically significant'."""
    return _("is statistically significant") if p < alpha else _("is not statistically significant")


# --- cells of tables --------------------------------------------------------------------------------------------------


def persons_per_region(sizes: int | Mapping[str, int]) -> str:
    """Persons per region in a table cell: one count ('1 000'), or the range of the regions' counts ('460–540')."""
    if isinstance(sizes, Mapping):
        return _("{low}–{high}").format(low=fmt(min(sizes.values()), 0), high=fmt(max(sizes.values()), 0))
    return fmt(sizes, 0)


def smallest_n(n: int | None) -> str:
    """A smallest significant sample size: the count, or 'never' when no size makes the test significant."""
    return _("never") if n is None else fmt(n, 0)


def smallest_n_range(low: int | None, high: int | None) -> str:
    """A range of smallest significant sample sizes, either end possibly 'never': '419 to 658', '867 to never'."""
    return _(RANGE).format(low=smallest_n(low), high=smallest_n(high))


def p_range(low: float, high: float) -> str:
    """A range of p-values as a table cell shows them: '< 0.001 to 0.008'."""
    return _(RANGE).format(low=pvalue(low, prefix=False), high=pvalue(high, prefix=False))


def count_or_empty(value) -> str:
    """A count printed under a table, or 'empty' where the table's cell is empty."""
    return _("empty") if pd.isna(value) else str(int(value))


def extreme_shown(region: str, tied: list[str], value: float) -> str:
    """What a table shows at its extreme: 'extreme in Twente (47%)', or 'tied: Twente and Zuidoost-Drenthe (48%)'
    when other regions share the value (printed shares, as printed)."""
    if tied:
        return _("tied: {regions} ({value}%)").format(
            regions=listing(regions.name(r) for r in [region, *tied]), value=general(value)
        )
    return _("extreme in {region} ({value}%)").format(region=regions.name(region), value=general(value))


def reading_test_described(region: str, comparisons: int, block_name: str) -> str:
    """The test behind a reading 'region X has the highest share', in a table cell."""
    return _("z-tests of {region} against each other region (Holm over {comparisons}); block test: {block}").format(
        region=regions.name(region), comparisons=fmt(comparisons, 0), block=block_name
    )


# --- foreign-controlled establishments (Tabel 1.2; chapter 1) ---------------------------------------------------------


def undated_values_sentence(values: pd.Series) -> str:
    """The caption's sentence on values a table places in no year (``values``: count by area id); '' for none."""
    if values.empty:
        return ""
    phrases = [
        _("{area}'s single value ({value})").format(area=regions.name(a), value=fmt(v, 0)) for a, v in values.items()
    ]
    if len(phrases) == 1:
        return _("{values} cannot be placed in a year and is left out of the series.").format(values=phrases[0])
    return _("{values} cannot be placed in a year and are left out of the series.").format(values=listing(phrases))


def index_chart_title(index: pd.DataFrame, dutch_regions) -> str:
    """Title of the chart of foreign-controlled establishments indexed to the first year (areas x years): whether
    the count grew in every one of ``dutch_regions`` that has a line, or in how many of them."""
    shown = [r for r in dutch_regions if r in index.index]
    grew = int((index.loc[shown, index.columns[-1]] > index.loc[shown, index.columns[0]]).sum())
    years = {"first": index.columns[0], "last": index.columns[-1]}
    if grew == len(shown):
        return _("Foreign-controlled establishments grew in every Dutch region, {first}-{last}").format(**years)
    return _("Foreign-controlled establishments grew in {grew} of the {n} Dutch regions, {first}-{last}").format(
        grew=number_word(grew), n=number_word(len(shown)), **years
    )


def index_chart_alt(index: pd.DataFrame) -> str:
    """Alt text of the chart of an index per area (areas x years, first year = 100): where each area stands in
    the last year, highest first."""
    first, last = index.columns[0], index.columns[-1]
    standing = "; ".join(
        _("{value} in {area}").format(value=fmt(v, 0), area=regions.name(a))
        for a, v in index[last].sort_values(ascending=False).items()
    )
    return (
        _(
            "Line chart of foreign-controlled establishments per area, indexed to {first} = 100. By {last} the index "
            "stands at {standing}."
        )
    ).format(first=first, last=last, standing=standing)


def foreign_control_focus_paragraph(
    region: str, series: pd.DataFrame, trends: pd.DataFrame, undated: pd.Series, alpha: float
) -> str:
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
        _(
            "In {region} the number of foreign-controlled establishments went from {first_count} in {first} to "
            "{last_count} in {last} (index {index}), a compound growth of {cagr} a year against {reference_cagr} for "
            "{reference}. The log-linear trend is {trend} a year ({level} interval {trend_low} to {trend_high}, which "
            "reflects the scatter of the {n_years} yearly counts around a line, not sampling error). Its count grows "
            "{difference}% a year {faster_or_slower} than in the rest of the country ({reference} minus {region}; "
            "interval {difference_low}% to {difference_high}%), a difference that {significance} ({p}). "
            "{n_years_capital} annual values leave {df} degrees of freedom per line: only a large difference could "
            "show "
            "up as significant."
        )
    ).format(
        region=regions.name(region),
        first_count=fmt(counts[first], 0),
        first=first,
        last_count=fmt(counts[last], 0),
        last=last,
        index=fmt(row["index_2013"], 1),
        cagr=pct(row["cagr_percent"]),
        reference_cagr=pct(trends.loc[reference, "cagr_percent"]),
        reference=regions.name(reference),
        trend=pct(row["trend_percent"]),
        level=confidence_level(alpha),
        trend_low=pct(row["trend_ci_low"]),
        trend_high=pct(row["trend_ci_high"]),
        n_years=number_word(len(counts)),
        difference=fmt(abs(row["difference_pp"]), 1),
        faster_or_slower=faster_or_slower(row["difference_pp"]),
        difference_low=fmt(row["difference_ci_low"], 1),
        difference_high=fmt(row["difference_ci_high"], 1),
        significance=significance(row["difference_p"], alpha),
        p=pvalue(row["difference_p"]),
        n_years_capital=number_word(len(counts)).capitalize(),
        df=number_word(len(counts) - 2),
    )


def _foreign_control_without_series(region: str, values: list, german: pd.Series) -> str:
    """The paragraph for a region without a full series: what the report gives for it, and Germany's series."""
    if not values:
        given = _("no values at all")
    elif len(values) == 1:
        given = _("a single value ({value}) whose year cannot be read from the table").format(
            value=fmt(float(values[0]), 0)
        )
    else:
        given = _("values for only some of the years")
    return (
        _(
            "For {region} the report gives {given}, so no index, growth rate or trend can be computed; the report's "
            "Germany-wide series (from {first_count} in {first} to {last_count} in {last}) is the only German "
            "reference."
        )
    ).format(
        region=regions.name(region),
        given=given,
        first_count=fmt(german.iloc[0], 0),
        first=german.index[0],
        last_count=fmt(german.iloc[-1], 0),
        last=german.index[-1],
    )


# --- occupational dynamics (Tabel 1) and the cohort (chapter 2) -------------------------------------------------------


def readings_contradicted(failed: pd.DataFrame) -> str:
    """The sentence that names the report's readings a table contradicts even within rounding (``failed``: rows of
    ``audit.tabel_1_readings`` with columns statement, table_region, value), or says there are none."""
    if failed.empty:
        return _("Within rounding it contradicts none of them.")
    listed = "; ".join(
        _("\u201c{statement}\u201d (Tabel 1: {region}, {value}%)").format(
            statement=s, region=regions.name(r), value=general(v)
        )
        for s, r, v in zip(failed["statement"], failed["table_region"], failed["value"], strict=True)
    )
    return (
        _(
            "Even within rounding it contradicts {listed}: the audit grades these as discrepancies that change what "
            "a reader would conclude."
        )
    ).format(listed=listed)


def homogeneity_verdict(p_values: Iterable[float], cramers_vs: Iterable[float], alpha: float) -> str:
    """How many of Tabel 1's blocks differ significantly between the regions at ``alpha``, and the largest effect."""
    p_values, cramers_vs = list(p_values), list(cramers_vs)
    significant = sum(p < alpha for p in p_values)
    template = ngettext(
        "At the assumed sample size {significant} of the {blocks} blocks differs significantly "
        "between the regions (at {alpha}); the largest Cramér's V is {v}.",
        "At the assumed sample size {significant} of the {blocks} blocks differ significantly "
        "between the regions (at {alpha}); the largest Cramér's V is {v}.",
        significant,
    )
    return template.format(
        significant=fmt(significant, 0), blocks=fmt(len(p_values), 0), alpha=general(alpha), v=fmt(max(cramers_vs), 3)
    )


def no_job_paragraph(region: str, wilson: pd.DataFrame, differing: list[str], alpha: float, sample_size: int) -> str:
    """The focus region's share without a job in 2014 (Tabel 1) with its Wilson interval, and the regions it
    differs from after Holm's correction; for a region Tabel 1 does not cover, that the tests cannot speak of it.

    ``wilson``: ``stats.wilson_table`` of the no-job shares (region_id, share_percent, ci_low, ci_high);
    ``differing``: region ids (``derived.differing_from``).
    """
    rows = wilson.set_index("region_id")
    if region not in rows.index:
        return (
            _(
                "Tabel 1 covers only the four Dutch regions: the report has no occupational-dynamics figures for "
                "{region}, so the tests above cannot speak about it."
            )
        ).format(region=regions.name(region))
    row = rows.loc[region]
    share = (
        _(
            "In {region}, {share} of the cohort had no job in 2014 ({level} Wilson interval {low} to {high} for {n} "
            "persons assumed; the report warns that this figure is biased in level by its data set, footnote 16)."
        )
    ).format(
        region=regions.name(region),
        share=pct(row["share_percent"], 0),
        level=confidence_level(alpha),
        low=pct(row["ci_low"]),
        high=pct(row["ci_high"]),
        n=fmt(sample_size, 0),
    )
    if differing:
        test = _("After Holm correction that share differs significantly from {regions}.").format(
            regions=listing(regions.name(r) for r in differing)
        )
    else:
        test = _("After Holm correction it does not differ significantly from any other region at this assumed n.")
    return _("{share} {test}").format(share=share, test=test)


def rijnmond_reading(p_value: float, alpha: float, sample_size: int, smallest: int | None) -> str:
    """What the test says of the report's first reading of Tabel 1 (Groot-Rijnmond's chance of unemployment is the
    highest): its p at the assumed n, significant or not, and from which n it would be (if the table shows it)."""
    template = (
        _(
            "The report's first reading, a higher chance of unemployment in Groot-Rijnmond than in the other "
            "three regions, has {p} at {n} persons per region assumed and is significant there"
        )
        if p_value < alpha
        else _(
            "The report's first reading, a higher chance of unemployment in Groot-Rijnmond than in the other "
            "three regions, has {p} at {n} persons per region assumed and is not significant there"
        )
    )
    reading = template.format(p=pvalue(p_value), n=fmt(sample_size, 0))
    if smallest is None:
        return _("{reading}; Tabel 1 does not show it at any n.").format(reading=reading)
    return (
        _(
            "{reading}; it would be significant from {smallest} persons per region. Whether the statistics support "
            "the reading therefore depends only on the assumed n, which the report does not give."
        )
    ).format(reading=reading, smallest=fmt(smallest, 0))


def tabel1_chart_alt(wide: pd.DataFrame, labels: pd.Series, measures: Iterable[str]) -> str:
    """Alt text of Tabel 1's bar chart: for each of ``measures``, its lowest and highest region and share."""
    ranges = " ".join(
        _("{measure}: from {low} in {low_region} to {high} in {high_region}.").format(
            measure=labels[m],
            low=pct(wide[m].min(), 0),
            low_region=regions.name(wide[m].idxmin()),
            high=pct(wide[m].max(), 0),
            high_region=regions.name(wide[m].idxmax()),
        )
        for m in measures
    )
    return _("Three panels of bars for the four Dutch regions, one per block of Tabel 1. {ranges}").format(
        ranges=ranges
    )


def sensitivity_alt(sensitivity: pd.DataFrame, alpha: float, sample_size: int) -> str:
    """Alt text of the chart of p against the assumed persons per region (``derived.tabel1_sensitivity``): from
    which size each block's p falls below ``alpha``."""
    below = sensitivity[sensitivity["p_value"] < alpha].groupby("block")["sample_size"].min()
    grows = (
        _(
            "Line chart of the p-value of each block's test as the assumed number of persons per region grows from "
            "{smallest} to {largest}."
        )
    ).format(smallest=fmt(sensitivity["sample_size"].min(), 0), largest=fmt(sensitivity["sample_size"].max(), 0))
    if below.empty:
        falls = _("The p-value stays above {alpha} for every block; the chapter assumes {n}.")
    else:
        falls = _("The p-value falls below {alpha} from {sizes}; the chapter assumes {n}.")
    sizes = "; ".join(_("{n} persons for {block}").format(n=fmt(v, 0), block=b) for b, v in below.items())
    return _("{grows} {falls}").format(
        grows=grows, falls=falls.format(alpha=general(alpha), sizes=sizes, n=fmt(sample_size, 0))
    )


def wilson_alt(wilson: pd.DataFrame) -> str:
    """Alt text of the chart of each region's no-job share with its Wilson interval (``stats.wilson_table``)."""
    dots = "; ".join(
        _("{region} {share} ({low} to {high})").format(
            region=regions.name(r), share=pct(s, 0), low=fmt(lo, 1), high=fmt(hi, 1)
        )
        for r, s, lo, hi in zip(
            wilson["region_id"], wilson["share_percent"], wilson["ci_low"], wilson["ci_high"], strict=True
        )
    )
    return _("Dots with interval bars of the share of the cohort without a job in 2014: {dots}.").format(dots=dots)


def cohort_kind(is_synthetic: bool) -> str:
    """The cohort in one word: 'synthetic' or 'real'."""
    return _("synthetic") if is_synthetic else _("real")


def cohort_source(is_synthetic: bool, path: str) -> str:
    """Where the cohort of chapter 2's methods section comes from (a caption's source)."""
    if is_synthetic:
        return _("seeded synthetic cohort (helpers.synthetic); margins match the report's national figures")
    return _("cohort micro-data from {path}").format(path=path)


def synthetic_title(title: str, is_synthetic: bool) -> str:
    """A chart's title, marked 'Synthetic data:' when it shows synthetic data (``figures.figure`` requires it)."""
    return _("Synthetic data: {title}").format(title=title) if is_synthetic else title


def survival_alt(survival: pd.DataFrame, is_synthetic: bool) -> str:
    """Alt text of a Kaplan-Meier curve (``stats.kaplan_meier``'s table): where the curve ends."""
    text = (
        _(
            "Step curve of the share still in the starting occupation, falling from 1 to {last} after {years} years, "
            "with a shaded interval band."
        )
    ).format(last=fmt(survival["survival"].iloc[-1], 2), years=fmt(survival["time"].iloc[-1], 0))
    return synthetic_title(text, is_synthetic)


def outcomes_alt(probs: pd.DataFrame, is_synthetic: bool) -> str:
    """Alt text of the stacked bars of predicted career outcomes per programme (percent; columns higher, same,
    lower, unemployed): the programme with the largest share at a higher level and the one most often unemployed."""
    text = (
        _(
            "Stacked bars of predicted career outcomes for {programmes} programmes. {best} has the largest predicted "
            "share at a higher level ({best_share}), {worst} the largest unemployed ({worst_share})."
        )
    ).format(
        programmes=fmt(len(probs), 0),
        best=_(probs["higher"].idxmax()),
        best_share=pct(probs["higher"].max(), 0),
        worst=_(probs["unemployed"].idxmax()),
        worst_share=pct(probs["unemployed"].max(), 0),
    )
    return synthetic_title(text, is_synthetic)


# --- sector structure (Tabel 1.1), key figures (Tabel 2), innovation types (chapter 3) --------------------------------


#: Pavitt's types as nouns for a sentence ("the report calls the firms of Twente specialised suppliers").
PAVITT_NOUNS = {
    "scale_intensive": N_("scale-intensive producers"),
    "specialised_supplier": N_("specialised suppliers"),
    "science_based": N_("science-based high-tech firms"),
    "supplier_dominated": N_("supplier-dominated firms"),
    "knowledge_intensive_system_integrator": N_("knowledge-intensive system integrators"),
}


#: What location quotients and specialisation indices are measured against, per ``reference_rule``.
REFERENCE_RULE_WORDS = {
    "national": N_("each region against its own country"),
    "pooled": N_("the compared regions pooled"),
}


LQ_CAPTIONS = {
    "national": N_("Location quotient of every NACE section, each region against its own country."),
    "pooled": N_("Location quotient of every NACE section, against the six regions pooled."),
}


USER_LQ_CAPTIONS = {
    "national": N_("Location quotients at the region file's level, each region against its own country. {caveats}"),
    "pooled": N_("Location quotients at the region file's level, against the six regions pooled. {caveats}"),
}


def _by_rule(texts: dict[str, str], rule: str) -> str:
    if rule not in texts:
        raise ValueError(f"unknown reference rule {rule!r}; valid: {', '.join(texts)}")
    return _(texts[rule])


def reference_rule_words(rule: str) -> str:
    """What the indices compare with: 'each region against its own country' or 'the compared regions pooled'."""
    return _by_rule(REFERENCE_RULE_WORDS, rule)


def lq_caption(rule: str) -> str:
    """Caption of chapter 3's location-quotient chart for ``reference_rule``."""
    return _by_rule(LQ_CAPTIONS, rule)


def user_lq_caption(rule: str, caveats: str) -> str:
    """Caption of the region file's location-quotient table: the reference, then the comparison's caveats."""
    return _by_rule(USER_LQ_CAPTIONS, rule).format(caveats=caveats)


def pavitt_sentence(region_name: str, types: pd.DataFrame) -> str:
    """What the report calls a region's firms in Pavitt's terms, and this edition's reading where it only
    describes them. ``types``: the region's rows of ``pavitt_types`` (pavitt_type, basis 'stated'/'interpreted')."""
    stated = listing(_(PAVITT_NOUNS[t]) for t in types.loc[types["basis"] == "stated", "pavitt_type"])
    read = listing(_(PAVITT_NOUNS[t]) for t in types.loc[types["basis"] == "interpreted", "pavitt_type"])
    if stated:
        text = _("In Pavitt's terms the report calls the firms of {region} {types}.").format(
            region=region_name, types=stated
        )
    else:
        text = _("The report does not name a Pavitt type for {region}.").format(region=region_name)
    if read:
        text += " " + _("This edition reads the report's description of {region} as that of {types}.").format(
            region=region_name, types=read
        )
    return text


#: The units of the key figures (``key_figures.unit``, Tabel 2 and Tabel 4) in the reader's words.
KEY_FIGURE_UNITS = {
    "percent": N_("percent"),
    "percent over 10 years": N_("percent over 10 years"),
    "percent of GDP": N_("percent of GDP"),
    "thousand EUR": N_("thousand EUR"),
    "firms": N_("firms"),
    "establishments per km2": N_("establishments per km2"),
    "establishments per 100000 labour force": N_("establishments per 100000 labour force"),
}


def unit_word(unit: str) -> str:
    """A key figure's unit (``key_figures.unit``) in the current language; raises ValueError for a unit without
    words, naming the known ones."""
    if unit not in KEY_FIGURE_UNITS:
        raise ValueError(f"no words for the unit {unit!r}; known units: {', '.join(KEY_FIGURE_UNITS)}")
    return _(KEY_FIGURE_UNITS[unit])


def _printed_value(value: float, unit: str) -> str:
    """A value of Tabel 2 as printed (its own decimals), then its unit ('18 percent')."""
    return _("{value} {unit}").format(value=fmt(value, decimals_of(value)), unit=unit_word(unit))


def profile_sentence(region_name: str, extremes: pd.DataFrame | None) -> str:
    """Where a region stands out most and lags most among Tabel 2's four regions; for a region Tabel 2 does not
    hold (``extremes`` None), where its key figures are instead. ``extremes``: rows 'high' and 'low', columns
    label, value, unit, z (``derived.profile_extremes``)."""
    if extremes is None:
        return _("{region} is not in Tabel 2; chapter 5 gives its key figures (Tabel 4).").format(region=region_name)
    high, low = extremes.loc["high"], extremes.loc["low"]
    return (
        _(
            "Among the four, {region} stands out most on \u201c{high}\u201d ({high_value}, z = {high_z}) and lags "
            "most on \u201c{low}\u201d ({low_value}, z = {low_z})."
        )
    ).format(
        region=region_name,
        high=high["label"],
        high_value=_printed_value(high["value"], high["unit"]),
        high_z=fmt(high["z"], 2),
        low=low["label"],
        low_value=_printed_value(low["value"], low["unit"]),
        low_z=fmt(low["z"], 2),
    )


def specialisations_phrase(top: pd.DataFrame, labels) -> str:
    """A region's strongest specialisations: 'label (LQ 1.56, 15.0% against 9.6%); ...'. ``top``: sectors x lq,
    share_percent, reference_share_percent (``indices.top_specialisations``); ``labels``: sector code -> words."""
    return "; ".join(
        _("{sector} (LQ {lq}, {share} against {reference})").format(
            sector=labels[s],
            lq=fmt(row["lq"], 2),
            share=pct(row["share_percent"]),
            reference=pct(row["reference_share_percent"]),
        )
        for s, row in top.iterrows()
    )


def shares_alt(shares: pd.DataFrame, labels, focus_region: str) -> str:
    """Alt text of chapter 3's sector-composition chart: the focus region's three largest sectors and the range of
    manufacturing's share. ``shares``: areas x NACE sections, percent."""
    largest = ", ".join(
        _("{sector} ({share})").format(sector=labels[s], share=pct(v))
        for s, v in shares.loc[focus_region].nlargest(3).items()
    )
    manufacturing = shares["C"]
    return (
        _(
            "Stacked bars of each area's employees by sector. In {region} the largest sectors are {largest}; "
            "manufacturing ranges from {low} of employees in {low_area} to {high} in {high_area}."
        )
    ).format(
        region=regions.name(focus_region),
        largest=largest,
        low=pct(manufacturing.min()),
        low_area=regions.name(manufacturing.idxmin()),
        high=pct(manufacturing.max()),
        high_area=regions.name(manufacturing.idxmax()),
    )


def lq_alt(lq: pd.DataFrame, labels, focus_region: str) -> str:
    """Alt text of the location-quotient heatmap: the highest quotient of all and the focus region's highest."""
    sector = lq.max().idxmax()
    return (
        _(
            "Heatmap of the location quotients of {n} sectors in the six regions. The highest is {sector} in "
            "{region} ({value}); {focus}'s highest is {focus_sector} ({focus_value})."
        )
    ).format(
        n=lq.shape[1],
        sector=labels[sector],
        region=regions.name(lq[sector].idxmax()),
        value=fmt(lq.max().max(), 1),
        focus=regions.name(focus_region),
        focus_sector=labels[lq.loc[focus_region].idxmax()],
        focus_value=fmt(lq.loc[focus_region].max(), 1),
    )


def profile_alt(z: pd.DataFrame, labels, region_ids) -> str:
    """Alt text of the Tabel 2 profile heatmap: for each region the indicator it stands highest and lowest on.
    ``z``: indicators x regions; ``labels``: indicator -> words."""
    standings = "; ".join(
        _("{region} stands highest on {high} and lowest on {low}").format(
            region=regions.name(r), high=labels[z[r].idxmax()], low=labels[z[r].idxmin()]
        )
        for r in region_ids
    )
    return (
        _(
            "Heatmap of the {n} indicators of Tabel 2 (rows) for the four Dutch regions (columns), coloured by how "
            "far each region stands above or below the four's mean. {standings}."
        )
    ).format(n=len(z), standings=standings)


def productivity_alt(points: pd.DataFrame) -> str:
    """Alt text of the manufacturing-share/productivity scatter. ``points``: regions x (share %, thousand EUR)."""
    share, productivity = points.iloc[:, 0], points.iloc[:, 1]
    return (
        _(
            "Scatter of the four Dutch regions: {share_region} has the highest manufacturing share ({share}), "
            "{productivity_region} the highest value added per worker ({productivity} thousand euros); four points "
            "are too few to show a relation."
        )
    ).format(
        share_region=regions.name(share.idxmax()),
        share=pct(share.max()),
        productivity_region=regions.name(productivity.idxmax()),
        productivity=fmt(productivity.max(), 0),
    )


# --- the largest employers (Tabel 3) and cooperation (chapter 4) ------------------------------------------------------


def hq_mismatch_text(mismatch: pd.DataFrame) -> str:
    """Where the head offices abroad counted from Tabel 3's rows differ from the count printed under it
    (``mismatch``: rows of ``derived.hq_comparison`` by region id); 'none' when they agree everywhere."""
    return semicolon_list(
        _(
            "{region}: the table lists {counted} firms with a foreign owner or head office, the count under it says "
            "{stated}"
        ).format(
            region=regions.name(r), counted=fmt(int(row["abroad_recomputed"])), stated=fmt(int(row["abroad_stated"]))
        )
        for r, row in mismatch.iterrows()
    )


def rd_firms_text(rd: pd.DataFrame) -> str:
    """The R&D top-60 firms among the largest employers, per region ('Twente: Thales (#12), ...; ...'); ``rd``:
    region_id, firm, rd_top60_rank (``derived.rd_top60_firms``); 'none' when there are none."""
    return semicolon_list(
        _("{region}: {firms}").format(
            region=regions.name(r),
            firms=", ".join(
                _("{firm} (#{rank})").format(firm=f, rank=int(k))
                for f, k in zip(g["firm"], g["rd_top60_rank"], strict=True)
            ),
        )
        for r, g in rd.groupby("region_id", sort=False)
    )


def industrial_counts_text(counts: pd.DataFrame) -> str:
    """Industrial firms among each region's ten largest employers as coded here ('Twente 4, Rijnmond 2 (and 1 not
    coded)'); ``counts``: industrial_count and industrial_uncoded by region id (``derived.employer_counts``)."""
    return ", ".join(
        (
            _("{region} {count} (and {uncoded} not coded)") if row["industrial_uncoded"] else _("{region} {count}")
        ).format(
            region=regions.name(r), count=fmt(int(row["industrial_count"])), uncoded=fmt(int(row["industrial_uncoded"]))
        )
        for r, row in counts.iterrows()
    )


def hq_counts_alt(long: pd.DataFrame) -> str:
    """Alt text of the chart of head offices counted and printed (``derived.hq_counts_long``): which counts differ,
    or that every count agrees."""
    differ = long[long["recomputed"].astype(float) != long["stated"].astype(float)]
    if differ.empty:
        return _(
            "Paired bars comparing, for each Dutch region, the head offices outside the region and abroad counted "
            "from the firm rows with the counts printed under Tabel 3. Every count agrees with the printed one."
        )
    return (
        _(
            "Paired bars comparing, for each Dutch region, the head offices outside the region and abroad counted "
            "from the firm rows with the counts printed under Tabel 3. They differ for {differences}."
        )
    ).format(
        differences="; ".join(
            _("{region} {measure} (counted {counted}, printed {printed})").format(
                region=row["region"],
                measure=row["measure"],
                counted=fmt(row["recomputed"], 0),
                printed=fmt(row["stated"], 0),
            )
            for _index, row in differ.iterrows()
        )
    )


def timeline_title(dated: pd.DataFrame, since: int) -> str:
    """Title of the timeline of organisations: whether most of those with a founding year date from ``since`` or
    later, most from before it, or half from each side."""
    recent, earlier = int((dated["founded"] >= since).sum()), int((dated["founded"] < since).sum())
    if recent > earlier:
        return _("Most initiatives date from after {since}").format(since=since)
    if recent < earlier:
        return _("Most initiatives date from before {since}").format(since=since)
    return _("Half the initiatives date from {since} or later").format(since=since)


def timeline_alt(dated: pd.DataFrame, since: int) -> str:
    """Alt text of the timeline of organisations (``derived.dated_organisations``): how many there are, how many
    were founded in ``since`` or later, and the earliest year per region."""
    earliest = dated.groupby("region")["founded"].min()
    return (
        _(
            "Timeline of the {n} organisations with a founding year, one row per region, marker shape by kind; "
            "{recent} of them were founded in {since} or later. Earliest: {earliest}."
        )
    ).format(
        n=len(dated),
        recent=int((dated["founded"] >= since).sum()),
        since=since,
        earliest="; ".join(_("{region} {year}").format(region=r, year=int(y)) for r, y in earliest.items()),
    )


def level_basis(basis: str) -> str:
    """How a region's level of cooperation is known: 'as the report states it' (``basis`` 'stated') or 'as this
    edition reads the report's description' (otherwise)."""
    return _("as the report states it") if basis == "stated" else _("as this edition reads the report's description")


def ladder_place(place: int, lowest: int, highest: int, note: str) -> str:
    """A region's place on the report's ladder of cooperation, the ladder's ends, then this edition's note."""
    return (
        _("its place on the report's ladder is {place} ({lowest} = least advanced, {highest} = the top). {note}")
    ).format(place=fmt(int(place)), lowest=fmt(int(lowest)), highest=fmt(int(highest)), note=note)


def uncertain_levels(coop: pd.DataFrame) -> str:
    """The sentence naming the regions whose words allow more than one level of cooperation (``coop``: rows of
    ``region_cooperation``); '' when every reading is certain."""
    unsure = coop[coop["level_low"] < coop["level_high"]]
    if unsure.empty:
        return ""
    return _("The reading is uncertain for {regions}.").format(
        regions="; ".join(
            _("{region} (levels {low} to {high})").format(region=regions.name(r), low=int(lo), high=int(hi))
            for r, lo, hi in zip(unsure["region_id"], unsure["level_low"], unsure["level_high"], strict=True)
        )
    )


def cooperation_labels(points: pd.DataFrame) -> dict:
    """Chart labels of the regions on the axes of cooperation (``points``: rows of ``region_cooperation`` by region
    id): name, level as read (with its range) and place on the report's ladder."""
    return {
        r: _("{region}\n(level {level}, ladder {place})").format(
            region=regions.name(r), level=level_text(row), place=int(row["ladder_position"])
        )
        for r, row in points.iterrows()
    }


def cooperation_alt(points: pd.DataFrame) -> str:
    """Alt text of the chart of the regions on the axes of cooperation, in the order of the report's ladder."""
    return (
        _(
            "Scatter of the Dutch regions on two axes, autonomy handed to a shared centre and breadth of the agenda: "
            "{regions}."
        )
    ).format(
        regions="; ".join(
            _("{region} at autonomy {autonomy} and breadth {breadth}, level {level}").format(
                region=regions.name(r),
                autonomy=int(row["autonomy_to_centre"]),
                breadth=int(row["agenda_breadth"]),
                level=level_text(row),
            )
            for r, row in points.sort_values("ladder_position").iterrows()
        )
    )


def vocational_focus_paragraph(region: str, assessment: str | None, hq_in_region: int) -> str:
    """Chapter 4's closing paragraph: for a Dutch case study the report's assessment and the head offices of its ten
    largest employers in the region; for another region that the report describes it in chapter 5, with its pair."""
    if assessment is not None:
        return (
            _(
                "The report's assessment of {region}: {assessment} Of its ten largest employers, {hq} have their "
                "head office in the region (Tabel 3, counted)."
            )
        ).format(region=regions.name(region), assessment=assessment, hq=fmt(int(hq_in_region)))
    return (
        _(
            "{region} is not one of chapter 4's case studies; the report describes it in chapter 5, where it plays "
            "the role of a case study, and pairs it with {peer}."
        )
    ).format(region=regions.name(region), peer=regions.name(regions.peer_of(region)))


# --- Germany's figures and case studies, the report's pairings (chapter 5) --------------------------------------------


def copied_figures(copied: pd.DataFrame) -> list[str]:
    """Phrases for key figures one table copies from another: 'Bremen 29 as Twente'. ``copied``: rows with region,
    source_region and value (``derived.copied_key_figures``)."""
    return [
        _("{region} {value} as {source}").format(
            region=regions.name(row.region), value=fmt(row.value, 0), source=regions.name(row.source_region)
        )
        for row in copied.itertuples()
    ]


def head_office_sentence(hq: pd.DataFrame, in_region: pd.Series, stated: dict) -> str:
    """Head offices of each region's ten largest employers counted from the table's rows beside the counts the
    report prints. ``hq``: regions x outside_region_recomputed/_stated, abroad_recomputed/_stated
    (``derived.hq_comparison``); ``in_region``: counted in the region; ``stated``: region -> count in the text."""
    return "; ".join(
        (
            _(
                "{region}: {in_region} of the ten have their head office in the region (the text says {stated}), "
                "{outside} "
                "outside it (printed: {outside_printed}), {abroad} abroad (printed: {abroad_printed})"
            )
        ).format(
            region=regions.name(r),
            in_region=int(in_region[r]),
            stated=fmt(stated[r], 0),
            outside=int(hq.loc[r, "outside_region_recomputed"]),
            outside_printed=count_or_empty(hq.loc[r, "outside_region_stated"]),
            abroad=int(hq.loc[r, "abroad_recomputed"]),
            abroad_printed=count_or_empty(hq.loc[r, "abroad_stated"]),
        )
        for r in hq.index
    )


def market_alt(market: pd.DataFrame, per_100: float) -> str:
    """Alt text of the apprenticeship-market chart. ``market``: columns figure (words), count."""
    counts = ", ".join(
        _("{count} {figure}").format(count=fmt(count, 0), figure=figure)
        for figure, count in zip(market["figure"], market["count"], strict=True)
    )
    return (
        _(
            "Two bar charts of the German apprenticeship market in 2015: {counts}; {offered} places were offered "
            "per 100 applicants."
        )
    ).format(counts=counts, offered=fmt(per_100, 1))


def education_alt(education: pd.DataFrame) -> str:
    """Alt text of the education chart. ``education``: columns country, level, share_percent."""
    countries = "; ".join(
        _("{country} {levels}").format(
            country=country,
            levels=", ".join(
                _("{level} {share}").format(level=row["level"], share=pct(row["share_percent"], 0))
                for _index, row in part.iterrows()
            ),
        )
        for country, part in education.groupby("country", sort=False)
    )
    return _("Grouped bars of the population by level of education: {countries}.").format(countries=countries)


def germany_focus_lesson(focus_region: str) -> str:
    """What chapter 5 means for the focus region: a German case study's own words on who takes the initiative,
    the German region the report pairs with a Dutch one (the first sentence of its case study), or the general
    lessons where it pairs none."""
    from . import content  # the case studies' texts; content draws with plots, which sentences need not load

    focus = regions.name(focus_region)
    peer = regions.peer_of(focus_region)
    if focus_region in regions.GERMAN_REGIONS:
        return (
            _(
                "{focus} is one of the report's two German case studies (highlighted above); the report compares it "
                "with {peer}. In its words: {words}"
            )
        ).format(focus=focus, peer=regions.name(peer), words=content.case_study_text(focus_region, "initiative"))
    if peer is not None:
        return _("The report compares {focus} with {peer}: {words}").format(
            focus=focus, peer=regions.name(peer), words=first_sentence(content.case_study_text(peer, "economy"))
        )
    return (
        _(
            "The report pairs no German region with {focus}; its lessons for every Dutch region are the ones above: "
            "regional alignment of training with the labour market, chambers and regional government that lead, and "
            "centres that are more than projects."
        )
    ).format(focus=focus)


def nearest_profiles_title(distances: pd.DataFrame, region_ids) -> str:
    """Title of the similarity chart: each region's nearest other profile with its Krugman distance."""
    nearest = {r: distances.loc[r].drop(r).idxmin() for r in region_ids}
    return _("Nearest sector profile: {pairs}").format(
        pairs="; ".join(
            _("{region}: {nearest} ({distance})").format(
                region=regions.name(r), nearest=regions.name(n), distance=fmt(distances.loc[r, n], 2)
            )
            for r, n in nearest.items()
        )
    )


def similarity_alt(distances: pd.DataFrame, region_ids) -> str:
    """Alt text of the similarity chart: the closest and farthest pair, and each of ``region_ids``'s nearest."""
    pairs = distances.where(np.triu(np.ones(distances.shape, dtype=bool), k=1)).stack()
    (a, b), (c, d) = pairs.idxmin(), pairs.idxmax()
    nearest = "; ".join(
        _("{region} is nearest to {nearest}").format(
            region=regions.name(r), nearest=regions.name(distances.loc[r].drop(r).idxmin())
        )
        for r in region_ids
    )
    return (
        _(
            "Heatmap of the Krugman distances between the {n} regions' sector profiles, above a dendrogram of their "
            "clustering. The closest pair is {a} and {b} ({closest}), the farthest {c} and {d} ({farthest}). "
            "{nearest}."
        )
    ).format(
        n=len(distances),
        a=regions.name(a),
        b=regions.name(b),
        closest=fmt(pairs.min(), 2),
        c=regions.name(c),
        d=regions.name(d),
        farthest=fmt(pairs.max(), 2),
        nearest=nearest,
    )


PAIRING_SENTENCES = {
    True: N_(
        "{region}'s profile is closest to {partner}'s (rank {rank} of {k}; nearest: {nearest}), distance "
        "{distance} against {mean} on average to the others. With {k} comparison regions an exact test of whole "
        "regions cannot give p below {floor}; here {p}, so {verdict}."
    ),
    False: N_(
        "{region}'s profile is not closest to {partner}'s (rank {rank} of {k}; nearest: {nearest}), distance "
        "{distance} against {mean} on average to the others. With {k} comparison regions an exact test of whole "
        "regions cannot give p below {floor}; here {p}, so {verdict}."
    ),
}


def pairing_sentence(row) -> str:
    """One pairing test in words: whether the partner's profile is the closest, rank, distances, the smallest p
    the test can give and the verdict. ``row``: a row of ``derived.pairing_results``."""
    return _(PAIRING_SENTENCES[row.rank_of_partner == 1]).format(
        region=regions.name(row.region),
        partner=regions.name(row.paired_with),
        rank=row.rank_of_partner,
        k=row.comparison_regions,
        nearest=regions.name(row.nearest),
        distance=fmt(row.distance, 3),
        mean=fmt(row.mean_distance_to_others, 3),
        floor=fmt(row.smallest_attainable_p, 2),
        p=pvalue(row.p_value),
        verdict=row.verdict,
    )


def pairing_answer(pairing: pd.DataFrame) -> str:
    """Every pairing test in words (``pairing_sentence``), one after the other."""
    return " ".join(pairing_sentence(row) for row in pairing.itertuples())


def focus_pairing_sentence(focus_region: str, distances: pd.DataFrame) -> str:
    """The focus region's partner in the report and their Krugman distance, or, without a partner, its nearest
    profile among the six. ``distances``: the six regions' Krugman distances."""
    focus = regions.name(focus_region)
    others = distances.loc[focus_region].drop(focus_region)
    peer = regions.peer_of(focus_region)
    if peer:
        return (
            _(
                "The report suggests {focus} could be comparable with {peer} ({reason}); their sector profiles are "
                "{distance} apart in Krugman distance, and {focus}'s nearest profile is {nearest}'s."
            )
        ).format(
            focus=focus,
            peer=regions.name(peer),
            reason=_(regions.get(focus_region).pairing_reason),
            distance=fmt(distances.loc[focus_region, peer], 3),
            nearest=regions.name(others.idxmin()),
        )
    return (
        _(
            "The report pairs no German region with {focus}; its nearest sector profile among the six is "
            "{nearest}'s (distance {distance})."
        )
    ).format(focus=focus, nearest=regions.name(others.idxmin()), distance=fmt(others.min(), 3))


# --- the lessons and the illustrative scorecard (chapter 6) -----------------------------------------------------------


def outlook_focus_lesson(focus: str, dutch: bool, initiative: str) -> str:
    """What chapter 6's lessons mean for the focus region: for a Dutch region, the report's argument and the first
    sentence of its chapter 4 on who takes the initiative there; for a German region, that the lessons come from it,
    and the first sentence of its chapter 5. ``focus``: the region's name; ``initiative``: its case-study text."""
    first = first_sentence(initiative)
    if dutch:
        return (
            _(
                "The less business organises itself, the report argues, the more vocational education and government "
                "must lead. For {focus}, the report's chapter 4 says: {first}"
            )
        ).format(focus=focus, first=first)
    return (
        _("{focus} is one of the German regions the lessons are drawn from. The report's chapter 5 says: {first}")
    ).format(focus=focus, first=first)


def weights_phrase(weights: Mapping[str, float], words: Mapping[str, str]) -> str:
    """The scorecard's weights in words: 'manufacturing share 1, unemployment 0.5'. ``words``: indicator -> words
    (an indicator without words is named by its code with spaces); a weight shows the decimals it was given with."""
    return ", ".join(
        _("{indicator} {weight}").format(
            indicator=_(words[name]) if name in words else name.replace("_", " "),
            weight=fmt(float(weight), decimals_of(float(weight))),
        )
        for name, weight in weights.items()
    )


def first_and_focus(ranks: pd.Series, focus_region: str) -> str:
    """Who ranks first under one reading, and where the focus region ranks: 'Twente ranks first' when the focus
    region leads, else 'Landkreis Emsland ranks first and Twente 3'. ``ranks``: rank (1 = first) per region id."""
    leader = ranks.idxmin()
    if leader == focus_region:
        return _("{focus} ranks first").format(focus=regions.name(focus_region))
    return _("{leader} ranks first and {focus} {rank}").format(
        leader=regions.name(leader), focus=regions.name(focus_region), rank=fmt(int(ranks[focus_region]))
    )


def scorecard_alt(score: pd.Series, share_same_rank: pd.Series) -> str:
    """Alt text of ``plots.scorecard``: the ranking with its highest and lowest score, and the regions that keep
    their rank most and least often under random weights. ``score`` in rank order, ``share_same_rank`` 0-1, both by
    region id."""
    return (
        _(
            "Two bar charts. Top: the composite score ranks {ranking}, from {high} down to {low}. Bottom: under "
            "random weights {steadiest} keeps its rank most often ({most} of draws) and {least_steady} least often "
            "({least})."
        )
    ).format(
        ranking=", ".join(regions.name(r) for r in score.index),
        high=fmt(score.max(), 2),
        low=fmt(score.min(), 2),
        steadiest=regions.name(share_same_rank.idxmax()),
        most=pct(share_same_rank.max() * 100, 0),
        least_steady=regions.name(share_same_rank.idxmin()),
        least=pct(share_same_rank.min() * 100, 0),
    )


def manufacturing_note(differences: Mapping[str, Mapping[str, float]]) -> str:
    """The note on Dutch regions whose manufacturing share in Tabel 2 differs by a point or more from the share of
    employees computed from Tabel 1.1; a sentence that they agree when none does.

    ``differences``: region id -> {"tabel_2": percent, "tabel_1_1": percent} (``derived.manufacturing_differences``).
    """
    if not differences:
        return _(
            "Tabel 2's manufacturing shares and those computed from Tabel 1.1 agree within a point for the four "
            "Dutch regions."
        )
    return " ".join(
        (
            _(
                "Note: {region}'s manufacturing share is {tabel_2} of employment in Tabel 2 (and in chapter 4's "
                "text) but "
                "{tabel_1_1} of employees computed from Tabel 1.1 (December 2013); the report does not say which "
                "source or "
                "definition each uses, and this table uses Tabel 1.1."
            )
        ).format(region=regions.name(region), tabel_2=pct(shares["tabel_2"], 0), tabel_1_1=pct(shares["tabel_1_1"]))
        for region, shares in differences.items()
    )


# --- appendices: the report's tables and the audit --------------------------------------------------------------------


def sector_composition_alt(shares: pd.DataFrame, section_labels: Mapping[str, str]) -> str:
    """Alt text of ``plots.sector_composition``: what it shows and each area's largest sector with its share.
    ``shares``: areas (ids) x sections (codes), percent; ``section_labels``: section code -> words."""
    largest = "; ".join(
        _("{area} {sector} ({share})").format(
            area=regions.name(area), sector=section_labels[row.idxmax()], share=pct(row.max(), 0)
        )
        for area, row in shares.iterrows()
    )
    return (
        _(
            "Grouped bars of the {sections} sections' shares of employees in {areas} areas. The largest sector of "
            "each area: {largest}."
        )
    ).format(sections=fmt(shares.shape[1]), areas=fmt(len(shares)), largest=largest)


def industrial_mismatch(reconciliation: pd.DataFrame) -> str:
    """Whether the report's industrial-firm counts for the other Dutch regions fit this book's coding, and where
    not, what each region would need. ``reconciliation``: ``derived.industrial_count_reconciliation``'s rows."""
    off = reconciliation[reconciliation["difference"] > 0]
    if off.empty:
        return _("The report's counts match this book's coding.")
    needs = "; ".join(
        _("{region} would need {stated} industrial firms where this book codes {coded}").format(
            region=regions.name(row.region_id), stated=fmt(int(row.stated)), coded=number_range(row.low, row.high)
        )
        for row in off.itertuples()
    )
    return _("The report's counts cannot all be matched to this book's coding: {needs}.").format(needs=needs)


# --- a region from a region file, and the front page ------------------------------------------------------------------


def user_region_build(name: str, source: str, reference_year, nearest: str, caveats: str) -> str:
    """The front page's note on a book built for a region from a region file: what it is, where chapters set it
    beside the report's regions, which report region the others highlight instead, and the file's caveats."""
    return (
        _(
            "This build is for {name}, a region from a region file ({source}, {year}), not one of the report's. "
            "Chapters 1, 3 and 5 and appendix A set it beside the report's six regions; the chapters built on the "
            "report's own evidence highlight {nearest}, the report region whose sector profile is nearest. {caveats}"
        )
    ).format(name=name, source=source, year=reference_year, nearest=regions.name(nearest), caveats=caveats)


def user_manufacturing_sentence(comparison) -> str:
    """At a coarser level with C: a region file's manufacturing share against its reference's, with its location
    quotient (without them when the reference has no C); '' when the comparison has no manufacturing."""
    m = comparison.manufacturing
    if m is None:
        return ""
    r = comparison.region
    share, ref_share, lq = m.at[r.id, "share_percent"], m.at[r.reference_id, "share_percent"], m.at[r.id, "lq"]
    if pd.isna(ref_share):
        return _("Manufacturing (C, part of B-E) employs {share} of {region}'s employees.").format(
            share=pct(share), region=r.name
        )
    return (
        _(
            "Manufacturing (C, part of B-E) employs {share} of {region}'s employees against {reference} in its "
            "reference (LQ {lq})."
        )
    ).format(share=pct(share), region=r.name, reference=pct(ref_share), lq=fmt(lq, 2))


def user_structure_paragraph(comparison, top: pd.DataFrame, caveats: str) -> str:
    """Chapter 3's paragraph on a region file: its Krugman index against the six regions', its strongest
    specialisations (``top``, ``user_region.top_specialisations``) and its two nearest report regions; then
    manufacturing where a coarser file has it, then ``caveats``."""
    r = comparison.region
    six = comparison.structure.loc[list(regions.STUDY_REGIONS), "krugman"]
    labels = {s: _("{code} {label}").format(code=s, label=comparison.labels[s]) for s in top.index}
    d = comparison.distances
    sentences = [
        (
            _(
                "{region} (from a region file: {source}, {year}) has a Krugman index of {krugman} against "
                "{reference}; the "
                "report's six regions range from {low} to {high} at this level."
            )
        ).format(
            region=r.name,
            source=r.source,
            year=r.reference_year,
            krugman=fmt(float(comparison.structure.loc[r.id, "krugman"]), 3),
            reference=r.reference_label,
            low=fmt(six.min(), 3),
            high=fmt(six.max(), 3),
        ),
        _("Its strongest specialisations: {specialisations}.").format(
            specialisations=specialisations_phrase(top, labels)
        ),
        (
            _(
                "Its nearest sector profiles among the report's regions are {first} ({first_distance}) and {second} "
                "({second_distance})."
            )
        ).format(
            first=regions.name(d.index[0]),
            first_distance=fmt(d.iloc[0], 3),
            second=regions.name(d.index[1]),
            second_distance=fmt(d.iloc[1], 3),
        ),
        user_manufacturing_sentence(comparison),
        caveats,
    ]
    return " ".join(s for s in sentences if s)


def user_pairing_paragraph(comparison, result, caveats: str) -> str:
    """Chapter 5's paragraph on a region file: its nearest report region, the pairing test applied to it
    (``result``, ``stats.profile_pairing_test``) and how far the report's German lessons reach it."""
    d = comparison.distances
    return (
        _(
            "{region}'s nearest sector profile among the report's six regions is {nearest}'s (Krugman distance "
            "{distance}; the mean distance to the other five is {mean}). The report pairs no region with it; the "
            "pairing test above, applied to this nearest region, gives {p}: {verdict}. The report has no case study "
            "for {region}, so the German lessons reach it only through {nearest}. {caveats}"
        )
    ).format(
        region=comparison.region.name,
        nearest=regions.name(comparison.nearest),
        distance=fmt(d.iloc[0], 3),
        mean=fmt(d.iloc[1:].mean(), 3),
        p=pvalue(result.p_value),
        verdict=result.assumptions["verdict"],
        caveats=caveats,
    )


def locator_map_alt(places: pd.DataFrame) -> str:
    """Alt text of the map of the report's regions (``places``: indexed by region id, columns place, lat, lon)."""
    markers = "; ".join(
        _("{region} at {place} ({lat}° N, {lon}° E)").format(
            region=regions.name(r), place=row["place"], lat=fmt(row["lat"], 1), lon=fmt(row["lon"], 1)
        )
        for r, row in places.iterrows()
    )
    return _("Map of the Netherlands and north-western Germany with a marker per region: {markers}.").format(
        markers=markers
    )
