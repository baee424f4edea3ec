"""The control wake-up arms every control connection, including one accepted before it started.

A KernelManager writes the connection file before the kernel starts, and its client retries its connection every
20 ms: it can be accepted between the kernel's bind of the control socket and the start of the wake-up's monitor,
which then never hears of it. Such a connection was never armed, and a message-mode interrupt sent on it while C
code held the GIL waited for the C code to end (the first interrupt of a fresh kernel, once in a few hundred
kernels beside CPU hogs). Real sockets over TCP; the check is the descriptor's own flags.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import stat

import pytest
import zmq

from ipykernel_lite.kernel import control_wake

pytestmark = [
    pytest.mark.skipif(not control_wake.supported(), reason="the control wake-up is Linux only"),
    pytest.mark.timeout(60),
]

F_GETSIG = getattr(fcntl, "F_GETSIG", 11)


def _accepted_fds(port: int) -> list[int]:
    """Our TCP connections whose local port is ``port`` and that are not listening: the accepted ones."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            probe = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        with probe:
            try:
                if probe.family not in (socket.AF_INET, socket.AF_INET6):
                    continue
                listening = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                local = probe.getsockname()[1]
            except OSError:
                continue
        if not listening and local == port:
            found.append(fd)
    return found


def test_a_connection_accepted_before_the_wake_up_started_is_armed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPYKERNEL_LITE_CONTROL_WAKE", "1")
    assert control_wake.WAKE_SIGNAL is not None
    old = signal.getsignal(control_wake.WAKE_SIGNAL)
    ctx = zmq.Context()
    router = ctx.socket(zmq.ROUTER)
    dealer = ctx.socket(zmq.DEALER)
    wake: control_wake.ControlWake | None = None
    try:
        router.linger = dealer.linger = 0
        port = router.bind_to_random_port("tcp://127.0.0.1")
        dealer.connect(f"tcp://127.0.0.1:{port}")
        dealer.send(b"hello")
        assert router.poll(30_000), "the peer's message arrives"
        router.recv_multipart()  # accepted, before any wake-up exists
        accepted = _accepted_fds(port)
        assert len(accepted) == 1, accepted
        fd = accepted[0]
        assert not fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ASYNC, "not armed before the wake-up starts"

        wake = control_wake.ControlWake(router)
        assert wake.start()
        assert fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ASYNC, "armed: bytes arriving on it signal the process"
        assert fcntl.fcntl(fd, F_GETSIG) == int(control_wake.WAKE_SIGNAL)
        assert fcntl.fcntl(fd, fcntl.F_GETOWN) == os.getpid()
    finally:
        signal.signal(control_wake.WAKE_SIGNAL, old)
        router.close()
        dealer.close()
        ctx.term()  # ends the monitor thread (ContextTerminated), which closes the monitor socket
        if wake is not None and wake._thread is not None:
            wake._thread.join(30)
            assert not wake._thread.is_alive()
