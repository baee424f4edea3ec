"""Responsiveness while the shell is busy: interrupt, control channel, heartbeat."""

from __future__ import annotations

import signal
import time

from bench.kernels import KernelProcess, KernelSpec
from bench.rawclient import Message, RawClient
from bench.registry import (
    Measurement,
    MetricError,
    RunContext,
    absolute,
    median,
    metric,
    percentile,
    relative,
)
from bench.session import ready_kernel

# Once execute_input is out the kernel is about to run user code; this margin makes sure the
# interrupt lands inside time.sleep rather than in the kernel's own bookkeeping around it.
SETTLE_BEFORE_INTERRUPT = 0.1


def _start_cell(client: RawClient, code: str) -> str | None:
    """Send ``code`` and block until the kernel announces it is running it; return its msg_id.

    Returns None when the kernel answers "aborted" instead (it dropped the request without running it).
    """
    msg_id = client.send_execute(code)
    first = client.wait_for(
        msg_id, lambda m: m.msg_type in ("execute_input", "execute_reply"), timeout=10, what="execute_input"
    )
    if first.msg_type == "execute_input":
        return msg_id
    if first.content.get("status") == "aborted":
        client.wait_for(msg_id, lambda m: m.is_idle(), timeout=10, channel="iopub", what="idle status")
        return None
    raise MetricError(f"cell answered {first.content.get('status')!r} before it started")


def _interrupt(kernel: KernelProcess, client: RawClient) -> None:
    if kernel.spec.interrupt_mode == "message":
        client.send("control", "interrupt_request", {})
    else:
        # What jupyter_client does for interrupt_mode "signal".
        kernel.signal_group(signal.SIGINT)


def _one_interrupt(kernel: KernelProcess, client: RawClient) -> tuple[float, int]:
    """(interrupt → KeyboardInterrupt reply, in s; how many fresh cells the kernel aborted first)."""
    aborted = 0
    while (msg_id := _start_cell(client, "import time; time.sleep(30)")) is None:
        # Only requests sent after the previous cell's reply *and* idle get here, so aborting them
        # is the kernel's bug; count it for the note and try again rather than lose the sample.
        aborted += 1
        if aborted > 3:
            raise MetricError("every new cell after an interrupt is answered 'aborted'")
    time.sleep(SETTLE_BEFORE_INTERRUPT)
    sent = time.perf_counter()
    _interrupt(kernel, client)
    try:
        reply, _idle = client.reply_and_idle(msg_id, timeout=40)
    except TimeoutError:
        raise MetricError("interrupt ignored: the cell ran on") from None
    content = reply.content
    if content.get("status") != "error" or content.get("ename") != "KeyboardInterrupt":
        got = f"{content.get('status')!r}/{content.get('ename')!r}"
        raise MetricError(f"reply was {got}, not KeyboardInterrupt")
    return reply.received_at - sent, aborted


@metric("interrupt", better="lower", unit="ms", targets=[absolute(20)])
def interrupt(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Interrupt a `time.sleep(30)` cell → execute_reply with KeyboardInterrupt (median)."""
    runs = ctx.n(5, 2)
    samples: list[float] = []
    aborted = 0
    with ready_kernel(spec) as (kernel, client):
        for _ in range(runs):
            latency, dropped = _one_interrupt(kernel, client)
            samples.append(latency * 1000)
            aborted += dropped
    how = "control interrupt_request" if spec.interrupt_mode == "message" else "SIGINT"
    note = f"{how}, median of {runs}, max {max(samples):.1f}"
    if aborted:
        note += f"; BUG: {aborted} cell(s) sent after the interrupted cell's idle were answered 'aborted'"
    return Measurement(median(samples), "ms", note)


class _CellWatch:
    """Tracks the reply and idle status of one running cell from messages read for other reasons."""

    def __init__(self, msg_id: str) -> None:
        self.msg_id = msg_id
        self.replied = False
        self.idle = False

    def see(self, msg: Message) -> None:
        if msg.parent_id != self.msg_id:
            return
        if msg.channel == "shell":
            self.replied = True
        elif msg.is_idle():
            self.idle = True

    def finish(self, client: RawClient, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        if not (self.replied and self.idle):
            for msg in client.messages(deadline):
                self.see(msg)
                if self.replied and self.idle:
                    break


def _control_latency(client: RawClient, cell: _CellWatch, timeout: float) -> float | None:
    """One control kernel_info round trip in ms, or None if the cell ended before it could be sent."""
    for msg in client.pending():
        cell.see(msg)
    if cell.replied:
        return None
    sent = time.perf_counter()
    request = client.send("control", "kernel_info_request", {})
    for msg in client.messages(sent + timeout):
        cell.see(msg)
        if msg.parent_id == request and msg.channel == "control":
            # Counted even when the cell ended meanwhile: a kernel that serves control only
            # between cells must show up here as a slow reply.
            return (msg.received_at - sent) * 1000
    raise AssertionError("unreachable")


@metric("control_busy", better="lower", unit="ms")
def control_busy(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """kernel_info_request on control while the shell sleeps → reply latency (median)."""
    wanted = ctx.n(20, 5)
    sleep_s = 1 if ctx.quick else 2
    samples: list[float] = []
    with ready_kernel(spec) as (_kernel, client):
        # A kernel that serves control only between cells answers once per cell: three cells are
        # enough to show that without letting a blocked kernel stretch the run.
        for _cell in range(3):
            started = _start_cell(client, f"import time; time.sleep({sleep_s})")
            if started is None:
                raise MetricError("a sleep cell was answered 'aborted' instead of running")
            cell = _CellWatch(started)
            while len(samples) < wanted:
                latency = _control_latency(client, cell, timeout=sleep_s + 30)
                if latency is None:
                    break
                samples.append(latency)
            cell.finish(client, timeout=sleep_s + 30)
            if len(samples) >= wanted:
                break
    if not samples:
        raise MetricError("no control request could be sent while the shell was busy")
    return Measurement(median(samples), "ms", f"median of {len(samples)}, max {max(samples):.1f}")


def _pings_during(client: RawClient, code: str, limit: float) -> tuple[list[float], Message]:
    """Back-to-back heartbeat round trips (ms) from sending ``code`` until its execute_reply."""
    # Pinging starts at once rather than on execute_input: a kernel that publishes from a Python
    # thread may only get execute_input out after the cell has released the GIL.
    sent = time.perf_counter()
    exec_id = client.send_execute(code)
    pings: list[float] = []
    while True:
        try:
            pings.append(client.ping(timeout=30) * 1000)
        except TimeoutError:
            pings.append(30_000.0)
        for msg in client.pending():
            if msg.parent_id == exec_id and msg.channel == "shell":
                if msg.content.get("status") != "ok":
                    raise MetricError(f"cell failed: {msg.content.get('ename')} {msg.content.get('evalue')}")
                return pings, msg
        if time.perf_counter() - sent > limit:
            raise MetricError(f"the cell did not finish within {limit:g} s")


@metric("heartbeat_gil", better="lower", unit="ms", targets=[relative(1)])
def heartbeat_gil(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """p99.9 of thousands of heartbeat echoes while the main thread holds the GIL inside a catastrophic regex.

    The worst single ping is the VM scheduler's doing on any kernel (see the noise floor in the note), so the
    row compares a high percentile over many pings instead.
    """
    size = ctx.n(26, 24)
    floor_s = ctx.n(10, 3) / 10
    with ready_kernel(spec) as (_kernel, client):
        client.ping(timeout=10)  # connect the REQ socket outside the measurement
        started = time.perf_counter()
        pings, _ = _pings_during(client, f"import re; re.match(r'(a+)+$', 'a' * {size} + 'b')", 90)
        busy_for = time.perf_counter() - started
        # The same load with the GIL released (hashing big buffers): what the machine's scheduler
        # alone costs a ping while one core is busy, so a spike can be told from a GIL stall.
        floor, _ = _pings_during(
            client,
            "import hashlib, time\nb = bytes(1 << 24)\nh = hashlib.sha256()\nt = time.perf_counter()\n"
            f"while time.perf_counter() - t < {floor_s}: h.update(b)",
            60,
        )
    if len(pings) < 1000:
        raise MetricError(f"only {len(pings)} pings during the cell: too few for a p99.9")
    return Measurement(
        percentile(pings, 99.9),
        "ms",
        f"{len(pings)} pings over the {busy_for:.1f} s cell, p99 {percentile(pings, 99):.3f} ms, "
        f"worst {max(pings):.1f} ms; noise floor (GIL released, same load): p99.9 "
        f"{percentile(floor, 99.9):.3f} ms, worst {max(floor):.1f} ms",
    )
