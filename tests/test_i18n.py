"""The library's languages: the catalogue complete, the language parameter, the Dutch number format."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from helpers import data, derived, i18n, narrative, numbers, params, paths
from helpers.numbers import MINUS, THOUSANDS, fmt, p_cell, pct, pvalue, raw_number


@pytest.fixture
def dutch():
    """The library speaks Dutch for one test, English again after it."""
    i18n.use("nl")
    yield
    i18n.use("en")


def extracted_messages() -> dict[str | tuple, str]:
    """Every message marked in the library (as ``make catalogues-library`` extracts it, with babel.cfg), with
    where it is."""
    with (paths.ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(str(paths.ROOT), method_map, options_map):
        found[message] = f"{filename}:{lineno}"
    return found


def dutch_catalogue():
    with i18n.catalogue_path("nl").open("rb") as po:
        return read_po(po, locale="nl")


def test_every_library_message_has_a_checked_dutch_translation():
    catalogue = dutch_catalogue()
    messages = extracted_messages()
    # the extraction found the library's messages, the landing page's and the chapters' code cells'
    assert len(messages) > 500
    places = {where.rsplit(":", 1)[0] for where in messages.values()}
    assert "src/regbook/landing.py" in places and "chapters/ch2_occupations.md" in places
    problems = []
    for message, where in messages.items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        if entry is None:
            problems.append(f"{where}: not in the catalogue: {key!r} (run make catalogues-library)")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy (unchecked) translation: {key!r}")
        elif not all(entry.string) if isinstance(entry.string, tuple) else not entry.string:
            problems.append(f"{where}: no Dutch translation: {key!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_keeps_every_placeholder():
    """A translation names the same ``{placeholders}`` as its message (else ``.format`` fails or drops one)."""
    import string

    def fields(text):
        return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})

    wrong = []
    for entry in dutch_catalogue():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            if text and fields(text) != fields(ids[-1]) and fields(text) != fields(ids[0]):
                wrong.append(f"{entry.id!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def use_catalogue(entries: str, tmp_path, monkeypatch) -> None:
    """A Dutch catalogue of ``entries`` (PO text after the header) in place of the package's, for one test."""
    po = tmp_path / "nl" / "LC_MESSAGES" / "helpers.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n' + entries,
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translations.cache_clear()


def test_a_missing_or_fuzzy_entry_is_found(tmp_path, monkeypatch):
    """The completeness check fails on a catalogue that lacks a message or has only an unchecked one."""
    use_catalogue('#, fuzzy\nmsgid "yes"\nmsgstr "ja"\n', tmp_path, monkeypatch)
    with pytest.raises(AssertionError) as err:
        test_every_library_message_has_a_checked_dutch_translation()
    assert "fuzzy (unchecked) translation: 'yes'" in str(err.value)
    assert "not in the catalogue: 'no'" in str(err.value)


def test_a_fuzzy_translation_is_not_shown(tmp_path, monkeypatch):
    use_catalogue('#, fuzzy\nmsgid "yes"\nmsgstr "nee"\n\nmsgid "no"\nmsgstr "nee"\n', tmp_path, monkeypatch)
    try:
        assert i18n.translations("nl").gettext("yes") == "yes"
        assert i18n.translations("nl").gettext("no") == "nee"
    finally:
        i18n.translations.cache_clear()


def test_language_parameter():
    assert params.defaults()["language"] == "en"
    assert params.coerce("language", "nl") == "nl"
    with pytest.raises(params.ParameterError) as err:
        params.coerce("language", "de")
    assert str(err.value) == "parameter 'language': got 'de'; valid: en, nl"
    with pytest.raises(params.ParameterError, match="valid: en, nl"):
        params.coerce("language", "NL ")


def test_use_sets_the_language_and_rejects_others(dutch):
    assert i18n.current() == "nl"
    assert i18n._("yes") == "ja"
    with pytest.raises(ValueError, match="valid: en, nl"):
        i18n.use("fr")
    i18n.use("en")
    assert i18n._("yes") == "yes"


# Dutch numbers: expected strings written by hand (the report prints '1.082', '22,1%'), and each checked against
# babel's own nl_NL format (CLDR) with the book's minus sign.
DUTCH = [
    # (function, arguments, keywords, expected)
    (fmt, (1082,), {}, "1.082"),
    (fmt, (1234567.891, 2), {}, "1.234.567,89"),
    (fmt, (-0.55, 1), {}, f"{MINUS}0,6"),  # -0.55 is stored just below: rounds away from zero, as in English
    (fmt, (0.5, 1), {"signed": True}, "+0,5"),
    (fmt, (12.5, 1, "km2"), {}, "12,5\u00a0km\u00b2"),
    (pct, (22.06,), {}, "22,1%"),
    (pct, (-14.94,), {}, f"{MINUS}14,9%"),
    (pvalue, (0.0321,), {}, "p = 0,032"),
    (pvalue, (0.0004,), {}, "p < 0,001"),
    (pvalue, (0.0321,), {"prefix": False}, "0,032"),
    (p_cell, (0.0001,), {}, "< 0,001"),
    (p_cell, (0.25,), {}, "0,250"),
]


@pytest.mark.parametrize("function, args, kwargs, expected", DUTCH)
def test_dutch_number_format(dutch, function, args, kwargs, expected):
    assert function(*args, **kwargs) == expected


@pytest.mark.parametrize("value, decimals", [(1082, 0), (1234567.891, 2), (-14.94, 1), (522100, 0), (0.032, 3)])
def test_dutch_numbers_agree_with_babel(dutch, value, decimals):
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    expected = format_decimal(value, format=pattern, locale="nl_NL").replace("-", MINUS)
    assert fmt(value, decimals) == expected


def test_english_numbers_unchanged():
    assert fmt(1082) == f"1{THOUSANDS}082"
    assert fmt(1234567.891, 2) == f"1{THOUSANDS}234{THOUSANDS}567.89"
    assert pct(-14.94) == f"{MINUS}14.9%"
    assert pvalue(0.0321) == "p = 0.032" and pvalue(0.0004) == "p < 0.001" and p_cell(0.0001) == "< 0.001"
    assert pvalue(math.nan) == "p not computable"
    assert numbers.confidence_level(0.025) == "97.5%"
    assert fmt(True) == "yes"


def test_dutch_words_and_levels(dutch):
    assert pvalue(math.nan) == "p niet te berekenen"
    assert pvalue(None, prefix=False) == "niet te berekenen"
    assert numbers.confidence_level(0.025) == "97,5%"
    assert fmt(True) == "ja" and fmt(False) == "nee"


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.082", 1082),
        (f"{MINUS}0,5", -0.5),
        ("1.234.567,89", 1234567.89),
        ("22,1", 22.1),
        ("\u2013", None),
        ("Twente", "Twente"),
    ],
)
def test_dutch_cells_read_back(dutch, text, value):
    assert raw_number(text) == value


def test_english_cells_read_back():
    assert raw_number(f"1{THOUSANDS}082") == 1082 and raw_number(f"{MINUS}0.5") == -0.5


# --- sentences in Dutch: both branches of representative narrative functions --------------------------------------


def test_dutch_lists_and_words(dutch):
    from helpers import narrative

    assert narrative.listing(["Twente", "Bremen", "Emsland"]) == "Twente, Bremen en Emsland"
    assert narrative.listing(["4", "6"], "or") == "4 of 6"
    assert narrative.number_word(4) == "vier" and narrative.number_word(11) == "11"
    assert narrative.number_range(4, 6) == "4 tot 6" and narrative.smallest_n(None) == "nooit"
    assert narrative.faster_or_slower(0.5) == "sneller" and narrative.faster_or_slower(-0.5) == "langzamer"
    assert narrative.percent_range(13.94, 1082.0) == "13,9% tot 1.082,0%"


def test_dutch_homogeneity_verdict_singular_and_plural(dutch):
    from helpers import narrative

    one = narrative.homogeneity_verdict([0.01, 0.2, 0.3], [0.1, 0.25, 0.05], 0.05)
    assert one == (
        "Bij de aangenomen steekproefomvang verschilt 1 van de 3 blokken significant tussen de regio's "
        "(bij 0,05); de grootste Cramérs V is 0,250."
    )
    two = narrative.homogeneity_verdict([0.01, 0.02, 0.3], [0.1, 0.25, 0.05], 0.05)
    assert two.startswith("Bij de aangenomen steekproefomvang verschillen 2 van de 3 blokken")


def test_dutch_rijnmond_reading_both_branches(dutch):
    from helpers import narrative

    significant = narrative.rijnmond_reading(0.01, 0.05, 1000, None)
    assert significant == (
        "De eerste lezing van het rapport, een grotere kans op werkloosheid in Groot-Rijnmond dan "
        "in de andere drie regio's, heeft p = 0,010 bij 1.000 aangenomen personen per regio en is "
        "daar significant; Tabel 1 laat het bij geen enkele n zien."
    )
    not_significant = narrative.rijnmond_reading(0.2, 0.05, 1000, 2500)
    assert (
        "heeft p = 0,200 bij 1.000 aangenomen personen per regio en is daar niet significant; vanaf 2.500 "
        "personen per regio zou ze significant zijn." in not_significant
    )


def test_dutch_pavitt_sentence_both_branches(dutch):
    import pandas as pd

    from helpers import narrative

    stated = pd.DataFrame(
        {"pavitt_type": ["specialised_supplier", "scale_intensive"], "basis": ["stated", "interpreted"]}
    )
    assert narrative.pavitt_sentence("Twente", stated) == (
        "In de termen van Pavitt noemt het rapport de bedrijven van Twente gespecialiseerde toeleveranciers. "
        "Deze editie leest de beschrijving van Twente in het rapport als die van schaalintensieve producenten."
    )
    none = pd.DataFrame({"pavitt_type": [], "basis": []})
    assert narrative.pavitt_sentence("Bremen", none) == "Het rapport noemt geen Pavitt-type voor Bremen."


def test_dutch_country_names(dutch):
    from helpers import regions

    assert regions.name("de") == "Duitsland" and regions.name("nl") == "Nederland"
    assert regions.name("zo-drenthe") == "Zuidoost-Drenthe"


def test_english_sentences_unchanged():
    from helpers import narrative, regions

    assert narrative.listing(["Twente", "Bremen", "Emsland"]) == "Twente, Bremen and Emsland"
    assert narrative.homogeneity_verdict([0.01, 0.2, 0.3], [0.1, 0.25, 0.05], 0.05) == (
        "At the assumed sample size 1 of the 3 blocks differs significantly between the regions (at 0.05); the "
        "largest Cramér's V is 0.250."
    )
    assert regions.name("de") == "Germany"


def test_no_message_is_hidden_in_an_f_string():
    """``pybabel extract`` does not look inside f-strings: a ``_("...")`` there would never reach the catalogue."""
    import io
    import re
    import tokenize

    literal_message = re.compile(r"\b(_|ngettext)\(\s*['\"]")
    hidden = []
    for path in sorted((paths.ROOT / "src").rglob("*.py")):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            text = token.string
            if (
                token.type == tokenize.STRING
                and text.lower().lstrip("rb").startswith("f")
                and (literal_message.search(text))
            ):
                hidden.append(f"{path.relative_to(paths.ROOT)}:{token.start[0]}")
    assert not hidden, hidden


# --- a chapter in Dutch ----------------------------------------------------------------------------------------------


def run_chapter(chapter: str, language: str, monkeypatch) -> dict[str, str]:
    """Execute a chapter's code cells in this process as the build would with the parameter ``language`` (its value
    set after the parameters cell, as papermill injects it); returns every glued name's text as the page shows it.
    Nothing is displayed: the library's ``display`` is replaced by one that records the glued texts."""
    import ast
    import sys

    from helpers.glue import GLUE_PREFIX

    glued: dict[str, str] = {}

    def record(bundle, raw=False, metadata=None, **_kwargs):
        if isinstance(bundle, dict) and metadata and "scrapbook" in metadata:
            glued[metadata["scrapbook"]["name"]] = ast.literal_eval(bundle[GLUE_PREFIX + "text/plain"])

    from IPython.display import display

    import helpers.brief  # noqa: F401 (imported before display is replaced)
    import helpers.content  # noqa: F401
    import helpers.figures  # noqa: F401
    import helpers.markup  # noqa: F401
    import helpers.tables  # noqa: F401

    for name, module in list(sys.modules.items()):
        if name.startswith("helpers") and getattr(module, "display", None) is display:
            monkeypatch.setattr(module, "display", record)
    monkeypatch.chdir(paths.CHAPTERS_DIR)
    text = (paths.CHAPTERS_DIR / f"{chapter}.md").read_text(encoding="utf-8")
    namespace: dict = {"__name__": "__chapter__"}
    try:
        for cell in re.finditer(
            r"^```\{code-cell\}[^\n]*\n(?P<options>(?::[^\n]*\n)*)(?P<source>.*?)^```", text, re.MULTILINE | re.DOTALL
        ):
            exec(compile(cell["source"], f"{chapter}.md", "exec"), namespace)  # noqa: S102 (the book's own chapter)
            if "parameters" in cell["options"]:
                namespace["language"] = language
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")
        i18n.use("en")
    return glued


def test_chapter_1_glues_dutch_sentences_with_dutch_numbers(monkeypatch):
    glued = run_chapter("ch1_world", "nl", monkeypatch)
    paragraph = glued["ch1_focus_paragraph"]
    assert paragraph.startswith("In Zuidoost-Drenthe ging het aantal vestigingen onder buitenlandse zeggenschap van ")
    assert "per jaar" in paragraph and " the " not in paragraph
    assert re.search(r"\(index \d{3},\d\)", paragraph)  # a Dutch decimal comma
    assert re.search(r"\(p = 0,\d{3}\)", paragraph)
    assert glued["ch1_net_rate"].endswith("\u00a0procentpunten")
    assert glued["ch1_alpha"] == "0,05"
    assert i18n.current() == "en"  # the chapter's language does not outlive it here


def test_chapter_1_in_english_is_unchanged(monkeypatch):
    glued = run_chapter("ch1_world", "en", monkeypatch)
    assert glued["ch1_focus_paragraph"].startswith(
        "In Zuidoost-Drenthe the number of foreign-controlled establishments"
    )
    assert glued["ch1_alpha"] == "0.05" and glued["ch1_net_rate"].endswith("\u00a0percentage points")


# --- the landing page of the region books ----------------------------------------------------------------------------


def landing_rows():
    from regbook.landing import LandingRow

    return [
        LandingRow(
            id="twente",
            name="Twente",
            country="NL",
            nuts_code="NL213",
            level="NACE sections",
            largest_sector="G Trade",
            largest_share=14.94,
            manufacturing_lq=1.234,
            similar="Zuidoost-Drenthe",
            report_region=True,
            built=True,
        ),
        LandingRow(
            id="user",
            name="Hof <b>",
            country="DE",
            nuts_code="",
            level="groups",
            largest_sector="G-J",
            largest_share=22.0,
            manufacturing_lq=None,
            similar="Bremen",
            report_region=False,
            built=False,
        ),
    ]


def test_landing_page_in_dutch():
    from regbook.landing import landing_html

    with i18n.using("nl"):
        page = landing_html(landing_rows())
    assert i18n.current() == "en"
    assert '<html lang="nl">' in page
    assert "<title>Regionale dynamiek en beroepsonderwijs: het boek per regio</title>" in page
    assert '<td data-label="Grootste bedrijfstak" data-sort="G Trade">G Trade (14,9%)</td>' in page
    assert '<td data-label="LQ industrie" data-sort="1.234000">1,23</td>' in page  # sort key stays a JS number
    assert 'td[data-label="LQ industrie"]' in page  # the number column's style follows its label
    assert 'data-template="{shown} van {total} regio&#x27;s">2 van 2 regio\'s</output>' in page
    assert 'Hof &lt;b&gt; <span class="note">(niet gemaakt)</span>' in page


def test_landing_page_in_english_keeps_its_words():
    from regbook.landing import landing_html

    page = landing_html(landing_rows())
    assert '<html lang="en">' in page and 'output id="count" aria-live="polite" data-template' not in page
    assert '<td data-label="Largest sector" data-sort="G Trade">G Trade (14.9%)</td>' in page
    assert '<td data-label="Manufacturing LQ" data-sort="1.234000">1.23</td>' in page
    assert '<output id="count" aria-live="polite">2 of 2 regions</output>' in page


# --- tables and charts in Dutch --------------------------------------------------------------------------------------


def test_dutch_table_translates_headers_cells_and_its_controls(dutch):
    import pandas as pd

    from helpers.tables import table_html

    frame = pd.DataFrame(
        {
            "verdict": ["discrepancy", "consistent"],
            "statement": ["a", "b"],
            "p-value": [0.0004, 0.25],
            "employees": [1082.0, 12.5],
            "significant": [True, False],
        }
    )
    page = table_html(frame, "t", "Bijschrift.", "het rapport")
    assert '<th scope="col">oordeel</th>' in page and '<th scope="col" class="num">p-waarde</th>' in page
    assert '<td class="num" data-label="p-waarde">&lt; 0,001</td>' in page  # a p column read from its English name
    assert '<td class="num" data-label="employees">1.082,0</td>' in page  # Dutch numbers are numbers
    assert '<span class="verdict verdict-discrepancy">afwijking</span>' in page  # the class stays the data's word
    assert 'data-verdict="discrepancy"' in page and '<option value="discrepancy">afwijking (1)</option>' in page
    assert 'data-template="{shown} van {total} rijen getoond">2 van 2 rijen getoond</output>' in page
    assert "<em>Bron: het rapport</em>" in page and "De gegevens achter deze tabel downloaden (CSV)" in page
    assert '<td data-label="significant">ja</td>' in page


def test_dutch_chart_ticks_use_the_decimal_comma(dutch):
    import matplotlib.pyplot as plt

    from helpers.figures import chart_numbers

    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0.5, 2.5, 1.5])
    ax.set_yticks([0.5, 1.5, 2.5])
    ax.set_xticks([1, 2], labels=["1.5 m", "B"])  # labels the book wrote itself are left alone
    assert chart_numbers(fig) > 0
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0,5", "1,5", "2,5"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1.5 m", "B"]
    plt.close(fig)


def test_english_chart_ticks_untouched():
    import matplotlib.pyplot as plt

    from helpers.figures import chart_numbers

    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0.5, 2.5, 1.5])
    ax.set_yticks([0.5, 1.5, 2.5])
    assert chart_numbers(fig) == 0
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.5", "1.5", "2.5"]
    plt.close(fig)


def test_dutch_audit_headline_and_brief(dutch):
    import pandas as pd

    from helpers import audit, brief

    checks = audit.run_audit()
    assert re.fullmatch(
        r"Van \d+ controles van het rapport tegen zichzelf vinden er \d+ iets\. \d+ daarvan "
        r"verander(t|en) wat een lezer zou concluderen.*\. Verder berust(en)? \d+ controles? op een "
        r"identificatie die het rapport niet beslecht; \d+ stemmen overeen, binnen de afronding van de "
        r"gedrukte cijfers; en \d+ zijn niet met de eigen tabellen van het rapport te controleren\.",
        audit.headline(checks),
    )
    empty = brief.audit_finding(checks.iloc[0:0], "")
    assert empty["text"] == "De audit heeft hier geen numerieke bewering van het rapport om te controleren."
    one = pd.DataFrame(
        [{**{c: None for c in audit.COLUMNS}, "check_id": "x:1", "verdict": "consistent", "statement": "s"}]
    )
    assert brief.audit_finding(one, "x")["text"] == (
        "De audit controleert 1 bewering die hierop betrekking heeft: 1 stemt overeen met de eigen tabellen van het "
        "rapport."
    )


def test_no_function_both_translates_and_discards_into_underscore():
    """A function that calls ``_()`` must not also bind ``_`` (``for _, row in ...``): the name would then be the
    discarded value, not gettext, and the call fails only on the path that reaches it."""
    import ast

    clashes = []
    for path in sorted([*(paths.ROOT / "src" / "helpers").rglob("*.py"), paths.ROOT / "src/regbook/landing.py"]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            names = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == "_"]
            calls = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                for n in ast.walk(function)
            )
            if calls and any(isinstance(n.ctx, ast.Store) for n in names):
                clashes.append(f"{path.relative_to(paths.ROOT)}:{function.lineno} {function.name}")
    assert not clashes, clashes


def test_chapter_5s_education_chart_names_countries_and_levels_in_the_readers_language():
    education = derived.education_shares()
    assert derived.education_shown(education)[["country", "level"]].equals(education[["country", "level"]])
    with i18n.using("nl"):
        shown = derived.education_shown(education)
    assert list(shown["country"]) == ["Duitsland"] * 3 + ["Nederland"] * 3
    assert list(shown["level"]) == ["laag", "middelbaar", "hoog"] * 2
    assert shown["share_percent"].equals(education["share_percent"])


def test_key_figure_units_are_in_the_readers_language():
    assert set(data.load("key_figures")["unit"]) <= set(narrative.KEY_FIGURE_UNITS)
    meta = derived.key_figure_meta("Tabel 2")
    with i18n.using("nl"):
        assert (
            narrative.unit_word("establishments per 100000 labour force") == "vestigingen per 100.000 beroepsbevolking"
        )
        units = {narrative.unit_word(u) for u in meta["unit"]}
    assert "procent over 10 jaar" in units and not {"percent", "firms"} & units
    with pytest.raises(ValueError, match="known units: percent"):
        narrative.unit_word("furlongs")


def test_chart_labels_built_from_data_keys_are_in_the_readers_language():
    from helpers import plots, synthetic

    english = derived.apprenticeship_market()
    assert list(english["figure"]) == ["vacant training places", "applicants without a place", "new training contracts"]
    with i18n.using("nl"):
        market = derived.apprenticeship_market()
        probs = pd.DataFrame(
            25.0, index=[name for name, _level in synthetic.PROGRAMMES[:2]], columns=list(plots.OUTCOME_COLOURS)
        )
        fig = plots.outcome_bars(probs, "t")
    assert list(market["figure"]) == ["vacante leerplekken", "kandidaten zonder plaats", "nieuwe leerwerkcontracten"]
    assert market["count"].equals(english["count"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["mbo-2 metaal", "mbo-2 logistiek"]
    with i18n.using("nl"):
        measures = derived.hq_counts_long(derived.hq_comparison().loc[["twente"]])["measure"]
    assert list(measures) == ["buiten de regio", "in het buitenland"]


def test_the_reason_the_report_pairs_two_regions_is_in_the_readers_language():
    ids = ["zo-drenthe", "emsland", "twente"]
    distances = pd.DataFrame([[0.0, 0.5, 0.2], [0.5, 0.0, 0.4], [0.2, 0.4, 0.0]], index=ids, columns=ids)
    assert "(both in the periphery of their country, chapter 5)" in narrative.focus_pairing_sentence(
        "emsland", distances
    )
    with i18n.using("nl"):
        dutch = narrative.focus_pairing_sentence("emsland", distances)
    assert "(beide in de periferie van hun land, hoofdstuk 5)" in dutch and "periphery" not in dutch


def test_a_dutch_builds_landing_page_is_its_own_and_links_the_dutch_books(tmp_path, monkeypatch):
    from regbook import landing
    from regbook.planning import make_variant
    from tests.conftest import use_build_dir

    use_build_dir(monkeypatch, tmp_path)
    variants = [make_variant(region, language="nl") for region in ("twente", "bremen")]
    (variants[0].layout.html).mkdir(parents=True)
    (variants[0].layout.html / "index.html").write_text("<title>Twente</title>")
    target = landing.write_landing_page(variants)
    assert target == tmp_path / "regions" / "nl" / "index.html"
    page = target.read_text(encoding="utf-8")
    assert '<html lang="nl">' in page and '<a href="../twente/nl/html/index.html">Twente</a>' in page
    assert (target.parent / "../twente/nl/html/index.html").resolve() == (variants[0].layout.html / "index.html")
    assert 'Bremen <span class="note">(niet gemaakt)</span>' in page
    assert not (tmp_path / "regions" / "index.html").exists()  # the English landing page is not touched
    assert i18n.current() == "en"
