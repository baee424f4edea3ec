"""IOPub content: what the kernel broadcasts while it handles requests."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import JsonObject, MimeBundle, ProtocolModel

_COUNT = "Execution counter of the cell this belongs to."


class KernelStatus(ProtocolModel):
    """``status``: busy on receiving a request, idle once every output of it was published."""

    execution_state: Literal["busy", "idle", "starting"] = Field(description="Kernel state.")


class StreamOutput(ProtocolModel):
    """``stream``: text written to stdout or stderr."""

    name: Literal["stdout", "stderr"] = Field(description="Stream written to.")
    text: str = Field(description="Text written, appended to what came before.")


class ExecuteInput(ProtocolModel):
    """``execute_input``: echoes the code being run to every frontend."""

    code: str = Field(description="Source being run.")
    execution_count: int = Field(description=_COUNT)


class DisplayTransient(ProtocolModel):
    """Data about a display that is not to be saved in a notebook."""

    display_id: str | None = Field(default=None, description="Id under which the display can be updated.")


class UpdateDisplayTransient(DisplayTransient):
    """Transient data of update_display_data, which must name the display it replaces."""

    display_id: str = Field(description="Id of the display to replace.")


class DisplayData(ProtocolModel):
    """``display_data``: a rich output."""

    data: MimeBundle = Field(description="MIME type -> representation.")
    metadata: JsonObject = Field(default={}, description="Metadata, as a whole or per MIME type.")
    transient: DisplayTransient = Field(default_factory=DisplayTransient, description="Not to be saved.")


class UpdateDisplayData(DisplayData):
    """``update_display_data``: replace the display with the given display_id."""

    transient: UpdateDisplayTransient = Field(description="Names the display to replace.")


class ExecuteResult(DisplayData):
    """``execute_result``: the value of a cell's last expression."""

    execution_count: int = Field(description=_COUNT)


class ClearOutput(ProtocolModel):
    """``clear_output``: clear the output area of the current cell."""

    wait: bool = Field(default=False, description="Wait until the next output arrives before clearing.")


class ErrorOutput(ProtocolModel):
    """``error``: an exception raised by the running code."""

    ename: str = Field(description="Exception class name.")
    evalue: str = Field(description="Exception message.")
    traceback: list[str] = Field(description="Traceback lines, possibly with ANSI colour codes.")
