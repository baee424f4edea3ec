"""The interrupt table: how long from the interrupt to the cell's KeyboardInterrupt reply, for each state a
cell can be in and each way a front end sends the interrupt.

Senders: ``signal`` is what jupyter_client does for a kernelspec with ``interrupt_mode: signal`` (SIGINT to the
kernel's process group); ``message`` is an ``interrupt_request`` on the control channel (kernelspecs with
``interrupt_mode: message``, remote kernels, our bridge and client in message mode).

The C-code states run for a bounded time (a few seconds) so that a kernel that cannot interrupt them still
answers: its row then shows how long the C call ran on, not a timeout.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from bench.kernels import KernelProcess, KernelSpec
from bench.rawclient import RawClient
from bench.registry import Measurement, MetricError, RunContext, absolute, median, metric
from bench.session import ready_kernel

#: after the cell says it started, so the interrupt lands inside the blocking call, not just before it
SETTLE = 0.1
C_SETTLE = 0.5
REPLY_TIMEOUT = 40.0

# state -> (code, user_expressions)
STATES: dict[str, tuple[str, dict[str, str]]] = {
    "python loop": ("print('go', flush=True)\nwhile True:\n    pass", {}),
    "time.sleep": ("import time\nprint('go', flush=True)\ntime.sleep(60)", {}),
    # catastrophic backtracking, GIL held in _sre (several seconds when nothing stops it)
    "C regex (GIL held)": ("import re\nprint('go', flush=True)\nre.match('(a*)*b', 'a' * 25)\nprint('after')", {}),
    # libc sleep() called with the GIL held
    "C sleep (GIL held)": ("import ctypes\nprint('go', flush=True)\nctypes.PyDLL(None).sleep(6)\nprint('after')", {}),
    "user_expressions": ("x = 1", {"slow": "(print('go', flush=True), __import__('time').sleep(60))"}),
    "after SIG_IGN cell": ("import time\nprint('go', flush=True)\ntime.sleep(60)", {}),
}
SENDERS = ("signal", "message")


def _send(client: RawClient, code: str, user_expressions: dict[str, str]) -> str:
    content: dict[str, Any] = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": user_expressions,
        "allow_stdin": False,
        "stop_on_error": False,
    }
    return client.send("shell", "execute_request", content)


def _interrupt(kernel: KernelProcess, client: RawClient, sender: str) -> None:
    if sender == "message":
        client.send("control", "interrupt_request", {})
    else:
        kernel.signal_group(signal.SIGINT)


def _one(kernel: KernelProcess, client: RawClient, state: str, sender: str) -> float:
    code, exprs = STATES[state]
    msg_id = _send(client, code, exprs)
    if state.startswith("C "):
        # ipykernel cannot publish the 'go' while C code holds the GIL (its IOPub thread needs it): start from
        # execute_input, and give the cell time to reach the C call
        client.wait_for(msg_id, lambda m: m.msg_type == "execute_input", 20, "iopub", "execute_input")
        time.sleep(C_SETTLE)
    else:
        client.wait_for(
            msg_id, lambda m: m.msg_type == "stream" and "go" in m.content.get("text", ""), 20, "iopub", "'go'"
        )
        time.sleep(SETTLE)
    sent = time.perf_counter()
    _interrupt(kernel, client, sender)
    reply, _ = client.reply_and_idle(msg_id, timeout=REPLY_TIMEOUT)
    took = reply.received_at - sent
    c = reply.content
    if exprs:
        got = (c.get("user_expressions") or {}).get("slow", {})
        if got.get("ename") != "KeyboardInterrupt":
            raise MetricError(f"user expression not interrupted ({got.get('status')!r}, {took:.1f} s)")
    elif c.get("ename") != "KeyboardInterrupt":
        raise MetricError(f"not interrupted: the cell ran to its end ({took:.1f} s)")
    return took


def _register(state: str, sender: str) -> None:
    name = f"interrupt: {state} ({sender})"

    def measure(ctx: RunContext, spec: KernelSpec) -> Measurement:
        runs = ctx.n(3, 1)
        samples: list[float] = []
        with ready_kernel(spec) as (kernel, client):
            if state == "after SIG_IGN cell":
                client.execute("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)", timeout=20)
            for _ in range(runs):
                samples.append(_one(kernel, client, state, sender) * 1000)
        return Measurement(median(samples), "ms", f"median of {runs}, max {max(samples):.0f}")

    measure.__doc__ = f"Interrupt ({sender}) a cell in state '{state}' → KeyboardInterrupt reply (median)."
    metric(name, better="lower", unit="ms", targets=[absolute(200)])(measure)


for _state in STATES:
    for _sender in SENDERS:
        _register(_state, _sender)
