"""IPython compatibility as a kernel extension: ``get_ipython()`` in builtins, its events fired from the execute
cycle, and, when the user's code imports IPython, IPython's display functions publishing through this kernel.

``install`` is cheap: the shell object (``interactive.py``) is built on the first ``get_ipython()`` call, and
IPython is patched only if something imports it.
"""

from __future__ import annotations

import builtins
import sys
from typing import TYPE_CHECKING, Any

from ..kernel.extensions import ExtensionHost, KernelExtension
from ..kernel.post_import import when_imported

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel
    from ..protocol import Message
    from .interactive import ZMQInteractiveShell


class ShellExtension(KernelExtension):
    """``get_ipython()``; ``events`` (pre/post_execute, pre/post_run_cell); IPython's display hook points."""

    name = "shell"

    def install(self, host: ExtensionHost) -> None:
        self.host = host
        self.kernel: Kernel = host.kernel
        self._shell: ZMQInteractiveShell | None = None
        self._error: BaseException | None = None
        self._info: Any = None
        self._pyplot_seen = False
        builtins.get_ipython = self.get_ipython  # type: ignore[attr-defined]
        host.provide("shell", self.get_ipython)
        host.hooks.pre_execute.append(self._pre_execute)
        host.hooks.error.append(self._on_error)
        # "post_execute" callbacks (matplotlib draws its figures there) run before the inline backend's flush
        # (the gui extension's hook), as in ipykernel; the debugger's clean-up (inserted first) stays first
        first = 1 if host.extension("debugger") is not None else 0
        host.hooks.post_execute.insert(first, self._post_execute_event)
        host.hooks.post_execute.append(self._post_execute)
        # right after IPython's package has run, before the importer sees it (now, if it is imported already)
        when_imported("IPython", lambda module: self.integrate_ipython())

    def get_ipython(self) -> ZMQInteractiveShell:
        if self._shell is None:
            from .interactive import ZMQInteractiveShell

            self._shell = ZMQInteractiveShell(self.kernel)
        return self._shell

    # --- events --------------------------------------------------------------------------------------------
    def _pre_execute(self, msg: Message) -> None:
        self._error = None
        shell = self._shell
        if shell is None:
            return
        from .events import ExecutionInfo

        c = msg.content
        silent = bool(c.get("silent", False))
        info = ExecutionInfo(c.get("code", ""), bool(c.get("store_history", True)), silent,
                             (msg.metadata or {}).get("cellId"))
        self._info = info
        shell.events.trigger("pre_execute")
        if not silent:
            shell.events.trigger("pre_run_cell", info)

    def _on_error(self, msg: Message, exc: BaseException) -> None:
        self._error = exc

    def _post_execute_event(self) -> None:
        if not self._pyplot_seen and "matplotlib.pyplot" in sys.modules:
            self._pyplot_seen = True
            self._register_pyplot(sys.modules["matplotlib.pyplot"])
        if self._shell is not None:
            self._shell.events.trigger("post_execute")

    def _register_pyplot(self, pyplot: Any) -> None:
        """pyplot registers its "draw interactive figures" callback with IPython's shell only when IPython was
        imported first, which ipykernel always has: register it here, so figures draw (and fail) the same."""
        draw = getattr(pyplot, "_draw_all_if_interactive", None)
        if callable(draw):
            self.get_ipython().events.register("post_execute", draw)

    def _post_execute(self) -> None:
        shell = self._shell
        if shell is None:
            return
        from .events import ExecutionResult

        info = self._info
        if info is not None and info.silent:
            return
        result = ExecutionResult(info)
        result.error_in_exec = self._error
        result.result = self.kernel.host.executor.last_result
        result.execution_count = self.kernel.host.executor.execution_count
        shell.last_execution_succeeded = result.success
        shell.last_execution_result = result
        shell.events.trigger("post_run_cell", result)

    # --- IPython, when the user's code imports it ------------------------------------------------------------
    def integrate_ipython(self) -> None:
        """Make IPython's ``get_ipython()``, ``display()``, ``publish_display_data``, ``clear_output`` and the
        display classes use this kernel: IPython looks its shell up through ``InteractiveShell.initialized()``
        and ``.instance()``; both answer with our shell."""
        from .ipython_bridge import bridge

        bridge(self.get_ipython)

    def close(self) -> None:
        if getattr(builtins, "get_ipython", None) == self.get_ipython:
            del builtins.get_ipython  # type: ignore[attr-defined]
