"""The speed tricks of ``regbook.tricks``: one section per trick, in the order of ``TRICKS``.

Each section holds the tests that guard its trick's bet on another library's internals: they fail when a new
version of that library breaks it (a private method gone, a module renamed, an import no longer optional, a call
no longer made). Every test here carries ``@pytest.mark.trick(name)`` and is skipped when ``REGBOOK_TRICKS_OFF``
switches that trick off; a trick deleted takes its section with it. The first section checks the switch and that
every trick names guards that exist here.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import switches
from regbook import tricks

HERE = Path(__file__)


def fresh(code: str, **env: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter (with ``env`` added to this environment)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env={**os.environ, **env}
    )


# --- the switch and the register ---------------------------------------------------------------------------------


def _trick_markers() -> dict[str, set[str]]:
    """Test function of this module -> the tricks its ``@pytest.mark.trick(...)`` decorators name."""
    found: dict[str, set[str]] = {}
    for node in ast.parse(HERE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found[node.name] = {
                d.args[0].value
                for d in node.decorator_list
                if isinstance(d, ast.Call) and ast.unparse(d.func) == "pytest.mark.trick"
            }
    return found


def test_every_trick_is_guarded_here_and_every_test_here_names_a_trick():
    markers = _trick_markers()
    names = [trick.name for trick in tricks.TRICKS]
    assert len(set(names)) == len(names)
    for trick in tricks.TRICKS:
        assert trick.guard and trick.scenarios and set(trick.scenarios) <= set(tricks.SCENARIOS), trick.name
        for test in trick.guard:
            assert trick.name in markers.get(test, set()), (
                f"{trick.name}: its guard {test} is not a test here marked with it"
            )
    assert [name for name, marked in markers.items() if not marked] == list(SWITCH_TESTS)
    assert set().union(*markers.values()) <= set(names)


#: The tests of this first section, which guard no trick.
SWITCH_TESTS = (
    "test_every_trick_is_guarded_here_and_every_test_here_names_a_trick",
    "test_the_switch_names_tricks_to_switch_off_or_all",
    "test_an_unknown_trick_is_one_line_naming_it_and_the_valid_names",
    "test_the_command_line_refuses_an_unknown_trick_before_it_starts_anything",
)


def test_the_switch_names_tricks_to_switch_off_or_all(monkeypatch):
    monkeypatch.delenv(switches.ENV, raising=False)
    assert all(tricks.on(trick.name) for trick in tricks.TRICKS) and tricks.check_switches() is None
    monkeypatch.setenv(switches.ENV, " stand_ins, c_stemmer ,")
    assert not tricks.on("stand_ins") and not tricks.on("c_stemmer") and tricks.on("warm_compile")
    assert tricks.check_switches() is None
    monkeypatch.setenv(switches.ENV, "all")
    assert not any(tricks.on(trick.name) for trick in tricks.TRICKS) and tricks.check_switches() is None


def test_an_unknown_trick_is_one_line_naming_it_and_the_valid_names(monkeypatch):
    monkeypatch.setenv(switches.ENV, "stand_ins,standins")
    problem = tricks.check_switches()
    assert "'standins'" in problem and "stand_ins" in problem and "all" in problem and "\n" not in problem


def test_the_command_line_refuses_an_unknown_trick_before_it_starts_anything(monkeypatch, capsys):
    from regbook import cli, compile_server

    monkeypatch.setenv(switches.ENV, "no_such_trick")
    monkeypatch.setattr(compile_server, "prewarm", lambda: pytest.fail("a warm Jupyter Book was started"))
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert "REGBOOK_TRICKS_OFF" in err and "no_such_trick" in err and "Traceback" not in err


# --- skip_rfc3987 ------------------------------------------------------------------------------------------------


@pytest.mark.trick("skip_rfc3987")
@pytest.mark.processes
def test_jsonschema_imports_rfc3987_syntax_only_if_it_can_and_validates_notebooks_without_it():
    """The bet: jsonschema imports rfc3987_syntax when it can (what the skip saves) and does without it."""
    probe = (
        "import json, sys\n{skip}import jsonschema, nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
        "print(json.dumps(['rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None,"
        " 'iri' in jsonschema.FormatChecker.checkers]))"
    )
    imported = fresh(probe.format(skip=""))
    skipped = fresh(probe.format(skip="from regbook import tricks; tricks.skip_slow_optional_modules()\n"))
    assert imported.returncode == 0 and skipped.returncode == 0, imported.stderr + skipped.stderr
    assert json.loads(imported.stdout) == [True, True]
    assert json.loads(skipped.stdout) == [False, False]


@pytest.mark.trick("skip_rfc3987")
@pytest.mark.parametrize(
    "off, expected", [("", ("rfc3987_syntax",)), ("skip_rfc3987", ()), ("c_stemmer", ("rfc3987_syntax", "Stemmer"))]
)
def test_the_builds_processes_skip_what_the_switch_says(monkeypatch, off, expected):
    monkeypatch.setenv(switches.ENV, off)
    assert tricks.skipped_modules() == expected


# --- c_stemmer ---------------------------------------------------------------------------------------------------


@pytest.mark.trick("c_stemmer")
def test_the_search_index_is_stemmed_by_the_c_stemmer_with_the_same_stems_as_the_python_one():
    """Sphinx's English search stems every word with snowballstemmer, which takes PyStemmer when it is installed."""
    import Stemmer
    from snowballstemmer.porter_stemmer import PorterStemmer
    from sphinx.search.en import SearchEnglish

    search = SearchEnglish({})
    assert isinstance(search.stemmer, Stemmer.Stemmer)
    words = [
        "regions",
        "dynamics",
        "vocational",
        "occupations",
        "mobility",
        "relatedness",
        "employees",
        "industrial",
        "education",
        "cooperation",
        "specialisation",
        "generalizing",
        "ran",
        "running",
    ]
    assert [search.stem(word) for word in words] == [PorterStemmer().stemWord(word) for word in words]


# --- jupytext_without_server -------------------------------------------------------------------------------------


@pytest.mark.trick("jupytext_without_server")
@pytest.mark.processes
def test_jupytext_parses_without_its_contents_managers_which_import_jupyter_server():
    """The bet: jupytext imports jupyter_server through its contents managers (what the trick saves), each in a
    try/except, and parses MyST without them; they stay importable afterwards."""
    probe = (
        "import json, sys\nfrom regbook import tricks\n{how}\n"
        "nb = jupytext.reads('# A title\\n\\n```{{code-cell}} ipython3\\n1 + 1\\n```\\n', fmt='md:myst')\n"
        "server = 'jupyter_server' in sys.modules\n"
        "import jupytext.sync_contentsmanager\n"
        "print(json.dumps([server, [c.cell_type for c in nb.cells]]))"
    )
    plain = fresh(probe.format(how="import jupytext"))
    held = fresh(probe.format(how="jupytext = tricks.import_jupytext()"))
    assert plain.returncode == 0 and held.returncode == 0, plain.stderr + held.stderr
    assert json.loads(plain.stdout) == [True, ["markdown", "code"]]
    assert json.loads(held.stdout) == [False, ["markdown", "code"]]


# --- stand_ins ---------------------------------------------------------------------------------------------------


@pytest.mark.trick("stand_ins")
@pytest.mark.processes
def test_myst_nb_loads_on_the_stand_in_and_a_call_into_it_says_why_it_fails():
    """In a fresh interpreter: MyST-NB's Sphinx extension imports without jupyter-cache and SQLAlchemy; a name
    taken from the stand-in can be caught as an exception but not called."""
    probe = """
import sys
from regbook import tricks
tricks.stand_in_execution_cache()
import myst_nb.sphinx_ext
from jupyter_cache import get_cache
assert "sqlalchemy" not in sys.modules and not hasattr(sys.modules["jupyter_cache"], "__file__")
try:
    get_cache(".jupyter_cache")
except get_cache:
    raise SystemExit("a placeholder was built")
except tricks.ExecutionOff as error:
    print(error)
"""
    done = fresh(probe)
    assert done.returncode == 0, done.stderr
    assert "jupyter_cache.get_cache" in done.stdout and "execute_notebooks" in done.stdout


@pytest.mark.trick("stand_ins")
@pytest.mark.processes
def test_a_book_that_executes_compiles_as_a_command_with_the_real_execution_cache(tmp_path, monkeypatch):
    """The warm server imports the stand-in, so it may only compile books with execution off."""
    from importlib.metadata import version

    from regbook import compile as compiling
    from regbook import compile_server

    monkeypatch.setattr(compile_server, "run", lambda *a, **k: pytest.fail("sent to the warm server"))
    code, output = compiling._jupyter_book(["--version"], tmp_path, (), executes=True)
    assert code == 0 and f"Jupyter-Cache     : {version('jupyter-cache')}" in output


@pytest.mark.trick("stand_ins")
@pytest.mark.parametrize(
    "execute, executes",
    [
        ('execute: {execute_notebooks: "off"}', False),
        ("execute: {execute_notebooks: off}", False),
        ("execute: {execute_notebooks: cache}", True),
        ("execute: {execute_notebooks: auto}", True),
        ("execute: {timeout: 30}", True),
        ("title: A book", True),
        ("execute: [unclosed", True),
    ],
)
def test_only_a_book_with_execution_off_compiles_without_the_execution_cache(tmp_path, execute, executes):
    """Jupyter Book executes by default ("auto"); so does a book whose configuration cannot be read."""
    from regbook import compile as compiling

    (tmp_path / "_config.yml").write_text(execute + "\n")
    assert compiling.executes(tmp_path) is executes
    assert compiling.executes(tmp_path / "no-such-book") is True


# --- skip_social_cards -------------------------------------------------------------------------------------------


@pytest.mark.trick("skip_social_cards")
def test_the_social_card_module_is_the_one_opengraph_imports_matplotlib_through():
    """If sphinxext-opengraph moved its matplotlib import, skipping this module would save nothing; and it imports
    the module in a try/except ImportError, without which the skip would stop the compile."""
    import importlib.util

    def source(module: str) -> str:
        return Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8")

    assert "import matplotlib" in source(tricks.SOCIAL_CARDS_MODULE)
    guarded = r"try:\s+from sphinxext\.opengraph\._social_cards import[^\n]*(\n\s+.*)*?\nexcept ImportError"
    assert re.search(guarded, source("sphinxext.opengraph"))


@pytest.mark.trick("skip_social_cards")
@pytest.mark.parametrize(
    "cards, skipped",
    [
        ("ogp_social_cards: {enable: false}", True),
        ("ogp_social_cards: {enable: true}", False),
        ("ogp_type: article", False),
        ("ogp_social_cards: {enable: 'no'}", False),
    ],
)
def test_a_compile_skips_the_social_card_module_only_when_the_book_turns_social_cards_off(tmp_path, cards, skipped):
    """The social-card module imports matplotlib; a book that turns the cards off compiles without it."""
    from regbook.compile import skipped_modules

    (tmp_path / "_config.yml").write_text(f"title: A book\nsphinx:\n  config:\n    {cards}\n")
    modules = skipped_modules(tmp_path)
    assert set(tricks.skipped_modules()) <= set(modules)
    assert (tricks.SOCIAL_CARDS_MODULE in modules) is skipped


@pytest.mark.trick("skip_social_cards")
def test_a_book_without_a_readable_configuration_skips_only_the_builds_own_modules(tmp_path):
    from regbook.compile import skipped_modules

    assert skipped_modules(tmp_path) == tricks.skipped_modules()  # no _config.yml: Jupyter Book reports that itself
    (tmp_path / "_config.yml").write_text("sphinx: [unclosed\n")
    assert skipped_modules(tmp_path) == tricks.skipped_modules()


# --- warm_compile ------------------------------------------------------------------------------------------------

TINY_BOOK = {
    "_config.yml": 'title: A tiny book\nexecute:\n  execute_notebooks: "off"\n',
    "_toc.yml": "format: jb-book\nroot: index\n",
    "index.md": "# A tiny book\n\nSome words to compile.\n",
}


@pytest.mark.trick("warm_compile")
@pytest.mark.slow
def test_a_compile_forked_from_the_warm_jupyter_book_makes_the_pages_the_command_makes(tmp_path, monkeypatch):
    """The bet: ``jupyter_book.cli.main:main`` compiles as the command does in a child forked from a process that
    imported the stack beforehand (with the stand-ins), given the command's arguments, environment and folder."""
    from regbook import compile_server

    monkeypatch.setenv("REGBOOK_WARM_COMPILE", "build")
    pages = {}
    for how in ("warm", "command"):
        book = tmp_path / how
        book.mkdir()
        for name, text in TINY_BOOK.items():
            (book / name).write_text(text)
        argv = ["build", str(book), "--path-output", str(book), "-W", "-n", "--keep-going", "--quiet"]
        if how == "warm":
            try:
                code = compile_server.run(argv, str(tmp_path / "warm.log"), str(book))
            finally:
                compile_server.stop_build_server()
        else:
            code = subprocess.run(
                [str(Path(sys.executable).with_name("jupyter-book")), *argv], cwd=book, capture_output=True
            ).returncode
        assert code == 0, (tmp_path / "warm.log").read_text() if how == "warm" else how
        pages[how] = (book / "_build" / "html" / "index.html").read_text().replace(str(book), "BOOK")
    assert "Some words to compile." in pages["warm"]
    assert pages["warm"] == pages["command"]


@pytest.mark.trick("warm_compile")
@pytest.mark.slow
def test_compiles_run_in_a_detached_warm_server(fixture_book, monkeypatch):
    """When turned on, the warm Jupyter Book is reachable after a build and is not a child of the build's process."""
    import psutil

    from regbook import compile_server
    from tests.fixtures.fixture_book import build_book

    monkeypatch.setenv("REGBOOK_WARM_COMPILE", "1")
    monkeypatch.setenv("REGBOOK_WARM_COMPILE_IDLE", "30")  # the test leaves no server behind for long
    assert build_book().ok
    path = compile_server.socket_path()
    assert os.path.exists(path)
    children = {p.pid for p in psutil.Process().children(recursive=True)}
    servers = [p for p in psutil.process_iter(["cmdline"]) if path in (p.info["cmdline"] or [])]
    assert servers and not {p.pid for p in servers} & children
    assert servers[0].nice() == psutil.Process().nice()  # a build's lowering of its own server leaves it alone


# --- forked_kernels ----------------------------------------------------------------------------------------------


async def _run_in_kernel(manager, code: str) -> list[str]:
    """Start the manager's kernel, run ``code`` and return its printed lines; the kernel is shut down after."""
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        outputs = []
        await client.execute_interactive(code, timeout=60, output_hook=outputs.append)
        return [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"]
    finally:
        client.stop_channels()
        await manager.shutdown_kernel()


@pytest.mark.trick("forked_kernels")
@pytest.mark.slow
def test_a_forked_kernel_collects_garbage_and_skips_what_it_inherited(tmp_path, monkeypatch):
    """The zygote freezes its imports before it forks (gc.freeze: a kernel's collections then do not touch, and
    copy, the pages it shares); the kernel itself must collect its own garbage as any kernel does."""
    from regbook import kernels

    monkeypatch.setenv("JUPYTER_PATH", str(kernels.kernelspec_dir(tmp_path)))
    code = "import gc\nprint(gc.isenabled(), gc.get_freeze_count() > 10000)"
    try:
        manager = kernels.BookKernelManager(kernel_name=kernels.KERNEL_NAME)
        assert asyncio.run(_run_in_kernel(manager, code)) == ["True True\n"]
    finally:
        kernels.close_zygote()


@pytest.mark.trick("forked_kernels")
@pytest.mark.slow
def test_the_fork_provisioner_sets_what_local_provisioner_uses(tmp_path, monkeypatch):
    """The bet: LocalProvisioner's other methods (poll, signals, kill, wait) work from the ``process``, ``pid`` and
    ``pgid`` that ForkProvisioner.launch_kernel sets, so jupyter_client sees a forked kernel live, signals its
    process group and notices its death."""
    from regbook import kernels

    monkeypatch.setenv("JUPYTER_PATH", str(kernels.kernelspec_dir(tmp_path)))

    async def scenario():
        manager = kernels.BookKernelManager(kernel_name=kernels.KERNEL_NAME)
        await manager.start_kernel()
        try:
            provisioner = manager.provisioner
            assert isinstance(provisioner, kernels.ForkProvisioner)
            assert isinstance(provisioner.process, kernels.ForkedKernelProcess)
            assert provisioner.pid == provisioner.pgid == provisioner.process.pid
            assert provisioner.has_process and await provisioner.poll() is None and await manager.is_alive()
            await manager.signal_kernel(signal.SIGKILL)  # LocalProvisioner signals the process group (pgid)
            for _ in range(500):
                if not await manager.is_alive():
                    break
                await asyncio.sleep(0.01)
            return await manager.is_alive(), await provisioner.poll()
        finally:
            await manager.cleanup_resources()

    try:
        alive, returncode = asyncio.run(scenario())
    finally:
        kernels.close_zygote()
    assert alive is False and returncode == -signal.SIGKILL


# --- prompt_kernel_stop ------------------------------------------------------------------------------------------


@pytest.mark.trick("prompt_kernel_stop")
@pytest.mark.slow
def test_the_kernel_manager_notices_an_exit_sooner_than_jupyter_clients_poll():
    """jupyter_client polls a stopping kernel every 0.1 s (its private _async_wait, from _async_finish_shutdown);
    the book's manager every EXIT_POLL_SECONDS."""
    from regbook import kernels

    seen = []

    class Recording(kernels.BookKernelManager):
        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            seen.append(pollinterval)
            await super()._async_wait(pollinterval=pollinterval)

    async def scenario():
        manager = Recording(kernel_name="python3")
        await manager.start_kernel()
        await manager.shutdown_kernel()

    asyncio.run(scenario())
    assert seen and all(interval == kernels.EXIT_POLL_SECONDS < 0.1 for interval in seen)


# --- ipc_kernels -------------------------------------------------------------------------------------------------


@pytest.mark.trick("ipc_kernels")
@pytest.mark.slow
def test_chapter_kernels_talk_over_sockets_of_their_own_and_leave_none_behind(tmp_path, monkeypatch):
    """No TCP ports to race for: two managers get distinct Unix-socket names, short enough for a socket, and
    nothing is left behind: on Linux abstract sockets (no files), elsewhere files removed when the kernel stops."""
    import glob
    import tempfile

    from regbook import kernels

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    assert kernels.BookKernelManager().ip != kernels.BookKernelManager().ip

    async def scenario():
        manager = kernels.BookKernelManager(kernel_name="python3")
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive("6 * 7", timeout=60)
            assert reply["content"]["status"] == "ok"
            return manager.get_connection_info(), glob.glob(f"{tmp_path}/regbook-kernel-*")
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()

    info, files_while_running = asyncio.run(scenario())
    assert info["transport"] == "ipc" and len(info["ip"]) < 90
    if sys.platform.startswith("linux"):
        assert info["ip"].startswith("@") and files_while_running == []
    else:
        assert info["ip"].startswith(str(tmp_path)) and len(files_while_running) == 5
    assert glob.glob(f"{tmp_path}/regbook-kernel-*") == []


# --- chart_layout_without_draw -----------------------------------------------------------------------------------


def _chart_with_legends():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
    for ax in axes:
        ax.barh(["a long category label", "short"], [3, 5], label="employees")
        ax.set_xlabel("employees (thousands)")
        ax.legend(title="a legend", fontsize=6)
    fig.legend(["first", "second"], loc="outside lower center", ncols=2)
    return fig


@pytest.mark.trick("chart_layout_without_draw")
def test_laying_a_chart_out_without_drawing_places_its_legends_as_a_draw_does(monkeypatch):
    """The bet: matplotlib's private ``RendererBase._draw_disabled`` (what ``draw_without_rendering`` uses) lets a
    legend drawn under it place its texts, painting nothing; so the layout, and the chart, are those of a draw."""
    import matplotlib.pyplot as plt
    from matplotlib.backend_bases import RendererBase
    from matplotlib.legend import Legend

    from helpers import figures

    assert callable(RendererBase._draw_disabled)

    def legend_text_boxes(fig) -> list:
        renderer = fig.canvas.get_renderer()
        return [
            bound
            for legend in fig.findobj(Legend)
            for text in legend.get_texts()
            for bound in text.get_window_extent(renderer).bounds
        ]

    laid_out, drawn = _chart_with_legends(), _chart_with_legends()
    figures._lay_out(laid_out)
    drawn.draw_without_rendering()
    assert legend_text_boxes(laid_out) == pytest.approx(legend_text_boxes(drawn))
    without = figures.render_chart(_chart_with_legends()).svg
    monkeypatch.setenv(switches.ENV, "chart_layout_without_draw")
    assert figures.render_chart(_chart_with_legends()).svg == without
    plt.close("all")


@pytest.mark.trick("chart_layout_without_draw")
def test_a_chart_with_text_below_the_floor_is_laid_out_once_and_ends_above_it():
    """Layouts and draws are most of a chart's cost: text is raised before the first layout (to the floor of the
    figure's width), so a chart of the book's width needs one layout and one draw (the SVG's), and its smallest text
    is still at the floor of what is drawn."""
    import matplotlib.pyplot as plt

    from helpers import figures

    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    ax.barh(["a category", "another category"], [3, 5], label="employees")
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6)
    ax.set_xlabel("employees (thousands)", fontsize=8)
    layouts, draws = [], []
    engine = fig.get_layout_engine()
    lay_out, draw = engine.execute, fig.draw
    engine.execute = lambda figure: (layouts.append(1), lay_out(figure))[1]
    fig.draw = lambda renderer: (
        draws.append(type(getattr(renderer, "_renderer", renderer)).__name__),  # mixed mode
        draw(renderer),
    )[1]
    chart = figures.render_chart(fig)
    assert len(layouts) == 1 and draws == ["RendererSVG"]  # one layout, and one draw: the SVG's
    assert chart.smallest_pt >= figures.text_floor_pt(chart.width_pt)
    assert chart.smallest_pt <= figures.text_floor_pt(chart.width_pt) * 1.05  # and not needlessly larger
    plt.close(fig)


# --- holm_without_gc ---------------------------------------------------------------------------------------------


@pytest.mark.trick("holm_without_gc")
def test_multipletests_is_statsmodels_without_its_garbage_collection(monkeypatch):
    """The bet: statsmodels' Holm branch calls gc.collect() (what the trick saves); ours gives statsmodels'
    results without it, and puts gc.collect back, after an error too."""
    import gc

    import numpy as np
    from statsmodels.stats.multitest import multipletests as statsmodels_multipletests

    from helpers import stats

    p = np.array([0.01, 0.04, 0.03, 0.2, 0.0])
    collections = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args) or 0)
    expected = {method: statsmodels_multipletests(p, alpha=0.05, method=method) for method in ("holm", "bonferroni")}
    assert len(collections) == 1  # statsmodels' Holm branch collected once, its Bonferroni branch not
    collections.clear()
    for method, (reject, adjusted, _, _) in expected.items():
        ours = stats.multipletests(p, alpha=0.05, method=method)
        assert ours[0].tolist() == reject.tolist() and np.array_equal(ours[1], adjusted)
    assert collections == []  # ours skips it
    gc.collect()
    assert len(collections) == 1  # and the real function is back afterwards (here: the recording stand-in)
    with pytest.raises(ValueError):
        stats.multipletests(p, method="no such method")
    gc.collect()
    assert len(collections) == 2  # restored after an error too
