"""Connection files: the five ports, transport, address and key a kernel and its clients share.

Reading and writing only; choosing free ports needs sockets and lives with the kernel and the manager.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .errors import ProtocolError
from .signing import DEFAULT_SCHEME, digest_for

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")
_FIELDS = (
    "ip",
    "transport",
    "shell_port",
    "iopub_port",
    "stdin_port",
    "control_port",
    "hb_port",
    "key",
    "signature_scheme",
    "kernel_name",
)


def new_key() -> str:
    return os.urandom(32).hex()


class ConnectionInfo:
    """The fields of a connection file. A plain class (not a dataclass): the kernel imports this at start-up."""

    def __init__(
        self,
        ip: str = "127.0.0.1",
        transport: str = "tcp",
        shell_port: int = 0,
        iopub_port: int = 0,
        stdin_port: int = 0,
        control_port: int = 0,
        hb_port: int = 0,
        key: str | None = None,
        signature_scheme: str = DEFAULT_SCHEME,
        kernel_name: str = "",
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.ip = ip
        self.transport = transport
        self.shell_port = shell_port
        self.iopub_port = iopub_port
        self.stdin_port = stdin_port
        self.control_port = control_port
        self.hb_port = hb_port
        self.key = new_key() if key is None else key
        self.signature_scheme = signature_scheme
        self.kernel_name = kernel_name
        #: fields we do not know (e.g. curve keys of newer clients) are kept and written back
        self.extra: dict[str, Any] = dict(extra or {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConnectionInfo) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.to_dict().items() if k != "key"}
        return f"ConnectionInfo({shown})"

    def port(self, channel: str) -> int:
        return int(getattr(self, f"{channel}_port"))

    def url(self, channel: str) -> str:
        """The zmq endpoint of ``channel`` (for ipc: ``<ip>-<port>`` files, as jupyter_client names them)."""
        if self.transport == "ipc":
            return f"ipc://{self.ip}-{self.port(channel)}"
        if self.transport == "inproc":  # an in-process kernel (ipykernel_lite.inprocess): same zmq context only
            return f"inproc://{self.ip}-{self.port(channel)}"
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"tcp://{host}:{self.port(channel)}"

    def to_dict(self) -> dict[str, Any]:
        d = {f: getattr(self, f) for f in _FIELDS}
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConnectionInfo:
        kwargs = {k: v for k, v in data.items() if k in _FIELDS}
        extra = {k: v for k, v in data.items() if k not in _FIELDS}
        info = cls(**kwargs, extra=extra)
        info.validate()
        return info

    def validate(self) -> None:
        if self.transport not in ("tcp", "ipc", "inproc"):
            raise ProtocolError(f"connection file: transport must be 'tcp' or 'ipc', got {self.transport!r}")
        for ch in CHANNELS:
            p = getattr(self, f"{ch}_port")
            if not isinstance(p, int) or isinstance(p, bool) or not 0 <= p < 65536:
                raise ProtocolError(f"connection file: {ch}_port must be a port number, got {p!r}")
        if not isinstance(self.key, str):
            raise ProtocolError("connection file: key must be a string")
        try:
            digest_for(self.signature_scheme)
        except ValueError as e:
            raise ProtocolError(f"connection file: {e}") from None


def read_connection_file(path: str | os.PathLike[str]) -> ConnectionInfo:
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise ProtocolError(f"cannot read connection file {os.fspath(path)!r}: {e}") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"connection file {os.fspath(path)!r} is not a JSON object")
    return ConnectionInfo.from_dict(data)


def write_connection_file(path: str | os.PathLike[str], info: ConnectionInfo) -> str:
    """Write with mode 0600 from the first byte: the key must never be readable by others."""
    p = os.fspath(path)
    folder = os.path.dirname(p)
    if folder:
        os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(p)}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(info.to_dict(), f, indent=1)
    os.replace(tmp, p)
    return p
