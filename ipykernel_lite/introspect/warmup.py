"""``warm_up()``: pay jedi's one-off costs in the background before the user asks."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable

from . import jedi_worker
from .completion import complete
from .inspect_object import inspect
from .jedi_complete import complete_with_jedi
from .live_check import infer_stub

# Typical first requests: module attributes, imports, builtins, str methods, keyword args.
_SAMPLES = ("import o", "os.path.jo", "import os\nos.path.jo", "pri", "s.up", "n.bit", "print(1, se", "d['")


_NS = [{"os": os, "s": "", "n": 0, "d": {"k": 1}}]


def _sample(code: str) -> Callable[[], object]:
    return lambda: jedi_worker.run(lambda: complete_with_jedi(code, len(code), _NS, float("inf")), None)


#: one step per sample, so that a cell started meanwhile shares the CPU with one sample at most (tens of ms
#: once jedi is imported), not with the whole exercise
_JEDI_STEPS: tuple[Callable[[], object], ...] = (
    *(_sample(code) for code in _SAMPLES),
    lambda: jedi_worker.run(lambda: jedi_worker.interpreter("os.path.join(", _NS).get_signatures(1, 13), None),
    # a builtin's return type from its stub (completion after a call)
    lambda: jedi_worker.run(lambda: infer_stub(os.getcwd), None),
)


#: the kernel must have been idle this long before each warm-up step starts
QUIET = 0.2
_POLL = 0.02


def _wait_quiet(busy: Callable[[], bool]) -> None:
    """Return once ``busy()`` has been false for ``QUIET`` seconds in a row."""
    quiet_since = time.monotonic()
    while True:
        if busy():
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET:
            return
        time.sleep(_POLL)


def warm_up(busy: Callable[[], bool] | None = None) -> None:
    """Import jedi and run a few tiny completions; blocks until done (call it in a thread).

    With ``busy`` (true while the kernel runs a request), the first step waits until the kernel has been idle
    ``QUIET`` seconds, and each later step waits again if a request is running: importing jedi costs about
    0.3 s of CPU and would otherwise compete for the GIL with the user's first cell (a fresh kernel's first
    plot took twice as long). Steps are small (one sample each), so a cell that starts during one waits
    for that one only. Never raises: a failed warm-up only means the first real request is slower.
    """
    ns = [{"os": os}]
    steps: tuple[Callable[[], object], ...] = (
        *_JEDI_STEPS,
        lambda: complete("os.pa", 5, ns, budget=5.0),
        lambda: inspect("os.path.join(", 13, 0, ns),
    )
    try:
        settle = True
        for step in steps:
            if busy is not None and (settle or busy()):
                _wait_quiet(busy)
            settle = False
            step()
    except Exception:
        pass
    # jedi leaves lots of cyclic garbage; collecting it now keeps that ~20 ms pause out of
    # the user's first completion.
    gc.collect()
