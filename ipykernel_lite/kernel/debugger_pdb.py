"""The kernel's pdb: prompts become input requests that say where the debugger stands, and leaving the user's
code (stepping out of the cell, an interrupt at the prompt, the end of the cell) always ends the session.

Importing this module imports pdb; ``debugger.py`` does so only when a debugger is first needed, and then
makes ``pdb.Pdb`` this class, so ``pdb.set_trace()``, ``pdb.pm()`` and pdb's own ``debug`` command use it.
"""

from __future__ import annotations

import linecache
import os
import pdb
import sys
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, ClassVar

from .stdin import StdinReader

if TYPE_CHECKING:
    from .debugger import Debugger

JSONDict = dict[str, Any]
StackEntry = tuple[FrameType, int]


def _dir_prefixes(folder: str) -> tuple[str, ...]:
    # code objects carry the path the module was imported under, which may be relative
    return tuple({folder + os.sep, os.path.abspath(folder) + os.sep})


_KERNEL_PREFIXES = _dir_prefixes(os.path.dirname(__file__))
_PACKAGE_PREFIXES = _dir_prefixes(os.path.dirname(os.path.dirname(__file__)))

_CO_NEWLOCALS = 0x0002  # inspect.CO_NEWLOCALS: a function's frame, with locals of its own

#: modules pdb never stops in: the kernel's own, and the asyncio loop that runs async cells
SKIP = frozenset({"ipykernel_lite", "ipykernel_lite.*", "asyncio", "asyncio.*"})
#: modules of the frames that run the user's code; hidden from the stack when they are its outer end
_MACHINERY = frozenset({"runpy", "bdb", "pdb", "threading"})


def in_kernel(frame: FrameType) -> bool:
    """Whether the frame runs the kernel's own code (ipykernel_lite/kernel/)."""
    return frame.f_code.co_filename.startswith(_KERNEL_PREFIXES)


def is_machinery(frame: FrameType) -> bool:
    """Whether the frame belongs to what runs user code (the kernel, runpy, bdb, asyncio…), not to it."""
    filename = frame.f_code.co_filename
    if filename.startswith(_PACKAGE_PREFIXES) or filename.startswith("<frozen "):
        return True
    name = frame.f_globals.get("__name__")
    if not isinstance(name, str):
        return False
    return name in _MACHINERY or name == "asyncio" or name.startswith("asyncio.")


def pause_target(frame: FrameType | None) -> FrameType | None:
    """Where a pause that interrupted ``frame`` stops: the innermost frame of the user's code, above any call
    back into the kernel (``print``, ``input`` and the sockets they use are not the user's to step through)."""
    chain: list[FrameType] = []
    while frame is not None:
        chain.append(frame)
        frame = frame.f_back
    target: FrameType | None = None
    for f in reversed(chain):
        if f.f_code.co_filename.startswith(_PACKAGE_PREFIXES):
            if target is not None:
                break
        elif target is not None or not is_machinery(f):
            target = f
    return target


def has_user_frame(tb: TracebackType | None) -> bool:
    """Whether the traceback passes through the user's code (a SyntaxError in a cell never reaches it)."""
    while tb is not None:
        if not is_machinery(tb.tb_frame):
            return True
        tb = tb.tb_next
    return False


def current_tracer() -> KernelPdb | None:
    """The debugger whose trace function the main thread runs under, if any."""
    owner = getattr(sys.gettrace(), "__self__", None)
    return owner if isinstance(owner, KernelPdb) else None


def clear_frame_traces(frame: FrameType | None) -> None:
    """Unhook our trace function from ``frame`` and every frame outside it."""
    while frame is not None:
        if isinstance(getattr(frame.f_trace, "__self__", None), KernelPdb):
            frame.f_trace = None
        frame = frame.f_back


def describe(frame: FrameType, line: int) -> JSONDict:
    """A stack entry as the ``DebugFrame`` model has it."""
    code = frame.f_code
    return {"file": code.co_filename, "line": line, "function": code.co_name}


class FrameView:
    """What ``Debugger.frame`` holds: the frame, with pdb's copy of its locals.

    On Python < 3.13 reading ``frame.f_locals`` (as completion on the control thread would) refreshes the dict
    pdb edits from the frame, which would undo ``!x = 1`` typed at the prompt before it is written back.
    """

    __slots__ = ("f_locals", "frame")

    def __init__(self, frame: FrameType, f_locals: dict[str, Any]) -> None:
        self.frame = frame
        self.f_locals = f_locals

    @property
    def f_globals(self) -> dict[str, Any]:
        return self.frame.f_globals

    def __getattr__(self, name: str) -> Any:
        return getattr(self.frame, name)


class KernelPdb(pdb.Pdb):
    """pdb for the kernel: never takes over SIGINT, reads commands through input requests, keeps out of the
    kernel's frames."""

    #: the kernel-side state (set by ``debugger.py`` before the first instance is made)
    host: ClassVar[Debugger | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # pdb's SIGINT handler would replace the kernel's: interrupts and pause go through the kernel
        self.nosigint = True
        self.skip = set(self.skip or ()) | SKIP
        if self.stdin is None or isinstance(self.stdin, StdinReader):
            # input(prompt) sends the prompt with the input request; readline() would print it as output
            self.use_rawinput = True
        self._interrupted = False
        #: set while the kernel runs between the cell's body and its last expression, to step on there
        self._resume_in: str | None = None

    # --- entering ------------------------------------------------------------------------------------------
    def set_trace(self, frame: FrameType | None = None, *args: Any, **kwargs: Any) -> None:
        if frame is None:
            frame = sys._getframe().f_back
        if not self._may_prompt("breakpoint ignored"):
            return
        self._resume_in = None
        super().set_trace(frame, *args, **kwargs)

    def debug_traceback(self, tb: TracebackType) -> None:
        """Debug the frames of a traceback, stopped in the innermost one."""
        if not self._may_prompt("post-mortem skipped"):
            return
        self.reset()
        self.interaction(None, tb)

    def _may_prompt(self, what: str) -> bool:
        reason = self.host.cannot_prompt() if self.host is not None else None
        if reason is None:
            return True
        print(f"{what}: {reason}", file=sys.stderr)
        return False

    # --- at the prompt -------------------------------------------------------------------------------------
    def interaction(self, frame: FrameType | None, traceback: Any) -> None:
        host = self.host
        if not self._may_prompt("debugger not started"):
            self.end_session()
            return
        self._interrupted = False
        if host is not None:
            host.prompt_entered(self)
        try:
            super().interaction(frame, traceback)
        finally:
            if host is not None:
                host.prompt_left(self)
        if self._interrupted:
            self._interrupted = False
            self.end_session()
            # raised from the trace function, it lands in the user's code at the line where it stopped
            raise KeyboardInterrupt

    def cmdloop(self, intro: Any = None) -> None:
        # pdb answers Ctrl-C at its prompt with another prompt; in a kernel an interrupt means "stop"
        try:
            super().cmdloop(intro)
        except KeyboardInterrupt:
            self.message("--KeyboardInterrupt--")
            self._interrupted = True

    def debug_state(self) -> JSONDict:
        """``DebugState`` of the prompt: the frame commands act on and the stack, outermost first."""
        stack = [describe(f, line) for f, line in self.stack]
        if not stack:
            return {}
        index = min(max(self.curindex, 0), len(stack) - 1)
        return {"frame": stack[index], "stack": stack}

    def frame_view(self) -> FrameView | None:
        frame = self.curframe
        if frame is None:
            return None
        f_locals = getattr(self, "curframe_locals", None)
        return FrameView(frame, f_locals if isinstance(f_locals, dict) else frame.f_locals)

    # --- the stack -----------------------------------------------------------------------------------------
    def get_stack(self, f: FrameType | None, t: TracebackType | None) -> tuple[list[StackEntry], int]:
        stack, index = super().get_stack(f, t)
        outer = 0
        while outer < len(stack) and is_machinery(stack[outer][0]):
            outer += 1
        # keep the frame we are stopped in, whatever it is
        outer = min(outer, index)
        return stack[outer:], index - outer

    def lookupmodule(self, filename: str) -> str | None:
        # cells (<cell-3>) and unsaved editor buffers exist only in linecache: `b <cell-3>:2` must find them
        if filename in linecache.cache:
            return filename
        found: str | None = super().lookupmodule(filename)
        return found

    # --- leaving the user's code -------------------------------------------------------------------------
    def trace_dispatch(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call":
            if self._resume_in is not None and _called_by_kernel(frame, self._resume_in):
                # the cell's last expression (compiled apart to echo its value): stepping goes on in it
                self._resume_in = None
                self.set_step()
                return self.trace_dispatch
        elif in_kernel(frame):
            return self._in_kernel(frame)
        elif event == "exception" and issubclass(arg[0], KeyboardInterrupt):
            # Ctrl-C while the code runs under the debugger (after n, or c with breakpoints): stop, as
            # without a debugger, instead of prompting at the exception
            self.end_session()
            return None
        return super().trace_dispatch(frame, event, arg)

    def dispatch_return(self, frame: FrameType, arg: Any) -> Any:
        try:
            if _called_by_kernel(frame) and not self.quitting and (self.stop_here(frame) or frame is self.returnframe):
                # the end of the cell's body is an artefact of compiling its last expression apart: no
                # --Return-- stop there, stepping goes on into that expression (or the cell simply ends)
                self._resume_in = frame.f_code.co_filename
                self._set_stopinfo(self.botframe, None, -1)  # type: ignore[attr-defined]
                return self.trace_dispatch
            return super().dispatch_return(frame, arg)
        finally:
            if not frame.f_code.co_flags & _CO_NEWLOCALS:
                # pdb keeps the value --Return-- shows in f_locals: at top level, the user's namespace
                frame.f_locals.pop("__return__", None)

    def _in_kernel(self, frame: FrameType) -> Any:
        """The user's code returned (or raised) into the kernel. Never stop in the kernel's own frames; go on
        watching only while the cell may still run user code (its last expression) that the user is stepping
        into or has breakpoints in."""
        host = self.host
        running = host is not None and host.kernel.interrupts.armed
        if running and not self.quitting and (self._resume_in is not None or self.breaks):
            return self.trace_dispatch
        self.end_session()
        return None

    def end_session(self) -> None:
        """Stop tracing this thread and unhook every frame; the kernel carries on as if never debugged."""
        self._resume_in = None
        if current_tracer() is self:
            sys.settrace(None)
        clear_frame_traces(sys._getframe().f_back)
        if self.host is not None:
            self.host.session_ended(self)


def _called_by_kernel(frame: FrameType, filename: str | None = None) -> bool:
    """Whether ``frame`` is the outermost frame of the user's code (of ``filename``, if given)."""
    caller = frame.f_back
    if caller is None or not in_kernel(caller):
        return False
    return filename is None or frame.f_code.co_filename == filename
