"""``warm_up()``: pay jedi's one-off costs in the background before the user asks."""

from __future__ import annotations

import gc
import os

from . import jedi_worker
from .completion import complete
from .inspect_object import inspect
from .jedi_complete import complete_with_jedi

# Typical first requests: module attributes, imports, builtins, str methods, keyword args.
_SAMPLES = ("import o", "os.path.jo", "import os\nos.path.jo", "pri", "s.up", "n.bit", "print(1, se", "d['")


def _exercise_jedi() -> None:
    ns = [{"os": os, "s": "", "n": 0, "d": {"k": 1}}]
    for code in _SAMPLES:
        complete_with_jedi(code, len(code), ns, float("inf"))
    jedi_worker.interpreter("os.path.join(", ns).get_signatures(1, 13)


def warm_up() -> None:
    """Import jedi and run a few tiny completions; blocks until done (call it in a thread).

    Never raises: a failed warm-up only means the first real request is slower.
    """
    try:
        jedi_worker.run(_exercise_jedi, None)
        ns = [{"os": os}]
        complete("os.pa", 5, ns, budget=5.0)
        complete("os.getcwd().up", 14, ns, budget=5.0)  # a stub's return type (live_check)
        inspect("os.path.join(", 13, 0, ns)
    except Exception:
        pass
    # jedi leaves lots of cyclic garbage; collecting it now keeps that ~20 ms pause out of
    # the user's first completion.
    gc.collect()
