"""The client's five sockets: which type each channel uses, and how they connect."""

from __future__ import annotations

import struct
from typing import Any, TypeVar

import zmq

from ..protocol import ConnectionInfo
from ..protocol.curve import curve_keys

CHANNEL_TYPES: dict[str, int] = {
    "shell": zmq.DEALER,
    "control": zmq.DEALER,
    "stdin": zmq.DEALER,
    "iopub": zmq.SUB,
    # DEALER, not REQ: a lost echo cannot wedge it; the empty frame we prepend keeps REP kernels happy
    "hb": zmq.DEALER,
}

SocketT = TypeVar("SocketT", bound=zmq.Socket)


def open_channels(
    ctx: zmq.Context[SocketT], info: ConnectionInfo, identity: bytes
) -> tuple[dict[str, SocketT], LinkWatch]:
    """Create and connect one socket per channel; also return the watch on the stdin link.

    shell and stdin share ``identity``: the kernel sends ``input_request`` on stdin to the identity that sent
    the execute request on shell.
    """
    sockets: dict[str, SocketT] = {}
    link: LinkWatch | None = None
    # a connection file with CURVE keys (jupyter_client's transport_encryption) makes every socket a CURVE client
    keys = curve_keys(info)
    try:
        for channel, kind in CHANNEL_TYPES.items():
            s = ctx.socket(kind)
            sockets[channel] = s
            # unsent requests survive a short close; a dead peer cannot block us (the shared context is never
            # terminated while sockets linger)
            s.linger = 1000 if channel in ("shell", "control", "stdin") else 0
            # retry soon while a new kernel is still binding; back off for one that stays away
            s.reconnect_ivl = 20
            s.reconnect_ivl_max = 1000
            if kind == zmq.DEALER and channel != "hb":
                s.setsockopt(zmq.IDENTITY, identity)
                # replies are never dropped below us: the kernel's ROUTER silently drops what a full pipe
                # cannot take, so ours has no limit (we keep every reply to our requests, core/mailbox.py)
                s.rcvhwm = 0
            if kind == zmq.SUB:
                s.setsockopt(zmq.SUBSCRIBE, b"")
            if keys is not None:
                from ..zmqcurve import apply_client

                # like jupyter_client: the file's key pair on the message channels, a throwaway one on hb
                apply_client(s, keys, ephemeral=channel == "hb")
            if channel == "stdin":
                # watching must start before connecting, or a quick handshake goes unseen
                link = LinkWatch(s, channel, inproc=info.transport == "inproc")
            s.connect(info.url(channel))
    except BaseException:
        if link is not None:
            link.close()
        for s in sockets.values():
            s.close(linger=0)
        raise
    assert link is not None
    return sockets, link


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


class LinkWatch:
    """Whether a socket's connection has completed its handshake, from zmq's monitor events.

    The stdin channel needs it: the kernel sends ``input_request`` to our identity on its ROUTER, which drops
    messages for identities it has not met yet, and the kernel would then wait for an answer forever.
    """

    _EVENTS = zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED

    def __init__(self, sock: zmq.Socket[Any], name: str, *, inproc: bool = False) -> None:
        # inproc needs the socket's own context; a shadow shares it without owning it
        ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.shadow(sock.context.underlying)
        addr = f"inproc://ipykernel-lite-monitor-{name}-{id(self):x}"
        sock.monitor(addr, self._EVENTS)
        self._sock = sock
        self.monitor = ctx.socket(zmq.PAIR)
        self.monitor.linger = 0
        self.monitor.connect(addr)
        # inproc connections have no handshake to report: they are up once connected
        self.up = inproc

    def update(self) -> bool:
        """Read the pending events (never blocks); True if the link is up."""
        mon = self.monitor
        while mon.poll(0):
            frames = mon.recv_multipart()
            event = struct.unpack("=hi", frames[0][:6])[0]
            if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self.up = True
            elif event == zmq.EVENT_DISCONNECTED:
                self.up = False
        return self.up

    def close(self) -> None:
        try:
            self._sock.disable_monitor()
        except zmq.ZMQError:
            pass
        self.monitor.close()
