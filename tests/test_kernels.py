"""The kernel manager and client that chapter executions use (regbook.kernels): ready as soon as the kernel
answers, a stopped kernel noticed at once, and still the same promises as jupyter_client's: a kernel that died is
reported, code runs and its result comes back, a shut-down kernel is gone."""

import asyncio
import signal

import pytest

from regbook import kernels

pytestmark = pytest.mark.slow  # starts real kernels


async def _started() -> tuple[kernels.BookKernelManager, kernels.PromptKernelClient]:
    manager = kernels.BookKernelManager(kernel_name="python3")
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    return manager, client


def test_a_chapter_kernel_is_ready_runs_code_and_is_gone_after_shutdown():
    async def scenario():
        manager, client = await _started()
        assert isinstance(client, kernels.PromptKernelClient)
        try:
            await client.wait_for_ready(timeout=60)
            outputs = []
            reply = await client.execute_interactive("print(6 * 7)", timeout=60, output_hook=outputs.append)
            assert reply["content"]["status"] == "ok"
            assert [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"] == ["42\n"]
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()
        assert not await manager.is_alive()

    asyncio.run(scenario())


def test_waiting_for_a_kernel_that_died_says_so():
    async def scenario():
        manager, client = await _started()
        try:
            await manager.signal_kernel(signal.SIGKILL)
            while await manager.is_alive():
                await asyncio.sleep(0.01)
            with pytest.raises(RuntimeError, match="died before replying"):
                await client.wait_for_ready(timeout=30)
        finally:
            client.stop_channels()
            await manager.cleanup_resources()

    asyncio.run(scenario())


def test_the_kernel_manager_notices_an_exit_sooner_than_jupyter_clients_poll():
    """jupyter_client polls a stopping kernel every 0.1 s; the book's manager every EXIT_POLL_SECONDS."""
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


def test_a_forked_kernel_collects_garbage_and_skips_what_it_inherited(tmp_path, monkeypatch):
    """The zygote freezes its imports before it forks (gc.freeze: a kernel's collections then do not touch, and
    copy, the pages it shares); the kernel itself must collect its own garbage as any kernel does."""
    monkeypatch.setenv("JUPYTER_PATH", str(kernels.kernelspec_dir(tmp_path)))
    code = "import gc\nprint(gc.isenabled(), gc.get_freeze_count() > 10000)"

    async def scenario():
        manager = kernels.BookKernelManager(kernel_name=kernels.KERNEL_NAME)
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

    try:
        assert asyncio.run(scenario()) == ["True True\n"]
    finally:
        kernels.close_zygote()


def _ask_the_zygote(_: int) -> tuple[str, dict]:
    """In a worker process: which zygote this process uses, and its answer to a poll."""
    zygote = kernels.zygote()
    try:
        return type(zygote).__name__, zygote.request(op="poll", pid=1)
    finally:
        kernels.close_zygote()


def test_the_workers_of_a_build_share_one_zygote_that_stops_with_the_build():
    import concurrent.futures as cf
    import multiprocessing
    import os
    import socket

    import psutil

    def zygotes() -> list[psutil.Process]:
        return [p for p in psutil.Process().children(recursive=True)
                if "regbook.zygote" in " ".join(p.cmdline())]

    kernels.share_zygote()
    path = os.environ[kernels.SHARED_ZYGOTE_ENV]
    try:
        with cf.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
            answers = list(pool.map(_ask_the_zygote, range(4)))
        assert answers == [("_SharedZygote", {"returncode": 0})] * 4  # pid 1 is no child: "exited"
        gone = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # a worker that dies mid-request
        gone.connect(path)
        gone.sendall(b'{"op": "po')
        gone.close()
        connection = kernels._SharedZygote(path)
        assert connection.request(op="poll", pid=1) == {"returncode": 0}  # the others are served on
        connection.close()
        assert len(zygotes()) == 1 and "--listen" in zygotes()[0].cmdline()
    finally:
        kernels.close_zygote()
    assert not zygotes() or psutil.wait_procs(zygotes(), timeout=30)[1] == []
    assert kernels.SHARED_ZYGOTE_ENV not in os.environ and not os.path.exists(path)


def test_chapter_kernels_talk_over_sockets_of_their_own_and_leave_none_behind(tmp_path, monkeypatch):
    """No TCP ports to race for: two managers get distinct Unix-socket names, short enough for a socket, and
    nothing is left behind: on Linux abstract sockets (no files), elsewhere files removed when the kernel stops."""
    import glob
    import sys

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    assert kernels.BookKernelManager().ip != kernels.BookKernelManager().ip

    async def scenario():
        manager, client = await _started()
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


HISTORY = """
# History

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import glue
history = get_ipython().history_manager
glue.glue("fx_history_enabled", bool(history.enabled), "on")
```
"""


@pytest.mark.slow
def test_a_chapters_kernel_keeps_its_input_history_in_memory_only(fixture_book):
    """IPython's SQLite history file costs every kernel time to open and a write per cell; chapters never use it."""
    import json

    from helpers import paths
    from tests.fixtures.fixture_book import HEADER, build_book

    (fixture_book / "chapters" / "history.md").write_text(HEADER + HISTORY)
    with open(fixture_book / "_toc.yml", "a") as toc:
        toc.write("  - file: chapters/history\n")
    assert build_book().ok
    values = json.loads((paths.BUILD_DIR / "results" / "results.json").read_text())["values"]["history"]
    assert values["fx_history_enabled"] is False
