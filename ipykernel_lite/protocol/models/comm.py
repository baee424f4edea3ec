"""Comm content: sent on shell by a frontend and on IOPub by the kernel, with the same shapes."""

from __future__ import annotations

from pydantic import Field

from .base import JsonObject, ProtocolModel

_COMM_ID = "Id of the comm, typically a UUID, chosen by the side that opens it."


class CommOpen(ProtocolModel):
    """``comm_open``: open a comm with the handler registered under target_name."""

    comm_id: str = Field(description=_COMM_ID)
    target_name: str = Field(description="Name the receiving side registered a handler under.")
    data: JsonObject = Field(default={}, description="Initial payload.")
    target_module: str | None = Field(default=None, description="Module to import the target from.")


class CommMsg(ProtocolModel):
    """``comm_msg``: a payload for an open comm."""

    comm_id: str = Field(description=_COMM_ID)
    data: JsonObject = Field(default={}, description="Payload.")


class CommClose(ProtocolModel):
    """``comm_close``: close a comm."""

    comm_id: str = Field(description=_COMM_ID)
    data: JsonObject = Field(default={}, description="Final payload.")
