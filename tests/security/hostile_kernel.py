"""A fake "kernel" made of raw zmq sockets, for testing what our client does with hostile kernel output.

It runs in a thread, answers every request on shell or control with whatever the current ``plan`` produces
(garbage frames, forgeries, signed nonsense, and sometimes a proper reply), and echoes, ignores or garbles
heartbeats. The plan is a list of recipes: functions of the request that return ``(channel, frames)`` pairs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import zmq

from ipykernel_lite.protocol import DELIM, ConnectionInfo, Message, MessageFactory, ProtocolError, Signer, WireCodec

Out = list[tuple[str, list[bytes]]]
Recipe = Callable[[Message, "FakeKernel"], Out]
CHANNELS = ("shell", "control", "stdin", "iopub", "hb")


class FakeKernel(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="hostile-kernel", daemon=True)
        self.ctx = zmq.Context()
        self.info = ConnectionInfo()
        self.codec = WireCodec(Signer(self.info.key, self.info.signature_scheme))
        self.factory = MessageFactory(username="fake")
        self.sockets: dict[str, zmq.Socket[Any]] = {}
        kinds = {"shell": zmq.ROUTER, "control": zmq.ROUTER, "stdin": zmq.ROUTER, "iopub": zmq.XPUB, "hb": zmq.ROUTER}
        for ch, kind in kinds.items():
            s = self.ctx.socket(kind)
            s.linger = 0
            setattr(self.info, f"{ch}_port", s.bind_to_random_port("tcp://127.0.0.1"))
            self.sockets[ch] = s
        self.plan: list[Recipe] = []
        #: "echo", "silent" or "garbage"
        self.hb_mode = "echo"
        self.subscribed = threading.Event()
        self.requests = 0
        self.errors: list[BaseException] = []
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        for s in self.sockets.values():
            s.close(linger=0)
        self.ctx.term()

    # -- building output ------------------------------------------------------------------------------------------
    def signed(self, msg: Message) -> list[bytes]:
        return self.codec.serialize(msg)

    def signed_parts(self, identities: list[bytes], h: bytes, p: bytes, m: bytes, c: bytes) -> list[bytes]:
        return [*identities, DELIM, self.codec.signer.sign((h, p, m, c)), h, p, m, c]

    def reply(self, request: Message, msg_type: str, content: dict[str, Any]) -> Message:
        return self.factory.message(msg_type, content, request)

    # -- the loop ---------------------------------------------------------------------------------------------------
    def run(self) -> None:
        poller = zmq.Poller()
        for s in self.sockets.values():
            poller.register(s, zmq.POLLIN)
        by_socket = {s: ch for ch, s in self.sockets.items()}
        while not self._halt.is_set():
            for sock, _ in poller.poll(50):
                ch = by_socket[sock]
                try:
                    self._handle(ch, sock.recv_multipart())
                except Exception as e:  # a bug in a recipe must surface in the test, not vanish in a thread
                    self.errors.append(e)

    def _handle(self, channel: str, frames: list[bytes]) -> None:
        if channel == "iopub":
            if frames and frames[0][:1] == b"\x01":
                self.subscribed.set()
            return
        if channel == "hb":
            if self.hb_mode == "echo":
                self.sockets["hb"].send_multipart(frames)
            elif self.hb_mode == "garbage":
                self.sockets["hb"].send_multipart([frames[0], b"\xff" * 3, b""])
            return
        if channel == "stdin":
            return  # input replies: nothing to do
        try:
            request = self.codec.deserialize(frames)
        except ProtocolError as e:
            self.errors.append(AssertionError(f"our client sent an invalid message: {e}"))
            return
        self.requests += 1
        for recipe in list(self.plan):
            for out_channel, out in recipe(request, self):
                sock = self.sockets[out_channel]
                if out_channel == "iopub" and out and out[0] == DELIM:
                    out = [b"kernel.fake", *out]
                try:
                    sock.send_multipart(out, zmq.NOBLOCK)
                except zmq.ZMQError:
                    pass  # a ROUTER without that peer, a full queue: a real kernel would lose it too
