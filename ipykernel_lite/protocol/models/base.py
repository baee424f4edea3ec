"""Shared base classes: the model every message part derives from, and the common reply shapes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: A MIME bundle: MIME type -> representation (text for most types, JSON for ``application/*json``).
MimeBundle = dict[str, Any]

#: A free-form JSON object.
JsonObject = dict[str, Any]


class ProtocolModel(BaseModel):
    """Base of every message part.

    ``extra="allow"`` because the spec asks both sides to tolerate fields added by newer versions.
    ``strict`` because the hot path keeps the raw dict after validation: a lax ``"false"`` accepted as
    ``False`` here would still be truthy in the dict the handler reads. ``defer_build`` keeps the import
    cheap; the registry builds each validator once, on first use.
    """

    model_config = ConfigDict(extra="allow", strict=True, defer_build=True)


class OkReply(ProtocolModel):
    """A reply whose request succeeded; each ``*_reply`` adds its own fields."""

    status: Literal["ok"] = Field(description="Outcome of the request.")


class ErrorReply(ProtocolModel):
    """Content of any ``*_reply`` whose request failed (status ``error``)."""

    status: Literal["error"] = Field(description="Outcome of the request.")
    ename: str = Field(description="Exception class name.")
    evalue: str = Field(description="Exception message.")
    traceback: list[str] = Field(description="Traceback lines, possibly with ANSI colour codes.")


class AbortedReply(ProtocolModel):
    """Content of a ``*_reply`` to a request that was skipped, e.g. queued behind a failed cell.

    ``abort`` is the deprecated spelling from the general reply rules; kernels send ``aborted``.
    """

    status: Literal["aborted", "abort"] = Field(description="Outcome of the request.")
