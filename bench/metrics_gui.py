"""GUI integration: the execute round trip while the kernel idles in Qt's event loop instead of zmq poll.

Qt runs on the ``offscreen`` platform (no display needed). Both numbers come from the same kernel process:
the no-GUI round trip first, then ``%gui qt`` and the same cells again, so the ratio is not muddied by
differences between two launches.
"""

from __future__ import annotations

import importlib.util
import os
import time

from bench.kernels import KernelSpec
from bench.rawclient import RawClient
from bench.registry import Measurement, MetricError, RunContext, absolute, median, metric, percentile
from bench.session import ready_kernel

#: a reply later than this is taken as a lost wake-up; another message is sent to unstick the kernel
STALL_S = 2.0
GIVE_UP_S = 30.0


class _Stalls:
    count = 0


def _timed_pass(client: RawClient, stalls: _Stalls) -> float:
    sent = time.perf_counter()
    msg_id = client.send_execute("pass")
    for _ in range(int(GIVE_UP_S / STALL_S)):
        try:
            reply, idle = client.reply_and_idle(msg_id, timeout=STALL_S)
            break
        except TimeoutError:
            # the request sits unseen until something else wakes the kernel (a wake-up edge was lost)
            stalls.count += 1
            client.send("shell", "kernel_info_request", {})
    else:
        raise MetricError(f"a request stayed unanswered for {GIVE_UP_S:g} s, despite other messages")
    if reply.content.get("status") != "ok":
        raise MetricError(f"`pass` failed: {reply.content.get('ename')} {reply.content.get('evalue')}")
    return (max(reply.received_at, idle.received_at) - sent) * 1000


def _samples(client: RawClient, warmup: int, runs: int, stalls: _Stalls) -> list[float]:
    for _ in range(warmup):
        _timed_pass(client, stalls)
    return [_timed_pass(client, stalls) for _ in range(runs)]


Samples = tuple[list[float], list[float], int]
#: both metrics report on one measurement per kernel, so their rows agree (the second one reuses it)
_measured: dict[tuple[str, bool], Samples] = {}


def _no_gui_and_qt(ctx: RunContext, spec: KernelSpec) -> Samples:
    key = (spec.name, ctx.quick)
    if key not in _measured:
        _measured[key] = _measure(ctx, spec)
    return _measured[key]


def _measure(ctx: RunContext, spec: KernelSpec) -> Samples:
    binding = next((b for b in ("PySide6", "PyQt6", "PyQt5", "PySide2") if importlib.util.find_spec(b)), None)
    if binding is None:
        raise MetricError("no Qt binding installed")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # inherited by the kernel started below
    warmup, runs = ctx.n(50, 10), ctx.n(300, 50)
    with ready_kernel(spec) as (_kernel, client):
        stalls = _Stalls()
        plain = _samples(client, warmup, runs, stalls)
        # an app with a window, as a user would have, so Qt's loop has something to look after
        cell = f"%gui qt\nfrom {binding} import QtWidgets\n_w = QtWidgets.QLabel('bench')\n_w.show()"
        reply = client.execute(cell, timeout=30)
        if reply.content.get("status") != "ok":
            raise MetricError(f"%gui qt failed: {reply.content.get('ename')} {reply.content.get('evalue')}")
        stalls.count = 0
        qt = _samples(client, warmup, runs, stalls)
    return plain, qt, stalls.count


def _stall_note(stalls: int) -> str:
    return f"; {stalls} request(s) answered only after another message woke the kernel" if stalls else ""


@metric("roundtrip_qt", better="lower", unit="ms", targets=[absolute(1)])
def roundtrip_qt(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """execute `pass` → reply and idle, with `%gui qt` active and a window open (median)."""
    plain, qt, stalls = _no_gui_and_qt(ctx, spec)
    note = f"p90 {percentile(qt, 90):.3f} ms; no GUI {median(plain):.3f} ms in the same kernel; n={len(qt)}"
    return Measurement(median(qt), "ms", note + _stall_note(stalls))


@metric("qt_slowdown", better="lower", unit="x", targets=[absolute(2)])
def qt_slowdown(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Median round trip with `%gui qt` active ÷ without, in the same kernel (goal: ≤ 2x)."""
    plain, qt, stalls = _no_gui_and_qt(ctx, spec)
    note = f"{median(qt):.3f} ms with Qt / {median(plain):.3f} ms without"
    return Measurement(median(qt) / median(plain), "x", note + _stall_note(stalls))
