"""Start-up metrics: how fast a kernel answers after spawn, and what it weighs once idle."""

from __future__ import annotations

import os
import time

from bench.kernels import KernelProcess, KernelSpec, unstarted_kernel
from bench.rawclient import RawClient
from bench.registry import Measurement, MetricError, RunContext, median, metric, relative
from bench.session import dead_or, ready_kernel

LAUNCH_TIMEOUT = 60.0


def _wait_alive(kernel: KernelProcess, what: str) -> None:
    if not kernel.alive():
        raise dead_or(kernel, what)


def _launch_counts(ctx: RunContext) -> tuple[int, int]:
    """(warm-up launches, measured launches): the first launch pays for cold disk caches."""
    return (0, 1) if ctx.quick else (1, 5)


def _one_raw_launch(spec: KernelSpec) -> float:
    with unstarted_kernel(spec) as (kernel, info), RawClient(info, reconnect_ivl_ms=1) as client:
        # Queued in the DEALER's pipe now, delivered the moment the kernel's port accepts.
        msg_id = client.send("shell", "kernel_info_request", {})
        started = kernel.start()
        deadline = started + LAUNCH_TIMEOUT
        while True:
            try:
                reply = client.wait_for(
                    msg_id,
                    lambda m: m.msg_type == "kernel_info_reply",
                    timeout=0.5,
                    channel="shell",
                    what="kernel_info_reply",
                )
            except TimeoutError:
                _wait_alive(kernel, "kernel_info_reply")
                if time.perf_counter() > deadline:
                    raise MetricError(f"no kernel_info_reply within {LAUNCH_TIMEOUT:g} s") from None
                continue
            return reply.received_at - started


@metric("launch_raw", better="lower", unit="ms", targets=[relative(0.5), relative(1, "xeus-python")])
def launch_raw(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Spawn → first kernel_info_reply on a raw DEALER connected before the spawn (median)."""
    warmup, runs = _launch_counts(ctx)
    for _ in range(warmup):
        _one_raw_launch(spec)
    samples = [_one_raw_launch(spec) * 1000 for _ in range(runs)]
    return Measurement(median(samples), "ms", f"median of {runs}, min {min(samples):.0f}")


def _one_ready_launch(spec: KernelSpec) -> float:
    from jupyter_client.blocking.client import BlockingKernelClient

    with unstarted_kernel(spec) as (kernel, _info):
        client = BlockingKernelClient(connection_file=kernel.connection_file)
        client.load_connection_file()
        # No heartbeat channel: without a KernelManager parent, wait_for_ready would otherwise poll
        # the heartbeat in 0.2 s steps and hide the kernel's own start-up time.
        client.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
        try:
            started = kernel.start()
            # Short slices so a kernel that died at start-up is noticed within seconds; a retry
            # only re-sends kernel_info, which the first attempt was doing anyway.
            while True:
                try:
                    client.wait_for_ready(timeout=2)
                except RuntimeError as exc:
                    _wait_alive(kernel, "wait_for_ready returned")
                    if time.perf_counter() - started > LAUNCH_TIMEOUT:
                        raise MetricError(str(exc)) from None
                    continue
                return time.perf_counter() - started
        finally:
            client.stop_channels()


@metric("launch_ready", better="lower", unit="ms")
def launch_ready(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Spawn → jupyter_client BlockingKernelClient.wait_for_ready() returns (median)."""
    warmup, runs = _launch_counts(ctx)
    for _ in range(warmup):
        _one_ready_launch(spec)
    samples = [_one_ready_launch(spec) * 1000 for _ in range(runs)]
    # wait_for_ready ends by waiting for 0.2 s of IOPub silence, and jupyter_client reconnects every
    # 0.1 s: both are client costs paid equally by either kernel.
    note = f"median of {runs}, min {min(samples):.0f}; includes jupyter_client's 200 ms IOPub flush"
    return Measurement(median(samples), "ms", note)


@metric("idle_rss", better="lower", unit="MiB", targets=[relative(0.5)])
def idle_rss(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Resident memory once ready and idle, before any completion machinery is loaded.

    ipykernel_lite runs with IPYKERNEL_LITE_WARMUP=0 here: what a kernel costs before first use. The row
    idle_rss_warm shows it after its background warm-up (jedi, pydantic) has run.
    """
    os.environ["IPYKERNEL_LITE_WARMUP"] = "0"
    try:
        return _idle_rss(ctx, spec)
    finally:
        os.environ.pop("IPYKERNEL_LITE_WARMUP", None)


@metric("idle_rss_warm", better="lower", unit="MiB", targets=[])
def idle_rss_warm(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Resident memory once ready and idle, after background warm-up (jedi and the protocol models loaded)."""
    return _idle_rss(ctx, spec)


def _idle_rss(ctx: RunContext, spec: KernelSpec) -> Measurement:
    with ready_kernel(spec) as (kernel, client):
        # Let start-up work the kernel defers to background threads finish before weighing it.
        client.drain(quiet=0.3 if ctx.quick else 1.0)
        if not kernel.alive():
            raise dead_or(kernel, "")
        return Measurement(kernel.rss_kib() / 1024, "MiB", "VmRSS of the process group")
