"""Control-channel content of the standard protocol: shutdown and interrupt."""

from __future__ import annotations

from pydantic import Field

from .base import OkReply, ProtocolModel


class ShutdownRequest(ProtocolModel):
    """``shutdown_request``: stop the kernel process, possibly to be restarted."""

    restart: bool = Field(default=False, description="A restart follows; the kernel may keep state for it.")


class ShutdownReply(OkReply):
    """``shutdown_reply`` (status ok)."""

    restart: bool = Field(default=False, description="Copied from the request.")


class InterruptRequest(ProtocolModel):
    """``interrupt_request``: interrupt the running code, for kernels with interrupt_mode 'message'."""


class InterruptReply(OkReply):
    """``interrupt_reply`` (status ok)."""
