"""The kernel's DAP connection to the debugpy adapter: Content-Length framing over TCP, a reader thread,
responses matched to requests by ``request_seq``, events handed to a callback.

The kernel is the adapter's only client: the front end's requests arrive as ``debug_request`` on control and
are forwarded here; the adapter's events go back out as ``debug_event`` on IOPub.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ipykernel_lite.dap")

JSONDict = dict[str, Any]
_HEADER = b"Content-Length: "


class AdapterGone(ConnectionError):
    """The adapter closed the connection (or never answered)."""


class AdapterLink:
    def __init__(self, host: str, port: int, on_event: Callable[[JSONDict], None], timeout: float = 30.0) -> None:
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._sock.settimeout(None)
        self._on_event = on_event
        self._send_lock = threading.Lock()
        self._cond = threading.Condition()
        self._responses: dict[int, JSONDict] = {}
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="ipykernel_lite-dap", daemon=True)
        # pydevd must neither trace nor suspend the kernel's own threads
        self._reader.pydev_do_not_trace = True  # type: ignore[attr-defined]
        self._reader.is_pydev_daemon_thread = True  # type: ignore[attr-defined]
        self._reader.start()

    # --- sending -------------------------------------------------------------------------------------------
    def send(self, msg: JSONDict) -> None:
        body = json.dumps(msg).encode("utf-8")
        with self._send_lock:
            self._sock.sendall(_HEADER + str(len(body)).encode("ascii") + b"\r\n\r\n" + body)

    def request(self, msg: JSONDict, timeout: float = 30.0) -> JSONDict:
        """Send a request and wait for the response with its ``seq``."""
        self.send(msg)
        return self.response(int(msg["seq"]), timeout)

    def response(self, seq: int, timeout: float = 30.0) -> JSONDict:
        with self._cond:
            if not self._cond.wait_for(lambda: seq in self._responses or self._closed, timeout):
                raise AdapterGone(f"debugpy did not answer request {seq} within {timeout} s")
            if seq not in self._responses:
                raise AdapterGone("the debugpy adapter closed the connection")
            return self._responses.pop(seq)

    # --- receiving -----------------------------------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    chunk = self._sock.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, _, buf = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.startswith(_HEADER):
                        length = int(line[len(_HEADER) :])
                while len(buf) < length:
                    chunk = self._sock.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                body, buf = buf[:length], buf[length:]
                try:
                    self._dispatch(json.loads(body))
                except Exception:
                    log.exception("bad message from the debugpy adapter")
        except OSError as e:
            if not self._closed:
                log.warning("debugpy adapter connection lost: %s", e)
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def _dispatch(self, msg: JSONDict) -> None:
        kind = msg.get("type")
        if kind == "response":
            with self._cond:
                self._responses[int(msg.get("request_seq", -1))] = msg
                self._cond.notify_all()
        elif kind == "event":
            self._on_event(msg)

    def close(self) -> None:
        self._closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._reader.join(5)
