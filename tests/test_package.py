"""The two packages' seams: the library never imports the build tool, and importing either changes nothing in the
importing process."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def library_modules() -> list[str]:
    """Every module of the analysis library but its command-line shim (``python -m helpers`` runs the tool)."""
    import helpers

    return sorted(
        m.name for m in pkgutil.walk_packages(helpers.__path__, "helpers.") if not m.name.endswith("__main__")
    )


def fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300).stdout


@pytest.mark.slow
def test_the_library_never_imports_the_build_tool():
    modules = library_modules()
    assert "helpers.stats" in modules and "helpers.fetch.cli" in modules
    code = (
        f"import importlib, json, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'regbook')))"
    )
    assert json.loads(fresh(code)) == []


@pytest.mark.slow
def test_importing_the_build_tool_disables_no_module():
    """Before, importing ``regbook`` (then ``helpers.build``) made ``rfc3987_syntax`` unimportable in the importing
    process, pytest included; now only the tool's own processes do without it."""
    code = (
        "import json, sys\nbefore = {m for m, v in sys.modules.items() if v is None}\n"
        "import regbook, regbook.cli, regbook.driver, regbook.execute, regbook.planning\n"
        "print(json.dumps(sorted({m for m, v in sys.modules.items() if v is None} - before)))"
    )
    assert json.loads(fresh(code)) == []


@pytest.mark.slow
def test_the_tools_worker_processes_do_without_the_slow_optional_modules():
    from regbook.tricks import skipped_modules

    code = (
        "import json, sys\nfrom regbook.processes import worker_setup\nworker_setup()\n"
        "print(json.dumps([m for m in sys.modules if sys.modules[m] is None]))"
    )
    assert skipped_modules() and set(skipped_modules()) <= set(json.loads(fresh(code)))


def test_no_module_under_a_folder_named_build():
    assert [p for p in SRC.rglob("*.py") if "build" in p.relative_to(SRC).parts[:-1]] == []


def test_the_chapter_cache_key_covers_the_library_and_the_kernel_side_only(tmp_path, monkeypatch):
    """An edit to the command line, the compile or a fetcher re-executes no chapter; an edit to the library or to
    what runs in a kernel re-executes every one (the no-change fingerprint covers all of src/ anyway)."""
    import shutil

    from regbook import cache

    copy = tmp_path / "src"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    monkeypatch.setattr(cache, "SOURCE_DIR", copy)
    names = {str(p.relative_to(copy)) for p in cache.code_files()}
    assert {"helpers/stats.py", "helpers/figures.py", "regbook/inputs.py", "regbook/zygote.py"} <= names
    assert not names & {"regbook/cli.py", "regbook/compile.py", "regbook/pdf.py", "helpers/fetch/cli.py"}
    before = cache.helpers_hash()
    for outside in ("regbook/cli.py", "regbook/pdf.py", "helpers/fetch/eurostat.py", "helpers/__main__.py"):
        (copy / outside).write_text((copy / outside).read_text() + "\n# edited\n")
        assert cache.helpers_hash() == before, outside
    for inside in ("helpers/stats.py", "regbook/inputs.py", "regbook/execute.py"):
        (copy / inside).write_text((copy / inside).read_text() + "\n# edited\n")
        assert cache.helpers_hash() != before, inside
        before = cache.helpers_hash()


def import_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports, anywhere in its code (function-level too)."""
    import ast

    root = SRC / package
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        here = parts[:-1] if parts[-1] == "__init__" else parts[:-1]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(here[: len(here) - node.level + 1]) if node.level else ""
                module = ".".join(filter(None, [base, node.module or ""]))
                targets |= {module} | {f"{module}.{a.name}" for a in node.names}
        graph[name] = targets
    return {name: {t for t in targets if t in graph and t != name} for name, targets in graph.items()}


@pytest.mark.parametrize("package", ["helpers", "regbook"])
def test_no_import_circle(package):
    import graphlib

    graph = import_graph(package)
    assert f"{package}.stats" in graph or f"{package}.driver" in graph
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the circle
