"""Choosing the five ports (or ipc file suffixes) of a new kernel, and where connection files live."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from collections import deque
from pathlib import Path

_MAX_UNIX_PATH = 100

# ports handed out lately by this process: two managers starting at once must not get the same ones
_recent: deque[int] = deque(maxlen=512)


def free_tcp_ports(ip: str = "127.0.0.1", count: int = 5) -> list[int]:
    """Ports the OS considers free on ``ip``, all distinct (held open together while chosen).

    There is an unavoidable window between closing them here and the kernel binding them; the OS hands out
    ephemeral ports round-robin, so a collision needs another process to grab exactly these in that window.
    """
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        for _ in range(count + 20):
            if len(ports) == count:
                break
            s = socket.socket(family, socket.SOCK_STREAM)
            held.append(s)
            s.bind((ip, 0))
            port = int(s.getsockname()[1])
            if port not in _recent:
                ports.append(port)
        if len(ports) < count:
            raise OSError(f"could not find {count} free ports on {ip}")
    finally:
        for s in held:
            s.close()
    _recent.extend(ports)
    return ports


def free_ipc_ports(prefix: str, count: int = 5) -> list[int]:
    """ipc endpoints are files ``<prefix>-<n>``: pick the first ``count`` numbers whose files do not exist."""
    ports: list[int] = []
    n = 1
    while len(ports) < count:
        if not os.path.exists(f"{prefix}-{n}"):
            ports.append(n)
        n += 1
    return ports


def ipc_prefix(connection_file: Path) -> str:
    """Where a kernel's ipc endpoints go: beside its connection file, unless that path is too long for a unix
    socket address (about 107 bytes); then under the temp directory."""
    prefix = str(connection_file.with_suffix("")) + "-ipc"
    if len(prefix.encode()) + 4 <= _MAX_UNIX_PATH:
        return prefix
    short = connection_file.stem.removeprefix("kernel-")[:8]
    return os.path.join(tempfile.gettempdir(), f"ipykernel-lite-{short}")


def runtime_dir() -> Path:
    """Jupyter's runtime directory (where ``jupyter console --existing`` looks), without jupyter_core."""
    env = os.environ.get("JUPYTER_RUNTIME_DIR")
    if env:
        return Path(env)
    data = os.environ.get("JUPYTER_DATA_DIR")
    if data:
        return Path(data) / "runtime"
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Jupyter" / "runtime"
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        return (Path(appdata) if appdata else home / "AppData" / "Roaming") / "jupyter" / "runtime"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else home / ".local" / "share") / "jupyter" / "runtime"
