"""The asyncio twin against a real Jupyter Server: connect_server_async, an AsyncClient over the websocket."""

from __future__ import annotations

import asyncio
import socket

import pytest

from ipykernel_lite.client import AsyncClient, connect_server_async
from ipykernel_lite.protocol import Message

from ..conftest import TEST_KERNEL
from .servers import RunningServer

pytestmark = pytest.mark.timeout(120)


def test_async_execute_input_complete_interrupt_reconnect(jserver: RunningServer) -> None:
    async def session() -> None:
        server = await connect_server_async(jserver.url, jserver.token)
        assert TEST_KERNEL in (await server.kernelspecs())["kernelspecs"]
        km, kc = await server.start_kernel(TEST_KERNEL)
        try:
            assert isinstance(kc, AsyncClient) and kc.framing == "v1"
            r = await kc.execute("print('async'); 6 * 7")
            assert (r.stdout, r.result) == ("async\n", {"text/plain": "42"})
            r = await kc.execute("input('? ')", stdin_hook=lambda m: "typed")
            assert r.result == {"text/plain": "'typed'"}
            assert "import" in (await kc.complete("impo"))["matches"]

            async def hook(msg: Message) -> None:
                if msg.msg_type == "stream" and "looping" in msg.content["text"]:
                    await km.interrupt()

            r = await kc.execute(
                "import time\nprint('looping', flush=True)\nwhile True: time.sleep(0.05)", output_hook=hook
            )
            assert r.error is not None and r.error.ename == "KeyboardInterrupt"

            # drop the connection mid-cell; the reader task reconnects on its own, then the cell goes on
            flag = jserver.root / f"go-async-{km.kernel_id}"

            async def drop(msg: Message) -> None:
                if msg.msg_type == "stream" and msg.content["text"] == "before\n":
                    kc._ws.transport.get_extra_info("socket").shutdown(socket.SHUT_RDWR)
                    while kc.reconnects == 0:
                        await asyncio.sleep(0.01)
                    flag.write_text("")

            code = "import os, time\nprint('before', flush=True)\n"
            code += f"while not os.path.exists({str(flag)!r}): time.sleep(0.01)\n"
            r = await kc.execute(code + "'after'", output_hook=drop)
            assert r.result == {"text/plain": "'after'"} and kc.reconnects == 1
            await km.restart()
            assert (await kc.execute("1 + 1")).result == {"text/plain": "2"}
            assert await km.is_alive()
        finally:
            await km.shutdown()
        assert await server.list_kernels() == []

    asyncio.run(session())
