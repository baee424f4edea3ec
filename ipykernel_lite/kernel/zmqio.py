"""Multipart send/recv through pyzmq's backend methods.

pyzmq's ``send_multipart``/``recv_multipart`` wrap every frame in Python-level flag handling (enum arithmetic,
RCVMORE lookups); on the kernel's per-message path that costs more than the JSON. The backend's ``send``/``recv``
are the same libzmq calls without that layer: about 5x cheaper for a 7-frame Jupyter message.
"""

from __future__ import annotations

from collections.abc import Sequence

import zmq
from zmq.backend import Socket as _Backend

_send = _Backend.send
_recv = _Backend.recv
_get = _Backend.get
_SNDMORE = int(zmq.SNDMORE)
_RCVMORE = int(zmq.RCVMORE)
NOBLOCK = int(zmq.NOBLOCK)


def send_frames(sock: zmq.Socket, frames: Sequence[bytes], flags: int = 0) -> None:
    last = len(frames) - 1
    more = flags | _SNDMORE
    for i, f in enumerate(frames):
        _send(sock, f, more if i < last else flags)


def recv_frames(sock: zmq.Socket, flags: int = 0) -> list[bytes]:
    """All frames of one message; raises zmq.Again with NOBLOCK when nothing waits."""
    frames = [_recv(sock, flags)]
    while _get(sock, _RCVMORE):
        frames.append(_recv(sock, flags))
    return frames
