"""Ctrl-C while a cell runs: interrupt the kernel instead of the console.

Between prompts the terminal is in cooked mode, so Ctrl-C arrives as SIGINT to the console (the kernel runs in
its own session and does not get it). Raising KeyboardInterrupt in the console would tear the client out of
the middle of a read; instead the handler forwards the interrupt and the cell's reply arrives as usual, with
the kernel's KeyboardInterrupt traceback. Only a kernel that ignores repeated interrupts makes the console
give up waiting.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Ctrl-C presses within one cell after which the console stops waiting for a kernel that does not react
GIVE_UP_AFTER = 3


@contextmanager
def forward_sigint(interrupt: Callable[[], None] | None, give_up_after: int = GIVE_UP_AFTER) -> Iterator[None]:
    """While the block runs, SIGINT calls ``interrupt`` (the ``give_up_after``-th one raises
    KeyboardInterrupt). Without ``interrupt``, or off the main thread (no signal handlers there), SIGINT
    keeps its usual meaning."""
    if interrupt is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    presses = 0

    def on_sigint(signum: int, frame: object) -> None:
        nonlocal presses
        presses += 1
        if presses >= give_up_after:
            raise KeyboardInterrupt
        try:
            interrupt()
        except Exception:
            # the kernel may be gone already; its death is reported by the wait that is in progress
            pass

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
