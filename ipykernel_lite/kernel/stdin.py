"""``input()``, ``getpass`` and ``sys.stdin`` in user code, answered by the client over the stdin channel.

The request goes to the client that sent the running execute_request (routing identity), only if that request
allowed stdin; replies that do not answer the current request are discarded with a log line. Requests from
several threads are sent one at a time and answered in turn; every wait is bounded (``input_wait``).
"""

from __future__ import annotations

import builtins
import getpass
import io
import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import zmq

from .extensions import ExtensionHost, KernelExtension
from .input_wait import InputWait, input_timeout

if TYPE_CHECKING:
    from ..protocol import Message
    from .kernel import Kernel

log = logging.getLogger("ipykernel_lite.stdin")

#: what an input_reply carries to mean end of input (Ctrl-D), as ipykernel does
EOF_VALUE = "\x04"


class StdinNotImplementedError(NotImplementedError):
    """The front end did not allow stdin for this request (``allow_stdin`` false)."""


class StdinExtension(KernelExtension):
    """``input()``, ``getpass`` and ``sys.stdin`` through the stdin channel (offered as the "stdin" service)."""

    name = "stdin"

    def install(self, host: ExtensionHost) -> None:
        bridge = StdinBridge(host.kernel)
        hooks = host.hooks.input_metadata

        def metadata() -> dict[str, Any]:
            md: dict[str, Any] = {}
            for hook in hooks:  # the debugger says where it stands
                md.update(hook())
            return md

        bridge.metadata_hook = metadata
        bridge.install()
        host.provide("stdin", bridge)


class StdinBridge:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        #: extra metadata for the next input_request
        self.metadata_hook: Callable[[], dict[str, Any]] | None = None
        # reentrant: a GUI callback run while input() waits (process_events) may itself call input()
        self._turn = threading.RLock()
        #: why input() cannot be answered in this process at all (a forked child: see forksafe), or None
        self.unavailable: str | None = None

    def install(self) -> None:
        builtins.input = self.input
        getpass.getpass = self.getpass
        sys.stdin = StdinReader(self)

    def input(self, prompt: object = "") -> str:
        return self.request(str(prompt), password=False)

    def getpass(self, prompt: str = "Password: ", stream: Any = None) -> str:
        return self.request(prompt, password=True)

    def request(self, prompt: str, password: bool) -> str:
        if self.unavailable is not None:
            raise StdinNotImplementedError(self.unavailable)
        k = self.kernel
        parent = k.parent
        if parent is None or not parent.content.get("allow_stdin", True):
            raise StdinNotImplementedError(
                "input() is not available: the front end does not support input requests (allow_stdin is false)"
            )
        # one request on the stdin socket at a time: concurrent sends from several threads corrupt frames (and
        # abort libzmq), and a reply must reach the thread that asked. Threads are answered in turn.
        with self._turn:
            return self._request(parent, prompt, password)

    def _request(self, parent: Message, prompt: str, password: bool) -> str:
        k = self.kernel
        on_main = k.interrupts.main_is_current()
        k.iopub.lock.acquire()
        try:
            if k.iopub.before_send is not None:
                k.iopub.before_send()  # earlier output comes before the prompt
        finally:
            k.iopub.lock.release()
        metadata = self.metadata_hook() if self.metadata_hook is not None else {}
        req = k.factory.message(
            "input_request",
            {"prompt": prompt, "password": password},
            parent,
            metadata,
            identities=parent.identities,
        )
        sock = k.stdin_socket
        # a reply left over from an interrupted request must not answer this one
        self._discard_pending(sock)
        wait = InputWait(sock, input_timeout())
        try:
            sock.send_multipart(k.codec.serialize(req))
            if on_main:
                was_armed, was_async = k.interrupts.armed, k.interrupts.async_cancel
                k.interrupts.armed = True  # Ctrl-C while waiting for input raises KeyboardInterrupt in user code
                k.interrupts.async_cancel = None  # even inside an async cell: the loop is blocked in this call
            try:
                while True:
                    # short slices keep GUI toolkits alive while we wait (signals still interrupt the poll)
                    if not wait.poll(50):
                        if on_main:
                            k.loop.process_events()
                        continue
                    frames = sock.recv_multipart()
                    reply = k.parse(frames)
                    if reply is None:
                        continue
                    # jupyter_client sends input_reply without a parent header: accept those, reject others
                    if reply.msg_type != "input_reply" or reply.parent_id not in (None, req.msg_id):
                        log.warning(
                            "discarded a stray %s (not answering the pending input_request)", reply.msg_type
                        )
                        continue
                    value = reply.content.get("value", "")
                    if not isinstance(value, str):
                        value = str(value)
                    if value == EOF_VALUE:
                        raise EOFError("EOF when reading a line")
                    return value
            finally:
                if on_main:
                    k.interrupts.armed, k.interrupts.async_cancel = was_armed, was_async
        except KeyboardInterrupt:
            # the signal lands inside pyzmq (the poll, or the send when the front end showed the prompt and the
            # user pressed Ctrl+C before send_multipart returned): a fresh exception raised here (a kernel frame,
            # hidden from tracebacks) ends the user's traceback at their input() call, without pyzmq's frames
            raise KeyboardInterrupt from None
        finally:
            wait.close()

    def _discard_pending(self, sock: zmq.Socket) -> None:
        while True:
            try:
                sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            log.warning("discarded a late input_reply")


class StdinReader(io.TextIOBase):
    """``sys.stdin`` whose reads become input requests."""

    def __init__(self, bridge: StdinBridge) -> None:
        super().__init__()
        self._bridge = bridge

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("the kernel's stdin has no file descriptor")

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        try:
            return self._bridge.request("", password=False) + "\n"
        except EOFError:
            return ""

    def read(self, size: int | None = -1) -> str:
        lines = []
        while True:
            line = self.readline()
            if not line:
                break
            lines.append(line)
        return "".join(lines)

    def __iter__(self) -> StdinReader:  # type: ignore[override]
        return self

    def __next__(self) -> str:  # type: ignore[override]
        line = self.readline()
        if not line:
            raise StopIteration
        return line
