"""The Jupyter debug protocol on top of debugpy: ``debug_request`` in, ``debug_reply`` out, adapter events as
``debug_event`` on IOPub.

Requests the Jupyter protocol adds to DAP (``debugInfo``, ``dumpCell``, ``inspectVariables``,
``richInspectVariables``, ``copyToGlobals``, ``modules``, ``source``) are answered here; the rest is forwarded
to the debugpy adapter. debugpy is imported on the first ``initialize`` only. Runs on the control thread, so
it keeps answering while the main thread is stopped at a breakpoint.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import sys
import threading
import types
from typing import TYPE_CHECKING, Any

from . import cellfiles
from .gui_pump import StoppedGuiPump
from .link import AdapterGone, AdapterLink

if TYPE_CHECKING:
    from ..extensions import ExtensionHost

log = logging.getLogger("ipykernel_lite.dap")

JSONDict = dict[str, Any]

#: requests answered without debugpy (JupyterLab sends debugInfo before initialize, inspectVariables any time)
STATIC = frozenset({"debugInfo", "inspectVariables", "richInspectVariables", "copyToGlobals", "modules", "source",
                    "dumpCell", "configurationDone"})
_KERNEL_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_HIDDEN_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython", "display"})


def response(request: JSONDict, body: JSONDict | None = None, *, success: bool = True, message: str = "") -> JSONDict:
    reply: JSONDict = {
        "type": "response",
        "seq": 0,
        "request_seq": request.get("seq", 0),
        "success": success,
        "command": request.get("command", ""),
    }
    if body is not None:
        reply["body"] = body
    if message:
        reply["message"] = message
    return reply


class DapSession:
    def __init__(self, host: ExtensionHost) -> None:
        self.host = host
        self.kernel = host.kernel
        self.link: AdapterLink | None = None
        self.started = False
        self._listening: tuple[str, int] | None = None
        #: source path → the breakpoints last set there (debugInfo gives them back to a reloaded front end)
        self.breakpoints: dict[str, list[JSONDict]] = {}
        self.stopped_threads: set[int] = set()
        self._seq = itertools.count(1_000_000)  # our own requests, far from the front end's numbers
        self._lock = threading.RLock()
        #: keeps the user's GUI event loop running while the main thread is stopped (set up with debugpy)
        self._gui: StoppedGuiPump | None = None

    # --- the request ---------------------------------------------------------------------------------------
    def debug_request(self, msg: Any) -> JSONDict:
        request: JSONDict = msg.content
        command = request.get("command")
        if not isinstance(command, str):
            return response(request, success=False, message="a DAP request needs a command")
        with self._lock:
            try:
                handler = getattr(self, f"do_{command}", None)
                if handler is not None:
                    result: JSONDict = handler(request)
                    return result
                if not self.started:
                    return response(request, success=False, message=f"{command}: the debugger is not started")
                return self._forward(request)
            except AdapterGone as e:
                self._drop_link()
                return response(request, success=False, message=str(e))

    def _forward(self, request: JSONDict) -> JSONDict:
        assert self.link is not None
        return self.link.request(request)

    # --- starting and stopping ------------------------------------------------------------------------------
    def do_debugInfo(self, request: JSONDict) -> JSONDict:
        return response(request, {
            "isStarted": self.started,
            "hashMethod": cellfiles.HASH_METHOD,
            "hashSeed": cellfiles.HASH_SEED,
            "tmpFilePrefix": cellfiles.prefix(),
            "tmpFileSuffix": cellfiles.SUFFIX,
            "breakpoints": [{"source": path, "breakpoints": bps} for path, bps in self.breakpoints.items()],
            "stoppedThreads": sorted(self.stopped_threads),
            "richRendering": True,
            "exceptionPaths": ["Python Exceptions"],
            "copyToGlobals": True,
        })

    def do_initialize(self, request: JSONDict) -> JSONDict:
        if not self.started:
            self._start()
        return self._forward(request)

    def do_attach(self, request: JSONDict) -> JSONDict:
        if not self.started or self.link is None or self._listening is None:
            return response(request, success=False, message="attach: initialize first")
        host, port = self._listening
        args = dict(request.get("arguments") or {})
        args["connect"] = {"host": host, "port": port}
        # the kernel's own frames are not the user's to step through
        args.setdefault("rules", [{"path": _KERNEL_PACKAGE, "include": False}])
        self.link.send({**request, "arguments": args})
        # debugpy answers attach only after configurationDone, which follows its "initialized" event
        self._initialized.wait(30)
        done = {"type": "request", "seq": next(self._seq), "command": "configurationDone"}
        self.link.request(done)
        return self.link.response(int(request.get("seq", 0)))

    def do_configurationDone(self, request: JSONDict) -> JSONDict:
        # sent to debugpy already, as part of attach
        return response(request)

    def do_disconnect(self, request: JSONDict) -> JSONDict:
        if not self.started or self.link is None:
            return response(request)
        # the debugger goes, the kernel stays: debugpy must not end the process (nor its adapter, which a
        # later attach needs), whatever the front end asked
        args = {**(request.get("arguments") or {}), "terminateDebuggee": False}
        try:
            reply = self.link.request({**request, "arguments": args})
        except AdapterGone as e:
            reply = response(request, success=False, message=str(e))
        self._drop_link()
        return reply

    def _start(self) -> None:
        if self._listening is None:
            self._listening = self._listen()
        self._initialized = threading.Event()
        host, port = self._listening
        self.link = AdapterLink(host, port, self._on_event)
        self.started = True

    def _listen(self) -> tuple[str, int]:
        """``debugpy.listen`` on the main thread (it traces from there), between requests."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        done = threading.Event()
        failure: list[BaseException] = []

        def listen() -> None:
            try:
                # pydevd warns on stderr (into the user's output) about frozen stdlib modules: not the user's concern
                os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
                import debugpy

                _mark_kernel_threads()
                debugpy.listen(("127.0.0.1", port))
                gui = StoppedGuiPump(self.kernel)
                if gui.install():
                    self._gui = gui
                    self.host.hooks.pre_execute.append(gui.sync)
            except BaseException as e:
                log.warning("debugpy could not start", exc_info=True)
                failure.append(e)
            finally:
                done.set()

        self.kernel.call_on_main(listen)
        if not done.wait(60):
            raise AdapterGone("the kernel's main thread did not start debugpy within 60 s (a cell is running)")
        if failure:
            raise AdapterGone(f"debugpy could not start: {type(failure[0]).__name__}: {failure[0]}")
        return "127.0.0.1", port

    def _drop_link(self) -> None:
        if self.link is not None:
            self.link.close()
        self.link = None
        self.started = False
        self.stopped_threads.clear()

    def close(self) -> None:
        with self._lock:
            self._drop_link()

    # --- events --------------------------------------------------------------------------------------------
    def _on_event(self, event: JSONDict) -> None:
        name = event.get("event")
        body = event.get("body") or {}
        if name == "initialized":
            self._initialized.set()
        elif name == "stopped":
            if body.get("threadId") is not None:
                self.stopped_threads.add(int(body["threadId"]))
            if self._gui is not None:
                self._gui.sync()  # a %gui in the cell that stopped: pydevd's wait picks it up on its next pass
            # an interrupt while stopped: pydevd swallows it in its wait loop, so resume, then interrupt
            self.kernel.interrupts.on_interrupt = self._interrupt_while_stopped
        elif name == "continued":
            if body.get("allThreadsContinued", True):
                self.stopped_threads.clear()
            else:
                self.stopped_threads.discard(int(body.get("threadId", -1)))
        self.kernel.iopub.publish("debug_event", event)

    def _interrupt_while_stopped(self, frame: Any) -> None:
        """SIGINT handler hook (main thread, inside pydevd's wait): let the cell go on, then stop it there."""
        policy = self.kernel.interrupts
        link, threads = self.link, sorted(self.stopped_threads)
        if link is None or not threads:
            if policy.armed:
                raise KeyboardInterrupt
            return

        def resume_then_interrupt() -> None:
            try:
                link.request({"type": "request", "seq": next(self._seq), "command": "continue",
                              "arguments": {"threadId": threads[0]}})
            except AdapterGone:
                return
            self.stopped_threads.clear()
            policy.interrupt_main()

        t = threading.Thread(target=resume_then_interrupt, name="ipykernel_lite-dap-interrupt", daemon=True)
        t.pydev_do_not_trace = True  # type: ignore[attr-defined]
        t.is_pydev_daemon_thread = True  # type: ignore[attr-defined]
        t.start()

    # --- cells and breakpoints -----------------------------------------------------------------------------
    def do_dumpCell(self, request: JSONDict) -> JSONDict:
        code = (request.get("arguments") or {}).get("code", "")
        return response(request, {"sourcePath": cellfiles.dump(str(code))})

    def do_setBreakpoints(self, request: JSONDict) -> JSONDict:
        args = request.get("arguments") or {}
        path = (args.get("source") or {}).get("path")
        if isinstance(path, str):
            self.breakpoints[path] = list(args.get("breakpoints") or [])
        if not self.started:
            # kept for the next attach (debugInfo reports them): JupyterLab re-sends them then
            return response(request, {"breakpoints": [{"verified": False} for _ in args.get("breakpoints") or []]})
        return self._forward(request)

    def cell_filename(self, code: str) -> str | None:
        """``cell_filename`` hook: while the debugger is on, cells run under their debugInfo file."""
        if not self.started:
            return None
        return cellfiles.dump(code)

    def do_source(self, request: JSONDict) -> JSONDict:
        path = ((request.get("arguments") or {}).get("source") or {}).get("path", "")
        try:
            with open(str(path), encoding="utf-8") as f:
                return response(request, {"content": f.read()})
        except OSError as e:
            return response(request, success=False, message=f"source unavailable: {e}")

    def do_stackTrace(self, request: JSONDict) -> JSONDict:
        """Pages from ``startFrame`` when ``levels`` is 0 or absent, as DAP says: debugpy then returns every frame
        from the first, and VS Code, asking for the frames after the two it had, showed the stack twice."""
        if not self.started:
            return response(request, success=False, message="stackTrace: the debugger is not started")
        reply = self._forward(request)
        args = request.get("arguments") or {}
        start = int(args.get("startFrame", 0) or 0)
        body = reply.get("body")
        if start > 0 and not args.get("levels") and reply.get("success") and isinstance(body, dict):
            frames = body.get("stackFrames")
            if isinstance(frames, list) and len(frames) == body.get("totalFrames"):  # the whole stack came back
                reply = {**reply, "body": {**body, "stackFrames": frames[start:]}}
        return reply

    def do_modules(self, request: JSONDict) -> JSONDict:
        args = request.get("arguments") or {}
        mods = [m for m in list(sys.modules.values()) if isinstance(getattr(m, "__file__", None), str)]
        start = int(args.get("startModule", 0) or 0)
        count = int(args.get("moduleCount", 0) or 0) or len(mods)
        page = [{"id": i, "name": m.__name__, "path": m.__file__} for i, m in enumerate(mods)][start : start + count]
        return response(request, {"modules": page, "totalModules": len(mods)})

    # --- variables -----------------------------------------------------------------------------------------
    def do_inspectVariables(self, request: JSONDict) -> JSONDict:
        from ...introspect.safe_repr import safe_repr

        rows = []
        for name, value in list(self.host.executor.ns.items()):
            if name.startswith("_") or name in _HIDDEN_NAMES or isinstance(value, types.ModuleType):
                continue
            rows.append({"name": name, "value": safe_repr(value), "type": type(value).__name__,
                         "evaluateName": name, "variablesReference": 0})
        return response(request, {"variables": rows})

    def do_richInspectVariables(self, request: JSONDict) -> JSONDict:
        from ...display import format_bundle

        args = request.get("arguments") or {}
        name = str(args.get("variableName", ""))
        frame_id = args.get("frameId")
        if frame_id is not None and self.started and self.link is not None:
            return self._rich_in_frame(request, name, int(frame_id))
        ns = self.host.executor.ns
        if not name.isidentifier() or name not in ns:
            return response(request, {"data": {}, "metadata": {}})
        data, metadata = format_bundle(ns[name])
        return response(request, {"data": data, "metadata": metadata})

    def _rich_in_frame(self, request: JSONDict, name: str, frame_id: int) -> JSONDict:
        """A stopped frame's variable, formatted by the kernel inside that frame (through debugpy)."""
        import ast

        if not name.isidentifier():
            return response(request, {"data": {}, "metadata": {}})
        expr = f"__import__('ipykernel_lite.display', fromlist=['format_bundle']).format_bundle({name})"
        reply = self.link.request({"type": "request", "seq": next(self._seq), "command": "evaluate",  # type: ignore[union-attr]
                                   "arguments": {"expression": expr, "frameId": frame_id, "context": "clipboard"}})
        if not reply.get("success"):
            return response(request, {"data": {}, "metadata": {}})
        try:
            data, metadata = ast.literal_eval(reply["body"]["result"])
        except (ValueError, SyntaxError, KeyError):
            return response(request, {"data": {"text/plain": reply.get("body", {}).get("result", "")},
                                      "metadata": {}})
        return response(request, {"data": data, "metadata": metadata})

    def do_copyToGlobals(self, request: JSONDict) -> JSONDict:
        args = request.get("arguments") or {}
        src, dst = str(args.get("srcVariableName", "")), str(args.get("dstVariableName", ""))
        if not (src.isidentifier() and dst.isidentifier()):
            return response(request, success=False, message="copyToGlobals: variable names must be identifiers")
        if not self.started or self.link is None:
            return response(request, success=False, message="copyToGlobals: the debugger is not started")
        reply = self.link.request({
            "type": "request", "seq": next(self._seq), "command": "setExpression",
            "arguments": {"expression": f"globals()[{dst!r}]", "value": src, "frameId": args.get("srcFrameId")},
        })
        return response(request, reply.get("body") or {}, success=bool(reply.get("success")),
                        message=str(reply.get("message", "")))


def _mark_kernel_threads() -> None:
    """pydevd traces and suspends every thread it is not told to leave alone: leave the kernel's own."""
    for t in threading.enumerate():
        if t.name.startswith("ipykernel_lite"):
            t.pydev_do_not_trace = True  # type: ignore[attr-defined]
            t.is_pydev_daemon_thread = True  # type: ignore[attr-defined]
