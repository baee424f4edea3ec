"""The visual debugger: what a user waits for when pressing JupyterLab's bug button and running a cell.

- ``dap_initialize``: a fresh kernel's first ``initialize`` debug_request → its reply (debugpy is imported and
  started then, in every kernel: this is the cost of turning the debugger on);
- ``dap_breakpoint_stop``: with a breakpoint set in a cell, the execute_request → the ``stopped`` debug_event.

Both through jupyter_client, as JupyterLab's server does, for every kernel in the run.
"""

from __future__ import annotations

import itertools
import os
import queue
import tempfile
import time
from typing import Any

from bench.kernels import REPO_ROOT, KernelSpec
from bench.registry import Measurement, MetricError, RunContext, median, metric

CELL = "def f(a):\n    b = a * 2\n    return b\nx = f(21)\n"
INITIALIZE = {"clientID": "bench", "adapterID": "python", "pathFormat": "path", "linesStartAt1": True,
              "columnsStartAt1": True}


class _Session:
    def __init__(self, spec: KernelSpec, folder: str) -> None:
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(connection_file=os.path.join(folder, "kernel.json"))
        self.km.kernel_cmd = spec.argv("{connection_file}")  # type: ignore[attr-defined]
        path = os.environ.get("PYTHONPATH", "")
        self.km.start_kernel(env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), path])})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self._seq = itertools.count(1)

    def request(self, command: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        content: dict[str, Any] = {"type": "request", "seq": next(self._seq), "command": command}
        if arguments is not None:
            content["arguments"] = arguments
        msg = self.kc.session.msg("debug_request", content)
        self.kc.control_channel.send(msg)
        while True:
            reply = self.kc.control_channel.get_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                body: dict[str, Any] = reply["content"]
                if not body.get("success"):
                    raise MetricError(f"{command} failed: {body.get('message', body)}")
                return body

    def wait_event(self, name: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                msg = self.kc.iopub_channel.get_msg(timeout=1)
            except queue.Empty:
                continue
            if msg["msg_type"] == "debug_event" and msg["content"].get("event") == name:
                return
        raise MetricError(f"no {name} event within 60 s")

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def _fresh(spec: KernelSpec) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        s = _Session(spec, folder)
        try:
            s.request("debugInfo")
            t0 = time.perf_counter()
            s.request("initialize", INITIALIZE)
            initialize = time.perf_counter() - t0
            s.request("attach", {})
            path = s.request("dumpCell", {"code": CELL})["body"]["sourcePath"]
            s.request("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 2}]})
            s.request("configurationDone")
            t0 = time.perf_counter()
            s.kc.execute(CELL)
            s.wait_event("stopped")
            stop = time.perf_counter() - t0
            s.request("continue", {"threadId": 1})
            return initialize, stop
        finally:
            s.close()


_cache: dict[tuple[str, bool], list[tuple[float, float]]] = {}


def _samples(ctx: RunContext, spec: KernelSpec) -> list[tuple[float, float]]:
    key = (spec.name, ctx.quick)
    if key not in _cache:
        _cache[key] = [_fresh(spec) for _ in range(ctx.n(3, 1))]
    return _cache[key]


@metric("dap_initialize", better="lower", unit="ms",
        description="fresh kernel: first `initialize` debug_request → reply (debugpy started)")
def dap_initialize(ctx: RunContext, spec: KernelSpec) -> Measurement:
    return Measurement(1000 * median([a for a, _ in _samples(ctx, spec)]), "ms")


@metric("dap_breakpoint_stop", better="lower", unit="ms",
        description="breakpoint in a cell: execute_request → `stopped` debug_event")
def dap_breakpoint_stop(ctx: RunContext, spec: KernelSpec) -> Measurement:
    return Measurement(1000 * median([b for _, b in _samples(ctx, spec)]), "ms")
