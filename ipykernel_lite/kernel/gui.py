"""GUI event loops between cells: the toolkit registry, ``%gui``, ``%matplotlib`` and ``gui_request``.

``install`` runs at kernel start-up and only registers names and hooks: a toolkit, and matplotlib, are
imported when the user first asks for them. Loops are switched while a request is being handled, never
while the main thread waits in one (``kernel.loop.wait_for_message``).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from .eventloops.base import ZmqLoop, main_loop_returned, reset_main_loop_returned
from .extensions import ExtensionHost, KernelExtension
from .magics import UsageError
from .mpl import backends

if TYPE_CHECKING:
    from ..protocol import Message
    from .eventloops.base import EventLoop
    from .kernel import Kernel

JSONDict = dict[str, Any]


class Toolkit(NamedTuple):
    name: str
    #: top-level modules, any one of which makes the toolkit usable
    requires: tuple[str, ...]
    doc: str


TOOLKITS: dict[str, Toolkit] = {
    t.name: t
    for t in (
        Toolkit("qt", ("PyQt6", "PySide6", "PyQt5", "PySide2"), "Qt (PyQt6, PySide6, PyQt5 or PySide2)"),
        Toolkit("tk", ("tkinter",), "Tk through tkinter"),
        Toolkit("wx", ("wx",), "wxPython"),
        Toolkit("gtk", ("gi",), "GTK 3 through PyGObject"),
        Toolkit("pyglet", ("pyglet",), "pyglet windows and clock"),
        Toolkit("asyncio", ("asyncio",), "the kernel's asyncio loop (tasks run between cells)"),
    )
}
ALIASES = {
    "qt5": "qt", "qt6": "qt", "pyqt5": "qt", "pyqt6": "qt", "pyside2": "qt", "pyside6": "qt",
    "tkinter": "tk", "gtk3": "gtk",
}
OFF = frozenset({"none", "off"})
#: what ``%gui`` without a name tries, in order (asyncio is not a GUI and always importable)
AUTO_ORDER = ("qt", "tk", "wx", "gtk", "pyglet")


class GuiError(Exception):
    """An unknown toolkit, or one that is not installed or failed to start."""


def resolve(name: str | None) -> str | None:
    """The registry name for ``name``; None means "no toolkit"."""
    if name is None:
        return None
    key = name.strip().lower()
    if key in OFF:
        return None
    key = ALIASES.get(key, key)
    if key not in TOOLKITS:
        raise GuiError(f"unknown GUI toolkit {name!r}; known: {', '.join(TOOLKITS)}, none")
    return key


def is_installed(name: str) -> bool:
    return any(_findable(m) for m in TOOLKITS[name].requires)


def _findable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def active(kernel: Kernel) -> str | None:
    name = kernel.loop.name
    return None if name == ZmqLoop.name else name


def enable_gui(kernel: Kernel, name: str | None) -> str | None:
    """Make ``name``'s loop the kernel's idle wait; returns the toolkit now active (None for none).

    The new loop is enabled before the old one is given up, so a toolkit that fails to start leaves the
    kernel as it was.
    """
    target = resolve(name)
    if target == active(kernel):
        return target
    new: EventLoop
    if target is None:
        new = ZmqLoop()
        new.enable(kernel)
    else:
        if not is_installed(target):
            raise GuiError(f"cannot enable {target}: {TOOLKITS[target].doc} is not installed")
        try:
            module = importlib.import_module(f"{__package__}.eventloops.{target}")
            new = module.make_loop()
            new.enable(kernel)
        except Exception as e:
            raise GuiError(f"could not start the {target} event loop: {type(e).__name__}: {e}") from e
    kernel.loop.disable()
    kernel.loop = new
    return target


def enable_first_available(kernel: Kernel) -> str:
    """``%gui`` with no name: keep a running GUI toolkit, else start the first one that works."""
    current = active(kernel)
    if current in AUTO_ORDER:
        return current
    failures = []
    for name in AUTO_ORDER:
        if not is_installed(name):
            continue
        try:
            enabled = enable_gui(kernel, name)
        except GuiError as e:
            failures.append(str(e))
            continue
        assert enabled is not None
        return enabled
    detail = "; ".join(failures) if failures else f"none of {', '.join(AUTO_ORDER)} is installed"
    raise GuiError(f"no GUI toolkit could be started: {detail}")


# --- the user-facing entry points -------------------------------------------------------------------------


def gui_magic(kernel: Kernel, args: str) -> None:
    """``%gui [qt|tk|asyncio|pyglet|wx|gtk|none]``: run a toolkit's event loop while the kernel is idle."""
    arg = args.strip()
    try:
        if arg in ("-l", "--list"):
            current = active(kernel)
            for name, tk in TOOLKITS.items():
                state = "active" if name == current else "installed" if is_installed(name) else "missing"
                print(f"{name:<8} {state:<10} {tk.doc}")
            return
        if not arg:
            print(f"GUI event loop: {enable_first_available(kernel)}")
            return
        enable_gui(kernel, arg)
    except GuiError as e:
        raise UsageError(str(e)) from None


def matplotlib_magic(kernel: Kernel, args: str) -> None:
    """``%matplotlib [inline|qt|tk|wx|gtk|BACKEND]``: where figures go (default: inline, or %gui's windows)"""
    arg = args.strip()
    if arg in ("-l", "--list"):
        names = ", ".join(backends.NAMES)
        print(f"{names}, or any backend matplotlib knows")
        return
    gui, backend = backends.resolve(arg, kernel.loop.name)
    try:
        if gui is not None:
            enable_gui(kernel, gui)
    except GuiError as e:
        raise UsageError(str(e)) from None
    backends.activate(backend, interactive=gui is not None or backend in backends.WIDGET_BACKENDS)


def gui_request(kernel: Kernel, msg: Message) -> JSONDict:
    """``gui_request {"gui": name|null}`` → ``gui_reply {"status": "ok", "gui": active}``, or an error."""
    try:
        now = enable_gui(kernel, msg.content.get("gui"))
    except GuiError as e:
        return {"status": "error", "ename": "GuiError", "evalue": str(e), "traceback": [f"GuiError: {e}"]}
    return {"status": "ok", "gui": now}


def system_exit_is_quiet(exc: BaseException) -> bool:
    """Whether a cell's SystemExit is a standalone script ending after its (now non-blocking) main loop
    call, as in ``sys.exit(app.exec())``: the executor may end such a cell quietly, without an error."""
    return isinstance(exc, SystemExit) and exc.code in (None, 0) and main_loop_returned()


# --- start-up -----------------------------------------------------------------------------------------------


class GuiExtension(KernelExtension):
    """``%gui``, ``%matplotlib``, ``gui_request`` and inline figures after each cell."""

    name = "gui"
    features = ("gui",)

    def install(self, host: ExtensionHost) -> None:
        kernel = host.kernel
        host.add_magic("gui", gui_magic)
        host.add_magic("matplotlib", matplotlib_magic)
        host.handle("gui_request", lambda msg: gui_request(kernel, msg))
        host.hooks.quiet_exit.append(system_exit_is_quiet)
        hook = backends.PyplotImportHook(lambda: kernel.loop.name)
        sys.meta_path.insert(0, hook)

        def after_cell() -> None:
            reset_main_loop_returned()
            if hook.done and hook in sys.meta_path:
                sys.meta_path.remove(hook)
            inline = backends.loaded_inline()
            parent = kernel.parent
            if inline is not None and not (parent is not None and parent.content.get("silent")):
                inline.flush_figures()

        host.hooks.post_execute.append(after_cell)
