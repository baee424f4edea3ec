"""AsyncClient against real kernels: concurrent calls routed by parent msg_id, hooks, death, cancellation."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from client_kernels import KernelKind

from ipykernel_lite.client import (
    AsyncClient,
    KernelDied,
    KernelManager,
    Message,
    RequestTimeout,
    start_kernel_async,
)


def run(
    kind: KernelKind,
    tmp_path: Path,
    body: Callable[[KernelManager, AsyncClient], Awaitable[None]],
    **manager_kw: object,
) -> None:
    """Start a kernel, run ``body(km, kc)`` in a fresh event loop, always clean up."""

    async def main() -> None:
        km = kind.manager(tmp_path, **manager_kw)
        km.start()
        kc = km.async_client()
        try:
            await kc.wait_for_ready(30)
            await body(km, kc)
        finally:
            kc.close()
            km.shutdown(timeout=2)

    asyncio.run(main())


def test_concurrent_executes_keep_their_own_outputs(kind: KernelKind, tmp_path: Path) -> None:
    async def body(km: KernelManager, kc: AsyncClient) -> None:
        codes = [f"import time\nprint('cell {i}', flush=True)\ntime.sleep(0.05)\n{i} * 10" for i in range(4)]
        results = await asyncio.gather(*(kc.execute(c) for c in codes))
        for i, r in enumerate(results):
            assert r.ok
            assert r.stdout == f"cell {i}\n"
            assert r.result == {"text/plain": str(i * 10)}
            assert all(m.parent_id == r.msg_id for m in r.outputs)
        counts = [r.execution_count or 0 for r in results]
        assert counts == sorted(counts) and len(set(counts)) == 4

    run(kind, tmp_path, body)


def test_control_answers_while_shell_is_busy(kind: KernelKind, tmp_path: Path) -> None:
    async def body(km: KernelManager, kc: AsyncClient) -> None:
        await kc.execute("alpha_beta = 1")
        started = asyncio.Event()

        def hook(m: Message) -> None:
            if m.msg_type == "stream":
                started.set()

        cell = asyncio.ensure_future(
            kc.execute("import time\nprint('go', flush=True)\ntime.sleep(5)", output_hook=hook)
        )
        await asyncio.wait_for(started.wait(), 10)
        reply = await kc.complete("alpha_b", channel="control", timeout=5)
        assert not cell.done(), "the completion waited for the cell"
        assert "alpha_beta" in reply["matches"]
        assert (await cell).ok

    run(kind, tmp_path, body)


def test_async_hooks_and_stdin(kind: KernelKind, tmp_path: Path) -> None:
    async def body(km: KernelManager, kc: AsyncClient) -> None:
        seen: list[str] = []

        async def out(m: Message) -> None:
            await asyncio.sleep(0)
            seen.append(m.msg_type)

        async def answer(m: Message) -> str:
            await asyncio.sleep(0.01)
            return "forty-two" if "what" in m.content["prompt"] else "?"

        r = await kc.execute("print(input('what? ').upper())", output_hook=out, stdin_hook=answer)
        assert r.ok, r.error
        assert r.stdout.endswith("FORTY-TWO\n")
        assert seen[0] == "status" and seen[-1] == "status"
        assert "stream" in seen

    run(kind, tmp_path, body)


def test_low_level_send_recv_and_collect(kind: KernelKind, tmp_path: Path) -> None:
    async def body(km: KernelManager, kc: AsyncClient) -> None:
        assert await kc.ping()
        info = await kc.kernel_info()
        assert info["language_info"]["name"] == "python"
        msg_id = await kc.send("shell", "execute_request", {"code": "print('low')", "silent": False})
        reply = await kc.recv("shell", timeout=10)
        assert reply is not None and reply.parent_id == msg_id and reply.msg_type == "execute_reply"
        # the rest of that request is still queued on iopub
        kinds = []
        while (m := await kc.recv("iopub", timeout=5)) is not None:
            if m.parent_id == msg_id:
                kinds.append(m.msg_type)
                if m.msg_type == "status" and m.content["execution_state"] == "idle":
                    break
        assert "stream" in kinds
        # timeout=0 looks without waiting: stepped by hand, the coroutine finishes on its first step, without
        # ever suspending to the event loop
        look = kc.recv("iopub", timeout=0)
        with pytest.raises(StopIteration):
            look.send(None)

        later = kc.send_nowait("shell", "execute_request", {"code": "print('later')", "silent": False})
        r = await kc.collect(later, timeout=10)
        assert r.stdout == "later\n"

    run(kind, tmp_path, body)


def test_timeout_and_cancellation_leave_the_client_usable(kind: KernelKind, tmp_path: Path) -> None:
    async def body(km: KernelManager, kc: AsyncClient) -> None:
        with pytest.raises(RequestTimeout):
            await kc.execute("import time; time.sleep(0.5)", timeout=0.1)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(kc.execute("import time; time.sleep(0.5)"), 0.1)
        assert not kc.mailbox.pending, "a cancelled call left its request registered"
        r = await kc.execute("'fine'", timeout=10)
        assert r.result == {"text/plain": "'fine'"}

    run(kind, tmp_path, body)


def test_sigkill_raises_kernel_died_in_every_waiter(kind: KernelKind, tmp_path: Path) -> None:
    async def body(km: KernelManager, kc: AsyncClient) -> None:
        pid = km.pid
        assert pid is not None
        fired: list[float] = []

        def hook(m: Message) -> None:
            if m.msg_type == "stream" and not fired:
                fired.append(time.monotonic())
                os.kill(pid, signal.SIGKILL)

        a = kc.execute("import time\nprint('x', flush=True)\ntime.sleep(30)", output_hook=hook)
        b = kc.execute("1")
        c = kc.recv("stdin")
        results = await asyncio.gather(a, b, c, return_exceptions=True)
        # KernelDied everywhere, not a timeout: the death was noticed while all three waited
        assert all(isinstance(r, KernelDied) for r in results), results
        assert results[0].signal == signal.SIGKILL  # type: ignore[union-attr]

    run(kind, tmp_path, body)


def test_start_kernel_async(kind: KernelKind, tmp_path: Path) -> None:
    async def main() -> None:
        km, kc = await start_kernel_async(kind.argv, connection_dir=tmp_path, env=kind.manager(tmp_path).env)
        async with kc:
            with km:
                assert (await kc.execute("print('up')")).stdout == "up\n"
        assert not km.is_alive()

    asyncio.run(main())
