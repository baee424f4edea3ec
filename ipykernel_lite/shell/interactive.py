"""The object ``get_ipython()`` returns: the part of IPython's shell that libraries and users touch.

Named ``ZMQInteractiveShell`` as ipykernel's is, because libraries tell a notebook kernel from a terminal by
that class name (plotly, pandas' ``in_ipython_frontend``, many ``is_notebook()`` helpers).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config import default_config
from .events import EventManager
from .formatters import DisplayFormatter, DisplayPublisher

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


class _Magics:
    """``get_ipython().magics_manager``: ``magics`` ({"line": {...}, "cell": {...}}) and ``register_function``."""

    def __init__(self, shell: ZMQInteractiveShell) -> None:
        self.shell = shell

    @property
    def magics(self) -> dict[str, dict[str, Any]]:
        host = self.shell.kernel.host
        return {
            "line": {n: host.magic(n) for n in host.magic_names()},
            "cell": {n: host.cell_magic(n) for n in host.cell_magic_names()},
        }

    def register_function(self, func: Callable[..., Any], magic_kind: str = "line",
                          magic_name: str | None = None) -> None:
        self.shell.register_magic_function(func, magic_kind, magic_name)

    def register(self, *objs: Any) -> None:
        """Classes or instances with ``magics = {"line": {name: method}, "cell": {...}}`` (IPython's Magics)."""
        for obj in objs:
            inst = obj(shell=self.shell) if isinstance(obj, type) else obj
            table = getattr(inst, "magics", None) or {}
            for kind in ("line", "cell"):
                for name, meth in (table.get(kind) or {}).items():
                    fn = getattr(inst, meth) if isinstance(meth, str) else meth
                    self.shell.register_magic_function(fn, kind, name)

    lsmagic = magics


class ZMQInteractiveShell:
    """``user_ns``, ``kernel``, magics, ``events``, ``display_formatter``, ``display_pub``, ``config``,
    ``system``/``getoutput``, ``set_next_input``, ``ask_exit``, ``push``, ``ev``, ``ex``, ``showtraceback``."""

    def __init__(self, kernel: Kernel) -> None:
        from .. import display as display_mod

        self.kernel = kernel
        self.events = EventManager(self.showtraceback)
        self.display_formatter = DisplayFormatter()
        self.display_pub = DisplayPublisher(kernel.publish)
        self.config = default_config()
        self.magics_manager = _Magics(self)
        self.extension_manager = _Extensions(self)
        self.automagic = True
        self.autocall = 0
        self.colors = "Neutral"
        self.pdb = False
        self.xmode = "Context"
        self.execution_count_offset = 0
        self.last_execution_succeeded = True
        self.last_execution_result: Any = None
        self.history_manager = None
        self.displayhook = sys.displayhook
        self.has_readline = False
        display_mod.formatter = self.display_formatter

    # --- namespaces --------------------------------------------------------------------------------------------
    @property
    def user_ns(self) -> dict[str, Any]:
        return self.kernel.host.executor.ns

    @property
    def user_global_ns(self) -> dict[str, Any]:
        return self.user_ns

    @property
    def user_module(self) -> Any:
        return self.kernel.host.executor.module

    @property
    def execution_count(self) -> int:
        return self.kernel.host.executor.execution_count + 1

    def push(self, variables: dict[str, Any] | str | list[str], interactive: bool = True) -> None:
        """Put variables in the user namespace: a dict, or names (a string or list) taken from the caller."""
        if isinstance(variables, dict):
            self.user_ns.update(variables)
            return
        names = variables.replace(",", " ").split() if isinstance(variables, str) else list(variables)
        frame = sys._getframe(1)
        for name in names:
            self.user_ns[name] = eval(name, frame.f_globals, frame.f_locals)

    def drop_by_id(self, variables: dict[str, Any]) -> None:
        for name, obj in variables.items():
            if name in self.user_ns and self.user_ns[name] is obj:
                del self.user_ns[name]

    def ev(self, expr: str) -> Any:
        return eval(expr, self.user_ns)

    def ex(self, cmd: str) -> None:
        exec(cmd, self.user_ns)

    def run_cell(self, raw_cell: str, store_history: bool = False, silent: bool = False, **kwargs: Any) -> Any:
        """Run code as a cell inside the running one (magics included); returns an ExecutionResult."""
        from ..magics.running import run_source
        from .events import ExecutionInfo, ExecutionResult

        result = ExecutionResult(ExecutionInfo(raw_cell, store_history, silent, None))
        try:
            value = run_source(self.kernel, raw_cell)
            if value is not None and not silent:
                sys.displayhook(value)
            result.result = value
        except Exception as e:
            result.error_in_exec = e
            self.showtraceback()
        return result

    # --- magics ------------------------------------------------------------------------------------------------
    def run_line_magic(self, magic_name: str, line: str, _stack_depth: int = 1) -> Any:
        from ..kernel.magics import call_magic

        return call_magic(self.kernel, magic_name, line, frame_depth=_stack_depth + 1)

    def run_cell_magic(self, magic_name: str, line: str, cell: str) -> Any:
        from ..kernel.magics import call_cell_magic

        return call_cell_magic(self.kernel, magic_name, line, cell)

    def magic(self, arg_s: str) -> Any:
        name, _, rest = arg_s.lstrip("%").partition(" ")
        return self.run_line_magic(name, rest)

    def find_line_magic(self, name: str) -> Any:
        return self.kernel.host.magic(name)

    def find_cell_magic(self, name: str) -> Any:
        return self.kernel.host.cell_magic(name)

    def find_magic(self, name: str, magic_kind: str = "line") -> Any:
        return self.find_cell_magic(name) if magic_kind == "cell" else self.find_line_magic(name)

    def register_magic_function(self, func: Callable[..., Any], magic_kind: str = "line",
                                magic_name: str | None = None) -> None:
        """``func(line)`` (line magic), ``func(line, cell)`` (cell magic), or both for "line_cell"."""
        name = magic_name or func.__name__
        host = self.kernel.host
        if magic_kind in ("line", "line_cell"):
            if magic_kind == "line_cell":
                host.add_magic(name, lambda kernel, args: func(args, None))
            else:
                host.add_magic(name, lambda kernel, args: func(args))
        if magic_kind in ("cell", "line_cell"):
            host.add_cell_magic(name, lambda kernel, line, body: func(line, body))
        if magic_kind not in ("line", "cell", "line_cell"):
            raise ValueError(f"magic_kind must be one of line, cell, line_cell, not {magic_kind!r}")

    def define_magic(self, name: str, func: Callable[..., Any]) -> None:
        self.register_magic_function(func, "line", name)

    # --- system ------------------------------------------------------------------------------------------------
    def system(self, cmd: str) -> None:
        from ..magics.system import system

        system(self.kernel, self.var_expand(cmd, depth=1))

    system_piped = system
    system_raw = system

    def getoutput(self, cmd: str, split: bool = True, depth: int = 0) -> Any:
        from ..magics.system import getoutput

        out = getoutput(self.var_expand(cmd, depth=depth + 1))
        return out if split else out.n

    def var_expand(self, cmd: str, depth: int = 0, formatter: Any = None) -> str:
        from ..kernel.magics import var_expand

        try:
            frame = sys._getframe(depth + 1)
            local = dict(frame.f_locals)
        except ValueError:
            local = {}
        return var_expand(cmd, self.user_ns, local)

    def get_parent(self) -> dict[str, Any]:
        """The request whose outputs are being produced (ipykernel's shell has it too)."""
        return self.kernel.get_parent()

    def set_parent(self, parent: dict[str, Any]) -> None:
        """Accepted: outputs always go to the request being handled."""

    # --- payloads and output -----------------------------------------------------------------------------------
    def set_next_input(self, text: str, replace: bool = False) -> None:
        self.kernel.host.executor.add_payload({"source": "set_next_input", "text": text, "replace": replace})

    def ask_exit(self, keep_kernel: bool = False) -> None:
        self.kernel.host.executor.add_payload({"source": "ask_exit", "keepkernel": keep_kernel})

    def showtraceback(self, exc_tuple: Any = None, filename: str | None = None, tb_offset: int | None = None,
                      exception_only: bool = False, running_compiled_code: bool = False) -> None:
        """Publish the current (or given) exception as an ``error`` output, as IPython does."""
        from ..kernel.tracebacks import format_exception

        exc = exc_tuple[1] if exc_tuple else sys.exc_info()[1]
        if exc is None:
            print("No traceback available to show.", file=sys.stderr)
            return
        ename, evalue, tb = format_exception(exc)
        if exception_only:
            tb = tb[-1:]
        self.kernel.publish("error", {"ename": ename, "evalue": evalue, "traceback": tb})

    def showsyntaxerror(self, filename: str | None = None, running_compiled_code: bool = False) -> None:
        self.showtraceback(exception_only=True)

    def set_custom_exc(self, exc_tuple: Any, handler: Any) -> None:
        """Accepted and ignored: custom exception handlers are not supported."""

    def enable_gui(self, gui: str | None = None) -> None:
        from ..kernel.gui import enable_gui

        enable_gui(self.kernel, gui)

    def enable_matplotlib(self, gui: str | None = None) -> tuple[str, str]:
        from ..kernel.gui import matplotlib_magic

        matplotlib_magic(self.kernel, gui or "inline")
        import matplotlib

        return gui or "inline", str(matplotlib.get_backend())

    def getoutputerror(self, cmd: str) -> tuple[str, str]:
        import subprocess

        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False)
        return r.stdout, r.stderr

    def __repr__(self) -> str:
        return f"<ipykernel_lite.shell.ZMQInteractiveShell object at 0x{id(self):x}>"


class _Extensions:
    """``%load_ext``: modules with ``load_ipython_extension(ip)`` (and ``unload_ipython_extension``)."""

    def __init__(self, shell: ZMQInteractiveShell) -> None:
        self.shell = shell
        self.loaded: set[str] = set()

    def load_extension(self, name: str) -> str | None:
        import importlib

        if name in self.loaded:
            return "already loaded"
        if name in BUILTIN_EXTENSIONS:
            BUILTIN_EXTENSIONS[name](self.shell)
            self.loaded.add(name)
            return None
        module = importlib.import_module(name)
        load = getattr(module, "load_ipython_extension", None)
        if load is None:
            return "no load function"
        load(self.shell)
        self.loaded.add(name)
        return None

    def unload_extension(self, name: str) -> str | None:
        import importlib

        if name not in self.loaded:
            return "not loaded"
        module = sys.modules.get(name) or importlib.import_module(name)
        unload = getattr(module, "unload_ipython_extension", None)
        if unload is not None:
            unload(self.shell)
        self.loaded.discard(name)
        return None

    def reload_extension(self, name: str) -> None:
        import importlib

        if name in BUILTIN_EXTENSIONS:
            self.loaded.discard(name)
            self.load_extension(name)
            return
        if name in self.loaded:
            self.unload_extension(name)
            importlib.reload(sys.modules[name])
        self.load_extension(name)


def _autoreload(shell: ZMQInteractiveShell) -> None:
    """``%load_ext autoreload`` works without IPython: our ``%autoreload`` is always there."""


BUILTIN_EXTENSIONS: dict[str, Callable[[ZMQInteractiveShell], None]] = {
    "autoreload": _autoreload,
    "IPython.extensions.autoreload": _autoreload,
}
