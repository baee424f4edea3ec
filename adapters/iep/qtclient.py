"""A kernel client that lives in the host editor's Qt event loop: every message arrives as a Qt signal.

A Qt shell around the client core (``ipykernel_lite.client.core``): request contents come from the core's
table, readiness is the core's state machine, input replies are the core's; the sockets are qtsockets.py's and
the kernel process is a ``KernelManager``'s (see lifecycle.py). Nothing here blocks: requests return their
msg_id at once, replies come back as signals.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ipykernel_lite.client import KernelDied, KernelManager, KernelState
from ipykernel_lite.client.core import ClientCore, Outgoing
from ipykernel_lite.protocol import Message

from .lifecycle import KernelLifecycle
from .qtsockets import KernelChannels

#: while a (re)started kernel has answered kernel_info but no IOPub message proved our subscription, ask again
HANDSHAKE_RETRY_MS = 500

_LIVE = (KernelState.IDLE, KernelState.BUSY)
_COMING = (KernelState.STARTING, KernelState.RESTARTING)
#: requests whose busy status makes the kernel busy for us
_RUNS = ("execute_request",)


class QtKernelClient(QObject):
    """Starts a kernel and talks to it without blocking the Qt event loop.

    Requests sent while the kernel is (re)starting are held back and go out once it is ready (see
    client/core/ready.py). ``current_message`` is the message whose signal is being emitted, for slots that want its
    header or parent.
    """

    stateChanged = Signal(str)
    #: kernel_info_reply content, after every start and restart
    ready = Signal(object)
    restarted = Signal()
    #: why the kernel is gone: exit code or signal, and its last traceback when it crashed
    kernelDied = Signal(str)
    #: every message received: channel, ipykernel_lite.protocol.Message
    messageReceived = Signal(str, object)
    streamReceived = Signal(str, str)
    executeInputReceived = Signal(str, int)
    #: display_data and update_display_data: data, metadata
    displayReceived = Signal(object, object)
    resultReceived = Signal(int, object, object)
    #: ename, evalue, traceback lines (with ANSI colours)
    errorReceived = Signal(str, str, object)
    clearOutputReceived = Signal(bool)
    #: prompt, password, metadata.debug (a dict while pdb waits for a command, else None)
    inputRequested = Signal(str, bool, object)
    #: every shell and control reply: msg_type, the request's msg_id, content
    replyReceived = Signal(str, str, object)
    executeReplied = Signal(str, object)

    def __init__(
        self,
        manager: KernelManager | None = None,
        parent: QObject | None = None,
        *,
        ready_timeout: float = 30.0,
        restart_grace: float = 3.0,
        session: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._km = manager if manager is not None else KernelManager()
        self.ready_timeout = ready_timeout
        # signing is the sockets' (qtsockets.py): the core here builds and routes, it never encodes
        self._core = ClientCore(b"", session=session, username="iep")
        self._channels: KernelChannels | None = None
        self._state = KernelState.NOT_STARTED
        self._death: KernelDied | None = None
        self._info: dict[str, Any] | None = None
        self._current: Message | None = None
        self._last_input_request: Message | None = None
        self._backlog: list[Outgoing] = []
        # execute requests sent and not answered yet; and the last answered ones, whose late IOPub busy
        # (IOPub lags behind shell under a flood) must not make the kernel look busy again
        self._running: set[str] = set()
        self._answered: deque[str] = deque(maxlen=64)
        self._ready = self._core.ready
        self._life = KernelLifecycle(self._km, restart_grace, self)
        self._life.launched.connect(self._on_launched)
        self._life.died.connect(self._die)
        self._life.stopped.connect(self._on_stopped)
        self._retry = QTimer(self)
        self._retry.setInterval(HANDSHAKE_RETRY_MS)
        self._retry.timeout.connect(self._send_kernel_info)
        self._ready_deadline = QTimer(self)
        self._ready_deadline.setSingleShot(True)
        self._ready_deadline.timeout.connect(self._on_ready_timeout)

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def manager(self) -> KernelManager:
        return self._km

    @property
    def state(self) -> KernelState:
        return self._state

    @property
    def is_ready(self) -> bool:
        return self._state in _LIVE

    @property
    def kernel_info(self) -> dict[str, Any] | None:
        return self._info

    @property
    def death(self) -> KernelDied | None:
        """Why the kernel died, while the state is ``dead``."""
        return self._death

    @property
    def current_message(self) -> Message | None:
        return self._current

    @property
    def waiting_input(self) -> bool:
        """The kernel waits for an ``input_reply`` (input(), getpass, or pdb's prompt)."""
        return self._last_input_request is not None

    def _set_state(self, state: KernelState) -> None:
        if state is not self._state:
            self._state = state
            self.stateChanged.emit(state.value)

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Launch the kernel and connect; ``ready`` follows (or ``kernelDied``)."""
        if self._state not in (KernelState.NOT_STARTED, KernelState.STOPPED):
            raise RuntimeError(f"the kernel is {self._state.value}; restart() it instead")
        self._death = None
        self._set_state(KernelState.STARTING)
        self._life.start()

    def restart(self) -> None:
        """Ask the kernel to stop (kill it after ``restart_grace`` s) and start a new one on the same ports."""
        if self._state in (KernelState.NOT_STARTED, KernelState.STOPPED):
            self.start()
            return
        if self._state in (KernelState.RESTARTING, KernelState.STOPPING):
            return
        self._forget_requests()
        self._set_state(KernelState.RESTARTING)
        self._life.restart()

    def shutdown(self) -> None:
        """Ask the kernel to stop; it is terminated after ``restart_grace`` s. Ends in state ``stopped``."""
        if self._state in (KernelState.NOT_STARTED, KernelState.STOPPED, KernelState.STOPPING):
            return
        self._forget_requests()
        self._set_state(KernelState.STOPPING)
        self._life.shutdown()

    def close(self, shutdown_kernel: bool = True) -> None:
        """Synchronous clean-up for when the host exits: sockets closed, the kernel stopped (by default)."""
        self._stop_handshake()
        self._life.close(shutdown_kernel)
        if shutdown_kernel:
            self._set_state(KernelState.STOPPED)
        self._disconnect()

    def interrupt(self) -> None:
        """Interrupt the running cell (SIGINT, or interrupt_request on control for message-mode kernels)."""
        if not self._km.is_alive():
            return
        if self._km.interrupt_mode == "message":
            self.send_request("control", "interrupt_request", {})
        else:
            self._km.interrupt()

    def _forget_requests(self) -> None:
        self._stop_handshake()
        self._backlog.clear()
        self._last_input_request = None
        self._running.clear()

    def _on_launched(self) -> None:
        self._death = None
        self._connect()
        self._begin_handshake()

    def _on_stopped(self) -> None:
        self._set_state(KernelState.STOPPED)

    # -- requests -------------------------------------------------------------------------------------------
    def execute(
        self,
        code: str,
        *,
        origin: dict[str, Any] | None = None,
        post_mortem: bool = False,
        allow_stdin: bool = True,
        metadata: dict[str, Any] | None = None,
        **options: Any,
    ) -> str:
        """Send an execute_request; ``origin`` is ``{"path", "line", ...}`` (editor code), ``post_mortem``
        stops in the debugger where it fails. ``options``: the request's other fields (silent,
        store_history, stop_on_error, user_expressions), defaults from the client core's request table."""
        md = dict(metadata or {})
        if origin is not None:
            md["origin"] = origin
        if post_mortem:
            md["post_mortem"] = True
        return self._request("execute_request", metadata=md, code=code, allow_stdin=allow_stdin, **options)

    def complete(self, code: str, cursor_pos: int | None = None, *, channel: str = "shell") -> str:
        return self._request("complete_request", channel=channel, code=code, cursor_pos=cursor_pos)

    def inspect(
        self, code: str, cursor_pos: int | None = None, detail_level: int = 0, *, channel: str = "shell"
    ) -> str:
        """inspect_request; inside a call's parentheses the reply's ``metadata.calltip`` describes the call."""
        return self._request(
            "inspect_request", channel=channel, code=code, cursor_pos=cursor_pos, detail_level=detail_level
        )

    def is_complete(self, code: str, *, channel: str = "shell") -> str:
        return self._request("is_complete_request", channel=channel, code=code)

    def pause(self) -> str:
        """control pause_request: stop the running cell in the debugger. Its reply comes as ``replyReceived``
        (``paused`` false when nothing ran; an error reply from kernels without pause)."""
        return self._request("pause_request")

    def input_reply(self, value: str) -> None:
        """Answer the pending input_request (``"\\x04"`` means end of input)."""
        parent, self._last_input_request = self._last_input_request, None
        self._send(self._core.input_reply(value, parent))

    def send_request(
        self, channel: str, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
    ) -> str:
        """Any request; returns its msg_id. Its reply arrives as ``replyReceived``."""
        out = self._core.message(channel, msg_type, content, metadata)
        self._send(out)
        return out.msg_id

    # -- sending --------------------------------------------------------------------------------------------
    def _request(self, msg_type: str, **params: Any) -> str:
        """A request from the core's table; returns its msg_id."""
        out = self._core.build(msg_type, **params)
        self._send(out)
        return out.msg_id

    def _send(self, out: Outgoing) -> None:
        if out.msg.msg_type in _RUNS:
            self._running.add(out.msg_id)
        if self._state in _COMING:
            self._backlog.append(out)
        elif self._state in _LIVE:
            self._send_now(out)
        else:
            reason = f": {self._death.reason}" if self._death is not None else ""
            raise RuntimeError(f"cannot send {out.msg.msg_type}: the kernel is {self._state.value}{reason}")

    def _send_now(self, out: Outgoing) -> None:
        if self._channels is not None:
            self._channels.send(out.channel, out.msg)

    # -- connection -----------------------------------------------------------------------------------------
    def _connect(self) -> None:
        if self._channels is None:
            self._channels = KernelChannels(self._km.info, self._core.session.encode(), self._dispatch, self)
            self._channels.linkChanged.connect(self._check_ready)

    def _disconnect(self) -> None:
        if self._channels is not None:
            self._channels.close()
            self._channels = None

    # -- handshake ------------------------------------------------------------------------------------------
    def _begin_handshake(self) -> None:
        self._ready.begin()
        self._info = None
        self._send_kernel_info()
        self._retry.start()
        self._ready_deadline.start(int(self.ready_timeout * 1000))

    def _send_kernel_info(self) -> None:
        self._send_now(self._core.ready_probe())

    def _stop_handshake(self) -> None:
        self._ready.stop()
        self._retry.stop()
        self._ready_deadline.stop()

    def _check_ready(self) -> None:
        channels = self._channels
        info = self._ready.info(channels.stdin_linked()) if channels is not None else None
        if info is None:
            return
        was_restart = self._state is KernelState.RESTARTING
        self._info = info
        self._stop_handshake()
        self._set_state(KernelState.IDLE)
        backlog, self._backlog = self._backlog, []
        for out in backlog:
            self._send_now(out)
        if was_restart:
            self.restarted.emit()
        self.ready.emit(self._info)

    def _on_ready_timeout(self) -> None:
        if self._ready.active:
            self._die(KernelDied(f"the kernel did not become ready within {self.ready_timeout:g} s"))

    def _die(self, death: KernelDied) -> None:
        if self._state is KernelState.DEAD:
            return
        self._stop_handshake()
        self._backlog.clear()
        self._last_input_request = None
        self._running.clear()
        self._death = death
        self._set_state(KernelState.DEAD)
        reason = death.reason
        if death.traceback:
            reason += "\n" + death.traceback
        self.kernelDied.emit(reason)

    # -- incoming -------------------------------------------------------------------------------------------
    def _dispatch(self, channel: str, msg: Message) -> None:
        if channel != "iopub" and self._channels is not None:
            # the kernel sent a request's output before its reply or an input prompt, on another socket:
            # show what already arrived first
            self._channels.drain("iopub")
        previous, self._current = self._current, msg
        try:
            self.messageReceived.emit(channel, msg)
            if channel == "iopub":
                self._on_iopub(msg)
            elif channel == "stdin":
                self._on_stdin(msg)
            else:
                self._on_reply(msg)
        finally:
            self._current = previous

    def _on_reply(self, msg: Message) -> None:
        parent = msg.parent_id or ""
        if self._ready.owns(msg):
            self._ready.on_reply(msg)
            self._check_ready()
            return
        c = msg.content
        self.replyReceived.emit(msg.msg_type, parent, c)
        if msg.msg_type == "execute_reply":
            self._running.discard(parent)
            self._answered.append(parent)
            # the reply, not IOPub's idle, ends the run: under a flood the idle can be dropped by IOPub's
            # high-water mark, and the prompt must come back anyway
            if not self._running and self._state is KernelState.BUSY:
                self._set_state(KernelState.IDLE)
            self.executeReplied.emit(parent, c)

    def _on_stdin(self, msg: Message) -> None:
        if msg.msg_type != "input_request":
            return
        self._last_input_request = msg
        c = msg.content
        debug = msg.metadata.get("debug")
        self.inputRequested.emit(str(c.get("prompt", "")), bool(c.get("password", False)), debug)

    def _on_iopub(self, msg: Message) -> None:
        if self._ready.active:
            self._ready.on_iopub(msg)
            self._check_ready()
        t = msg.msg_type
        c = msg.content
        if t == "status":
            state = c.get("execution_state")
            # busy means running code: the flicker around a completion or a calltip request is not shown
            if self._state in _LIVE and state in ("busy", "idle") and msg.parent_header.get("msg_type") in _RUNS:
                if state == "busy" and msg.parent_id in self._answered:
                    return  # a late busy of a run already answered
                self._set_state(KernelState.BUSY if state == "busy" else KernelState.IDLE)
        elif t == "stream":
            self.streamReceived.emit(str(c.get("name", "stdout")), str(c.get("text", "")))
        elif t == "execute_input":
            self.executeInputReceived.emit(str(c.get("code", "")), int(c.get("execution_count") or 0))
        elif t in ("display_data", "update_display_data"):
            self.displayReceived.emit(c.get("data", {}), c.get("metadata", {}))
        elif t == "execute_result":
            self.resultReceived.emit(int(c.get("execution_count") or 0), c.get("data", {}), c.get("metadata", {}))
        elif t == "error":
            self.errorReceived.emit(str(c.get("ename", "")), str(c.get("evalue", "")), list(c.get("traceback", [])))
        elif t == "clear_output":
            self.clearOutputReceived.emit(bool(c.get("wait", False)))
