"""What the editor is told about one kernel's executions: their outputs (tagged), the kernel's busy/idle state,
the input requests waiting for an answer and where the debugger stands. Sans-IO: messages in, notifications
out through ``notify``."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from .schema import BridgeModel, DebugEventParams, DebugFrameParams, InputRequestParams, KernelState, OutputParams

if TYPE_CHECKING:
    from ..protocol import Message

log = logging.getLogger("ipykernel_lite.bridge")

Notify = Callable[[str, BridgeModel], None]

OUTPUT_TYPES = frozenset(
    {"stream", "execute_input", "execute_result", "display_data", "update_display_data", "clear_output", "error"}
)
#: how many finished executions keep their tag for output that arrives late (from threads, after a cancel)
TAG_MEMORY = 256


class Forwarder:
    def __init__(self, kernel: str, notify: Notify, set_state: Callable[[KernelState], None]) -> None:
        self.kernel = kernel
        self._notify = notify
        self._set_state = set_state
        #: execute msg_id -> tag, while the request runs
        self.running: dict[str, str | None] = {}
        self._tags: OrderedDict[str, str | None] = OrderedDict()
        #: input_request msg_id -> the message, while it waits for the editor's answer
        self._inputs: OrderedDict[str, Message] = OrderedDict()
        self._debugged: set[str] = set()

    # -- an execution's life -----------------------------------------------------------------------------------
    def begin(self, msg_id: str, tag: str | None) -> None:
        self.running[msg_id] = tag
        self._tags[msg_id] = tag
        while len(self._tags) > TAG_MEMORY:
            self._tags.popitem(last=False)

    def finish(self, msg_id: str) -> None:
        tag = self.running.pop(msg_id, None)
        for key in [k for k, m in self._inputs.items() if m.parent_header.get("msg_id") == msg_id]:
            del self._inputs[key]
        if msg_id in self._debugged:
            self._debugged.discard(msg_id)
            # the editor clears its current-line marker
            self._notify("debug_frame", DebugFrameParams(kernel=self.kernel, msg_id=msg_id, tag=tag, frame=None))

    def hook(self, msg_id: str, tag: str | None) -> Callable[[Message], None]:
        """The output hook of one execution: every IOPub message of that request."""

        def on_iopub(m: Message) -> None:
            if m.msg_type == "status":
                state = m.content.get("execution_state")
                if state == "busy" or state == "idle":
                    self._set_state(KernelState(state))
            elif m.msg_type in OUTPUT_TYPES:
                self._output(msg_id, tag, m)
            elif m.msg_type == "debug_event":
                self.debug_event(m)

        return on_iopub

    # -- what no execution waits for ---------------------------------------------------------------------------
    def late_iopub(self, msg: Message) -> None:
        """IOPub messages of requests nobody waits for any more (cancelled, or output from threads after the
        reply) and of other front ends' requests."""
        parent = msg.parent_header.get("msg_id")
        if msg.msg_type == "status":
            state = msg.content.get("execution_state")
            # the idle of a request whose caller stopped waiting still tells the state
            if parent in self._tags and (state == "busy" or state == "idle"):
                self._set_state(KernelState(state))
            return
        if msg.msg_type in OUTPUT_TYPES:
            self._output(parent or None, self._tags.get(parent) if parent else None, msg)
        elif msg.msg_type == "debug_event":
            self.debug_event(msg)

    def debug_event(self, msg: Message) -> None:
        """The kernel's DAP events, whatever request (if any) they belong to: the editor's debug adapter
        matches them to its session, not to an execution."""
        self._notify("debug_event", DebugEventParams.model_construct(kernel=self.kernel, event=msg.content))

    def stdin(self, msg: Message) -> None:
        from ..protocol.models.extensions import DebugState

        if msg.msg_type != "input_request":
            return
        parent = msg.parent_header.get("msg_id")
        if parent not in self.running:
            # its request ended (interrupted) before we read the request: nobody can answer it any more
            return
        tag = self.running[parent]
        debug: DebugState | None = None
        raw = msg.metadata.get("debug")
        if raw:
            try:
                debug = DebugState.model_validate(raw)
            except ValueError:
                log.warning("ignoring malformed debug metadata: %r", raw)
        if debug is not None:
            self._debugged.add(parent)
            self._notify(
                "debug_frame",
                DebugFrameParams(kernel=self.kernel, msg_id=parent, tag=tag, frame=debug.frame, stack=debug.stack),
            )
        self._inputs[msg.msg_id] = msg
        self._notify(
            "input_request",
            InputRequestParams(
                kernel=self.kernel,
                id=msg.msg_id,
                msg_id=parent,
                tag=tag,
                prompt=str(msg.content.get("prompt", "")),
                password=bool(msg.content.get("password", False)),
                debug=debug,
            ),
        )

    # -- input requests ----------------------------------------------------------------------------------------
    def take_input(self, request: str | None) -> Message | None:
        """The input request to answer (``None``: the latest), no longer pending; None if there is none."""
        if request is None:
            if not self._inputs:
                return None
            request = next(reversed(self._inputs))
        return self._inputs.pop(request, None)

    @property
    def waiting_for_input(self) -> bool:
        return bool(self._inputs)

    def clear_inputs(self) -> None:
        self._inputs.clear()

    def _output(self, msg_id: str | None, tag: str | None, msg: Message) -> None:
        # trusted data straight from the kernel, on the hot path: no validation
        params = OutputParams.model_construct(
            kernel=self.kernel, msg_id=msg_id, tag=tag, msg_type=msg.msg_type, content=msg.content
        )
        self._notify("output", params)
