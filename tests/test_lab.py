"""JupyterLab on the chapters (`make lab`): a chapter opens as a notebook, runs with a changed parameter in a
kernel the Jupyter server starts, gives the glued values the pipeline gives, and saves back unchanged."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import jupytext
import nbformat
import pytest

from helpers import lab
from tests.conftest import use_build_dir

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "ch1_world"  # the quickest chapter to execute
REGION = "twente"  # the changed parameter: not the default focus region

# ---------------------------------------------------------------------------------------------- configuration


@pytest.mark.processes
def test_make_lab_starts_jupyterlab_from_the_venv_on_localhost_with_the_project_config():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert ".venv/bin/jupyter lab --config=lab/jupyter_server_config.py" in dry_run
    assert ("--allow-root" in dry_run) == (os.getuid() == 0)
    config = (ROOT / "lab" / "jupyter_server_config.py").read_text()
    assert 'c.ServerApp.ip = "127.0.0.1"' in config
    assert '"helpers.lab.ChapterContentsManager"' in config


def test_markdown_opens_as_a_jupytext_notebook_and_is_saved_only_when_asked():
    overrides = json.loads((ROOT / "lab" / "settings" / "overrides.json").read_text())
    documents = overrides["@jupyterlab/docmanager-extension:plugin"]
    assert documents["defaultViewers"] == {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
    assert documents["autosave"] is False  # a parameter changed to explore stays out of the chapter file


def test_jupyterlab_is_pinned():
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    for package in ("jupyterlab", "jupyter_server", "jupytext"):
        assert re.fullmatch(r"\d+(\.\d+)+", pins[package]), package


# ------------------------------------------------------------------------------------- saving in the file's layout

HAND_WRITTEN = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

```{code-cell} ipython3
:tags: [parameters, remove-cell]
focus_region = "zo-drenthe"
```

Some prose.

```{code-cell} ipython3
:tags: [remove-input]
x = 1
```
"""


def jupytext_text(text: str) -> str:
    """What jupytext alone writes for a MyST notebook (its canonical layout)."""
    return jupytext.writes(jupytext.reads(text, fmt="md"), fmt="md:myst")


def test_jupytext_alone_would_reformat_a_hand_written_chapter():
    """The reason for keep_layout: without it an unedited save adds lines to the file."""
    assert jupytext_text(HAND_WRITTEN) != HAND_WRITTEN


def test_an_unedited_notebook_keeps_the_file_byte_for_byte():
    assert lab.keep_layout(HAND_WRITTEN, jupytext_text(HAND_WRITTEN)) == HAND_WRITTEN


def test_an_edit_changes_only_the_edited_lines():
    nb = jupytext.reads(HAND_WRITTEN, fmt="md")
    nb.cells[1].source = nb.cells[1].source.replace("zo-drenthe", "twente")
    nb.cells[2].source = "Some other prose."
    saved = lab.keep_layout(HAND_WRITTEN, jupytext.writes(nb, fmt="md:myst"))
    expected = HAND_WRITTEN.replace('"zo-drenthe"', '"twente"').replace("Some prose.", "Some other prose.")
    assert saved == expected


def test_a_new_cell_is_saved_in_jupytext_layout_and_reads_back_as_saved():
    nb = jupytext.reads(HAND_WRITTEN, fmt="md")
    nb.cells.append(nbformat.v4.new_code_cell("y = 2", metadata={"tags": ["remove-cell"]}))
    after = jupytext.writes(nb, fmt="md:myst")
    saved = lab.keep_layout(HAND_WRITTEN, after)
    assert saved.startswith(HAND_WRITTEN.rstrip("\n"))
    assert [(c.source, c.metadata) for c in jupytext.reads(saved, fmt="md").cells] == [
        (c.source, c.metadata) for c in nb.cells
    ]


def test_the_chapter_keeps_its_declared_kernel_when_lab_writes_the_running_one(tmp_path):
    chapter = tmp_path / "chapter.md"
    chapter.write_text(HAND_WRITTEN)
    declared = {"display_name": "Python 3", "language": "python", "name": "python3"}
    running = {
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
        "cells": [],
    }
    assert lab.keep_declared_kernel(running, chapter)["metadata"]["kernelspec"] == declared
    assert list(lab.keep_declared_kernel(running, chapter)["metadata"]["kernelspec"]) == list(declared)  # key order
    other = {"metadata": {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}}, "cells": []}
    assert lab.keep_declared_kernel(other, chapter) == other  # another kernel is a real change
    assert lab.keep_declared_kernel(running, tmp_path / "new.md") == running


def test_text_that_is_not_a_notebook_on_disk_is_saved_as_jupytext_writes_it():
    after = jupytext_text(HAND_WRITTEN)
    assert lab.keep_layout("", after) == after


def save_through_contents_manager(root: Path, path: str, edit=lambda nb: None) -> None:
    """Open ``path`` as a notebook with the contents manager `make lab` uses, apply ``edit``, save it."""
    manager = lab.ChapterContentsManager(root_dir=str(root))

    async def round_trip():
        model = await manager.get(path, type="notebook", content=True)
        edit(model["content"])
        await manager.save({"type": "notebook", "format": "json", "content": model["content"]}, path)

    asyncio.run(round_trip())


@pytest.mark.parametrize("chapter", sorted(p.name for p in (ROOT / "chapters").glob("*.md")))
def test_saving_any_unedited_chapter_leaves_it_byte_for_byte(tmp_path, chapter):
    (tmp_path / "chapters").mkdir()
    shutil.copy(ROOT / "jupytext.toml", tmp_path)
    shutil.copy(ROOT / "chapters" / chapter, tmp_path / "chapters")
    save_through_contents_manager(tmp_path, f"chapters/{chapter}")
    assert (tmp_path / "chapters" / chapter).read_bytes() == (ROOT / "chapters" / chapter).read_bytes()


def test_a_prose_edit_leaves_every_code_cell_and_its_metadata_as_it_was(tmp_path):
    (tmp_path / "chapters").mkdir()
    shutil.copy(ROOT / "jupytext.toml", tmp_path)
    shutil.copy(ROOT / "chapters" / f"{CHAPTER}.md", tmp_path / "chapters")

    def edit_prose(nb):
        prose = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
        prose[-1]["source"] += "\n\nOne more sentence."
        for cell in nb["cells"]:  # what JupyterLab adds while one works
            cell["metadata"].update(trusted=True, collapsed=False, jupyter={"source_hidden": True})

    save_through_contents_manager(tmp_path, f"chapters/{CHAPTER}.md", edit_prose)
    before = jupytext.read(ROOT / "chapters" / f"{CHAPTER}.md")
    after = jupytext.read(tmp_path / "chapters" / f"{CHAPTER}.md")
    code = lambda nb: [(c.source, c.metadata) for c in nb.cells if c.cell_type == "code"]  # noqa: E731
    assert code(after) == code(before)
    old = (ROOT / "chapters" / f"{CHAPTER}.md").read_text().splitlines()
    new = (tmp_path / "chapters" / f"{CHAPTER}.md").read_text().splitlines()
    assert new[: len(old)] == old and new[len(old) :] == ["", "One more sentence."]


# --------------------------------------------------------------------------------- a real server and kernel


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A headless Jupyter server started the way `make lab` starts it, on a copy of one chapter."""

    def __init__(self, root: Path, home: Path):
        self.port, self.token = free_port(), uuid.uuid4().hex
        self.base = f"http://127.0.0.1:{self.port}"
        self.runtime = home / "runtime"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REGBOOK_", "JUPYTER", "MPLBACKEND"))}
        env.update(
            JUPYTER_PREFER_ENV_PATH="1",
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_RUNTIME_DIR=str(self.runtime),
            JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        )
        home.mkdir(parents=True, exist_ok=True)
        self.log = home / "server.log"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--config={ROOT / 'lab' / 'jupyter_server_config.py'}",
            f"--ServerApp.root_dir={root}",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--no-browser",
            f"--IdentityProvider.token={self.token}",
        ]
        if os.getuid() == 0:
            command.append("--allow-root")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root, start_new_session=True
            )
        deadline = time.monotonic() + 300  # a generous bound for a busy machine, not a timing check
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                self.api("GET", "/api/status")
                return
            except OSError:  # not listening yet
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the Jupyter server did not start:\n{self.log.read_text()[-3000:]}")

    def api(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def stop(self) -> None:
        """Shut the server (and so its kernels) down through its API; kill its process group if that fails."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self.api("POST", "/api/shutdown")
                self.process.wait(timeout=60)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started (start_new_session)
            self.process.wait()


async def execute_cells(server: Server, kernel_id: str, cells: list) -> list[list[dict]]:
    """Run each code cell through the server's kernel websocket, as JupyterLab does; return each cell's outputs."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={session}"
    socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {server.token}"}))
    results = []
    try:
        for cell in cells:
            msg_id = uuid.uuid4().hex
            socket_.write_message(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "session": session,
                            "username": "test",
                            "version": "5.3",
                            "date": "",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "buffers": [],
                        "content": {
                            "code": cell.source,
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                    }
                )
            )
            outputs, replied, idle = [], False, False
            while not (replied and idle):
                message = json.loads(await asyncio.wait_for(socket_.read_message(), timeout=300))
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind == "execute_reply":
                    replied = True
                elif kind == "status":
                    idle = message["content"]["execution_state"] == "idle"
                elif kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append(nbformat.v4.output_from_msg(message))
            errors = [o for o in outputs if o.output_type == "error"]
            assert not errors, f"cell {cell.source[:60]!r}: {errors[0].ename}: {errors[0].evalue}"
            results.append(outputs)
    finally:
        socket_.close()
    return results


def pipeline_values(tmp_path: Path, monkeypatch) -> dict:
    """The chapter's glued values as the pipeline's results.json has them for the same parameters."""
    import regbook as build

    use_build_dir(monkeypatch, tmp_path / "_build")
    variant = build.make_variant(REGION)
    outcomes = build.run([variant], chapters=[CHAPTER], jobs=1)[variant.name]
    assert [o.status for o in outcomes] == ["executed"], outcomes
    document = json.loads(json.dumps(build.results_document(variant, outcomes)))  # as written to results.json
    assert document["parameters"]["focus_region"] == REGION
    return document["values"][CHAPTER]


def process_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"  # exited, waiting to be reaped by its parent


@pytest.mark.slow
def test_a_chapter_runs_in_jupyterlab_with_a_changed_parameter_and_saves_back_unchanged(tmp_path, monkeypatch):
    from regbook import glued_values

    root = tmp_path / "checkout"
    (root / "chapters").mkdir(parents=True)
    chapter_file = root / "chapters" / f"{CHAPTER}.md"
    shutil.copy(ROOT / "chapters" / f"{CHAPTER}.md", chapter_file)
    shutil.copy(ROOT / "jupytext.toml", root / "jupytext.toml")
    original = chapter_file.read_bytes()
    expected = pipeline_values(tmp_path, monkeypatch)

    home = tmp_path / "jupyter"
    server = Server(root, home)
    kernel_pid = None
    try:
        path = f"chapters/{CHAPTER}.md"
        model = server.api("GET", f"/api/contents/{path}?type=notebook&content=1")
        assert model["type"] == "notebook"  # opened by jupytext as a notebook
        nb = nbformat.from_dict(model["content"])
        code = [c for c in nb.cells if c.cell_type == "code"]
        parameters = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(parameters) == 1

        # Change the parameter in the parameters cell, as a reader would, and run every code cell in order.
        edited = re.sub(r'^focus_region = "[^"]*"', f'focus_region = "{REGION}"', parameters[0].source, flags=re.M)
        assert edited != parameters[0].source
        runs = [nbformat.v4.new_code_cell(edited if c is parameters[0] else c.source) for c in code]
        session = server.api(
            "POST",
            "/api/sessions",
            {
                "path": path,
                "type": "notebook",
                "name": f"{CHAPTER}.md",
                "kernel": {"name": nb.metadata.kernelspec.name},
            },
        )
        kernel_id = session["kernel"]["id"]
        probe = nbformat.v4.new_code_cell(
            "import json, os, sys, helpers\n"
            "print(json.dumps({'pid': os.getpid(), 'cwd': os.getcwd(), 'python': sys.executable,\n"
            "                  'regbook_env': sorted(k for k in os.environ if k.startswith('REGBOOK_'))}))"
        )
        outputs = asyncio.run(execute_cells(server, kernel_id, [probe, *runs]))
        kernel = json.loads(outputs[0][0].text)
        kernel_pid = kernel["pid"]
        assert Path(kernel["cwd"]) == root / "chapters"  # as under the pipeline: the chapter's folder
        assert Path(kernel["python"]).parent == Path(sys.executable).parent  # the project's environment
        assert kernel["regbook_env"] == []  # nothing set by the pipeline

        for cell, cell_outputs in zip(code, outputs[1:]):
            cell.outputs = cell_outputs
            cell.execution_count = 1
        values = glued_values(nb)
        assert values["ch1_focus_region"] == REGION
        assert values == expected

        # Save the notebook back as JupyterLab does (outputs and Lab's own metadata included, parameter as it was):
        # Lab writes the running kernel's spec and language into the notebook's metadata.
        spec = server.api("GET", "/api/kernelspecs")["kernelspecs"][nb.metadata.kernelspec.name]["spec"]
        nb.metadata["kernelspec"] = {
            "name": nb.metadata.kernelspec.name,
            "display_name": spec["display_name"],
            "language": spec["language"],
        }
        nb.metadata["language_info"] = {"name": "python", "version": sys.version.split()[0]}
        for cell in nb.cells:
            cell.metadata["trusted"] = True
        server.api("PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": nb})
        saved = chapter_file.read_text(encoding="utf-8")
        reread, before = jupytext.reads(saved, fmt="md"), jupytext.reads(original.decode(), fmt="md")
        assert reread.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
        assert "outputs" not in saved and "application/" not in saved  # no outputs in the file
        assert [(c.cell_type, c.source, c.metadata) for c in reread.cells if c.cell_type == "code"] == [
            (c.cell_type, c.source, c.metadata) for c in before.cells if c.cell_type == "code"
        ]
        assert saved.encode() == original  # byte for byte: no diff, the build's cache key cannot change

        # Saving the changed parameter changes exactly that line.
        parameters[0].source = edited
        server.api("PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": nb})
        changed = [
            (a, b) for a, b in zip(original.decode().splitlines(), chapter_file.read_text().splitlines()) if a != b
        ]
        assert len(original.decode().splitlines()) == len(chapter_file.read_text().splitlines())
        assert len(changed) == 1 and f'"{REGION}"' in changed[0][1]

        server.api("DELETE", f"/api/sessions/{session['id']}")
        assert server.api("GET", "/api/kernels") == []
    finally:
        server.stop()
    assert server.process.returncode is not None
    deadline = time.monotonic() + 60  # the kernel exits with its session; allow a busy machine some time
    while kernel_pid is not None and not process_gone(kernel_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert kernel_pid is None or process_gone(kernel_pid), f"kernel process {kernel_pid} is still running"
    assert not list(server.runtime.glob("kernel-*.json"))  # no connection file left behind
