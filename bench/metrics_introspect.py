"""Completion and inspection: cold and warm, and on the control channel while the shell is busy."""

from __future__ import annotations

import time

from bench.kernels import KernelSpec
from bench.metrics_control import _start_cell
from bench.rawclient import RawClient
from bench.registry import Measurement, MetricError, RunContext, absolute, median, metric
from bench.session import ready_kernel

CODE = "import os\nos.path.jo"


def _timed(client: RawClient, channel: str, msg_type: str, content: dict[str, object]) -> float:
    sent = time.perf_counter()
    msg_id = client.send(channel, msg_type, content)
    reply_type = msg_type.replace("_request", "_reply")
    reply = client.wait_for(msg_id, lambda m: m.msg_type == reply_type, timeout=30, channel=channel, what=reply_type)
    if reply.content.get("status") != "ok":
        raise MetricError(f"{reply_type}: {reply.content.get('ename')} {reply.content.get('evalue')}")
    if msg_type == "complete_request" and "join" not in reply.content.get("matches", []):
        raise MetricError(f"complete_request found no 'join': {reply.content.get('matches')}")
    return (reply.received_at - sent) * 1000


def _complete(client: RawClient, channel: str = "shell") -> float:
    return _timed(client, channel, "complete_request", {"code": CODE, "cursor_pos": len(CODE)})


@metric("complete_cold", better="lower", unit="ms", targets=[absolute(60)])
def complete_cold(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """First completion of a fresh kernel, sent once it is ready and has been idle 0.5 s (a user starts typing)."""
    samples = []
    for _ in range(ctx.n(3, 1)):
        with ready_kernel(spec) as (_kernel, client):
            client.drain(quiet=0.5)
            samples.append(_complete(client))
    return Measurement(median(samples), "ms", f"median of {len(samples)} fresh kernels; `{CODE!r}`")


@metric("complete_warm", better="lower", unit="ms", targets=[absolute(5)])
def complete_warm(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Completion once warm, `os.path.jo` with `os` imported by an earlier cell (median of many)."""
    code = "os.path.jo"
    with ready_kernel(spec) as (_kernel, client):
        client.drain(quiet=0.5)
        client.reply_and_idle(client.send_execute("import os"), timeout=10)
        content = {"code": code, "cursor_pos": len(code)}
        for _ in range(5):
            _timed(client, "shell", "complete_request", content)
        samples = [_timed(client, "shell", "complete_request", content) for _ in range(ctx.n(50, 10))]
        unexecuted = [_complete(client) for _ in range(ctx.n(20, 5))]
    note = f"median of {len(samples)}; `{CODE!r}` (import not yet run, jedi infers it): {median(unexecuted):.1f} ms"
    return Measurement(median(samples), "ms", note)


@metric("inspect", better="lower", unit="ms", targets=[absolute(20)])
def inspect_metric(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """inspect_request inside a call's parentheses (`os.path.join(a, |`), detail 0 (median)."""
    code = "import os\nos.path.join('a', "
    with ready_kernel(spec) as (_kernel, client):
        client.drain(quiet=0.5)
        for _ in range(3):
            _timed(client, "shell", "inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})
        samples = [
            _timed(client, "shell", "inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})
            for _ in range(ctx.n(30, 5))
        ]
    return Measurement(median(samples), "ms", f"median of {len(samples)}")


def _busy(ctx: RunContext, spec: KernelSpec, cell: str) -> Measurement:
    """`os.path.jo` on control, `os` imported by an earlier cell, while ``cell`` runs on the shell."""
    code = "os.path.jo"
    content = {"code": code, "cursor_pos": len(code)}
    with ready_kernel(spec) as (_kernel, client):
        client.drain(quiet=0.5)
        client.reply_and_idle(client.send_execute("import os"), timeout=10)
        for _ in range(3):
            _timed(client, "shell", "complete_request", content)
        if _start_cell(client, cell) is None:
            raise MetricError("the busy cell was answered 'aborted'")
        samples = [_timed(client, "control", "complete_request", content) for _ in range(ctx.n(10, 3))]
    return Measurement(median(samples), "ms", f"median of {len(samples)}, on control, `{code}`")


@metric("complete_busy_sleep", better="lower", unit="ms", targets=[absolute(20)])
def complete_busy_sleep(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Completion on the control channel while the shell runs `time.sleep` (median)."""
    return _busy(ctx, spec, "import time; time.sleep(8)")


@metric("complete_busy_loop", better="lower", unit="ms", targets=[absolute(20)])
def complete_busy_loop(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Completion on the control channel while the shell runs a pure-Python loop (median)."""
    return _busy(ctx, spec, "import time\nend = time.time() + 8\nwhile time.time() < end:\n    pass")
