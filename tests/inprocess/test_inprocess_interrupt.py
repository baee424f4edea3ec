"""Interrupts reach user code on the kernel thread (Python code only) and never the host's main thread."""

from __future__ import annotations

import threading

import pytest

from ipykernel_lite.client import BlockingClient
from ipykernel_lite.inprocess import InProcessKernel, start_in_process

Inproc = tuple[InProcessKernel, BlockingClient]

SPIN = "running.set()\nwhile True:\n    pass\n"


def _start_spinning(kernel: InProcessKernel, client: BlockingClient) -> str:
    running = threading.Event()
    kernel.namespace["running"] = running
    msg_id = client.send(
        "shell",
        "execute_request",
        {"code": SPIN, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False},
    )
    assert running.wait(10), "the cell did not start"
    return msg_id


@pytest.mark.parametrize("how", ["interrupt_request", "method"])
def test_interrupt_stops_a_python_loop(inproc: Inproc, how: str) -> None:
    kernel, client = inproc
    msg_id = _start_spinning(kernel, client)
    if how == "interrupt_request":
        assert client.interrupt()["status"] == "ok"
    else:
        kernel.interrupt()
    r = client.collect(msg_id, timeout=10)
    assert r.error is not None and r.error.ename == "KeyboardInterrupt"
    # the loop thread survived and the next cell runs normally (no stray exception pending)
    assert client.execute("'after'").result == {"text/plain": "'after'"}


def test_interrupt_while_idle_does_nothing(inproc: Inproc) -> None:
    kernel, client = inproc
    kernel.interrupt()
    assert client.interrupt()["status"] == "ok"
    assert client.execute("sum(range(100000))").result == {"text/plain": "4999950000"}


def test_shutdown_interrupts_a_running_cell() -> None:
    kernel, client = start_in_process()
    try:
        _start_spinning(kernel, client)
        assert kernel.shutdown(timeout=10)
        assert not kernel.is_alive()
    finally:
        client.close()
