"""Numbers only from data: no number typed by hand in the prose of the chapters.

Every number the book states comes from a glue role ({glue:text}`name`), so that a run for another region or with
other data changes it. The scanner below strips code cells, roles, inline code, math, link targets, headings'
chapter numbers and front matter, joins each paragraph into one line (so a phrase broken across lines, "add up
to" / "100", is read whole) and reports every remaining digit group. Allowed: years (1800-2039, and ranges of
them), dates ("1 September"), and the report's labels (Tabel 1, chapter 2, footnote 16, Figure 4, level 3,
question 2, top 60, mbo2, ...). Adapted from the scanner prose_numbers.py, vendored here so CI needs nothing
outside the repository.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"

#: A number right after one of these words is a label, not a quantity ("Tabel 1", "level 3", "top 60").
LABEL_BEFORE = re.compile(
    r"(tabel|table|tables|chapter|chapters|hoofdstuk|footnote|footnotes|noot|figure|figures|figuur|bijlage|appendix|"
    r"level|levels|niveau|point|points|section|sections|rank|question|questions|conclusion|variant|step|top|nace|"
    r"nuts|mbo|ch|fig|no\.|nr\.?|#)\s*[\-–(]?\s*$",
    re.I,
)
#: "Tabel 1.1 and 1.2", "points 2, 4 and 6": numbers continuing a list of labels.
LABEL_LIST_BEFORE = re.compile(
    r"(tabel|table|tables|figures?|figuren|chapters?|levels?|points?|questions?|footnotes?)\s+\d+(\.\d+)?"
    r"(\s*(,|and|to|or|-|–)\s*\d+(\.\d+)?)*\s*(and|to|or|,|-|–)\s*$",
    re.I,
)
YEAR = re.compile(r"^(18\d\d|19\d\d|20[0-3]\d)$")
YEAR_RANGE = re.compile(r"^(18|19|20)\d\d\s*[-–]\s*((18|19|20)?\d\d)$")
MONTHS = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januari|februari|maart|mei|juni|juli|augustus|oktober)"
)
#: "add up to 100", "per 100", "index = 100", "a share above 100": 100 as the base of a percentage.
HUNDRED_AS_BASE = re.compile(r"(per|=|to|above|over|of|than)\s*$", re.I)


def prose_paragraphs(text: str):
    """Yield (first line number, paragraph text) for the prose of a MyST notebook: no front matter, no code.

    Code cells and plain code blocks are skipped; the bodies of directives (admonitions) are prose.
    """
    lines = text.splitlines()
    in_front = lines[:1] == ["---"]
    code_fence = None  # the fence of the code cell or code block we are in
    directives = []  # fences of the open directives (admonitions), innermost last
    paragraph, start = [], None
    for number, line in enumerate(lines, 1):
        if in_front:
            if number > 1 and line.strip() == "---":
                in_front = False
            continue
        stripped = line.strip()
        opener = re.match(r"^(`{3,}|:{3,}|~{3,})", stripped)
        if code_fence:
            if opener and stripped.startswith(code_fence) and stripped.rstrip("`:~") == "":
                code_fence = None
            continue
        if opener:
            if paragraph:
                yield start, " ".join(paragraph)
                paragraph, start = [], None
            fence, rest = opener.group(1), stripped[len(opener.group(1)) :].strip()
            if not rest and directives and fence == directives[-1]:
                directives.pop()  # the end of an admonition
            elif rest.startswith("{") and "{code-cell}" not in rest:
                directives.append(fence)  # an admonition (or other directive) opens
            else:
                code_fence = fence  # a code cell or a code block
            continue
        if not stripped or stripped.startswith(("+++", "<!--", "%", ":class:", ":tags:", ":label:")):
            if paragraph:
                yield start, " ".join(paragraph)
                paragraph, start = [], None
            continue
        if stripped.startswith("#"):
            stripped = re.sub(r"^#+\s*\d+(\.\d+)*\.?", "#", stripped)  # "# 2. Occupational dynamics"
        start = start or number
        paragraph.append(stripped)
    if paragraph:
        yield start, " ".join(paragraph)


#: A string literal in a code cell reads as prose when it has at least three words of letters ("grew by 4% a year");
#: identifiers, glue names ("ch1_focus_region"), format specs and paths do not.
SENTENCE = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}(\s+[A-Za-z\u00c0-\u024f]{2,}){2,}")


def code_cell_sentences(text: str):
    """Yield (line number, text) for every string literal in the code cells that reads as prose: a sentence built
    in a chapter's code is prose too, and its numbers must come from data as much as a paragraph's."""
    lines = text.splitlines()
    cell, start = None, 0
    for number, line in enumerate(lines, 1):
        if cell is None:
            if re.match(r"^(`{3,})\{code-cell\}", line.strip()):
                cell, start = [], number
            continue
        if line.strip().startswith("```") and line.strip().rstrip("`") == "":
            source = "\n".join("" if line.startswith(":") else line for line in cell)  # cell options: no Python
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and SENTENCE.search(node.value):
                    yield start + node.lineno, " ".join(re.sub(r"\{[^{}]*\}", " ", node.value).split())
            cell = None
            continue
        cell.append(line)


def hand_typed_numbers(text: str) -> list[tuple[int, str, str]]:
    """Every number typed by hand in the prose, and in the sentences of code cells: (line, number, context)."""
    found = []
    for number, paragraph in [*prose_paragraphs(text), *code_cell_sentences(text)]:
        clean = re.sub(r"\{[a-z:\-]+\}`[^`]*`", " ", paragraph)  # roles: glue, ref, doc, numref, ...
        clean = re.sub(r"`[^`]*`", " ", clean)  # inline code
        clean = re.sub(r"\$[^$]*\$", " ", clean)  # inline math
        clean = re.sub(r"\]\([^)]*\)", "]", clean)  # link targets
        clean = re.sub(r"\b[A-Z]{2}\d{1,3}[A-Z0-9]?\b", " ", clean)  # NUTS codes
        for match in re.finditer(r"\d[\d.,\u2009\u202f ]*\d|\d", clean):
            token = match.group(0).strip(" .,")
            before = clean[: match.start()]
            after = clean[match.end() : match.end() + 12].lower()
            if YEAR.match(token) or YEAR_RANGE.match(token):
                continue
            if re.match(r"\s*" + MONTHS, after):  # a date: 1 September
                continue
            if token == "100" and HUNDRED_AS_BASE.search(before):
                continue
            if re.sub(r"[\s,\u2009\u202f]", "", token) in ("100", "1000", "100000") and re.search(
                r"per\s*$", before, re.I
            ):
                continue  # a unit's base: per 100 000
            if re.search(r"python\s*$", before, re.I):
                continue
            if LABEL_BEFORE.search(before) or LABEL_LIST_BEFORE.search(
                clean[max(0, match.start() - 40) : match.start()]
            ):
                continue
            found.append((number, token, clean[max(0, match.start() - 40) : match.end() + 30]))
    return found


# --- the scanner itself ----------------------------------------------------------------------------------

FRONT = "---\njupytext: {}\n---\n\n"


def test_scanner_finds_a_number_typed_by_hand():
    assert [t for _, t, _ in hand_typed_numbers(FRONT + "About 42% of firms train apprentices.\n")] == ["42"]
    assert [t for _, t, _ in hand_typed_numbers(FRONT + "It has 1 082 establishments.\n")] == ["1 082"]


def test_scanner_allows_years_labels_dates_and_glue():
    text = FRONT + (
        "In 2014, Tabel 1 and figures 4 to 6 of chapter 2 (footnote 16) put level 3 above level 2;\n"
        "on 1 September 1984-2014 the {glue:text}`ch2_c84_same_same` share of the top 60 and `x = 5`.\n"
        "Philips was founded in 1891, see points 2, 4 and 6 and question 3.\n"
    )
    assert hand_typed_numbers(text) == []


def test_scanner_reads_a_phrase_broken_across_lines():
    text = FRONT + "The three columns should add up to\n100 for each region.\n"
    assert hand_typed_numbers(text) == []
    text = FRONT + "The three columns add up to 105 in\nthe table and 100 in the text.\n"
    assert [t for _, t, _ in hand_typed_numbers(text)] == ["105", "100"]


def test_scanner_skips_code_cells_but_reads_admonitions():
    text = FRONT + (
        "```{code-cell} ipython3\n:tags: [remove-cell]\nx = 17\n```\n\n"
        "```{admonition} This edition's analysis\n:class: edition-analysis\nA test on 19 regions.\n```\n\n"
        "After it, 23 firms.\n\n```python\ny = 29\n```\n"
    )
    assert [t for _, t, _ in hand_typed_numbers(text)] == ["19", "23"]


def test_scanner_reads_the_sentences_of_code_cells():
    text = FRONT + (
        '```{code-cell} ipython3\n:tags: [remove-cell]\nx = 17\nglue("ch1_focus_region", x, "zo-drenthe")\n'
        'note = f"The region grew by 4% a year since {year}."\n```\n'
    )
    assert [t for _, t, _ in hand_typed_numbers(text)] == ["4"]
    assert [line for line, _ in code_cell_sentences(text)] == [9]


# --- the chapters -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("chapter", sorted(p.name for p in CHAPTERS.glob("*.md")))
def test_no_number_is_typed_by_hand_in_the_prose(chapter):
    hits = hand_typed_numbers((CHAPTERS / chapter).read_text(encoding="utf-8"))
    assert not hits, "numbers typed by hand (glue them from data):\n" + "\n".join(
        f"  {chapter}:{line}: {token!r} in '…{context}…'" for line, token, context in hits
    )
