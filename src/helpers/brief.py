"""The report in brief: its research questions and main conclusions, each with what the audit and the tests found.

The questions and conclusions are data (``research_questions``, ``report_conclusions``); this module turns the
audit's rows and the edition's tests into one sentence each and renders the lists with links to the book's pages.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from . import audit, derived, i18n, numbers, stats
from .i18n import N_, _, ngettext

VERDICT_ORDER = list(audit.VERDICTS)
#: The edition's own tests a conclusion can point to (report_conclusions.edition_test).
EDITION_TESTS = ("tabel1_homogeneity", "foreign_control_trends")


def audit_finding(checks: pd.DataFrame, prefixes) -> dict:
    """What the audit found among the checks whose id starts with one of ``prefixes`` (text separated by ';').

    Returns {'n': checks, '<verdict>': count per verdict, 'discrepancies': their statements, 'text': a sentence}.
    """
    rows = audit.checks_matching(checks, prefixes if isinstance(prefixes, str) else "")
    counts = rows["verdict"].value_counts().reindex(VERDICT_ORDER, fill_value=0)
    found = {
        "n": len(rows),
        **{v: int(counts[v]) for v in VERDICT_ORDER},
        "discrepancies": rows.loc[rows["verdict"] == "discrepancy", "statement"].tolist(),
    }
    if rows.empty:
        found["text"] = _("The audit has no numeric statement of the report to check here.")
        return found
    agree, disagree, unchecked = (
        found["consistent"] + found["consistent within rounding"],
        found["discrepancy"],
        found["not recomputable"],
    )
    differ, unsure = found[audit.TABLES_DIFFER], found[audit.UNCERTAIN]
    grades = rows.loc[rows["verdict"] == "discrepancy", "grade"].value_counts()
    if agree == disagree == differ == unsure == 0:
        parts = [_("none of them can be checked from the report's own data")]
    else:
        # one English message for both numbers (the English text says '1 agree'); Dutch needs both forms
        parts = (
            [
                ngettext(
                    "{n} agree with the report's own tables", "{n} agree with the report's own tables", agree
                ).format(n=numbers.fmt(agree, 0))
            ]
            if agree
            else []
        )
        if disagree:
            graded = ", ".join(
                _("{count} {grade}").format(count=numbers.fmt(int(grades[g]), 0), grade=_(g))
                for g in audit.GRADES
                if g in grades
            )
            parts.append(
                ngettext("{n} is a discrepancy ({grades})", "{n} are discrepancies ({grades})", disagree).format(
                    n=numbers.fmt(disagree, 0), grades=graded
                )
            )
        if differ:
            parts.append(
                ngettext(
                    "{n} is a difference between two tables", "{n} are differences between two tables", differ
                ).format(n=numbers.fmt(differ, 0))
            )
        if unsure:
            parts.append(
                ngettext(
                    "{n} rests on an identification the report does not settle",
                    "{n} rest on an identification the report does not settle",
                    unsure,
                ).format(n=numbers.fmt(unsure, 0))
            )
        if unchecked:
            parts.append(
                ngettext(
                    "{n} cannot be checked from its data", "{n} cannot be checked from its data", unchecked
                ).format(n=numbers.fmt(unchecked, 0))
            )
    text = ngettext(
        "The audit checks {n} statement bearing on this: {parts}.",
        "The audit checks {n} statements bearing on this: {parts}.",
        len(rows),
    ).format(n=numbers.fmt(len(rows), 0), parts=", ".join(parts))
    if found["discrepancies"]:
        shown = [s.split(" [recomputed")[0].split(" Note:")[0] for s in found["discrepancies"][:3]]
        more = len(found["discrepancies"]) - len(shown)
        listed = "; ".join(shown)
        if more > 0:
            listed = _("{listed}; and {more} more").format(listed=listed, more=numbers.fmt(more, 0))
        text += " " + _("Discrepancies: {listed}.").format(listed=listed)
    found["text"] = text
    return found


def edition_test_finding(test: str | None, alpha: float, sample_size: int) -> dict:
    """One sentence on what the edition's own test found (``EDITION_TESTS``); empty text when ``test`` is empty."""
    if test is None or (isinstance(test, float) and pd.isna(test)) or test is pd.NA or test == "":
        return {"text": ""}
    if test not in EDITION_TESTS:
        raise ValueError(f"unknown edition test {test!r}; valid: {', '.join(EDITION_TESTS)}")
    if test == "tabel1_homogeneity":
        blocks = ["status_2014", "occupation_2014", "level_2014"]
        sizes = derived.tabel1_block_sizes(sample_size)  # occupation and level blocks: those still working
        results = {b: stats.homogeneity_test(derived.tabel1_block_shares(b), sizes[b]) for b in blocks}
        significant = sum(r.p_value < alpha for r in results.values())
        largest_v = max(r.effect_size for r in results.values())
        text = _(
            "This edition's chi-square tests of Tabel 1, assuming {n} persons per region (the report gives no "
            "sample sizes; those still working for the occupation and level blocks), find the four regions "
            "differing in {significant} of its {blocks} blocks at the {alpha} level, with small effects (largest "
            "Cramér's V {v}); whether they differ depends on the assumed size."
        ).format(
            n=numbers.fmt(sample_size, 0),
            significant=numbers.fmt(significant, 0),
            blocks=numbers.fmt(len(blocks), 0),
            alpha=numbers.general(alpha),
            v=numbers.fmt(largest_v, 3),
        )
        return {"text": text, "significant_blocks": significant, "blocks": len(blocks), "largest_cramers_v": largest_v}
    trends = derived.foreign_control_trends(alpha)
    tested = trends[trends["difference_p"].notna()] if "difference_p" in trends else trends.iloc[0:0]
    differing = int((tested["difference_p"] < alpha).sum()) if len(tested) else 0
    text = _(
        "This edition's trend tests of Bijlage 1, Tabel 1.2 (establishments under foreign control, 2010-2013) "
        "find {differing} of the {tested} Dutch regions with a series growing significantly (at {alpha}) faster "
        "or slower than the rest of the Netherlands; the report itself draws no regional conclusion from the "
        "table."
    ).format(differing=numbers.fmt(differing, 0), tested=numbers.fmt(len(tested), 0), alpha=numbers.general(alpha))
    return {"text": text, "regions_differing": differing, "regions_tested": len(tested)}


def _inline(text: str) -> str:
    """Escape text for HTML; a word between asterisks (a Dutch term, '*filiaaleconomie*') becomes italic."""
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html.escape(text))


def _report_quote(quote: str) -> str:
    """The report's own words in parentheses after a text of the editors; nothing where the book is in the report's
    language, whose text already says it in the report's words."""
    if i18n.current() == i18n.REPORT_LANGUAGE:
        return ""
    return f' (<em lang="{i18n.REPORT_LANGUAGE}">{html.escape(quote)}</em>)'


def _link(page: str, text: str) -> str:
    return f'<a href="{html.escape(page)}.html">{html.escape(text)}</a>'


PAGE_TITLES = {
    "index": N_("the introduction (front page)"),
    "ch1_world": N_("chapter 1"),
    "ch2_occupations": N_("chapter 2"),
    "ch3_regions": N_("chapter 3"),
    "ch4_vocational": N_("chapter 4"),
    "ch5_germany": N_("chapter 5"),
    "ch6_outlook": N_("chapter 6"),
    "appendix_audit": N_("the audit (appendix B)"),
}


def _page_title(page: str) -> str:
    return _(PAGE_TITLES[page]) if page in PAGE_TITLES else page


def show_questions(questions: pd.DataFrame, checks: pd.DataFrame | None = None) -> None:
    """Render the research questions with the report's answers and links; with ``checks``, the audit's finding."""
    items = []
    this_edition = html.escape(_("This edition:"))
    for q in i18n.data_texts(questions, "research_questions").itertuples(index=False):
        finding = (
            ""
            if checks is None
            else (
                f'<br/><span class="edition-finding"><em>{this_edition}</em> '
                f"{html.escape(audit_finding(checks, q.audit_checks)['text'])}</span>"
            )
        )
        evidence = ", ".join(f"<code>{html.escape(d.strip())}</code>" for d in q.evidence.split(";"))
        where = _(
            "The report answers it in {location}; this book: {page}, {section}. Evidence (datasets): {evidence}."
        ).format(
            location=html.escape(q.report_location),
            page=_link(q.book_page, _page_title(q.book_page)),
            section=html.escape(q.book_section),
            evidence=evidence,
        )
        items.append(
            f"<li><p><strong>{html.escape(q.question_en)}</strong>{_report_quote(q.question_nl)}"
            f"<br/>{_inline(q.answer_en)}<br/><small>{where}</small>"
            f"{finding}</p></li>"
        )
    display(HTML('<ol class="research-questions">' + "".join(items) + "</ol>"))


def show_conclusions(conclusions: pd.DataFrame, checks: pd.DataFrame, alpha: float, sample_size: int) -> list[dict]:
    """Render the main conclusions, each with its link, the audit's finding and the edition's test; return them."""
    items, records = [], []
    for c in i18n.data_texts(conclusions, "report_conclusions").itertuples(index=False):
        found = audit_finding(checks, c.audit_checks)
        tested = edition_test_finding(c.edition_test, alpha, sample_size)
        records.append(
            {
                "conclusion": int(c.conclusion),
                "audit": found["text"],
                "test": tested["text"],
                **{k: found[k] for k in ["n", *VERDICT_ORDER]},
            }
        )
        evidence = ", ".join(f"<code>{html.escape(d.strip())}</code>" for d in c.evidence.split(";"))
        where = _("{location}; this book: {page}; evidence: {evidence}.").format(
            location=html.escape(c.report_location),
            page=_link(c.book_page, _page_title(c.book_page)),
            evidence=evidence,
        )
        this_edition = html.escape(_("This edition:"))
        items.append(
            f"<li><p>{_inline(c.statement_en)}{_report_quote(c.quote_nl)}"
            f"<br/><small>{where}</small><br/>"
            f'<span class="edition-finding"><em>{this_edition}</em> {html.escape(found["text"])}'
            + (f" {html.escape(tested['text'])}" if tested["text"] else "")
            + "</span></p></li>"
        )
    display(HTML('<ol class="report-conclusions">' + "".join(items) + "</ol>"))
    return records
