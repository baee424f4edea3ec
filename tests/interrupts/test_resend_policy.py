"""The interrupt policy's re-sender never carries a SIGINT into a later request than the one it targeted.

A re-sender that was descheduled between "not delivered yet" and its send (a loaded machine) used to interrupt
the next cell: it now checks and sends under ``send_lock``, which the main thread also takes to start a request.
These tests drive the policy object itself, in this process; sending is recorded instead of signalling.
"""

from __future__ import annotations

import threading

import pytest

from ipykernel_lite.kernel.interrupts import InterruptPolicy

pytestmark = pytest.mark.timeout(30)


class Recording(InterruptPolicy):
    def __init__(self) -> None:
        super().__init__()
        self.sends = 0
        self.sent = threading.Condition()

    def _send_once(self) -> None:
        with self.sent:
            self.sends += 1
            self.sent.notify_all()

    def wait_sends(self, n: int) -> None:
        with self.sent:
            assert self.sent.wait_for(lambda: self.sends >= n, timeout=20), f"only {self.sends} sends"


def _interrupted_cell() -> Recording:
    policy = Recording()
    policy.begin_request()
    policy.arm()
    return policy


def _redeliverers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ipykernel_lite-interrupt"]


def test_a_signal_not_yet_handled_is_sent_again() -> None:
    policy = _interrupted_cell()
    policy.interrupt_main()
    policy.wait_sends(2)  # the first send, then a re-send: the handler has not run
    policy._delivered.set()  # the handler ran: no more
    for t in _redeliverers():
        t.join(20)
    assert not _redeliverers()


def test_no_resend_once_a_new_request_has_begun() -> None:
    policy = _interrupted_cell()
    # hold the lock as the main thread does while it starts the next request: a re-sender that woke up
    # meanwhile waits for it, then finds its request over
    with policy.send_lock:
        policy.interrupt_main()
        assert policy.sends == 1
        policy.armed = False
        policy.busy = False
        policy.request_serial += 1  # what begin_request does under this lock
        policy.busy = True
    for t in _redeliverers():
        t.join(20)
    assert not _redeliverers()
    assert policy.sends == 1, "a re-send landed in the next request"
    assert not policy.pending
