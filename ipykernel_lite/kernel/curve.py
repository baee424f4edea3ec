"""CurveZMQ for the kernel: its CURVE heartbeat; the socket-level setup of both sides is ``ipykernel_lite.zmqcurve``
(re-exported here for the kernel's callers).

Roles match jupyter_client 8.10 and ipykernel 7: the kernel sets its key pair and ``curve_server`` on every
socket (shell, control, stdin, iopub, heartbeat) before binding; a client sets ``curve_serverkey`` to the
kernel's public key and, like jupyter_client, reuses the connection file's pair as its own (the heartbeat uses
a throwaway pair, as jupyter_client's HBChannel does). A peer without the kernel's public key cannot complete
the handshake, so it can neither read nor send anything.

Imported only when a connection file carries keys: the kernel's plain start-up path never loads this module.
"""

from __future__ import annotations

import threading

import zmq

from ..protocol.curve import CurveKeys
from ..zmqcurve import apply_client, apply_server, is_curve, new_keypair, require_curve, server_keys
from .heartbeat import Heartbeat, bind

__all__ = [
    "CurveHeartbeat",
    "apply_client",
    "apply_server",
    "is_curve",
    "new_keypair",
    "require_curve",
    "server_keys",
]


class CurveHeartbeat(Heartbeat):
    """The heartbeat echo with its socket made a CURVE server before it binds.

    ``Heartbeat`` binds in its constructor, too early to add options afterwards, so this builds the same
    socket itself and reuses the echo loop (``run``) unchanged.
    """

    def __init__(self, url: str, keys: CurveKeys) -> None:
        threading.Thread.__init__(self, name="ipykernel_lite-heartbeat", daemon=True)
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.ROUTER)
        self.socket.linger = 0
        apply_server(self.socket, keys)
        self.port = bind(self.socket, url)
