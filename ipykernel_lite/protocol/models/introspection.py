"""Shell-channel content about code being edited: complete, inspect and is_complete."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import JsonObject, MimeBundle, OkReply, ProtocolModel
from .extensions import InspectReplyMetadata

_CURSOR = "Cursor offset in code, counted in Unicode code points."


class CompleteRequest(ProtocolModel):
    """``complete_request``: completions at the cursor."""

    code: str = Field(description="The code being edited (cell or whole buffer).")
    cursor_pos: int = Field(description=_CURSOR)


class CompleteReply(OkReply):
    """``complete_reply`` (status ok)."""

    matches: list[str] = Field(description="Replacement texts for code[cursor_start:cursor_end].")
    cursor_start: int = Field(description="Start of the replaced span, in code points.")
    cursor_end: int = Field(description="End of the replaced span, in code points.")
    metadata: JsonObject = Field(
        default={}, description="Extra information, e.g. '_jupyter_types_experimental' (type per match)."
    )


class InspectRequest(ProtocolModel):
    """``inspect_request``: information on the object at the cursor."""

    code: str = Field(description="The code being edited (cell or whole buffer).")
    cursor_pos: int = Field(description=_CURSOR)
    detail_level: int = Field(
        default=0, ge=0, le=1, description="0: signature and docstring; 1: also the source."
    )


class InspectReply(OkReply):
    """``inspect_reply`` (status ok)."""

    found: bool = Field(description="False when nothing is known about the object at the cursor.")
    data: MimeBundle = Field(default={}, description="The information as a MIME bundle.")
    metadata: InspectReplyMetadata = Field(
        default_factory=InspectReplyMetadata, description="Metadata of data; may hold our 'calltip'."
    )


class IsCompleteRequest(ProtocolModel):
    """``is_complete_request``: would the console run this code if Enter were pressed?"""

    code: str = Field(description="The code typed so far.")


class IsCompleteReply(ProtocolModel):
    """``is_complete_reply``; unlike other replies its status is a verdict on the code."""

    status: Literal["complete", "incomplete", "invalid", "unknown"] = Field(
        description="complete: run it; incomplete: wait for more lines; invalid: a syntax error; "
        "unknown: the kernel cannot tell."
    )
    indent: str = Field(
        default="", description="With 'incomplete': the whitespace to start the next line with."
    )
