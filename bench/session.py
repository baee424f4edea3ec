"""A started, ready kernel with a connected raw client, for metrics that are not about start-up."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from bench.kernels import KernelProcess, KernelSpec, unstarted_kernel
from bench.rawclient import RawClient
from bench.registry import MetricError

READY_TIMEOUT = 60.0


@contextlib.contextmanager
def ready_kernel(spec: KernelSpec) -> Iterator[tuple[KernelProcess, RawClient]]:
    """Yield a fresh kernel and a client whose IOPub subscription is live; kill it on exit."""
    with unstarted_kernel(spec) as (kernel, info), RawClient(info) as client:
        kernel.start()
        try:
            client.handshake(timeout=READY_TIMEOUT, alive=kernel.alive)
            client.reply_and_idle(client.send("shell", "kernel_info_request", {}), timeout=READY_TIMEOUT)
        except (TimeoutError, ConnectionError) as exc:
            raise dead_or(kernel, f"kernel not ready: {exc}") from None
        client.drain()
        try:
            yield kernel, client
        except TimeoutError as exc:
            raise dead_or(kernel, str(exc)) from None


def dead_or(kernel: KernelProcess, message: str) -> MetricError:
    """Prefer "the kernel died" (with its last log lines) over a bare timeout when that is the cause."""
    if not kernel.alive():
        code = kernel.proc.returncode if kernel.proc else None
        return MetricError(f"kernel exited (code {code}): {kernel.log_tail()}")
    return MetricError(message)
