"""The kernel manager and client that chapter executions use (helpers.build.kernels): ready as soon as the kernel
answers, a stopped kernel noticed at once, and still the same promises as jupyter_client's: a kernel that died is
reported, code runs and its result comes back, a shut-down kernel is gone."""

import asyncio
import signal

import pytest

from helpers.build import kernels

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
