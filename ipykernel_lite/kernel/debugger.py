"""Debugging user code from the editor, with pdb at the other end of the stdin channel.

- ``breakpoint()``, ``pdb.set_trace()``: each ``(Pdb) `` prompt is an input_request whose metadata says where
  the debugger stands (``metadata["debug"]``, the ``DebugState`` model).
- Post-mortem: ``%debug`` and ``pdb.pm()`` after an error, or execute_request metadata ``"post_mortem": true``
  to enter the debugger in the failing frame before the reply goes out.
- ``%debug CODE``, ``%%debug``, ``%run -d``: the code runs under pdb from its first line (``debugger_run``).
- Pause: a control ``pause_request`` stops the running cell in the debugger where it is; ``c`` resumes it.

``install`` runs at every kernel start and must stay cheap: pdb and the kernel's Pdb (``debugger_pdb``) are
imported the first time a debugger is needed, or when user code imports pdb itself (then ``pdb.Pdb`` is
replaced by the kernel's, so pdb's own entry points prompt through the kernel too).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from .extensions import ExtensionHost, KernelExtension

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import CodeType, FrameType, ModuleType, TracebackType

    from ..protocol import Message
    from .debugger_pdb import KernelPdb
    from .execution import Executor
    from .kernel import Kernel

log = logging.getLogger("ipykernel_lite.debugger")

JSONDict = dict[str, Any]


class DebuggerExtension(KernelExtension):
    """pdb over stdin, post-mortem, ``%debug`` and the ``pause_request`` extension."""

    name = "debugger"
    features = ("pause",)

    def install(self, host: ExtensionHost) -> None:
        self.debugger = Debugger(host.kernel, host.executor)
        self.debugger.install(host)
        host.provide("debugger", self.debugger)


class Debugger:
    """The kernel's side of debugging: entry points, the prompt's metadata, pause, and the clean-up that
    guarantees no cell ends with the kernel still half in the debugger."""

    def __init__(self, kernel: Kernel, executor: Executor) -> None:
        self.kernel = kernel
        self.executor = executor
        #: debuggers waiting at their prompt, innermost last (pdb's ``debug`` command nests them)
        self.prompts: list[KernelPdb] = []
        self._post_mortems = 0
        #: ``%pdb on``: every error is debugged post-mortem, as execute metadata ``post_mortem: true`` asks
        self.auto_post_mortem = False
        self._finder: _PatchPdbOnImport | None = None
        self._pause_pdb: KernelPdb | None = None
        #: the debugger armed with an editor's breakpoints (origin.breakpoints) for the running request
        self._margin_pdb: KernelPdb | None = None
        self._load_lock = threading.RLock()
        #: debugger_pdb once loaded (pdb and the kernel's Pdb are imported on first use only)
        self._impl: ModuleType | None = None
        #: the frame pdb is stopped in, if any: introspection resolves names there
        self.frame: Any = None

    def install(self, host: ExtensionHost) -> None:
        sys.breakpointhook = self.breakpointhook
        hooks = host.hooks
        hooks.error.append(self.on_error)
        hooks.pre_execute.append(self.before_cell)
        # first: later hooks (inline figures…) must not run under the trace function
        hooks.post_execute.insert(0, self.after_cell)
        hooks.input_metadata.append(self.input_metadata)
        hooks.namespaces.insert(0, self.namespaces)
        host.handle("pause_request", self.pause_request, channels=("control",))
        host.add_magic("debug", self.debug_magic)
        host.add_cell_magic("debug", self.debug_cell_magic)
        if "pdb" in sys.modules:
            self.load()
        else:
            self._finder = _PatchPdbOnImport(self)
            sys.meta_path.insert(0, self._finder)

    def load(self) -> ModuleType:
        """The debugger_pdb module, imported on first use; from then on ``pdb.Pdb`` is the kernel's Pdb."""
        mod = self._impl
        if mod is not None:
            return mod
        with self._load_lock:
            if self._finder is not None:
                try:
                    sys.meta_path.remove(self._finder)
                except ValueError:
                    pass
                self._finder = None
            import pdb

            from . import debugger_pdb

            debugger_pdb.KernelPdb.host = self
            pdb.Pdb = debugger_pdb.KernelPdb  # type: ignore[misc]
            self._impl = debugger_pdb
            return debugger_pdb

    # --- entry points --------------------------------------------------------------------------------------
    def breakpointhook(self, *args: Any, **kwargs: Any) -> Any:
        """``sys.breakpointhook``: stop in the caller's frame (PYTHONBREAKPOINT still picks another hook)."""
        chosen = os.environ.get("PYTHONBREAKPOINT")
        if chosen is not None and chosen not in ("", "pdb.set_trace"):
            return sys.__breakpointhook__(*args, **kwargs)
        p = self.load().KernelPdb()
        header = kwargs.get("header")
        if header is not None:
            p.message(header)
        p.set_trace(sys._getframe(1))
        return None

    def on_error(self, request: Message, exc: BaseException) -> None:
        """With execute metadata ``post_mortem: true``, debug the failing frame before the reply goes out."""
        wanted = request.metadata.get("post_mortem") is True or self.auto_post_mortem
        if not wanted or not isinstance(exc, Exception):
            return
        tb = exc.__traceback__
        if tb is None:
            return
        print(f"post-mortem debugging of {_one_line(exc)}")
        self.post_mortem(tb, swallow_interrupt=True)

    def post_mortem(self, tb: TracebackType, *, swallow_interrupt: bool = False) -> None:
        """Debug the frames of ``tb``, stopped in the innermost one."""
        mod = self.load()
        if not mod.has_user_frame(tb):
            print("post-mortem skipped: the error happened before any of the code ran", file=sys.stderr)
            return
        policy = self.kernel.interrupts
        was_armed = policy.armed
        self._post_mortems += 1
        try:
            try:
                # Ctrl-C at the prompt must reach pdb even though the cell's code has finished
                policy.armed = True
                mod.KernelPdb().debug_traceback(tb)
            finally:
                policy.armed = was_armed
                self._post_mortems -= 1
        except KeyboardInterrupt:
            if not swallow_interrupt:
                raise

    def debug_magic(self, kernel: Kernel, args: str) -> None:
        """``%debug``: debug the last error post-mortem; ``%debug [-b FILE:LINE] CODE``: step through CODE from
        its start."""
        if args.strip():
            self._run_under_debugger(args, None)
            return
        tb = _last_traceback()
        if tb is None:
            print("%debug: there is no error to debug yet", file=sys.stderr)
            return
        self.post_mortem(tb)

    def debug_cell_magic(self, kernel: Kernel, line: str, body: str) -> None:
        """``%%debug [-b FILE:LINE] [CODE]``: step through the cell from its first line."""
        self._run_under_debugger(line, body)

    def _run_under_debugger(self, line: str, body: str | None) -> None:
        from . import debugger_run

        debugger_run.run_magic(self, line, body)

    def run_script(self, code: CodeType, ns: dict[str, Any], path: str, breakpoint_at: tuple[str, int]) -> None:
        """``%run -d``: the script's code under pdb, stopped at its first line, with a breakpoint set."""
        from . import debugger_run

        debugger_run.run_debugged(self, code, ns, magic="%run -d", main_file=path, breakpoint_at=breakpoint_at)

    # --- the editor's breakpoints (execute metadata origin.breakpoints) ------------------------------------
    def before_cell(self, request: Message) -> None:
        """Pre-execute hook: code from an editor with breakpoints in its margin runs under pdb, which stops only
        on those lines. Armed when the user's code starts (not here: the kernel's own frames come first)."""
        origin = request.metadata.get("origin")
        if not isinstance(origin, dict) or not origin.get("breakpoints"):
            return
        path, lines = origin.get("path"), origin.get("breakpoints")
        if not isinstance(path, str) or not isinstance(lines, list):
            return
        wanted = sorted({n for n in lines if type(n) is int and n >= 1})
        if wanted:
            self.kernel.interrupts.on_start.append(lambda: self._arm_breakpoints(path, wanted))

    def _arm_breakpoints(self, path: str, lines: list[int]) -> None:
        """Main thread, as the user's code starts: trace it with a pdb holding the breakpoints, continuing."""
        if self.cannot_prompt() is not None:
            return  # e.g. allow_stdin is false: run as if there were no breakpoints
        p = self.load().KernelPdb()
        p.reset()
        for line in lines:
            p.set_break(path, line)  # a line without code is refused by pdb: ignored
        if not p.breaks:
            return
        # "continue" from here: the trace runs until a breakpoint's line, never stepping on its own
        here = sys._getframe()
        p.botframe = here
        p._set_stopinfo(here, None, -1)
        self._margin_pdb = p
        sys.settrace(p.trace_dispatch)

    # --- pause (control thread) ----------------------------------------------------------------------------
    def pause_request(self, msg: Message) -> JSONDict:
        k = self.kernel
        policy = k.interrupts
        if not (policy.armed or policy.busy) or self.prompts:
            return {"status": "ok", "paused": False}
        parent = k.parent
        if parent is not None and not parent.content.get("allow_stdin", True):
            return {
                "status": "error",
                "ename": "StdinNotImplementedError",
                "evalue": "cannot pause: the running request does not allow stdin",
                "traceback": [],
            }
        # import pdb and make the debugger here: the signal handler should only start it
        self._pause_pdb = self.load().KernelPdb()
        if not policy.armed:
            # the request is being prepared (execute_input is out, the code not running yet): stop at its
            # first line. If the main thread armed meanwhile, take the hook back and interrupt instead.
            policy.on_start.append(self._pause_at_start)
            if not policy.armed:
                return {"status": "ok", "paused": True}
            try:
                policy.on_start.remove(self._pause_at_start)
            except ValueError:
                return {"status": "ok", "paused": True}  # the main thread took it: it pauses at the start
        policy.on_interrupt = self._pause_here
        policy.interrupt_main()
        return {"status": "ok", "paused": True}

    def _pause_at_start(self) -> None:
        """Main thread, as user code starts: step into its first line (the kernel's frames are skipped)."""
        p, self._pause_pdb = self._pause_pdb or self.load().KernelPdb(), None
        p.reset()
        p.set_step()
        sys.settrace(p.trace_dispatch)

    def _pause_here(self, frame: FrameType | None) -> None:
        """SIGINT handler hook on the main thread: the debugger stops at the next line the cell runs."""
        if not self.kernel.interrupts.armed or self.prompts:
            return  # the cell ended (or stopped in the debugger) before the signal landed
        mod = self.load()
        target = mod.pause_target(frame)
        fresh, self._pause_pdb = self._pause_pdb, None
        if target is None:
            return
        # already under the debugger (after c with breakpoints): that one stops, keeping its breakpoints
        p = mod.current_tracer() or fresh or mod.KernelPdb()
        p.set_trace(target)
        if target is not frame:
            # interrupted inside the kernel (in print, input…): stop once control is back in the user's frame,
            # not in whatever the kernel calls meanwhile. Untraced, or pdb would stop inside set_next itself.
            sys.settrace(None)
            p.set_next(target)
            sys.settrace(p.trace_dispatch)

    # --- state the prompt and the kernel share -------------------------------------------------------------
    def cannot_prompt(self) -> str | None:
        """Why a debugger cannot prompt now, or None when it can."""
        k = self.kernel
        if threading.current_thread() is not threading.main_thread():
            return "the kernel debugs its main thread only"
        if not (k.interrupts.armed or self._post_mortems):
            return "no cell is running"
        parent = k.parent
        if parent is None or not parent.content.get("allow_stdin", True):
            return "the front end does not take input (allow_stdin is false)"
        return None

    def prompt_entered(self, p: KernelPdb) -> None:
        self.prompts.append(p)
        self.frame = p.frame_view()

    def prompt_left(self, p: KernelPdb) -> None:
        self.prompts = [q for q in self.prompts if q is not p]
        self.frame = self.prompts[-1].frame_view() if self.prompts else None

    def session_ended(self, p: KernelPdb) -> None:
        if not self.prompts:
            self.frame = None

    def input_metadata(self) -> JSONDict:
        """An ``input_metadata`` hook: while pdb waits for a command, say where it stands."""
        md: JSONDict = {}
        if self.prompts:
            p = self.prompts[-1]
            state = p.debug_state()
            if state:
                md["debug"] = state
            # u and d move the frame completion resolves names in
            self.frame = p.frame_view()
        return md

    def namespaces(self) -> list[dict[str, Any]] | None:
        """A ``namespaces`` hook: names resolve in the frame pdb is stopped in."""
        frame = self.frame
        if frame is None:
            return None
        return [frame.f_locals, frame.f_globals]

    def after_cell(self) -> None:
        """Post-execute hook: whatever happened, the next cell starts with no trace function and no prompt."""
        self.prompts.clear()
        self.frame = None
        margin, self._margin_pdb = self._margin_pdb, None
        if margin is not None:
            # bdb keeps breakpoints process-wide: the editor's are for this request only
            for filename, lines in list(margin.breaks.items()):
                for line in list(lines):
                    margin.clear_break(filename, line)
        mod = self._impl
        if mod is None:
            return  # pdb was never needed: nothing to clean
        for key in ("__return__", "__exception__"):  # what pdb leaves in a top-level frame's locals
            self.executor.ns.pop(key, None)
        if mod.current_tracer() is not None:
            sys.settrace(None)
        mod.clear_frame_traces(sys._getframe(1))


class _PatchPdbOnImport:
    """Meta path finder: pdb loads as usual, then the kernel's Pdb replaces ``pdb.Pdb``."""

    def __init__(self, debugger: Debugger) -> None:
        self._debugger = debugger

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != "pdb":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _LoadThenPatch(spec.loader, self._debugger)  # type: ignore[assignment]
        return spec


class _LoadThenPatch:
    def __init__(self, loader: Any, debugger: Debugger) -> None:
        self._loader = loader
        self._debugger = debugger

    def create_module(self, spec: ModuleSpec) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        try:
            self._debugger.load()
        except Exception:
            log.exception("could not install the kernel's debugger into pdb")


def _last_traceback() -> TracebackType | None:
    exc = getattr(sys, "last_exc", None)
    if isinstance(exc, BaseException) and exc.__traceback__ is not None:
        return exc.__traceback__
    tb: TracebackType | None = getattr(sys, "last_traceback", None)
    return tb


def _one_line(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = "<exception str() failed>"
    name = type(exc).__name__
    return f"{name}: {text}" if text else name
