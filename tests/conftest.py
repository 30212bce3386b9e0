"""Shared fixtures: an isolated build directory, the small fixture book and, for the slow tests, one build of every
book variant."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from helpers import paths
from tests.fixtures import fixture_book as small_book

# Builds in the tests keep their warm Jupyter Book to themselves even when pytest runs in a terminal (where a
# build would otherwise leave a lasting one for the next); tests that want another mode set it themselves.
os.environ.setdefault("REGBOOK_WARM_COMPILE", "build")


def use_build_dir(monkeypatch, build_dir: Path, root: Path | None = None, data_dir: Path | None = None) -> None:
    """Point the pipeline (this process and its worker processes) at other directories."""
    monkeypatch.setattr(paths, "BUILD_DIR", build_dir)
    monkeypatch.setenv("REGBOOK_BUILD_DIR", str(build_dir))
    if root is not None:
        monkeypatch.setattr(paths, "ROOT", root)
        monkeypatch.setattr(paths, "CHAPTERS_DIR", root / "chapters")
        monkeypatch.setenv("REGBOOK_ROOT", str(root))
    if data_dir is not None:
        monkeypatch.setattr(paths, "DATA_DIR", data_dir)
        monkeypatch.setenv("REGBOOK_DATA_DIR", str(data_dir))


class QuietHTTPHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files and logs nothing."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(server):
    """``server`` (a socketserver) answering in a thread; yields its port; shut down and closed after."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def as_foreground_job() -> None:
    """``preexec_fn`` for a build that a test interrupts with Ctrl-C's SIGINT: the signal's default disposition, as
    in a terminal's foreground job. A shell starts background jobs with SIGINT ignored, and Python keeps ignoring
    it, so without this the tests would fail whenever the suite itself runs in the background."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def fixture_book(tmp_path, monkeypatch) -> Path:
    """The small book of ``tests/fixtures/fixture_book.py`` and a copy of the data, in ``tmp_path``; the pipeline
    points at them. Returns the book's root."""
    root = tmp_path / "book"
    small_book.write(root)
    data_dir = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", data_dir)
    use_build_dir(monkeypatch, tmp_path / "_build", root=root, data_dir=data_dir)
    return root


@pytest.fixture(scope="session")
def built_books(tmp_path_factory):
    """The real book built once per test session: the default variant and every region's variant.

    Uses its own build directory so that a developer's _build is left alone. Returns (build_dir, report).
    """
    import regbook as build
    from helpers import regions

    build_dir = tmp_path_factory.mktemp("book-build")
    mp = pytest.MonkeyPatch()
    mp.setattr(paths, "BUILD_DIR", build_dir)
    mp.setenv("REGBOOK_BUILD_DIR", str(build_dir))
    try:
        variants = [build.make_variant(None)] + [build.make_variant(r) for r in regions.STUDY_REGIONS]
        report = build.build(variants, jobs=os.cpu_count(), log=lambda m: None)
        yield build_dir, report
    finally:
        mp.undo()


def _find_c_library_once() -> None:
    """threadpoolctl (helpers.stats' one-thread fit) asks ``ldconfig -p`` for the C library once per process:
    asked here, at collection, it is not a process that some quick test seems to start."""
    import threadpoolctl

    threadpoolctl.threadpool_info()


_find_c_library_once()


def pytest_runtest_setup(item):
    """A test marked ``trick(name)`` guards that trick of ``regbook.tricks``: skipped when it is switched off."""
    from helpers import switches

    for mark in item.iter_markers("trick"):
        if not switches.on(mark.args[0]):
            pytest.skip(f"the speed trick {mark.args[0]} is switched off ({switches.ENV})")


@pytest.fixture(autouse=True)
def _unmarked_tests_start_no_process(request, monkeypatch):
    """A test that starts a process (a command, a kernel, a server, a fork) carries a marker (processes, slow or
    browser), so that plain ``pytest`` stays quick and in-process; an unmarked one fails at the first process."""
    if any(request.node.get_closest_marker(m) for m in ("processes", "slow", "browser")):
        yield
        return
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a process: mark it @pytest.mark.processes")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(os, "fork", refuse)
    yield
