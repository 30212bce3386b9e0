"""Every speed trick of the build that bets on another library's internals, in one place.

A trick saves time by relying on something another library does not promise: a private method, the name of a
module, an import it tolerates failing, a call it makes. ``TRICKS`` lists them, each with what it saves, the
internals it bets on, where it is applied and the tests that guard it (``tests/test_tricks.py``, one section per
trick: they fail when a new version of the library breaks the bet). The small ones are applied here; the kernels'
(``regbook.kernels``, ``regbook.zygote``), the warm Jupyter Book (``regbook.compile_server``) and the two that run in
the chapters' library (``helpers.figures``, ``helpers.stats``) check their switch where they are applied.

A trick changes how fast the book is built, never what is built: the same pages and the same ``results.json``
with it and without it. ``REGBOOK_TRICKS_OFF=name,name`` (or ``all``) switches tricks off, for one build or one
test run (the tests that guard a trick switched off are skipped); the build then does what the libraries offer.
``make bench`` measures the build with each trick switched off against the default build, side by side in one
run (docs/performance.md has the table): a trick that buys under 10% on every scenario the bench reports is
deleted with its tests.

Not listed, because they bet on nothing undocumented: papermill's ``request_save_on_cell_execute=False``,
IPython's ``HistoryManager.enabled=False``, ``gc.freeze`` in the zygote, the build's own caches and fingerprints,
hard links between a site and the next, the results shared between kernels (``helpers.sharing``).
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

from helpers.switches import ALL, ENV, on, switched_off

__all__ = ["ALL", "ENV", "TRICKS", "Trick", "check_switches", "on", "switched_off"]

#: The bench's scenarios (``bench/bench_build.py``) that a trick may speed up.
SCENARIOS = ("cold", "nochange", "prose", "code", "regions")
_COMPILING = ("cold", "prose", "code", "regions")  # every build that compiles the site
_EXECUTING = ("cold", "code", "regions")  # every build that executes chapters


@dataclass(frozen=True)
class Trick:
    """One bet on another library's internals: ``name`` (its switch), what it ``saves``, the internals it
    ``bets_on``, where it is ``applied``, the tests that ``guard`` it (in tests/test_tricks.py) and the bench
    ``scenarios`` it is meant to speed up."""

    name: str
    saves: str
    bets_on: str
    applied: str
    guard: tuple[str, ...]
    scenarios: tuple[str, ...]


TRICKS = (
    Trick(
        "skip_rfc3987",
        "about 0.9 s of CPU in every process of the build that imports jsonschema (nbformat, papermill, Jupyter "
        "Book): rfc3987_syntax builds some 35 Earley parsers at import (python-jsonschema/jsonschema#1428)",
        "jsonschema._format imports rfc3987_syntax under suppress(ImportError) and then leaves the 'iri' formats, "
        "which no notebook or Jupyter Book schema uses, unchecked",
        "tricks.skip_slow_optional_modules (the command line, execution workers, Dask tasks, the warm Jupyter "
        "Book) and compile.skipped_modules (each compile)",
        ("test_jsonschema_imports_rfc3987_syntax_only_if_it_can_and_validates_notebooks_without_it",),
        _COMPILING,
    ),
    Trick(
        "c_stemmer",
        "Sphinx stems every word of the search index; snowballstemmer does it in C with PyStemmer installed (a "
        "dependency for that alone); switched off, compiles do without PyStemmer",
        "sphinx.search.en.SearchEnglish stems with snowballstemmer.stemmer('porter'), which is PyStemmer's "
        "Stemmer when 'import Stemmer' succeeds, with the same stems",
        "tricks.skip_slow_optional_modules (as skip_rfc3987; switched off, 'Stemmer' is made unimportable)",
        ("test_the_search_index_is_stemmed_by_the_c_stemmer_with_the_same_stems_as_the_python_one",),
        _COMPILING,
    ),
    Trick(
        "jupytext_without_server",
        "about 1 s of importing jupyter_server where the build parses a chapter that its parse cache does not hold",
        "jupytext/__init__.py imports its contents managers (which import jupyter_server) each in a try/except "
        "ImportError, and jupytext.reads needs none of them",
        "tricks.import_jupytext (regbook.chapters)",
        ("test_jupytext_parses_without_its_contents_managers_which_import_jupyter_server",),
        _COMPILING,
    ),
    Trick(
        "stand_ins",
        "0.25-0.4 s of every compile's start (a third of its imports): jupyter-cache and SQLAlchemy",
        "MyST-NB imports jupyter_cache (myst_nb.core.execute: get_cache, CacheBundleIn, NbProjectRecord, "
        "single_nb_execution) when it loads, and calls it only to execute; placeholders named like them do",
        "tricks.stand_in_execution_cache (the warm Jupyter Book's imports, and a compile run as a command) for "
        "books with execute_notebooks: off",
        (
            "test_myst_nb_loads_on_the_stand_in_and_a_call_into_it_says_why_it_fails",
            "test_a_book_that_executes_compiles_as_a_command_with_the_real_execution_cache",
        ),
        _COMPILING,
    ),
    Trick(
        "skip_social_cards",
        "importing matplotlib in every compile (a third of Jupyter Book's imports) for a book that turns social "
        "cards off",
        "sphinxext.opengraph imports matplotlib through sphinxext.opengraph._social_cards, in a try/except "
        "ImportError, and still writes the Open Graph tags without it",
        "compile.skipped_modules, for a book whose _config.yml sets ogp_social_cards: {enable: false}",
        (
            "test_the_social_card_module_is_the_one_opengraph_imports_matplotlib_through",
            "test_a_compile_skips_the_social_card_module_only_when_the_book_turns_social_cards_off",
        ),
        _COMPILING,
    ),
    Trick(
        "warm_compile",
        "importing Jupyter Book, Sphinx and the extensions (about 0.7 s of CPU, more than compiling a changed "
        "page) in every compile: a server imports them while the build plans and executes, and forks a compile",
        "jupyter_book.cli.main:main runs a whole compile in a process that imported the stack beforehand and "
        "was then forked, with sys.argv, the environment and the folder set as for the command",
        "regbook.compile_server (compile_server.mode)",
        (
            "test_a_compile_forked_from_the_warm_jupyter_book_makes_the_pages_the_command_makes",
            "test_compiles_run_in_a_detached_warm_server",
        ),
        _COMPILING,
    ),
    Trick(
        "forked_kernels",
        "about 3 s per chapter of starting a kernel and importing pandas, scipy, statsmodels, seaborn and "
        "matplotlib: kernels are forked from a zygote that imported them once",
        "jupyter_client's LocalProvisioner: a subclass whose launch_kernel sets the process, pid and pgid "
        "attributes its other methods use, with a Popen-like handle; ipykernel's kernelapp.launch_new_instance "
        "in a forked child; the private pandera modules the zygote imports",
        "regbook.kernels.enabled, ForkProvisioner (the entry point regbook-fork) and regbook.zygote",
        (
            "test_a_forked_kernel_collects_garbage_and_skips_what_it_inherited",
            "test_the_fork_provisioner_sets_what_local_provisioner_uses",
        ),
        _EXECUTING,
    ),
    Trick(
        "prompt_kernel_stop",
        "up to 0.1 s per chapter: jupyter_client checks a stopping kernel every 0.1 s",
        "the private AsyncKernelManager._async_finish_shutdown(waittime, pollinterval, restart), which passes "
        "pollinterval on to _async_wait",
        "regbook.kernels.BookKernelManager._async_finish_shutdown",
        ("test_the_kernel_manager_notices_an_exit_sooner_than_jupyter_clients_poll",),
        _EXECUTING,
    ),
    Trick(
        "ipc_kernels",
        "also a fix: no TCP ports for kernels started side by side to race for ('Address already in use')",
        "jupyter_client's ipc transport with an endpoint name of the manager's choosing (an abstract socket on "
        "Linux), through its 'transport' and 'ip' traits",
        "regbook.kernels.BookKernelManager (its transport and ip defaults)",
        ("test_chapter_kernels_talk_over_sockets_of_their_own_and_leave_none_behind",),
        _EXECUTING,
    ),
    Trick(
        "chart_layout_without_draw",
        "a full draw of every chart before the SVG's (0.51 s against 0.35 s of CPU for a two-panel bar chart)",
        "matplotlib's private RendererBase._draw_disabled(), which draw_without_rendering uses: legends and "
        "anchored boxes drawn under it place their texts and paint nothing",
        "helpers.figures._lay_out",
        (
            "test_laying_a_chart_out_without_drawing_places_its_legends_as_a_draw_does",
            "test_a_chart_with_text_below_the_floor_is_laid_out_once_and_ends_above_it",
        ),
        _EXECUTING,
    ),
    Trick(
        "holm_without_gc",
        "0.1-0.2 s per call, some 24 calls in a run of chapter 2: statsmodels' Holm correction runs a full "
        "garbage collection",
        "statsmodels.stats.multitest.multipletests calls gc.collect() in its Holm branch and nothing else of gc",
        "helpers.stats.multipletests",
        ("test_multipletests_is_statsmodels_without_its_garbage_collection",),
        _EXECUTING,
    ),
)
_NAMES = tuple(trick.name for trick in TRICKS)


def check_switches() -> str | None:
    """None when ``REGBOOK_TRICKS_OFF`` names only tricks (or ``all``); else one line naming the unknown ones and
    the valid names."""
    unknown = sorted(switched_off() - {*_NAMES, ALL})
    if not unknown:
        return None
    return (
        f"{ENV}: unknown trick(s) {', '.join(map(repr, unknown))}; valid: {', '.join(_NAMES)}, or {ALL} "
        "(comma-separated)"
    )


# --- skip_rfc3987 and c_stemmer: modules the build's processes do without ------------------------------------

#: jsonschema's optional IRI checker (``skip_rfc3987``).
RFC3987_MODULE = "rfc3987_syntax"
#: PyStemmer's module, which snowballstemmer takes when it can import it (``c_stemmer``).
C_STEMMER_MODULE = "Stemmer"


def skipped_modules() -> tuple[str, ...]:
    """Modules the build's own processes make unimportable: ``rfc3987_syntax`` (``skip_rfc3987``), and PyStemmer's
    when ``c_stemmer`` is switched off."""
    return (*([RFC3987_MODULE] if on("skip_rfc3987") else []), *([] if on("c_stemmer") else [C_STEMMER_MODULE]))


def skip_slow_optional_modules() -> None:
    """Make ``skipped_modules()`` unimportable in this process (unless one is imported already).

    ``None`` in ``sys.modules`` makes the import fail with ImportError, which the importing library expects. Called
    where a process of the build starts (the command line, an execution worker, a Dask task, the warm Jupyter
    Book), never on import: importing this package changes nothing in the importing process. Chapter kernels are
    not affected (the zygote puts the modules back before it imports anything).
    """
    for name in skipped_modules():
        sys.modules.setdefault(name, None)


# --- jupytext_without_server -----------------------------------------------------------------------------------

#: jupytext's Jupyter contents managers, which import jupyter_server (about 1 s) when they can.
JUPYTEXT_SERVER_MODULES = ("jupytext.sync_contentsmanager", "jupytext.async_contentsmanager")


def import_jupytext():
    """jupytext, imported without its contents managers (``jupytext_without_server``; they stay importable as
    modules afterwards)."""
    if "jupytext" in sys.modules or not on("jupytext_without_server"):
        import jupytext

        return jupytext
    held = [name for name in JUPYTEXT_SERVER_MODULES if name not in sys.modules]
    sys.modules.update(dict.fromkeys(held))
    try:
        import jupytext
    finally:
        for name in held:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return jupytext


# --- stand_ins: jupyter-cache in compiles that execute nothing -------------------------------------------------

#: jupyter-cache and the submodules MyST-NB imports from it (``myst_nb.core.execute``).
EXECUTION_CACHE_MODULES = (
    "jupyter_cache",
    "jupyter_cache.base",
    "jupyter_cache.cache",
    "jupyter_cache.cache.db",
    "jupyter_cache.executors",
    "jupyter_cache.executors.utils",
)


class ExecutionOff(RuntimeError):
    """Raised by a stand-in: this compile was started for a book that does not execute notebooks."""


class _Placeholder(Exception):
    """A name imported from a stand-in; it can be named (also in an ``except`` clause), never called."""

    def __new__(cls, *args, **kwargs):
        raise ExecutionOff(
            f"{cls.__module__}.{cls.__name__} was called in a compile with execute_notebooks: off; "
            'the build executes chapters itself (set execute_notebooks to "off" in _config.yml)'
        )


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        placeholder = type(name, (_Placeholder,), {"__module__": self.__name__})
        setattr(self, name, placeholder)
        return placeholder


def stand_in_execution_cache() -> None:
    """Put stand-ins for jupyter-cache in ``sys.modules`` (``stand_ins``; a module imported already stays as it is).

    Only for a compile of a book that executes nothing (``compile.executes``): every name imported from a stand-in
    is a placeholder, and calling one raises ``ExecutionOff``, naming the setting. nbclient and jupyter_client
    cannot be stood in for: MyST-NB calls nbclient's ``run_sync`` when it defines its classes.
    """
    if not on("stand_ins"):
        return
    for name in EXECUTION_CACHE_MODULES:
        if name not in sys.modules:
            module = _StandIn(name)
            module.__path__ = []  # a package, so that its submodules import
            sys.modules[name] = module


# --- skip_social_cards -----------------------------------------------------------------------------------------

#: sphinxext.opengraph's social-card images, which import matplotlib; with the module unimportable the extension
#: still writes the pages' Open Graph tags and notes that it makes no cards.
SOCIAL_CARDS_MODULE = "sphinxext.opengraph._social_cards"


def social_cards_skipped(cards_enabled: object) -> tuple[str, ...]:
    """``(SOCIAL_CARDS_MODULE,)`` for a book whose ``ogp_social_cards.enable`` is ``cards_enabled`` when that is
    False and ``skip_social_cards`` is on; else ()."""
    return (SOCIAL_CARDS_MODULE,) if cards_enabled is False and on("skip_social_cards") else ()
