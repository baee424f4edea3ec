"""Stdin content: the kernel asks the frontend for a line of input."""

from __future__ import annotations

from pydantic import Field

from .base import ProtocolModel


class InputRequest(ProtocolModel):
    """``input_request``: sent by the kernel when the code (or the debugger) reads a line."""

    prompt: str = Field(description="Prompt to show.")
    password: bool = Field(default=False, description="Do not echo what is typed.")


class InputReply(ProtocolModel):
    """``input_reply``: the line the user typed, without its newline."""

    value: str = Field(description="The line typed.")
