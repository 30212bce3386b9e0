"""The report's structured argument on the page: case studies, synthesis points, recommendations, comparisons.

The texts live in ``data/`` (``case_studies``, ``synthesis_points``, ``recommendations``,
``institutional_comparison``) as the editors' English summaries of the report; these functions render them as
HTML paragraphs in the report's voice. The focus region's case study is highlighted, so each region's variant of
the book points the reader to its own case. Summaries hold no numbers; chapters glue those from the data.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from . import data, i18n, plots, regions
from .i18n import N_, _

#: Reader-facing titles of the case-study aspects. For the Dutch regions the first four answer the report's research
#: questions 1-4; the report does not put those questions to Emsland and Bremen, whose paragraphs carry no titles.
ASPECT_TITLES = {
    "economy": N_("Economic make-up and history"),
    "networks": N_("Networks and organisations"),
    "initiative": N_("Who takes the initiative"),
    "arrangements": N_("Arrangements that arose"),
    "assessment": N_("The report's assessment"),
}

#: Reader-facing words for the kinds of organisation in ``organisations.kind``.
KIND_WORDS = {
    "board": N_("board"),
    "commission": N_("commission"),
    "platform": N_("platform"),
    "network": N_("network"),
    "government": N_("government body"),
    "fund": N_("fund"),
    "employers_association": N_("employers' association"),
    "cooperative": N_("cooperative"),
    "sectorplan": N_("sector plan"),
    "CIV": N_("CIV (centre for innovative craftsmanship, mbo)"),
    "CoE": N_("Centre of Expertise (hbo)"),
    "lectorate": N_("lectorate (research chair, hbo)"),
    "opleidingsbedrijf": N_("training company (opleidingsbedrijf)"),
    "scholingspool": N_("training pool (scholingspool)"),
    "bedrijfsschool": N_("company school (bedrijfsschool)"),
    "training_centre": N_("training centre"),
    "campus": N_("campus"),
}


def kind_word(kind: str) -> str:
    """The reader's word for an organisation kind; raises ValueError naming the valid kinds."""
    if kind not in KIND_WORDS:
        raise ValueError(f"unknown organisation kind {kind!r}; valid kinds: {', '.join(KIND_WORDS)}")
    return _(KIND_WORDS[kind])


def _inline(text: str) -> str:
    """Escape text for HTML and turn the summaries' *italics* (source terms) into <em>."""
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html.escape(text, quote=False))


def case_study(region_id: str) -> pd.DataFrame:
    """The case-study paragraphs of one region, in the report's order (columns as in ``case_studies``)."""
    frame = i18n.data_texts(data.load("case_studies"), "case_studies")
    rows = frame[frame["region_id"] == region_id].sort_values("order")
    if rows.empty:
        raise ValueError(
            f"no case study for {region_id!r}; regions with one: {', '.join(dict.fromkeys(frame['region_id']))}"
        )
    return rows


def case_study_text(region_id: str, aspect: str) -> str:
    """One paragraph of a region's case study as plain text (the *italics* marks removed)."""
    rows = case_study(region_id)
    hit = rows[rows["aspect"] == aspect]
    if hit.empty:
        raise ValueError(f"no {aspect!r} paragraph for {region_id!r}; it has: {', '.join(rows['aspect'])}")
    return hit["text_en"].iloc[0].replace("*", "")


def case_study_html(region_id: str, focus_region: str) -> str:
    """HTML of a region's case study; the focus region's is framed and marked as this edition's focus."""
    rows = case_study(region_id)
    titled = region_id in regions.DUTCH_REGIONS  # the four questions are the report's for the Dutch regions only
    paragraphs = "".join(
        (f"<p><strong>{html.escape(_(ASPECT_TITLES[a]))}.</strong> " if titled else "<p>") + f"{_inline(t)}</p>"
        for a, t in zip(rows["aspect"], rows["text_en"], strict=True)
    )
    if region_id != focus_region:
        return f'<div class="case-study">{paragraphs}</div>'
    colour = plots.colour(region_id)
    words = _("This is the focus region of this edition: {region}.").format(region=regions.name(region_id))
    marker = f'<p class="focus-marker"><em>{html.escape(words)}</em></p>'
    return (
        f'<div class="case-study case-study-focus" style="border-left: 4px solid {colour}; padding-left: 0.8em">'
        f"{marker}{paragraphs}</div>"
    )


def show_case_study(region_id: str, focus_region: str) -> None:
    """Display a region's case study (see ``case_study_html``)."""
    display(HTML(case_study_html(region_id, focus_region)))


def show_points(dataset: str, keys: list | None = None) -> None:
    """Display numbered points of ``synthesis_points`` or ``recommendations`` (all, or those in ``keys``)."""
    specs = {"synthesis_points": ("point", "title_en"), "recommendations": ("rec_id", "theme")}
    if dataset not in specs:
        raise ValueError(f"unknown dataset {dataset!r} for points; valid: {', '.join(specs)}")
    key, title = specs[dataset]
    frame = i18n.data_texts(data.load(dataset), dataset)
    if keys is not None:
        missing = [k for k in keys if k not in set(frame[key])]
        if missing:
            raise ValueError(f"{dataset}: no {key} {missing}; valid: {', '.join(map(str, frame[key]))}")
        frame = frame[frame[key].isin(keys)]
    body = "".join(
        f'<p class="report-point"><strong>{html.escape(str(t))}.</strong> {_inline(x)}</p>'
        for t, x in zip(frame[title], frame["text_en"], strict=True)
    )
    display(HTML(f'<div class="report-points">{body}</div>'))


def _comparison(aspect_ids: list[str] | None) -> pd.DataFrame:
    frame = i18n.data_texts(data.load("institutional_comparison"), "institutional_comparison").sort_values("order")
    if aspect_ids is None:
        return frame
    missing = [a for a in aspect_ids if a not in set(frame["aspect_id"])]
    if missing:
        raise ValueError(f"institutional_comparison: no aspect {missing}; valid: {', '.join(frame['aspect_id'])}")
    return frame.set_index("aspect_id").loc[aspect_ids].reset_index()


#: How a Dutch cell of chapter 5's comparison that the report does not fill is marked as this edition's.
EDITION_CELL = N_("This edition (the report sets no Dutch side here): ")


def _netherlands_html(text: str, basis: str) -> str:
    if basis == "edition":
        label = html.escape(
            _("The Netherlands, this edition's note (the report sets no Dutch side here):"), quote=False
        )
        return f'<p class="edition-cell"><em>{label}</em> {_inline(text)}</p>'
    label = html.escape(_("The Netherlands:"))
    return f"<p><em>{label}</em> {_inline(text)}</p>"


def show_comparison(aspect_ids: list[str] | None = None) -> None:
    """Display aspects of chapter 5's comparison as paragraphs: the aspect, then Germany, then the Netherlands; a
    Dutch side the report does not give is marked as this edition's."""
    frame = _comparison(aspect_ids)
    germany = html.escape(_("Germany:"))
    body = "".join(
        f'<div class="report-comparison"><p><strong>{html.escape(a)}.</strong> <em>{germany}</em> {_inline(de)}</p>'
        f"{_netherlands_html(nl, basis)}</div>"
        for a, de, nl, basis in zip(
            frame["aspect"], frame["germany_en"], frame["netherlands_en"], frame["netherlands_basis"], strict=True
        )
    )
    display(HTML(body))


def comparison_table(aspect_ids: list[str] | None = None) -> pd.DataFrame:
    """Chapter 5's institutional comparison as a reader-facing table (aspect, Germany, the Netherlands)."""
    frame = _comparison(aspect_ids)
    shown = frame[["aspect", "germany_en", "netherlands_en"]].copy()
    for col in ("germany_en", "netherlands_en"):
        shown[col] = shown[col].str.replace("*", "", regex=False)
    shown["netherlands_en"] = shown["netherlands_en"].where(
        frame["netherlands_basis"] != "edition", _(EDITION_CELL) + shown["netherlands_en"]
    )
    return shown.rename(
        columns={"aspect": N_("aspect"), "germany_en": N_("Germany"), "netherlands_en": N_("the Netherlands")}
    )


def figures_sentence(parts: list[str]) -> str:
    """Join short figure phrases into one sentence body: '; ' between figures, ', ' before a phrase that continues
    the previous one ('against ...', 'and ...', 'of which ...', 'from ...')."""
    text = ""
    for part in parts:
        joiner = ", " if part.startswith(("against ", "and ", "of which ", "from ")) else "; "
        text = part if not text else text + joiner + part
    return text
