"""The same round trip and pipelined executes as bench/remote_gateway.py, through jupyter_server's gateway
client: ``GatewayKernelManager`` starts the kernel over the gateway's REST API and ``GatewayKernelClient`` (a
jupyter_client ``AsyncKernelClient`` on a websocket-client connection, JSON framing) talks to it. That is the
library a Jupyter Server started with ``--gateway-url`` uses to reach kernels itself; JupyterLab's own
websockets take the server's proxy path, measured in bench/remote_gateway.py as our client through such a
server.

``GatewayKernelClient`` sends no token on its websocket, so the gateway runs without one in this bench.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

#: seconds any single reply may take before the run counts as failed
WAIT = 60.0


async def _until(get: Any, parent: str, done: Any) -> None:
    """Read a channel until a message for ``parent`` satisfies ``done``."""
    while True:
        msg = await get(timeout=WAIT)
        if msg.get("parent_header", {}).get("msg_id") == parent and done(msg):
            return


def _is_reply(msg: dict[str, Any]) -> bool:
    return str(msg.get("msg_type")) == "execute_reply"


def _is_idle(msg: dict[str, Any]) -> bool:
    return msg.get("msg_type") == "status" and msg.get("content", {}).get("execution_state") == "idle"


async def _execute(kc: Any) -> None:
    """What our client's ``execute`` waits for: the reply and the request's idle."""
    msg_id = kc.execute("pass", store_history=False, allow_stdin=False)
    await _until(kc.get_shell_msg, msg_id, _is_reply)
    await _until(kc.get_iopub_msg, msg_id, _is_idle)


async def _measure(url: str, spec: str, n: int) -> dict[str, float]:
    from jupyter_server.gateway.gateway_client import GatewayClient
    from jupyter_server.gateway.managers import GatewayKernelManager

    gateway = GatewayClient.instance()
    gateway.url = url
    gateway.ws_url = url.replace("http", "ws", 1)
    km = GatewayKernelManager()
    await km.start_kernel(kernel_name=spec)
    kc = km.client()
    try:
        await kc.start_channels()
        await kc.wait_for_ready(timeout=WAIT)
        for _ in range(20):  # warm-up, as for our client
            await _execute(kc)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            await _execute(kc)
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        ids = [kc.execute("pass", store_history=False, allow_stdin=False) for _ in range(n)]
        for msg_id in ids:
            await _until(kc.get_shell_msg, msg_id, _is_reply)
        await _until(kc.get_iopub_msg, ids[-1], _is_idle)
        pipelined = time.perf_counter() - t
        return {
            "roundtrip_ms": statistics.median(times) * 1000,
            "p90_ms": sorted(times)[int(0.9 * n)] * 1000,
            "pipelined_per_s": n / pipelined,
        }
    finally:
        if kc.channel_socket is not None:
            kc.stop_channels()
        await km.shutdown_kernel()


def measure(url: str, spec: str, n: int) -> dict[str, float]:
    """Round trip median and p90 (ms) and pipelined executes/s through jupyter_server's gateway client."""
    return asyncio.run(_measure(url, spec, n))
