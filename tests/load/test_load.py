"""Short versions of ``python -m bench --only load``: a kernel process under parallel clients and a flood.

Replies must never be lost or misrouted; the kernel's memory must stay bounded when its output is not read
(docs/load.md: iopub drops for a subscriber more than SNDHWM messages behind, it never queues without limit).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import zmq

from bench.kernels import LITE, KernelProcess, unstarted_kernel
from bench.metrics_load import LoadClient, _rss_mib, _Signer, handshake, run_load

MiB = 2**20


@pytest.fixture
def lite() -> Iterator[tuple[KernelProcess, dict[str, Any]]]:
    with unstarted_kernel(LITE) as (kernel, info):
        kernel.start()
        yield kernel, info


@pytest.mark.timeout(120)
def test_parallel_clients_and_a_flood_lose_no_reply(lite: tuple[KernelProcess, dict[str, Any]]) -> None:
    kernel, info = lite
    r = run_load(info, kernel.pid, clients=10, executes=100, window=20, print_bytes=64 * MiB, timeout=90)
    assert kernel.alive()
    assert r.misrouted == [] and r.failed == []
    assert r.lost == 0 and r.replies == r.sent + 1 == 10 * 100 + 1
    assert r.print_status == "ok"
    # the printing client reads its own output: some of it must arrive (all of it, unless it fell behind)
    assert 0 < r.delivered <= r.printed


@pytest.mark.timeout(120)
def test_kernel_memory_stays_bounded_when_nobody_reads_the_output(
    lite: tuple[KernelProcess, dict[str, Any]],
) -> None:
    """512 MiB printed to a subscriber that never reads: without a bound the kernel would hold all of it."""
    kernel, info = lite
    printed = 512 * MiB
    ctx: zmq.Context[Any] = zmq.Context()
    client = LoadClient(ctx, info, _Signer(info), "printer")
    try:
        handshake([client], timeout=60)
        baseline = _rss_mib(kernel.pid, "VmRSS")
        lines = printed // 1024
        code = f"import sys\nline = 'x' * 1023 + '\\n'\nfor _ in range({lines}):\n    sys.stdout.write(line)"
        msg_id = client.execute(code)
        deadline = time.monotonic() + 90
        while client.shell.poll(100) == 0:  # only shell is read: iopub piles up on both sides
            assert kernel.alive(), kernel.log_tail()
            assert time.monotonic() < deadline, "the flood cell did not finish"
        reply = client.shell.recv_multipart()
        assert msg_id.encode() in reply[reply.index(b"<IDS|MSG>") + 3]  # the parent header names our request
        peak = _rss_mib(kernel.pid, "VmHWM")
    finally:
        client.close()
        ctx.term()
    # SNDHWM (1000 messages) x 64 KiB batches = 64 MiB of queued output, plus socket buffers and the allocator's
    # slack: about 100 MiB measured, whatever the amount printed
    assert peak - baseline < 256, f"kernel RSS grew from {baseline:.0f} to {peak:.0f} MiB"
