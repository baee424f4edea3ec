"""The execute round trip with several IOPub subscribers: every message is sent once per subscriber."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator

from bench.kernels import REPO_ROOT, KernelSpec
from bench.metrics_exec import _timed_pass
from bench.rawclient import RawClient
from bench.registry import Measurement, MetricError, RunContext, at_least_best, median, metric, percentile
from bench.session import ready_kernel

READY_TIMEOUT = 30.0


@contextlib.contextmanager
def extra_subscribers(client: RawClient, count: int) -> Iterator[None]:
    """``count`` more SUB sockets on the kernel's IOPub, live (each has received a message) when this yields."""
    url = f"{client.info.get('transport', 'tcp')}://{client.info['ip']}:{client.info['iopub_port']}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.subscribers", url, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO_ROOT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        deadline = time.perf_counter() + READY_TIMEOUT
        import selectors

        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while True:
                # something must be published for the new subscribers to see: a kernel_info makes busy/idle
                client.execute("pass", timeout=10)
                if sel.select(timeout=0.1):
                    if proc.stdout.readline().strip() == "ready":
                        break
                    raise MetricError("the subscriber process failed")
                if time.perf_counter() > deadline:
                    raise MetricError(f"{count} extra subscribers not live within {READY_TIMEOUT:g} s")
        client.drain()
        yield
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _roundtrip_with(ctx: RunContext, spec: KernelSpec, subscribers: int) -> Measurement:
    warmup, runs = ctx.n(50, 10), ctx.n(300, 50)
    with ready_kernel(spec) as (_kernel, client), extra_subscribers(client, subscribers - 1):
        for _ in range(warmup):
            _timed_pass(client)
        samples = [_timed_pass(client) * 1000 for _ in range(runs)]
    return Measurement(median(samples), "ms", f"p90 {percentile(samples, 90):.3f} ms, n={runs}")


@metric("roundtrip_sub2", better="lower", unit="ms", targets=[at_least_best()])
def roundtrip_sub2(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """execute `pass` → reply and idle (median) with 2 IOPub subscribers: ours and one more in another process."""
    return _roundtrip_with(ctx, spec, 2)


@metric("roundtrip_sub10", better="lower", unit="ms", targets=[at_least_best()])
def roundtrip_sub10(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """execute `pass` → reply and idle (median) with 10 IOPub subscribers: ours and nine more in another process."""
    return _roundtrip_with(ctx, spec, 10)
