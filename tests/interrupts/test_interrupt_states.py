"""An interrupt lands in every state a cell can be in, whoever sends it, on our kernel and on ipykernel.

Each test runs a cell that would not end on its own (or not for hours), interrupts it once it has started,
and checks that the cell ended with KeyboardInterrupt and that the kernel then runs the next cell.
"""

from __future__ import annotations

import sys

import pytest

from .drivers import Driver, Outcome

# jupyter_client's blocking client leaves its asyncio loop and sockets to the garbage collector (the suite makes
# ResourceWarning an error); what this module opens itself is closed by its fixtures
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

PYTHON_LOOP = "print('go', flush=True)\nwhile True:\n    pass"
SLEEP = "import time\nprint('go', flush=True)\ntime.sleep(600)"
# catastrophic backtracking: hours in _sre's C loop, GIL held; _sre checks for signals as it goes
C_REGEX = "import re\nprint('go', flush=True)\nre.match('(a*)*b', 'a' * 40)"
# libc sleep() called with the GIL held (PyDLL): C code that checks nothing, ended by the signal's EINTR; run
# with in_sleep=True (interrupted once it sleeps: see drivers.wait_until_in_sleep)
C_SLEEP = "import ctypes\nprint('go', flush=True)\nctypes.PyDLL(None).sleep(600)\nprint('after')"


def _interrupted(driver: Driver, out: Outcome) -> None:
    assert out.interrupts == 1
    assert (out.status, out.ename) == ("error", "KeyboardInterrupt"), out
    assert driver.execute("print(6 * 7)").stdout == "42\n", "the kernel serves the next cell"


def _gil_bound(driver: Driver) -> None:
    if driver.kind == "ipykernel" and driver.mode == "message":  # type: ignore[attr-defined]
        # ipykernel's control thread needs the GIL to read interrupt_request: a documented ipykernel
        # limitation, not something this suite can wait out (the cell would run for hours)
        pytest.skip("ipykernel cannot serve a control message while C code holds the GIL")
    if driver.kind == "ipykernel":  # type: ignore[attr-defined]
        # the interrupt is sent when the cell's 'go' arrives; ipykernel publishes output from its IOPub thread,
        # which needs the GIL, so 'go' can stay unsent until the C call ends (hours): the cell then runs on and
        # every later test of the module waits for it (seen in a full run under load)
        pytest.skip("ipykernel cannot publish the cell's output while C code holds the GIL")


def _input_wait(driver: Driver) -> None:
    if driver.kind == "ipykernel" and driver.mode == "message":  # type: ignore[attr-defined]
        # ipykernel answers interrupt_request with os.kill from its control thread; when that thread takes the
        # signal itself, the main thread's wait for input is never woken (3 hangs in 6 runs here)
        pytest.skip("ipykernel's message-mode interrupt of an input wait is unreliable")


def test_python_code(driver: Driver) -> None:
    _interrupted(driver, driver.run(PYTHON_LOOP))


def test_time_sleep(driver: Driver) -> None:
    _interrupted(driver, driver.run(SLEEP))


def test_c_code_holding_the_gil_regex(driver: Driver) -> None:
    _gil_bound(driver)
    _interrupted(driver, driver.run(C_REGEX))


def test_c_code_holding_the_gil_libc_sleep(driver: Driver) -> None:
    _gil_bound(driver)
    _interrupted(driver, driver.run(C_SLEEP, in_sleep=True))


# the cell SIGINTs itself, then sleeps in libc holding the GIL, both called from C (map, operator.call): no
# bytecode between them, so the first signal's Python handler cannot run before the sleep, and nothing can run
# the re-sender, which needs the GIL (the window docs/interrupts.md describes, made certain)
LOST_FIRST = (
    "import ctypes, functools, operator\nlibc = ctypes.PyDLL(None)\nprint('go', flush=True)\n"
    "list(map(operator.call, [functools.partial(getattr(libc, 'raise'), 2), functools.partial(libc.sleep, 600)]))"
)


def test_a_second_interrupt_ends_c_code_whose_first_one_came_too_early(driver: Driver) -> None:
    _gil_bound(driver)
    if driver.mode != "signal":  # type: ignore[attr-defined]
        pytest.skip("signal mode's window (message mode's request wakes the main thread with a signal of its own)")
    if sys.version_info < (3, 11):
        pytest.skip("operator.call is Python 3.11+")
    _interrupted(driver, driver.run(LOST_FIRST, in_sleep=True))


def test_input(driver: Driver) -> None:
    _input_wait(driver)
    _interrupted(driver, driver.run("input('name? ')", trigger="input"))


def test_pdb_prompt(driver: Driver) -> None:
    _input_wait(driver)
    out = driver.run("import pdb; pdb.set_trace()\nx = 1", trigger="input")
    assert out.interrupts == 1
    if driver.kind == "lite":  # type: ignore[attr-defined]
        assert (out.status, out.ename) == ("error", "KeyboardInterrupt"), out
    else:  # ipykernel's debugger leaves quietly after printing the interrupt
        assert "KeyboardInterrupt" in out.stdout
    assert driver.execute("print(6 * 7)").stdout == "42\n"


def test_user_expressions(driver: Driver) -> None:
    expr = "(print('go', flush=True), __import__('time').sleep(600))"
    out = driver.run("x = 1", user_expressions={"slow": expr})
    assert out.interrupts == 1 and out.status == "ok", "the cell itself ran fine"
    slow = out.user_expressions["slow"]
    assert slow["status"] == "error" and slow["ename"] == "KeyboardInterrupt", slow
    assert driver.execute("print(x)").stdout == "1\n"


def test_after_a_cell_ignored_sigint(driver: Driver) -> None:
    assert driver.execute("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)").status == "ok"
    _interrupted(driver, driver.run(SLEEP))
    if driver.kind != "lite":  # type: ignore[attr-defined]
        return  # ipykernel puts a cell's own handler back between requests: not part of its contract
    # and after a cell that installed its own handler
    assert driver.execute("import signal\nsignal.signal(signal.SIGINT, lambda *a: None)").status == "ok"
    _interrupted(driver, driver.run(C_SLEEP if driver.mode == "signal" else SLEEP, in_sleep=True))  # type: ignore[attr-defined]


def test_asyncio_gui_loop(driver: Driver) -> None:
    """With the kernel's event-loop integration on (``%gui asyncio``), a running cell still stops."""
    assert driver.execute("%gui asyncio").status == "ok"
    try:
        out = driver.run("import asyncio\nasync def f():\n    print('go', flush=True)\n"
                         "    await asyncio.sleep(600)\nawait f()")
        if driver.kind == "ipykernel":  # type: ignore[attr-defined]
            # ipykernel reports the cancelled task's CancelledError; we report the KeyboardInterrupt
            assert out.interrupts == 1 and out.status == "error", out
            assert out.ename in ("CancelledError", "KeyboardInterrupt"), out
            assert driver.execute("print(6 * 7)").stdout == "42\n"
        else:
            _interrupted(driver, out)
    finally:
        driver.execute("%gui none")
