"""``get_ipython().events``: callbacks at IPython's event names, fired from the kernel's execute cycle."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ipykernel_lite.shell")

EVENTS = ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell", "shell_initialized")


class ExecutionInfo:
    """What ``pre_run_cell`` callbacks get (IPython's names)."""

    def __init__(self, raw_cell: str, store_history: bool, silent: bool, cell_id: str | None) -> None:
        self.raw_cell = raw_cell
        self.store_history = store_history
        self.silent = silent
        self.shell_futures = True
        self.cell_id = cell_id
        self.transformed_cell = raw_cell

    def __repr__(self) -> str:
        return f"<ExecutionInfo raw_cell={self.raw_cell[:50]!r} silent={self.silent}>"


class ExecutionResult:
    """What ``post_run_cell`` callbacks get: ``success``, ``error_in_exec``, ``result``, ``info``."""

    def __init__(self, info: ExecutionInfo | None) -> None:
        self.info = info
        self.execution_count: int | None = None
        self.error_before_exec: BaseException | None = None
        self.error_in_exec: BaseException | None = None
        self.result: Any = None

    @property
    def success(self) -> bool:
        return self.error_before_exec is None and self.error_in_exec is None

    def raise_error(self) -> None:
        if self.error_in_exec is not None:
            raise self.error_in_exec

    def __repr__(self) -> str:
        return f"<ExecutionResult success={self.success} result={self.result!r}>"


class EventManager:
    """``register(name, fn)``, ``unregister(name, fn)``, ``trigger(name, *args)``; an unknown name is an
    error, a failing callback is reported on stderr and the others still run (as IPython does)."""

    def __init__(self) -> None:
        self.callbacks: dict[str, list[Callable[..., Any]]] = {name: [] for name in EVENTS}

    def register(self, event: str, function: Callable[..., Any]) -> None:
        if event not in self.callbacks:
            raise KeyError(f"Unknown event {event}")
        if not callable(function):
            raise TypeError(f"Need a callable, got {function!r}")
        if function not in self.callbacks[event]:
            self.callbacks[event].append(function)

    def unregister(self, event: str, function: Callable[..., Any]) -> None:
        try:
            self.callbacks[event].remove(function)
        except ValueError:
            raise ValueError(f"Function {function!r} is not registered as a {event} callback") from None

    def trigger(self, event: str, *args: Any, **kwargs: Any) -> None:
        for fn in list(self.callbacks[event]):
            try:
                fn(*args, **kwargs)
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as e:
                print(f"Error in callback {fn} (for {event}):", file=sys.stderr)
                print(f"{type(e).__name__}: {e}", file=sys.stderr)
