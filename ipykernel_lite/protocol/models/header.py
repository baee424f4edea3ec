"""The message header, common to every message on every channel."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .base import ProtocolModel


class Header(ProtocolModel):
    """Identity and type of one message; a reply copies its request's header as ``parent_header``."""

    msg_id: str = Field(description="Unique id of this message, typically a UUID.")
    msg_type: str = Field(description="Message type, e.g. 'execute_request'; selects the content model.")
    session: str = Field(description="Id of the sending session, typically a UUID.")
    username: str = Field(description="User or process that produced the message.")
    date: str | datetime | None = Field(
        default=None, description="ISO 8601 creation time; kept as sent, the wire codec parses it."
    )
    version: str = Field(description="Messaging protocol version of the sender, e.g. '5.4'.")
