"""The Dutch edition: where it goes, its command line, its catalogues, its glued values and its language switch."""

from __future__ import annotations

import posixpath
import re
import types
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import regbook as build
from helpers import paths
from regbook import cli, editions, sphinx_i18n
from regbook.layout import Layout
from tests.conftest import use_build_dir

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "locales" / "nl" / "LC_MESSAGES"


# --- where the edition goes, and the command line ------------------------------------------------------------------


def test_dutch_sites_go_beside_the_english_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path)
    assert Layout("default", "nl").html == tmp_path / "nl" / "html"
    assert Layout("twente", "nl").html == tmp_path / "regions" / "twente" / "nl" / "html"
    assert Layout("default").html == tmp_path / "html"  # the English edition where it always was
    assert Layout("twente").html == tmp_path / "regions" / "twente" / "html"
    english, dutch = Layout("twente"), Layout("twente", "nl")
    for folder in ("staging", "jb_out", "failed"):
        assert getattr(english, folder) != getattr(dutch, folder)


@pytest.mark.processes  # jupytext asks pandoc its version
def test_every_kernel_gets_the_edition_language(fixture_book):
    jobs, _ = build.plan([build.make_variant(None, language="nl")])
    assert jobs and all(job.parameters["language"] == "nl" for job in jobs)
    english, _ = build.plan([build.make_variant(None)])
    assert all(job.parameters["language"] == "en" for job in english)
    # the two editions never share an executed chapter
    assert not {job.key for job in jobs} & {job.key for job in english}


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--language", "de"],
        ["run", "--language=EN"],
        ["build", "--all-regions", "--language", "fr"],
        ["run", "-p", "language", "nl"],
    ],
)
def test_an_unknown_language_is_one_line_naming_the_valid_ones(argv, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(build, "build", lambda *a, **k: started.append(a))
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "valid: en, nl" in err and "Traceback" not in err
    assert not started


# --- the catalogues ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, expected",
    [
        ("This edition's analysis", True),
        ("`ch1_world`", False),
        ("12.3", False),
        ("{glue:text}`ch6_n_base`", False),
        ("{glue:text}`ch6_n_base` base elements", True),
    ],
)
def test_a_message_needs_translating_when_it_has_words(message, expected):
    assert editions.needs_translation(message) is expected


def _catalogues() -> list[Path]:
    return sorted(CATALOGUES.rglob("*.po"))


def test_the_dutch_catalogues_exist_for_every_page_and_the_configuration():
    pages = {f"chapters/{Path(entry).name}" for entry in build.toc_entries(ROOT)}
    found = {po.relative_to(CATALOGUES).with_suffix("").as_posix() for po in _catalogues()}
    assert pages | {editions.BOOK_DOMAIN} <= found


def test_the_configuration_catalogue_has_every_text_of_the_configuration():
    with open(CATALOGUES / f"{editions.BOOK_DOMAIN}.po", "rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    assert set(editions.book_texts(ROOT)) <= ids


def _messages():
    """(catalogue, message) of every message of the Dutch catalogues."""
    for po in _catalogues():
        with open(po, "rb") as handle:
            for message in read_po(handle):
                if message.id:
                    yield po.relative_to(CATALOGUES).as_posix(), message


def test_every_message_of_the_catalogues_is_translated():
    """Non-empty, not fuzzy; that the messages are the current pages' own is
    ``test_the_catalogues_hold_the_messages_of_the_current_pages``."""
    missing = [f"{po}: {m.id[:60]!r}" for po, m in _messages() if not m.string or m.fuzzy]
    assert not missing, f"{len(missing)} untranslated: " + "; ".join(missing[:10])


#: Words of English that Dutch does not use: two of them in one Dutch sentence mean English was left in it
#: (Dutch's own "is", "of", "die", "was", "had", "door" are not among them).
ENGLISH_ONLY = frozenset(
    [
        "the",
        "and",
        "which",
        "with",
        "this",
        "that",
        "from",
        "are",
        "were",
        "their",
        "its",
        "has",
        "have",
        "would",
        "these",
        "those",
        "what",
        "where",
        "when",
        "there",
        "between",
        "each",
        "every",
        "than",
        "not",
        "for",
        "by",
    ]
)
#: What is not a translator's text: code, roles and glued values, and quotations marked with their language.
_NOT_PROSE = re.compile(r"\{[^}`]+\}`[^`]*`|`[^`]*`|\[[^\]]*\]\{\.lang-[a-z]+\}|<[^>]+>|https?://\S+")


def english_words(text: str) -> set[str]:
    """The words of ``ENGLISH_ONLY`` in a text."""
    return ENGLISH_ONLY.intersection(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(
    "text, english",
    [
        ("De werkloosheid is hoger dan in de andere regio's.", False),
        ("Of the checks, two change what a reader would conclude.", True),
        ("Hoe meer nieuwe bedrijven, hoe meer er wordt geëxperimenteerd.", False),
    ],
)
def test_the_word_list_tells_english_from_dutch(text, english):
    assert (len(english_words(text)) >= 2) is english


def test_no_translation_is_left_in_english():
    """Every translated message, its code, glued values and marked quotations left out, reads as Dutch."""
    english = [
        f"{po}: {m.string[:80]!r}" for po, m in _messages() if len(english_words(_NOT_PROSE.sub(" ", m.string))) >= 2
    ]
    assert not english, "; ".join(english[:10])


@pytest.fixture(scope="module")
def both_editions(tmp_path_factory):
    """The real book's English and Dutch editions, built once for this module in a build folder of its own."""
    mp = pytest.MonkeyPatch()
    use_build_dir(mp, tmp_path_factory.mktemp("editions"))
    try:
        for language in ("en", "nl"):
            report = build.build([build.make_variant(None, language=language)], log=lambda m: None)
            assert report.ok, language
        yield paths.BUILD_DIR
    finally:
        mp.undo()


@pytest.mark.slow
@pytest.mark.processes
def test_the_catalogues_hold_the_messages_of_the_current_pages(both_editions, tmp_path):
    """The messages extracted from the book as it is now (``make catalogues``' extraction) are each in the catalogue
    of their page: a page's new or changed sentence without a catalogue entry fails here."""
    from regbook import catalogues

    pot_dir = catalogues.extract(tmp_path / "gettext")
    absent = []
    for pot in pot_dir.rglob("*.pot"):
        with open(pot, "rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
        po = CATALOGUES / pot.relative_to(pot_dir).with_suffix(".po")
        with open(po, "rb") as handle:
            have = {m.id for m in read_po(handle) if m.id and not m.fuzzy}
        absent += [f"{po.name}: {text[:60]!r}" for text in sorted(wanted - have)]
    assert not absent, "; ".join(absent[:10])


# --- glued values in translated sentences ---------------------------------------------------------------------------


def test_myst_nb_still_loses_glue_data_in_a_translated_sentence():
    """Guard of ``sphinx_i18n``'s shim: myst-nb reads glue data from ``document["nb_renderer"]`` only, which a
    translated sentence's document lacks. If this fails, myst-nb changed: check whether the shim is still needed."""
    from myst_nb.ext.glue import roles, utils

    with pytest.raises(utils.RetrievalError):
        utils.retrieve_glue_data({}, "anything")
    assert "retrieve_glue_data" in roles.PasteTextRole.run.__code__.co_names  # looked up in the module: patchable


def test_the_shim_hands_the_pages_renderer_to_a_translated_sentence():
    from myst_nb.ext.glue import roles

    sphinx_i18n.install_glue_shim()
    assert roles.retrieve_glue_data is sphinx_i18n._retrieve_glue_data
    glue_data = {"n": {"data": {"text/plain": "'4'"}, "metadata": {}}}
    renderer = types.SimpleNamespace(
        renderer=types.SimpleNamespace(nb_client=types.SimpleNamespace(glue_data=glue_data))
    )
    env = types.SimpleNamespace(temp_data={})
    page = types.SimpleNamespace(settings=types.SimpleNamespace(env=env))
    page_document = _Document(page.settings, nb_renderer=renderer)
    assert roles.retrieve_glue_data(page_document, "n").data == {"text/plain": "'4'"}
    translated = _Document(page.settings)  # the sentence's own document: no renderer
    assert roles.retrieve_glue_data(translated, "n").data == {"text/plain": "'4'"}
    env.temp_data.clear()  # the next page: nothing is carried over
    with pytest.raises(Exception):  # noqa: B017 - myst-nb's own error, whatever its type: no glue data is found
        roles.retrieve_glue_data(_Document(page.settings), "n")


class _Document(dict):
    """What the glue roles read of a docutils document: its attributes (a mapping) and its settings."""

    def __init__(self, settings, **attributes):
        super().__init__(attributes)
        self.settings = settings


# --- the language switch -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["default", "twente"])
@pytest.mark.parametrize("page", ["chapters/index", "chapters/ch1_world", "genindex"])
def test_the_switch_links_each_page_to_the_same_page_of_the_other_edition(tmp_path, monkeypatch, variant, page):
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path)
    sites = {language: Layout(variant, language).html for language in ("en", "nl")}
    for here, there in (("en", "nl"), ("nl", "en")):
        switch, tags = sphinx_i18n.switch_html(page, editions.editions_config(here))
        href = re.search(r'href="([^"]+)"', switch).group(1)
        assert not href.startswith(("/", "http"))  # relative: works from the file system
        page_folder = posixpath.dirname((sites[here] / f"{page}.html").as_posix())
        assert posixpath.normpath(posixpath.join(page_folder, href)) == (sites[there] / f"{page}.html").as_posix()
        assert f'hreflang="{there}"' in switch and f'hreflang="{there}"' in tags


# --- a built Dutch page ----------------------------------------------------------------------------------------------


def page_prose(html: str) -> str:
    """The text a page's own words make (its article), without code, what code printed, glued values (the
    library's, in the edition's language once it writes them so) and passages marked as in another language."""
    from bs4 import BeautifulSoup

    article = BeautifulSoup(html, "html.parser").find("article")
    for node in article.select(".cell_input, .cell_output, .pasted-text, pre, script, style, [lang]:not([lang=nl])"):
        node.decompose()
    return article.get_text(" ", strip=True)


@pytest.mark.slow
@pytest.mark.processes
def test_the_dutch_book_has_no_english_sentences_left(both_editions):
    """Every page of the Dutch edition as built (``python -m helpers build --language nl``): no sentence of its own
    text has two words of English (``ENGLISH_ONLY``), and each page links to its English page and back."""
    site, english_site = Layout("default", "nl").html, Layout("default").html
    found = []
    for entry in build.toc_entries(ROOT):
        page = (site / f"{entry}.html").read_text(encoding="utf-8")
        assert '<html lang="nl"' in page
        _assert_links_to((site / f"{entry}.html"), english_site / f"{entry}.html")
        _assert_links_to(english_site / f"{entry}.html", site / f"{entry}.html")
        prose = page_prose(page)
        for sentence in re.split(r"(?<=[.:;?!])\s+", prose):
            if len(english_words(sentence)) >= 2:
                found.append(f"{entry}: {sentence[:100]!r}")
    assert not found, f"{len(found)} English sentences: " + "; ".join(found[:10])


def _assert_links_to(page: Path, other: Path) -> None:
    """``page``'s edition switch leads to ``other``, which exists."""
    href = re.search(r'class="edition-link" href="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), href)))
    assert target == other and target.is_file()


FIXTURE_CATALOGUE = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\n"
"Language: nl\n"

msgid "Fixture book"
msgstr "Testboek"

msgid "Unemployment in {glue:text}`fx_region` is {glue:text}`fx_unemployment`."
msgstr "De werkloosheid in {glue:text}`fx_region` bedraagt {glue:text}`fx_unemployment`."
"""


@pytest.mark.slow
@pytest.mark.processes
def test_a_built_dutch_page_has_the_translation_with_its_glued_values(fixture_book):
    catalogue = fixture_book / "locales" / "nl" / "LC_MESSAGES" / "chapters" / "index.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(FIXTURE_CATALOGUE, encoding="utf-8")
    messages = []
    report = build.build([build.make_variant(None, language="nl")], jobs=1, log=messages.append)
    assert report.ok
    page = (paths.BUILD_DIR / "nl" / "html" / "chapters" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in page
    text = re.sub(r"<[^>]+>", "", page)
    assert re.search(r"De werkloosheid in [^\n<]+ bedraagt \d", text), "glued values in the translation"
    assert "Testboek" in text and "Unemployment in" not in text
    assert not english_words(page_prose(page)), "English left on the Dutch page"
    # the untranslated page and sentence are named by the build
    assert any("chapters/second" in m and "numeric claims" in m for m in messages)
    english = build.build([build.make_variant(None)], jobs=1, log=lambda m: None)
    assert english.ok
    english_page = (paths.BUILD_DIR / "html" / "chapters" / "index.html").read_text(encoding="utf-8")
    assert "Unemployment in" in english_page and '<html lang="en"' in english_page
    assert 'href="../../nl/html/chapters/index.html"' in english_page
    assert 'href="../../../html/chapters/index.html"' in page
