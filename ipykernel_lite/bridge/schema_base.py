"""The base of every bridge schema model (a module of its own so that the schema can be split by subject)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class BridgeModel(BaseModel):
    """Strict, closed objects: a misspelt parameter is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)
