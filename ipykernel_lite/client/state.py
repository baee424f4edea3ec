"""The one definition of a kernel's state as a client sees it: the Qt client's property, the bridge's
``status`` notification and (generated from the bridge schema) the VS Code extension's type.
"""

from __future__ import annotations

from enum import Enum


class KernelState(str, Enum):
    """``busy`` means running code (an execute_request), not answering a completion."""

    NOT_STARTED = "not-started"
    STARTING = "starting"
    IDLE = "idle"
    BUSY = "busy"
    RESTARTING = "restarting"
    STOPPING = "stopping"
    STOPPED = "stopped"
    DEAD = "dead"
