"""The client's sans-IO core: one ``ClientCore`` per client, driven by a shell that owns the I/O.

- ``requests.py``: every request type in one table (msg_type -> channel, content builder).
- ``mailbox.py``: routing by parent msg_id, pending requests, bounded queues that never drop our replies.
- ``ready.py``: readiness (kernel_info answered, IOPub proven, stdin linked).
- ``client_core.py``: ``ClientCore``, which ties them together; ``Outgoing`` and the execute events.
- ``transport.py``: how a shell (zmq, asyncio, Qt, websocket) plugs in. Read its docstring first.
"""

from .client_core import (
    IOPUB_GRACE,
    READY_RETRY,
    SEND_CHANNELS,
    ClientCore,
    Event,
    InputRequest,
    Outgoing,
    Output,
    ReadyWait,
)
from .mailbox import MESSAGE_CHANNELS, Mailbox, Pending
from .ready import Readiness
from .requests import REQUESTS, RequestSpec, cursor_or_end
from .transport import Transport

__all__ = [
    "IOPUB_GRACE",
    "MESSAGE_CHANNELS",
    "READY_RETRY",
    "REQUESTS",
    "SEND_CHANNELS",
    "ClientCore",
    "Event",
    "InputRequest",
    "Mailbox",
    "Outgoing",
    "Output",
    "Pending",
    "Readiness",
    "ReadyWait",
    "RequestSpec",
    "Transport",
    "cursor_or_end",
]
