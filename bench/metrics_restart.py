"""Restart → ready: how long an editor waits between "restart the kernel" and a kernel it can use.

ipykernel_lite: our KernelManager with a warm spare (the option this metric exists for), polite restart, then
BlockingClient.wait_for_ready. ipykernel: jupyter_client's KernelManager.restart_kernel, then its
BlockingKernelClient.wait_for_ready (which ends with a short IOPub flush of its own).
"""

from __future__ import annotations

import os
import tempfile
import time

from bench.kernels import REPO_ROOT, KernelSpec
from bench.registry import Measurement, MetricError, RunContext, absolute, median, metric

#: the kernel has been in use a while before a restart: its background warm-up is over, the spare is ready
IDLE_BEFORE_RESTART = 1.0


def _env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH", "")
    return {"PYTHONPATH": os.pathsep.join([str(REPO_ROOT), path]).rstrip(os.pathsep)}


def _lite(runs: int) -> list[float]:
    from ipykernel_lite.client import KernelManager

    samples: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        km = KernelManager(connection_dir=folder, env=_env(), warm_spare=True)
        km.start()
        try:
            with km.client() as client:
                client.wait_for_ready(60)
                for _ in range(runs):
                    time.sleep(IDLE_BEFORE_RESTART)
                    started = time.perf_counter()
                    km.restart()
                    client.wait_for_ready(30)
                    samples.append(time.perf_counter() - started)
        finally:
            km.shutdown(timeout=2.0)
    return samples


def _ipykernel(spec: KernelSpec, runs: int) -> list[float]:
    from jupyter_client.manager import KernelManager as JupyterKernelManager

    samples: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        km = JupyterKernelManager(connection_file=os.path.join(folder, "kernel.json"))
        km.kernel_cmd = spec.argv("{connection_file}")  # type: ignore[attr-defined]
        km.start_kernel(env={**os.environ, **_env()})
        client = km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            for _ in range(runs):
                time.sleep(IDLE_BEFORE_RESTART)
                started = time.perf_counter()
                km.restart_kernel()
                client.wait_for_ready(timeout=30)
                samples.append(time.perf_counter() - started)
        finally:
            client.stop_channels()
            km.shutdown_kernel(now=True)
    return samples


@metric("restart_ready", better="lower", unit="ms", targets=[absolute(100)])
def restart_ready(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Polite restart → client wait_for_ready() returns (median); ipykernel_lite with warm_spare=True."""
    runs = ctx.n(5, 2)
    try:
        samples = _lite(runs) if spec.module == "ipykernel_lite" else _ipykernel(spec, runs)
    except (TimeoutError, RuntimeError) as e:
        raise MetricError(str(e)) from None
    ms = [s * 1000 for s in samples]
    return Measurement(median(ms), "ms", f"median of {runs}, min {min(ms):.0f}")
