"""CurveZMQ on zmq sockets, for both sides: the kernel's sockets are CURVE servers, clients are CURVE clients.

Roles match jupyter_client 8.10 and ipykernel 7: the kernel sets its key pair and ``curve_server`` on every
socket (shell, control, stdin, iopub, heartbeat) before binding; a client sets ``curve_serverkey`` to the
kernel's public key and, like jupyter_client, reuses the connection file's pair as its own (the heartbeat uses
a throwaway pair, as jupyter_client's HBChannel does). A peer without the kernel's public key cannot complete
the handshake, so it can neither read nor send anything.

Below both the kernel and the client (a client must never import the kernel); the key handling without zmq is
``protocol/curve.py``. Imported only when a connection file carries keys: plain start-up never loads it.
"""

from __future__ import annotations

from typing import Any

import zmq

from .protocol.connection import ConnectionInfo
from .protocol.curve import CurveKeyError, CurveKeys, curve_keys


def require_curve() -> None:
    """Raise CurveKeyError unless this libzmq was built with CURVE (libsodium)."""
    if not zmq.has("curve"):
        raise CurveKeyError(
            "the connection file asks for CurveZMQ encryption but this libzmq has no CURVE support "
            f"(libzmq {zmq.zmq_version()}; install a pyzmq wheel, which bundles libsodium)"
        )


def new_keypair() -> CurveKeys:
    """A fresh key pair, for whoever writes the connection file (a manager, a test, a deployment script)."""
    require_curve()
    public, secret = zmq.curve_keypair()
    return CurveKeys(public, secret)


def server_keys(info: ConnectionInfo) -> CurveKeys | None:
    """The kernel's keys from ``info`` (None: plain transport), checked to be one pair this libzmq can use."""
    keys = curve_keys(info)
    if keys is None:
        return None
    require_curve()
    if zmq.curve_public(keys.secret) != keys.public:
        raise CurveKeyError("connection file: curve_publickey is not the public half of curve_secretkey")
    return keys


def apply_server(sock: zmq.Socket[Any], keys: CurveKeys) -> None:
    """Make ``sock`` a CURVE server. Must run before ``bind``: a listener copies its options when it binds."""
    sock.curve_secretkey = keys.secret
    sock.curve_publickey = keys.public
    sock.curve_server = True


def apply_client(sock: zmq.Socket[Any], keys: CurveKeys, *, ephemeral: bool = False) -> None:
    """Make ``sock`` a CURVE client of the kernel. Must run before ``connect``.

    ``ephemeral`` gives the socket a new pair of its own instead of the connection file's; the server only
    needs to know its own key either way (no client allow-list), so both work.
    """
    if ephemeral:
        public, secret = zmq.curve_keypair()
    else:
        public, secret = keys.public, keys.secret
    sock.curve_serverkey = keys.public
    sock.curve_publickey = public
    sock.curve_secretkey = secret


def is_curve(sock: zmq.Socket[Any]) -> bool:
    """Whether ``sock`` uses the CURVE mechanism (for checks and tests)."""
    return int(sock.getsockopt(zmq.MECHANISM)) == int(zmq.CURVE)
