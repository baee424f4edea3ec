"""The bridge's JSON-RPC 2.0 API as pydantic models: the params and result of every method, the params of every
notification, and the error codes. ``docs/bridge-schema.json`` and the VS Code extension's TypeScript types are
generated from them (``bridge/generated.py``: ``python -m ipykernel_lite.bridge.generated --write``).

Offsets into code (``cursor``, ``cursor_start``…) are UTF-16 code units by default, as VS Code and LSP count
them; ``encoding: "utf-32"`` switches a request to code points, as the Jupyter protocol counts them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..client.state import KernelState
from ..protocol.models.extensions import Calltip, DebugFrame, DebugState, Origin, VariableRow
from .schema_base import BridgeModel
from .schema_server import ServerKernelsParams, ServerKernelsResult, ServerParams

DEFAULT_KERNEL = "default"

Encoding = Literal["utf-16", "utf-32"]
RunScope = Literal["cell", "below", "selection", "line", "file"]


class KernelParams(BridgeModel):
    kernel: str = Field(default=DEFAULT_KERNEL, description="Which of the bridge's kernels (the id given to start).")


# --- start / restart ------------------------------------------------------------------------------------------


class StartParams(KernelParams):
    """Start a kernel under an id of the editor's choosing; an id whose kernel runs is left as it is."""

    argv: list[str] | None = Field(
        default=None,
        description="Command line of the kernel, with {connection_file}; default: this Python's ipykernel_lite.",
    )
    cwd: str | None = Field(default=None, description="Working directory of the kernel process.")
    env: dict[str, str] | None = Field(default=None, description="Variables laid over the bridge's environment.")
    interrupt_mode: Literal["signal", "message"] = Field(
        default="signal", description="SIGINT to the process, or interrupt_request on the control channel."
    )
    ready_timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for the kernel to answer.")
    server: ServerParams | None = Field(
        default=None,
        description="Run the kernel on this Jupyter server instead of here (argv, cwd, env and interrupt_mode "
        "are then the server's business).",
    )


class StartResult(BridgeModel):
    kernel: str
    started: bool = Field(description="False when a kernel already ran under this id (nothing was started).")
    pid: int | None = Field(description="Process id of the kernel.")
    connection_file: str = Field(description="Other Jupyter front ends can attach to the kernel with this file.")
    kernel_info: dict[str, Any] = Field(description="The kernel's kernel_info_reply content.")


class RestartParams(KernelParams):
    """Stop the kernel (politely, then by force after ``timeout``) and start it again on the same ports."""

    timeout: float = Field(default=3.0, gt=0, description="Seconds the kernel gets to stop by itself.")
    ready_timeout: float = Field(default=60.0, gt=0, description="Seconds to wait for the new kernel to answer.")


# --- execute / run_cell -----------------------------------------------------------------------------------------


class ExecuteParams(KernelParams):
    """Run code. Outputs arrive as ``output`` notifications before the response."""

    code: str
    origin: Origin | None = Field(
        default=None,
        description="Where the code comes from (execute_request metadata.origin): tracebacks then name the "
        "editor's file and lines. None runs it as a console cell.",
    )
    post_mortem: bool = Field(default=False, description="On error, stop in the failing frame in the debugger.")
    silent: bool = False
    store_history: bool = True
    stop_on_error: bool = Field(default=True, description="An error aborts the requests queued behind this one.")
    allow_stdin: bool = Field(
        default=True, description="input() and pdb send input_request notifications; False makes them fail."
    )
    tag: str | None = Field(
        default=None, description="Any string of the editor's; repeated in this request's notifications."
    )
    timeout: float | None = Field(default=None, gt=0, description="Seconds; None waits as long as the kernel lives.")


class CellInfo(BridgeModel):
    """A cell of the buffer, as ``ipykernel_lite.cells.Cell`` describes it (lines from 1)."""

    title: str
    start_line: int
    code_start_line: int
    end_line: int
    kind: Literal["code", "markdown"]


class ErrorDetail(BridgeModel):
    ename: str
    evalue: str
    traceback: list[str] = Field(description="Traceback lines with ANSI colours, Python's layout.")


class ExecuteOutcome(BridgeModel):
    msg_id: str = Field(description="The execute_request's msg_id, as in this request's notifications.")
    status: str = Field(description="'ok', 'error' or 'aborted' (the execute_reply status).")
    execution_count: int | None
    result: dict[str, Any] | None = Field(
        default=None, description="MIME bundle of the value of the code's last expression, if shown."
    )
    error: ErrorDetail | None = None
    cell: CellInfo | None = Field(default=None, description="The cell this was (run_cell with a cell scope).")


class RunCellParams(KernelParams):
    """Find code in the editor's buffer with ``ipykernel_lite.cells`` and run it with its origin."""

    path: str = Field(description="The buffer's path, or a stable name such as 'untitled-1' if unsaved.")
    text: str = Field(description="The whole buffer, as the editor holds it (saved or not).")
    line: int = Field(ge=1, description="The cursor's (or the selection's first) line, from 1.")
    scope: RunScope = Field(
        default="cell",
        description="cell: the cell at line; below: it and every cell after it, stopping at the first error; "
        "selection: lines line..end_line, dedented; line: that line; file: the whole buffer.",
    )
    end_line: int | None = Field(default=None, ge=1, description="Last line of a selection (inclusive).")
    post_mortem: bool = False
    cwd: bool | None = Field(default=None, description="Run in the file's folder; default: only for scope file.")
    as_main: bool | None = Field(
        default=None,
        description="Run as a script (__name__ == '__main__', __file__ set) with scope file, selection or line; "
        "default: only for scope file.",
    )
    argv: list[str] | None = Field(default=None, description="sys.argv[1:] while running as a script.")
    tag: str | None = None


class RunCellResult(BridgeModel):
    status: str = Field(description="'ok' when everything that ran succeeded (or nothing ran), else the failure's.")
    runs: list[ExecuteOutcome] = Field(description="One per execute_request sent, in order.")


# --- completion and calltips --------------------------------------------------------------------------------------


class CodeAtCursor(KernelParams):
    code: str = Field(description="The buffer (or the cell) around the cursor.")
    cursor: int = Field(ge=0, description="Offset of the cursor in code, in units of encoding.")
    encoding: Encoding = Field(default="utf-16", description="How offsets count: UTF-16 units or code points.")
    timeout: float = Field(default=5.0, gt=0, description="Seconds to wait for the kernel's reply.")


class CompleteParams(CodeAtCursor):
    """Completions at the cursor, from the kernel's live namespace (also while a cell runs or pdb waits)."""


class CompletionItem(BridgeModel):
    text: str
    type: str | None = Field(default=None, description="'function', 'module', 'keyword', 'path'…, if known.")
    signature: str | None = None


class CompleteResult(BridgeModel):
    matches: list[str]
    cursor_start: int = Field(description="The matches replace code[cursor_start:cursor_end] (same encoding).")
    cursor_end: int
    items: list[CompletionItem] = Field(default=[], description="The matches with their types, when known.")


class InspectParams(CodeAtCursor):
    """What is under the cursor, or the call it is in (a calltip, with the parameter at the cursor)."""

    detail_level: Literal[0, 1] = 0


class InspectResult(BridgeModel):
    found: bool
    text: str = Field(default="", description="Plain-text help.")
    markdown: str | None = Field(default=None, description="The same as Markdown, if the kernel sends it.")
    calltip: Calltip | None = Field(default=None, description="Set when the cursor is inside a call.")


# --- variables view -------------------------------------------------------------------------------------------------


class VariablesParams(KernelParams):
    """The kernel's variables as rows (control ``variables_request``): answered while a cell runs, without
    running user code. With ``path`` (a row's), what that row's value contains."""

    path: list[str | int] | None = Field(default=None, description="A row's path, to expand it; None: the top.")
    limit: int = Field(default=500, ge=1, le=10_000)
    timeout: float = Field(default=5.0, gt=0, description="Seconds to wait for the kernel's reply.")


class VariablesResult(BridgeModel):
    variables: list[VariableRow]
    truncated: int = Field(default=0, description="Rows left out by limit.")


# --- the visual debugger (DAP) ---------------------------------------------------------------------------------------


class DebugParams(KernelParams):
    """One Debug Adapter Protocol request for the kernel's debugger, sent as ``debug_request`` on control (the
    kernel forwards it to its debugpy; no second debugger process). The kernel's events arrive as
    ``debug_event`` notifications."""

    request: dict[str, Any] = Field(
        description="The DAP request as is: {type: 'request', seq, command, arguments}; the kernel adds the "
        "debugpy address to attach and answers debugInfo, dumpCell, inspectVariables… itself."
    )
    timeout: float = Field(
        default=60.0, gt=0, description="Seconds to wait for the debug_reply (initialize imports debugpy)."
    )


class DebugResult(BridgeModel):
    response: dict[str, Any] = Field(
        description="The kernel's debug_reply content: the DAP response (success false carries a message)."
    )


# --- stdin, interrupt, pause, shutdown ---------------------------------------------------------------------------


class InputReplyParams(KernelParams):
    value: str = Field(description="The line typed, without its newline; '\\x04' means end of input (EOF).")
    request: str | None = Field(default=None, description="The input_request's id; default: the latest one.")


class InputReplyResult(BridgeModel):
    answered: bool = Field(description="False when no such input request was waiting (it ended meanwhile).")


class InterruptResult(BridgeModel):
    interrupted: bool = Field(description="False when the kernel was not running.")


class PauseResult(BridgeModel):
    paused: bool = Field(description="True when a running cell was stopped in the debugger.")


class ShutdownParams(BridgeModel):
    kernel: str | None = Field(default=None, description="The kernel to stop; None stops them all.")


class ShutdownResult(BridgeModel):
    stopped: list[str]


# --- notifications, bridge to editor ------------------------------------------------------------------------------


class OutputParams(BridgeModel):
    """An IOPub message of an execution: stream, execute_input, execute_result, display_data,
    update_display_data, clear_output or error, with the kernel's content as is."""

    kernel: str
    msg_id: str | None = Field(description="The execute_request it belongs to; None if unknown.")
    tag: str | None = Field(description="The tag of that request.")
    msg_type: str
    content: dict[str, Any]


class StatusParams(BridgeModel):
    kernel: str
    state: KernelState = Field(strict=False, description="The kernel's state (client/state.py); a string in JSON.")


class InputRequestParams(BridgeModel):
    """The running code waits for a line: input(), getpass or a pdb prompt. Answer with input_reply."""

    kernel: str
    id: str = Field(description="Pass it to input_reply as request.")
    msg_id: str | None = Field(description="The execute_request that asks.")
    tag: str | None
    prompt: str
    password: bool
    debug: DebugState | None = Field(default=None, description="Set when the prompt is pdb's.")


class DebugFrameParams(BridgeModel):
    """The debugger stopped (frame set, also sent just before its input_request) or the request that was being
    debugged ended (frame None: clear the editor's current-line marker)."""

    kernel: str
    msg_id: str | None
    tag: str | None
    frame: DebugFrame | None
    stack: list[DebugFrame] = []


class DebugEventParams(BridgeModel):
    """A ``debug_event`` of the kernel (IOPub): a DAP event (stopped, continued, output, thread…) as is."""

    kernel: str
    event: dict[str, Any]


class KernelDiedParams(BridgeModel):
    kernel: str
    reason: str
    exit_code: int | None = None
    signal: int | None = None
    traceback: str | None = Field(default=None, description="The kernel process's last Python traceback.")


class CancelParams(BridgeModel):
    """``$/cancelRequest`` (LSP): stop waiting for a request; an execution keeps running in the kernel."""

    id: int | str


class ExitParams(BridgeModel):
    """``exit``: stop every kernel and end the bridge (closing its stdin does the same)."""


# --- the API --------------------------------------------------------------------------------------------------------

METHODS: dict[str, tuple[type[BridgeModel], type[BridgeModel]]] = {
    "start": (StartParams, StartResult),
    "execute": (ExecuteParams, ExecuteOutcome),
    "run_cell": (RunCellParams, RunCellResult),
    "complete": (CompleteParams, CompleteResult),
    "inspect": (InspectParams, InspectResult),
    "variables": (VariablesParams, VariablesResult),
    "debug": (DebugParams, DebugResult),
    "input_reply": (InputReplyParams, InputReplyResult),
    "interrupt": (KernelParams, InterruptResult),
    "pause": (KernelParams, PauseResult),
    "restart": (RestartParams, StartResult),
    "shutdown": (ShutdownParams, ShutdownResult),
    "server_kernels": (ServerKernelsParams, ServerKernelsResult),
}

#: bridge -> editor
NOTIFICATIONS: dict[str, type[BridgeModel]] = {
    "output": OutputParams,
    "status": StatusParams,
    "input_request": InputRequestParams,
    "debug_frame": DebugFrameParams,
    "debug_event": DebugEventParams,
    "kernel_died": KernelDiedParams,
}

#: editor -> bridge
CLIENT_NOTIFICATIONS: dict[str, type[BridgeModel]] = {
    "$/cancelRequest": CancelParams,
    "exit": ExitParams,
}

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
UNKNOWN_KERNEL = -32001
KERNEL_DIED = -32002
TIMEOUT = -32003
KERNEL_ERROR = -32004
REQUEST_CANCELLED = -32800

ERRORS: dict[int, str] = {
    PARSE_ERROR: "the message is not JSON",
    INVALID_REQUEST: "not a JSON-RPC 2.0 request",
    METHOD_NOT_FOUND: "no such method",
    INVALID_PARAMS: "the params do not match the method's schema (data: the validation errors)",
    INTERNAL_ERROR: "a bug in the bridge (data: the traceback)",
    UNKNOWN_KERNEL: "no kernel runs under that id",
    KERNEL_DIED: "the kernel died or was restarted while the request waited (data: reason, exit_code, signal, "
    "traceback)",
    TIMEOUT: "the kernel did not answer in time",
    KERNEL_ERROR: "the kernel answered with an error, or could not be started (data: details)",
    REQUEST_CANCELLED: "cancelled by $/cancelRequest",
}
