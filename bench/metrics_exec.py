"""Shell execution metrics: latency of one tiny cell, throughput of many, and bulk stdout."""

from __future__ import annotations

import contextlib
import time

from bench.kernels import KernelSpec
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


def _check_ok(reply: Message) -> None:
    content = reply.content
    if content.get("status") != "ok":
        raise MetricError(
            f"{reply.msg_type} status {content.get('status')!r}: "
            f"{content.get('ename', '')} {content.get('evalue', '')}".strip()
        )


def _timed_pass(client: RawClient) -> float:
    sent = time.perf_counter()
    reply, idle = client.reply_and_idle(client.send_execute("pass"), timeout=10)
    _check_ok(reply)
    return max(reply.received_at, idle.received_at) - sent


@metric("roundtrip", better="lower", unit="ms", targets=[relative(0.1), absolute(0.3)])
def roundtrip(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """execute `pass` → execute_reply and its idle status both received (median)."""
    warmup, runs = ctx.n(50, 10), ctx.n(300, 50)
    with ready_kernel(spec) as (kernel, client):
        for _ in range(warmup):
            _timed_pass(client)
        kernel.wait_cpu_quiet()  # start-up work in background threads must not count as CPU per execute
        cpu_before = kernel.cpu_seconds()
        samples = [_timed_pass(client) * 1000 for _ in range(runs)]
        cpu_us = (kernel.cpu_seconds() - cpu_before) / runs * 1e6
    note = f"p90 {percentile(samples, 90):.3f} ms, n={runs}; kernel CPU {cpu_us:.0f} µs per execute (all threads)"
    return Measurement(median(samples), "ms", note)


@metric("pipelined", better="higher", unit="exec/s", targets=[relative(10)])
def pipelined(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """N execute_requests `pass` sent at once → the Nth reply and its idle status: executes per second."""
    count = ctx.n(1000, 200)
    with ready_kernel(spec) as (kernel, client):
        for _ in range(5):
            _timed_pass(client)
        kernel.wait_cpu_quiet()  # let start-up work in background threads end before CPU time is read
        cpu_before = kernel.cpu_seconds()
        started = time.perf_counter()
        ids = [client.send_execute("pass") for _ in range(count)]
        outstanding = set(ids)
        last = ids[-1]
        last_idle_at: float | None = None
        last_reply_at: float | None = None
        for msg in client.messages(started + 120):
            if msg.channel == "shell" and msg.parent_id in outstanding:
                _check_ok(msg)
                outstanding.discard(msg.parent_id)
                if msg.parent_id == last:
                    last_reply_at = msg.received_at
            elif msg.channel == "iopub" and msg.parent_id == last and msg.is_idle():
                last_idle_at = msg.received_at
            if last_reply_at is not None and last_idle_at is not None:
                break
        if outstanding:
            raise MetricError(f"last reply came before {len(outstanding)} earlier ones")
        elapsed = max(last_reply_at or 0.0, last_idle_at or 0.0) - started
        cpu_us = (kernel.cpu_seconds() - cpu_before) / count * 1e6
    note = f"{count} requests in {elapsed * 1000:.0f} ms; kernel CPU {cpu_us:.0f} µs per execute (all threads)"
    return Measurement(count / elapsed, "exec/s", note)


def _first_mismatch(text: str, count: int) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines[:count]):
        if line != str(index):
            return f"line {index} is {line[:40]!r}, expected {str(index)!r}"
    if len(lines) - 1 < count:
        return f"only {len(lines) - 1} of {count} lines arrived"
    return f"{len(lines) - 1 - count} extra lines after {count - 1}"


@metric("print_100k", better="lower", unit="ms", targets=[relative(0.5)])
def print_100k(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """One cell printing 0..N-1 → idle; every line must arrive on IOPub stdout, in order."""
    count = ctx.n(100_000, 10_000)
    chunks: list[str] = []
    messages = 0

    def collect(msg: Message) -> None:
        nonlocal messages
        if msg.msg_type == "stream" and msg.content.get("name") == "stdout":
            chunks.append(msg.content.get("text", ""))
            messages += 1

    with ready_kernel(spec) as (_kernel, client):
        sent = time.perf_counter()
        reply, idle = client.reply_and_idle(
            client.send_execute(f"for i in range({count}): print(i)"), timeout=120, on_iopub=collect
        )
        elapsed = max(reply.received_at, idle.received_at) - sent
        _check_ok(reply)
        on_time = messages
        # Output published after idle breaks the protocol; look for it so that the error says
        # "late" rather than "lost".
        with contextlib.suppress(TimeoutError):
            for msg in client.messages(time.perf_counter() + 0.2):
                if msg.parent_id == reply.parent_id:
                    collect(msg)
    late = messages - on_time
    text = "".join(chunks)
    if text != "".join(f"{i}\n" for i in range(count)):
        after = f" ({late} stdout messages came after idle)" if late else ""
        raise MetricError(f"stdout lost or out of order: {_first_mismatch(text, count)}{after}")
    if late:
        raise MetricError(f"{late} stdout messages arrived after the idle status")
    return Measurement(elapsed * 1000, "ms", f"{count} lines in {messages} stream messages")
