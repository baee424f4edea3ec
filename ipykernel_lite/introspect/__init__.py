"""Introspection for the kernel: completion, inspection/calltips and ``obj?`` help.

Pure functions over live namespaces (no sockets), safe to call from any thread while user
code runs: namespaces are snapshotted, no user code is executed, and jedi runs on a private
worker thread so that a slow analysis cannot overrun the caller's budget.

``namespaces`` is ordered, innermost first, e.g. ``[frame.f_locals, frame.f_globals]``.

Importing this package is nearly free; the implementation (and jedi) load on first use or
in :func:`warm_up`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["complete", "help_text", "inspect", "warm_up"]


def complete(
    code: str, cursor_pos: int, namespaces: Sequence[Mapping[str, Any]], *, budget: float = 0.25
) -> dict[str, Any]:
    """complete_reply content for ``code`` at ``cursor_pos`` (Unicode code points).

    jedi answers within ``budget`` seconds, else a namespace-based completer does.
    Never raises; malformed requests get a status "error" reply.
    """
    from .completion import complete as impl

    return impl(code, cursor_pos, namespaces, budget=budget)


def inspect(
    code: str, cursor_pos: int, detail_level: int, namespaces: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """inspect_reply content for the name at the cursor, or the callee of the call around it,
    with ``metadata["calltip"]``.  Never raises."""
    from .inspect_object import inspect as impl

    return impl(code, cursor_pos, detail_level, namespaces)


def help_text(expr: str, detail_level: int, namespaces: Sequence[Mapping[str, Any]]) -> str | None:
    """Text for ``expr?`` (detail 0) or ``expr??`` (detail 1); None if ``expr`` does not resolve."""
    from .help_request import help_text as impl

    return impl(expr, detail_level, namespaces)


def warm_up(busy: Callable[[], bool] | None = None) -> None:
    """Import jedi and run a tiny completion so later requests are fast; call it in a thread. With ``busy``,
    each step waits until the kernel is idle."""
    from .warmup import warm_up as impl

    impl(busy)
