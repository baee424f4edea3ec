"""Issue 19 item 5 over real sockets: the client never silently drops a reply.

10,000 ``send`` and then one ``collect`` each: every reply arrives (replies of our own requests are kept;
only unclaimed IOPub is bounded, and a request whose IOPub was pushed out says so in ``ExecuteResult.lost``),
and ``collect(timeout=None)`` returns for every one of them. The same through ``recv``.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq
from client_kernels import KINDS

from ipykernel_lite.client import KernelManager
from ipykernel_lite.protocol import MessageFactory, Signer, WireCodec

N = int(os.environ.get("NODROP_N", "10000"))


@pytest.fixture(scope="module")
def lite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KernelManager]:
    m = KINDS["lite"].manager(tmp_path_factory.mktemp("nodrop"))
    m.start()
    try:
        yield m
    finally:
        m.shutdown(timeout=2.0)


@pytest.mark.timeout(240)
def test_ten_thousand_sends_then_collects_all_arrive(lite: KernelManager) -> None:
    with lite.client(max_queued=1000) as kc:
        kc.wait_for_ready(30)
        ids = [kc.send("shell", "execute_request", {"code": f"{i}", "silent": False}) for i in range(N)]
        counts = []
        lost = 0
        for msg_id in ids:
            # no timeout: the reply is kept, so this cannot hang on a dropped one
            r = kc.collect(msg_id, timeout=None)
            assert r.ok, r
            counts.append(r.execution_count)
            lost += r.lost
        assert counts == sorted(counts) and len(set(counts)) == N
        # what was pushed out is unclaimed IOPub only, and is accounted for on the requests it belonged to
        assert kc.dropped == lost
        assert kc.queued("shell") == 0


@pytest.mark.timeout(240)
def test_ten_thousand_sends_then_recv_gets_every_reply(lite: KernelManager) -> None:
    with lite.client(max_queued=100) as kc:
        kc.wait_for_ready(30)
        ids = [kc.send("shell", "kernel_info_request") for _ in range(N)]
        got = []
        while len(got) < N:
            m = kc.recv("shell", timeout=30)
            assert m is not None, f"only {len(got)} of {N} replies arrived"
            got.append(m.parent_id)
        assert got == ids
        # their busy/idle statuses were unclaimed: bounded, never more than max_queued kept
        assert kc.queued("iopub") <= 100


@pytest.mark.timeout(240)
def test_async_client_keeps_every_reply_too(lite: KernelManager) -> None:
    async def main() -> None:
        async with lite.async_client(max_queued=500) as kc:
            await kc.wait_for_ready(30)
            # send waits for room when the queue to the kernel is full (send_nowait would raise SendQueueFull
            # whenever the kernel reads slower than this loop sends, as on a loaded machine)
            ids = [await kc.send("shell", "execute_request", {"code": "1", "silent": False}) for _ in range(N // 2)]
            for msg_id in ids:
                r = await kc.collect(msg_id, timeout=None)
                assert r.ok
            assert kc.queued("shell") == 0

    asyncio.run(main())


@pytest.mark.timeout(120)
def test_async_send_waits_for_room_where_send_nowait_raises(lite: KernelManager) -> None:
    from ipykernel_lite.client import SendQueueFull

    async def main() -> None:
        async with lite.async_client() as kc:
            await kc.wait_for_ready(30)
            cell = await kc.send("shell", "execute_request", {"code": "import time\ntime.sleep(600)", "silent": False})
            while True:
                m = await kc.recv("iopub", timeout=60)
                assert m is not None, "the cell never started"
                if m.msg_type == "execute_input" and m.parent_id == cell:
                    break
            # the kernel is asleep in the cell and reads no more requests: fill the queue until zmq refuses
            ids = []
            with pytest.raises(SendQueueFull):
                for _ in range(1_000_000):
                    ids.append(kc.send_nowait("shell", "kernel_info_request"))
            late = asyncio.ensure_future(kc.send("shell", "kernel_info_request"))
            for _ in range(20):
                await asyncio.sleep(0)
            assert not late.done(), "send returned while the queue was still full"
            lite.interrupt()
            ids.append(await asyncio.wait_for(late, 60))
            assert (await kc.collect(cell, timeout=60)).status == "error"
            got = []
            while len(got) < len(ids):
                m = await kc.recv("shell", timeout=60)
                assert m is not None, f"only {len(got)} of {len(ids)} replies arrived"
                got.append(m.parent_id)
            assert got == ids

    asyncio.run(main())


@pytest.mark.timeout(240)
def test_the_kernel_keeps_replies_for_a_client_that_reads_late(lite: KernelManager, tmp_path: Path) -> None:
    """A client that is slow to read (descheduled on a loaded machine: 46 of 14 499 replies were lost in a soak
    run) gets every reply: the kernel queues them rather than let its ROUTER drop what does not fit.

    Made certain with a raw DEALER that lets one message wait in its queue and a tiny socket buffer: its zmq
    thread stops reading, so everything the kernel sends piles up on the kernel's side.
    """
    n = 20_000  # ~14 MB of replies: more than the kernel's old 1 000-message pipe and both sockets' buffers
    flag = tmp_path / "answered"
    info = lite.info
    codec = WireCodec(Signer(info.key, info.signature_scheme))
    factory = MessageFactory()
    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    try:
        sock.linger = 0
        sock.rcvhwm = 1
        sock.setsockopt(zmq.RCVBUF, 4096)
        sock.connect(info.url("shell"))
        ids = []
        for _ in range(n):
            msg = factory.message("kernel_info_request", {})
            ids.append(msg.msg_id)
            sock.send_multipart(codec.serialize(msg))
        # answered after every request before it (one peer: its requests are handled in order)
        last = factory.message("execute_request", {"code": f"open({str(flag)!r}, 'w').close()", "silent": True})
        ids.append(last.msg_id)
        sock.send_multipart(codec.serialize(last))
        pause = threading.Event()
        for _ in range(12_000):
            if flag.exists():
                break
            pause.wait(0.01)
        assert flag.exists(), "the kernel answered every request"
        got = []
        while len(got) < len(ids):
            assert sock.poll(30_000), f"only {len(got)} of {len(ids)} replies arrived"
            got.append(codec.deserialize(sock.recv_multipart()).parent_id)
        assert got == ids
    finally:
        sock.close()
        ctx.term()
