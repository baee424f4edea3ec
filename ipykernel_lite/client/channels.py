"""The client's five sockets: which type each channel uses, and how they connect."""

from __future__ import annotations

from typing import TypeVar

import zmq

from ..protocol import ConnectionInfo

CHANNEL_TYPES: dict[str, int] = {
    "shell": zmq.DEALER,
    "control": zmq.DEALER,
    "stdin": zmq.DEALER,
    "iopub": zmq.SUB,
    # DEALER, not REQ: a lost echo cannot wedge it; the empty frame we prepend keeps REP kernels happy
    "hb": zmq.DEALER,
}

SocketT = TypeVar("SocketT", bound=zmq.Socket)


def open_channels(ctx: zmq.Context[SocketT], info: ConnectionInfo, identity: bytes) -> dict[str, SocketT]:
    """Create and connect one socket per channel.

    shell and stdin share ``identity``: the kernel sends ``input_request`` on stdin to the identity that sent
    the execute request on shell.
    """
    sockets: dict[str, SocketT] = {}
    try:
        for channel, kind in CHANNEL_TYPES.items():
            s = ctx.socket(kind)
            sockets[channel] = s
            # unsent requests survive a short close; a dead peer cannot block us (the shared context is never
            # terminated while sockets linger)
            s.linger = 1000 if channel in ("shell", "control", "stdin") else 0
            if kind == zmq.DEALER and channel != "hb":
                s.setsockopt(zmq.IDENTITY, identity)
            if kind == zmq.SUB:
                s.setsockopt(zmq.SUBSCRIBE, b"")
            s.connect(info.url(channel))
    except BaseException:
        for s in sockets.values():
            s.close(linger=0)
        raise
    return sockets


def repoint(sockets: dict[str, SocketT], old: ConnectionInfo, new: ConnectionInfo) -> None:
    """Move the sockets to new endpoints (a kernel restarted on other ports); same socket objects."""
    for channel, s in sockets.items():
        old_url, new_url = old.url(channel), new.url(channel)
        if old_url == new_url:
            continue
        try:
            s.disconnect(old_url)
        except zmq.ZMQError:
            pass
        s.connect(new_url)
