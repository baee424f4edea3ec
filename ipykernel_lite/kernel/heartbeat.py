"""Heartbeat: echo every ping from C, on its own zmq context, so it answers even while the GIL is held."""

from __future__ import annotations

import threading

import zmq


class Heartbeat(threading.Thread):
    def __init__(self, url: str) -> None:
        super().__init__(name="ipykernel_lite-heartbeat", daemon=True)
        # a context of its own: its io thread must not wait behind the kernel's sockets
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.ROUTER)
        self.socket.linger = 0
        self.port = bind(self.socket, url)

    def run(self) -> None:
        try:
            # zmq.proxy runs in C with the GIL released: a ROUTER proxied to itself echoes each ping
            zmq.proxy(self.socket, self.socket)
        except zmq.ContextTerminated:
            pass
        finally:
            self.socket.close()


def bind(socket: zmq.Socket, url: str) -> int:
    """Bind ``url``; a tcp port 0 means any free port. Returns the port actually bound."""
    if url.startswith("tcp://") and url.endswith(":0"):
        return int(socket.bind_to_random_port(url[:-2], max_tries=1000))
    socket.bind(url)
    if url.startswith("tcp://"):
        return int(url.rsplit(":", 1)[1])
    return int(url.rsplit("-", 1)[1])
