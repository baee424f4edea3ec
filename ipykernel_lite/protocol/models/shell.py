"""Shell-channel content: kernel_info, execute, history and comm_info requests and replies."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .base import AbortedReply, ErrorReply, JsonObject, OkReply, ProtocolModel

# --- kernel_info ---------------------------------------------------------------------------------------


class KernelInfoRequest(ProtocolModel):
    """``kernel_info_request``: no fields; asks the kernel to describe itself."""


class HelpLink(ProtocolModel):
    """One entry of the frontend's help menu."""

    text: str = Field(description="Menu label.")
    url: str = Field(description="Address the entry opens.")


class LanguageInfo(ProtocolModel):
    """What a frontend needs to edit, highlight and export the kernel's language."""

    name: str = Field(description="Language name, e.g. 'python'.")
    version: str = Field(description="Language version, e.g. '3.12.1'.")
    mimetype: str = Field(description="MIME type of a source file, e.g. 'text/x-python'.")
    file_extension: str = Field(description="Extension of a source file, including the dot.")
    pygments_lexer: str | None = Field(default=None, description="Pygments lexer, when it differs from name.")
    codemirror_mode: str | JsonObject | None = Field(
        default=None, description="CodeMirror mode name or options, when it differs from name."
    )
    nbconvert_exporter: str | None = Field(default=None, description="nbconvert exporter for notebooks.")


class KernelInfoReply(OkReply):
    """``kernel_info_reply`` (status ok)."""

    protocol_version: str = Field(description="Messaging protocol version the kernel implements.")
    implementation: str = Field(description="Kernel implementation name.")
    implementation_version: str = Field(description="Kernel implementation version.")
    language_info: LanguageInfo
    banner: str = Field(description="Text a console shows at startup.")
    debugger: bool = Field(default=False, description="True when the kernel answers debug_request.")
    help_links: list[HelpLink] = Field(default=[], description="Entries for the frontend's help menu.")


# --- execute -------------------------------------------------------------------------------------------


class ExecuteRequest(ProtocolModel):
    """``execute_request``: run code in the user namespace."""

    code: str = Field(description="Source to run, one or more lines.")
    silent: bool = Field(
        default=False, description="Run quietly: no IOPub output, no execute_result, no history."
    )
    store_history: bool = Field(default=True, description="Record the code in history (ignored if silent).")
    user_expressions: dict[str, str] = Field(
        default={}, description="Name -> expression evaluated after the code; results come in the reply."
    )
    allow_stdin: bool = Field(default=True, description="The frontend answers input_request messages.")
    stop_on_error: bool = Field(
        default=True, description="On error, abort the execute requests queued behind this one."
    )


class Payload(ProtocolModel):
    """A deprecated side-channel action attached to an execute_reply (page, set_next_input, ...)."""

    source: str = Field(description="Kind of payload, e.g. 'page' or 'set_next_input'.")


class ExecuteReply(OkReply):
    """``execute_reply`` (status ok)."""

    execution_count: int = Field(description="Execution counter after this request.")
    payload: list[Payload] = Field(default=[], description="Deprecated actions for the frontend.")
    user_expressions: dict[str, JsonObject] = Field(
        default={}, description="Name -> display data (or error content) of each requested expression."
    )


class ExecuteErrorReply(ErrorReply):
    """``execute_reply`` (status error): the code raised."""

    execution_count: int | None = Field(default=None, description="Execution counter after this request.")


class ExecuteAbortedReply(AbortedReply):
    """``execute_reply`` (status aborted): skipped because an earlier request failed."""

    execution_count: int | None = Field(default=None, description="Execution counter, when known.")


# --- history -------------------------------------------------------------------------------------------


def _is_source(value: Any) -> bool:
    if type(value) is str:
        return True
    return (
        type(value) is tuple
        and len(value) == 2
        and type(value[0]) is str
        and (value[1] is None or type(value[1]) is str)
    )


def _history_entry(value: Any) -> Any:
    # JSON has no tuples: accept the lists a decoder produces. The third item is checked here so that an
    # error names it plainly rather than through pydantic's per-member union paths.
    if type(value) is list:
        value = tuple(value)
    if type(value) is tuple and len(value) == 3:
        source = tuple(value[2]) if type(value[2]) is list else value[2]
        if not _is_source(source):
            raise PydanticCustomError(
                "history_entry", "item 2 should be the input, or an [input, output] pair with output=True"
            )
        value = (value[0], value[1], source)
    return value


#: (session, line number, input) or, when output was requested, (session, line number, (input, output)).
HistoryEntry = Annotated[tuple[int, int, str | tuple[str, str | None]], BeforeValidator(_history_entry)]


class HistoryRequest(ProtocolModel):
    """``history_request``; the fields that follow depend on ``hist_access_type``."""

    output: bool = Field(description="Also return the output of each entry.")
    raw: bool = Field(description="Return the source as typed rather than as transformed.")
    hist_access_type: Literal["range", "tail", "search"] = Field(description="How entries are selected.")


class HistoryRangeRequest(HistoryRequest):
    """``history_request`` selecting a range of lines of one session."""

    hist_access_type: Literal["range"] = Field(description="How entries are selected.")
    session: int = Field(default=0, description="Session number; 0 is the current one, negative counts back.")
    start: int = Field(default=0, description="First line number.")
    stop: int | None = Field(default=None, description="Line number after the last; None for the end.")


class HistoryTailRequest(HistoryRequest):
    """``history_request`` for the most recent entries."""

    hist_access_type: Literal["tail"] = Field(description="How entries are selected.")
    n: int = Field(description="Number of entries.")


class HistorySearchRequest(HistoryRequest):
    """``history_request`` for entries matching a glob pattern."""

    hist_access_type: Literal["search"] = Field(description="How entries are selected.")
    pattern: str = Field(description="Glob pattern ('*' and '?') the source must match.")
    n: int | None = Field(default=None, description="At most this many entries, the most recent; None: all.")
    unique: bool = Field(default=False, description="Drop duplicate sources.")


class HistoryReply(OkReply):
    """``history_reply`` (status ok)."""

    history: list[HistoryEntry] = Field(description="Selected entries, oldest first.")


# --- comm_info -----------------------------------------------------------------------------------------


class CommInfoRequest(ProtocolModel):
    """``comm_info_request``: list the open comms, optionally only those of one target."""

    target_name: str | None = Field(default=None, description="Only comms of this target; None: all.")


class CommInfo(ProtocolModel):
    """One open comm as listed by comm_info_reply."""

    target_name: str = Field(description="Target the comm was opened for.")


class CommInfoReply(OkReply):
    """``comm_info_reply`` (status ok)."""

    comms: dict[str, CommInfo] = Field(description="Comm id -> description.")
