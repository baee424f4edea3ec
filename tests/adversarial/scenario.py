"""One adversarial scenario: what it runs, and how its outcome is read (the scenarios themselves are in
``scenarios.py`` and ``protocol_scenarios.py``).

A scenario is a cell (``code``), or a function that drives the kernel (``run``). Scenarios of one group share
a kernel; the driver restarts it only when a scenario killed it or left it unable to serve. ``setup`` and
``cleanup`` cells put back what a sabotage scenario broke, so the next scenario starts from a sound kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .driver import PROBE_TIMEOUT, REPLY_TIMEOUT, Driver, Outcome


@dataclass
class Scenario:
    name: str
    group: str
    what: str
    code: str | None = None
    run: Callable[[Driver], Outcome] | None = None
    stdin: list[str] | None = None
    setup: str | None = None
    cleanup: str | None = None
    timeout: float = REPLY_TIMEOUT


def outcome_of(d: Driver, reply: dict[str, Any] | None, expect_reply: bool = True) -> Outcome:
    if reply is None:
        if not d.alive():
            code = d.exit_code()
            detail = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            return Outcome("died", detail, serving=False)
        return Outcome("hung" if expect_reply else "no reply expected")
    c = reply["content"]
    if c.get("status") == "error":
        return Outcome("error", str(c.get("ename")), replied=True)
    extra = {"payload": c.get("payload") or []}
    return Outcome(str(c.get("status")), replied=True, extra=extra)


def run_scenario(d: Driver, sc: Scenario) -> Outcome:
    """Run one scenario; afterwards the driver's kernel serves again (restarted when it had to be)."""
    d.drain_iopub()
    d.drain_shell()
    if sc.setup:
        d.execute(sc.setup)
    if sc.run is not None:
        out = sc.run(d)
    else:
        assert sc.code is not None
        out = outcome_of(d, d.execute(sc.code, sc.timeout, stdin=sc.stdin))
    hung = out.status == "hung" and d.alive()
    if hung:
        d.interrupt()  # a hung cell may still be interruptible: the kernel counts as hung all the same
        d.drain_shell()
    out.serving = d.probe(3.0 if hung else PROBE_TIMEOUT)
    if out.serving and sc.cleanup:
        d.execute(sc.cleanup)
    if not out.serving:
        d.restart()
    return out
