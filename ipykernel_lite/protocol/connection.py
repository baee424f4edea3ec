"""Connection files: the five ports, transport, address and key a kernel and its clients share.

Reading and writing only; choosing free ports needs sockets and lives with the kernel and the manager.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import ProtocolError
from .signing import DEFAULT_SCHEME, digest_for

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


def new_key() -> str:
    return secrets.token_hex(32)


@dataclass
class ConnectionInfo:
    ip: str = "127.0.0.1"
    transport: str = "tcp"
    shell_port: int = 0
    iopub_port: int = 0
    stdin_port: int = 0
    control_port: int = 0
    hb_port: int = 0
    key: str = field(default_factory=new_key)
    signature_scheme: str = DEFAULT_SCHEME
    kernel_name: str = ""
    #: fields we do not know (e.g. curve keys of newer clients) are kept and written back
    extra: dict[str, Any] = field(default_factory=dict)

    def port(self, channel: str) -> int:
        return int(getattr(self, f"{channel}_port"))

    def url(self, channel: str) -> str:
        """The zmq endpoint of ``channel`` (for ipc: ``<ip>-<port>`` files, as jupyter_client names them)."""
        if self.transport == "ipc":
            return f"ipc://{self.ip}-{self.port(channel)}"
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"tcp://{host}:{self.port(channel)}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        extra = d.pop("extra")
        d.update(extra)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConnectionInfo:
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        info = cls(**kwargs, extra=extra)
        info.validate()
        return info

    def validate(self) -> None:
        if self.transport not in ("tcp", "ipc"):
            raise ProtocolError(f"connection file: transport must be 'tcp' or 'ipc', got {self.transport!r}")
        for ch in CHANNELS:
            p = getattr(self, f"{ch}_port")
            if not isinstance(p, int) or not 0 <= p < 65536:
                raise ProtocolError(f"connection file: {ch}_port must be a port number, got {p!r}")
        if not isinstance(self.key, str):
            raise ProtocolError("connection file: key must be a string")
        try:
            digest_for(self.signature_scheme)
        except ValueError as e:
            raise ProtocolError(f"connection file: {e}") from None


def read_connection_file(path: str | os.PathLike[str]) -> ConnectionInfo:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise ProtocolError(f"cannot read connection file {os.fspath(path)!r}: {e}") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"connection file {os.fspath(path)!r} is not a JSON object")
    return ConnectionInfo.from_dict(data)


def write_connection_file(path: str | os.PathLike[str], info: ConnectionInfo) -> Path:
    """Write with mode 0600 from the first byte: the key must never be readable by others."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(info.to_dict(), f, indent=1)
    os.replace(tmp, p)
    return p
