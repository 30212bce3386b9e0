"""Incremental builds on a small fixture book: the no-change fast path, prose edits, code edits.

The fast path's fingerprint must see a change to every kind of input; a prose-only edit must re-execute nothing
and still show the new sentence; a code edit must re-execute exactly the chapter it touches.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import regbook as build
from helpers import paths
from regbook import fingerprint
from tests.fixtures.fixture_book import build_book, statuses

REPO = Path(__file__).resolve().parents[1]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


# --- the fingerprint (fast: a recorded build is simulated) ---------------------------------------------------


@pytest.fixture
def recorded_build(fixture_book, tmp_path, monkeypatch):
    """A manifest as a successful build of the default book leaves it: a cache entry of 'index' that read
    key_figures.csv and the package descriptor, a site and results. The helper package is a copy, so that a
    test may edit it. Returns the request (the default book's variants)."""
    package = tmp_path / "package" / "helpers"
    shutil.copytree(REPO / "src" / "helpers", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", package)
    request = fingerprint.requested_variants(["build"])
    variant = build.make_variant()
    assert request == [(variant.name, variant.parameters, variant.language)]
    static = fingerprint.static_inputs()
    entry = paths.BUILD_DIR / ".cache" / "index-0123"
    entry.mkdir(parents=True)
    read = {
        str(paths.DATA_DIR / name): fingerprint.file_digest(paths.DATA_DIR / name)
        for name in ("key_figures.csv", "datapackage.json")
    }
    (entry / "meta.json").write_text(json.dumps({"inputs": read}))
    (entry / "executed.ipynb").write_text("{}")
    layout = variant.layout
    layout.html.mkdir(parents=True)
    (layout.html / "index.html").write_text("<html></html>")
    (layout.html / ".build-fingerprint").write_text("abc")
    layout.results.mkdir(parents=True)
    (layout.results / "results.json").write_text("{}")
    outcome = build.Outcome("index", "executed", 1.0, "0123", str(entry / "executed.ipynb"))
    fingerprint.record([variant], static, {"default": [outcome]})
    assert fingerprint.changes(request) == []
    assert fingerprint.fast_path(["build"]) == 0
    return request


@pytest.mark.parametrize(
    "kind",
    [
        "recorded data file",
        "package descriptor",
        "chapter code",
        "chapter prose",
        "_config.yml",
        "_toc.yml",
        "helper module in a subpackage",
        "static file",
        "site removed",
        "results edited",
    ],
)
def test_fast_path_sees_a_change_to_each_kind_of_input(recorded_build, fixture_book, kind):
    package = fingerprint.PACKAGE_DIR
    edits = {
        "recorded data file": (paths.DATA_DIR / "key_figures.csv", "\n"),
        "package descriptor": (paths.DATA_DIR / "datapackage.json", " "),
        "chapter code": (fixture_book / "chapters" / "second.md", "\n```{code-cell} ipython3\nx = 1\n```\n"),
        "chapter prose": (fixture_book / "chapters" / "second.md", "\nA new sentence.\n"),
        "_config.yml": (fixture_book / "_config.yml", "description: changed\n"),
        "_toc.yml": (fixture_book / "_toc.yml", "# a comment\n"),
        "helper module in a subpackage": (package / "build" / "staging.py", "\n# changed\n"),
        "static file": (fixture_book / "_static" / "custom.css", "body {}\n"),
        "site removed": (paths.BUILD_DIR / "html" / "index.html", None),
        "results edited": (paths.BUILD_DIR / "results" / "results.json", " "),
    }
    path, text = edits[kind]
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        append(path, text) if path.exists() else path.write_text(text)
    assert fingerprint.changes(recorded_build) != []
    assert fingerprint.fast_path(["build"]) is None


def test_recorded_input_outside_the_data_directory_is_checked(recorded_build, tmp_path):
    """A file named by a parameter (outside the data directory, so only the chapter's record knows it)."""
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("a,b\n1,2\n")
    meta_file = paths.BUILD_DIR / ".cache" / "index-0123" / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["inputs"][str(cohort)] = fingerprint.file_digest(cohort)
    meta_file.write_text(json.dumps(meta))
    variant = build.make_variant()
    outcome = build.Outcome("index", "executed", 1.0, "0123", str(meta_file.parent / "executed.ipynb"))
    fingerprint.record([variant], fingerprint.static_inputs(), {"default": [outcome]})
    assert fingerprint.changes(recorded_build) == []
    cohort.write_text("a,b\n1,3\n")
    assert fingerprint.changes(recorded_build) == [f"input {cohort}"]


def test_a_parameter_or_another_request_is_not_the_recorded_build(recorded_build):
    assert fingerprint.fast_path(["build", "-p", "alpha", "0.1"]) is None
    assert fingerprint.fast_path(["build", "--region", "twente"]) is None
    assert fingerprint.fast_path(["build", "--all-regions"]) is None
    # the same request spelled differently is the same request
    assert fingerprint.fast_path(["build", "-p", "alpha", "0.05", "--jobs", "2"]) == 0


def test_fast_path_leaves_other_commands_and_bad_arguments_to_the_cli(recorded_build):
    for argv in (
        ["run"],
        ["build", "--chapter", "index"],
        ["build", "--region", "Atlantis"],
        ["build", "-h"],
        ["build", "-p", "alpha"],
        ["build", "--pdf"],
        ["regions"],
        [],
    ):
        assert fingerprint.fast_path(argv) is None, argv


def test_installed_package_versions_are_part_of_the_fingerprint(monkeypatch, tmp_path):
    site = tmp_path / "site-packages"
    (site / "pandas-2.2.3.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    before = fingerprint.installed_packages()
    (site / "pandas-2.2.3.dist-info").rename(site / "pandas-2.3.0.dist-info")
    assert fingerprint.installed_packages() != before


@pytest.mark.processes
def test_fast_path_imports_nothing_heavy(recorded_build):
    """From the shell: `python -m helpers build` with nothing changed exits 0 without importing the build stack."""
    code = (
        "import sys\nfrom regbook import fingerprint\nfrom pathlib import Path\n"
        f"fingerprint.PACKAGE_DIR = Path({str(fingerprint.PACKAGE_DIR)!r})\n"
        "status = fingerprint.fast_path(['build'])\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'nbformat', 'jupytext', 'papermill', 'yaml', 'rich', 'sphinx')"
        " if m in sys.modules)\n"
        "print(status, heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert proc.stdout.strip() == "0 []", proc.stderr
    assert "nothing changed" in proc.stderr


def test_chapter_key_ignores_prose_and_display_tags_but_not_code_or_execution_tags(fixture_book):
    nb = build.read_chapter("chapters/second")
    key = build.chapter_key(nb, {"alpha": 0.05}, "h")
    prose = build.read_chapter("chapters/second")
    prose.cells[-1].source += "\n\nAnother sentence."
    prose.cells[1].metadata["tags"] = ["parameters", "hide-input"]
    assert build.chapter_key(prose, {"alpha": 0.05}, "h") == key
    code = build.read_chapter("chapters/second")
    code.cells[2].source += "\nx = 1"
    assert build.chapter_key(code, {"alpha": 0.05}, "h") != key
    raises = build.read_chapter("chapters/second")
    raises.cells[2].metadata["tags"] = ["remove-cell", "raises-exception"]
    assert build.chapter_key(raises, {"alpha": 0.05}, "h") != key
    assert build.chapter_key(nb, {"alpha": 0.1}, "h") != key
    assert build.chapter_key(nb, {"alpha": 0.05}, "other helpers") != key


def test_staging_puts_current_prose_into_the_cached_run():
    """Markdown and display tags from the source; code cells with their outputs, and papermill's injected cell
    after the parameters cell, from the executed notebook."""
    import nbformat

    from regbook.staging import with_current_prose

    v4 = nbformat.v4
    executed = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Old title"),
            v4.new_code_cell("alpha = 0.05", metadata={"tags": ["parameters"]}),
            v4.new_code_cell("alpha = 0.1", metadata={"tags": ["injected-parameters", "remove-cell"]}),
            v4.new_markdown_cell("Old prose."),
            v4.new_code_cell("print(alpha)", outputs=[v4.new_output("stream", text="0.1\n")]),
        ]
    )
    source = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# New title"),
            v4.new_code_cell("alpha = 0.05", metadata={"tags": ["parameters"]}),
            v4.new_markdown_cell("New prose."),
            v4.new_markdown_cell("A new paragraph."),
            v4.new_code_cell("print(alpha)", metadata={"tags": ["hide-input"]}),
        ]
    )
    merged = with_current_prose(nbformat.from_dict(executed), source)
    assert [c["source"] for c in merged["cells"]] == [
        "# New title",
        "alpha = 0.05",
        "alpha = 0.1",
        "New prose.",
        "A new paragraph.",
        "print(alpha)",
    ]
    assert merged["cells"][-1]["outputs"][0]["text"] == "0.1\n"
    assert merged["cells"][-1]["metadata"]["tags"] == ["hide-input"]
    assert [c["id"] for c in merged["cells"]] == [f"cell-{i}" for i in range(6)]
    assert with_current_prose(nbformat.from_dict(executed), source) == merged  # the same bytes every time
    source.cells[-1].source = "print(alpha * 2)"  # code that does not match the run: left as it ran
    assert with_current_prose(nbformat.from_dict(executed), source) == executed


def test_value_mime_matches_the_glue_helper():
    from helpers import glue
    from regbook import export

    assert export.VALUE_MIME == glue.VALUE_MIME


# --- real builds of the fixture book ----------------------------------------------------------------------


@pytest.mark.slow
def test_prose_edit_reexecutes_nothing_and_the_page_shows_it(fixture_book):
    assert build_book().ok
    results = paths.BUILD_DIR / "results" / "results.json"
    before = json.loads(results.read_text())
    second_page = paths.BUILD_DIR / "html" / "chapters" / "second.html"
    append(fixture_book / "chapters" / "index.md", "\nA sentence added by the writer.\n")
    report = build_book()
    assert report.ok and statuses(report) == {"index": "cached", "second": "cached"}
    page = (paths.BUILD_DIR / "html" / "chapters" / "index.html").read_text()
    assert "A sentence added by the writer." in page
    assert "7.7%" in page  # the cached outputs are still there (Tabel 2: unemployment ZO Drenthe 7.7%)
    after = json.loads(results.read_text())
    assert after["values"] == before["values"]
    assert second_page.exists()


@pytest.mark.slow
def test_code_edit_reexecutes_exactly_that_chapter(fixture_book):
    assert build_book().ok
    source = fixture_book / "chapters" / "second.md"
    source.write_text(
        source.read_text().replace(
            'glue.glue("fx_n_claims"', 'twice = 2 * len(claims)\nglue.glue("fx_twice", twice)\nglue.glue("fx_n_claims"'
        )
    )
    report = build_book()
    assert report.ok and statuses(report) == {"index": "cached", "second": "executed"}
    values = json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())["values"]
    assert values["second"]["fx_twice"] == 2 * values["second"]["fx_n_claims"]


@pytest.mark.parametrize(
    "setting, off, terminal, expected",
    [
        ("", "", True, "lasting"),
        ("", "", False, "build"),
        ("1", "", False, "lasting"),
        ("build", "", True, "build"),
        ("1", "warm_compile", True, "off"),
        ("", "all", False, "off"),
    ],
)
def test_warm_server_mode_follows_the_setting_and_otherwise_the_terminal(monkeypatch, setting, off, terminal, expected):
    from regbook import compile_server

    monkeypatch.setenv("REGBOOK_WARM_COMPILE", setting)
    monkeypatch.setenv("REGBOOK_TRICKS_OFF", off)
    monkeypatch.setattr(compile_server, "_interactive", lambda: terminal)
    assert compile_server.mode() == expected


@pytest.mark.slow
def test_build_without_the_warm_server(fixture_book, monkeypatch):
    monkeypatch.setenv("REGBOOK_TRICKS_OFF", "warm_compile")
    assert build_book().ok
    assert (paths.BUILD_DIR / "html" / "chapters" / "second.html").exists()


@pytest.mark.slow
def test_build_from_the_shell_stops_early_when_nothing_changed(fixture_book):
    env = {
        **os.environ,
        "REGBOOK_ROOT": str(paths.ROOT),
        "REGBOOK_DATA_DIR": str(paths.DATA_DIR),
        "REGBOOK_BUILD_DIR": str(paths.BUILD_DIR),
    }
    first = subprocess.run(
        [sys.executable, "-m", "helpers", "build", "--jobs", "1"], capture_output=True, text=True, env=env
    )
    assert first.returncode == 0, first.stderr
    again = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "helpers", "build"], capture_output=True, text=True, env=env
    )
    assert again.returncode == 0 and "nothing changed" in again.stderr
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    heavy = {
        "pandas",
        "pandera",
        "numpy",
        "nbformat",
        "jupytext",
        "papermill",
        "jupyter_client",
        "jupyter_book",
        "sphinx",
        "yaml",
        "rich",
        "tqdm",
    }
    assert imported and not heavy & imported, sorted(heavy & imported)
    append(fixture_book / "chapters" / "second.md", "\nOne more sentence.\n")
    edited = subprocess.run([sys.executable, "-m", "helpers", "build"], capture_output=True, text=True, env=env)
    assert edited.returncode == 0 and "nothing changed" not in edited.stderr
    assert "One more sentence." in (paths.BUILD_DIR / "html" / "chapters" / "second.html").read_text()


@pytest.mark.processes
def test_a_build_that_executes_chapters_lowers_the_priority_of_its_own_warm_server_only(monkeypatch):
    """Executions wait for the kernel zygote's imports, not for the warm Jupyter Book's (its compile comes after
    them): the build's own server yields the cores; a build without executions (a prose edit) does not call it."""
    import psutil

    from regbook import compile_server

    monkeypatch.setenv("REGBOOK_WARM_COMPILE", "build")
    compile_server.yield_to_executions()  # no server of this build yet: nothing to do
    compile_server._build_server()
    try:
        server = psutil.Process(compile_server._BUILD_SERVER["proc"].pid)
        before = server.nice()
        compile_server.yield_to_executions()
        assert server.nice() == min(19, before + compile_server.NICENESS)
    finally:
        compile_server.stop_build_server()


def test_a_changed_static_file_reaches_the_compiled_site_even_when_no_page_is_out_of_date(tmp_path):
    """Sphinx copies html_static_path only when some page is rebuilt ("no targets are out of date" skips it), so a
    CSS edit alone left the Dutch site's stylesheet stale; the compile syncs the staged _static into the site."""
    from regbook.compile import _sync_static

    staged, site = tmp_path / "staging" / "_static", tmp_path / "html" / "_static"
    (staged / "fonts").mkdir(parents=True)
    site.mkdir(parents=True)
    (staged / "book.css").write_text("h1 { hyphens: auto; }")
    (staged / "fonts" / "a.txt").write_text("new file")
    (site / "book.css").write_text("h1 { }")
    (site / "theme.css").write_text("the theme's own")
    (staged / "same.js").write_text("x")
    (site / "same.js").write_text("x")
    before = (site / "same.js").stat().st_mtime_ns
    _sync_static(staged, site)
    assert (site / "book.css").read_text() == "h1 { hyphens: auto; }"
    assert (site / "fonts" / "a.txt").read_text() == "new file"
    assert (site / "theme.css").read_text() == "the theme's own"  # the theme's files are left alone
    assert (site / "same.js").stat().st_mtime_ns == before  # an unchanged file is not rewritten
