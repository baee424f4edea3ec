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
        self.cell_meta: dict[str, Any] = {}

    @property
    def transformed_cell(self) -> str:
        """The cell as IPython would have rewritten it (magics as ``get_ipython()`` calls, a final newline)."""
        from ..kernel import transforms

        text = transforms.rewrite_magics(self.raw_cell)
        text = text if text.endswith("\n") else text + "\n"
        for ours, theirs in (
            (f"{transforms.MAGIC_CALL}('system', ", "get_ipython().system("),
            (f"{transforms.MAGIC_CALL}('sx', ", "get_ipython().getoutput("),
            (f"{transforms.MAGIC_CALL}(", "get_ipython().run_line_magic("),
            (f"{transforms.CELL_MAGIC_CALL}(", "get_ipython().run_cell_magic("),
        ):
            text = text.replace(ours, theirs)
        return text

    def __repr__(self) -> str:
        # IPython's layout, which users see when a callback fails
        raw = self.raw_cell[:50] + ".." if len(self.raw_cell) > 50 else self.raw_cell
        done = self.transformed_cell
        done = done[:50] + ".." if len(done) > 50 else done
        return (
            f'<{type(self).__qualname__} object at {id(self):x}, raw_cell="{raw}" transformed_cell="{done}" '
            f"store_history={self.store_history} silent={self.silent} shell_futures={self.shell_futures} "
            f"cell_id={self.cell_id} cell_meta={self.cell_meta}>"
        )


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
        return (
            f"<{type(self).__qualname__} object at {id(self):x}, execution_count={self.execution_count} "
            f"error_before_exec={self.error_before_exec} error_in_exec={self.error_in_exec} "
            f"info={self.info!r} result={self.result!r}>"
        )


class EventManager:
    """``register(name, fn)``, ``unregister(name, fn)``, ``trigger(name, *args)``; an unknown name is an
    error, a failing callback is reported on stderr and the others still run (as IPython does)."""

    def __init__(self, on_error: Callable[[], None] | None = None) -> None:
        #: shows the current exception (the shell's showtraceback)
        self.on_error = on_error
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
            except (Exception, KeyboardInterrupt) as e:
                # as IPython: a line on stdout, then the traceback as an error output
                print(f"Error in callback {fn} (for {event}), with arguments args {args},kwargs {kwargs}:")
                if self.on_error is not None:
                    self.on_error()
                else:
                    print(f"{type(e).__name__}: {e}", file=sys.stderr)
