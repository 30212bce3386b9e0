"""The kernel manager and client that chapter executions use (regbook.kernels): the same promises as
jupyter_client's (code runs and its result comes back, a shut-down kernel is gone), one zygote shared by a build's
workers, a history kept in memory. What their tricks bet on jupyter_client's internals is guarded in
tests/test_tricks.py."""

import asyncio

import pytest
from jupyter_client.asynchronous import AsyncKernelClient

from regbook import kernels

pytestmark = pytest.mark.slow  # starts real kernels


async def _started() -> tuple[kernels.BookKernelManager, AsyncKernelClient]:
    manager = kernels.BookKernelManager(kernel_name="python3")
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    return manager, client


def test_a_chapter_kernel_is_ready_runs_code_and_is_gone_after_shutdown():
    async def scenario():
        manager, client = await _started()
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
        return [p for p in psutil.Process().children(recursive=True) if "regbook.zygote" in " ".join(p.cmdline())]

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
