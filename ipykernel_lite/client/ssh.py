"""SSH tunnels for connection files: reach a kernel whose ports are on another host through the system's
OpenSSH client (``ssh -N -L ...``), with the user's keys, agent and ~/.ssh/config.

    client = ssh_client("kernel.json", "me@bigbox")     # a BlockingClient; close() also ends the tunnel

All five ports (shell, iopub, stdin, control, heartbeat) are forwarded from loopback ports here to the
kernel's address as seen from the SSH server. ``ssh`` runs in batch mode: a password prompt or an unknown
host key is a clear ``SshTunnelError`` with ssh's own message, never a hang.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Sequence
from time import monotonic
from typing import Any

from ..protocol import ConnectionInfo
from ..protocol.connection import read_connection_file
from .blocking import BlockingClient
from .errors import ClientError

PORT_FIELDS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
#: addresses that mean "this host" to the kernel: from the SSH server they are its loopback
_LOCAL_ADDRESSES = ("0.0.0.0", "127.0.0.1", "localhost", "*", "")


class SshTunnelError(ClientError, OSError):
    """ssh could not be started or set up the forwards (its stderr is in the message)."""


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


class SshTunnel:
    """One ``ssh -N`` process forwarding a kernel's five ports; ``local`` is the connection info to use here."""

    def __init__(
        self,
        info: ConnectionInfo,
        server: str,
        *,
        ssh: str = "ssh",
        options: Sequence[str] = (),
        timeout: float = 30.0,
    ) -> None:
        if info.transport != "tcp":
            raise SshTunnelError(f"only tcp kernels can be tunnelled (this one uses {info.transport})")
        exe = shutil.which(ssh)
        if exe is None:
            raise SshTunnelError(f"no {ssh!r} client on PATH (install OpenSSH)")
        remote_ip = "127.0.0.1" if info.ip in _LOCAL_ADDRESSES else info.ip
        local = ConnectionInfo.from_dict({**info.to_dict(), "ip": "127.0.0.1"})
        forwards: list[str] = []
        for field, port in zip(PORT_FIELDS, _free_ports(len(PORT_FIELDS)), strict=True):
            forwards += ["-L", f"127.0.0.1:{port}:{remote_ip}:{getattr(info, field)}"]
            setattr(local, field, port)
        self.local = local
        self.server = server
        self.argv = [
            exe,
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-o",
            "BatchMode=yes",  # never prompt: a prompt nobody sees is a hang
            "-o",
            f"ConnectTimeout={max(1, int(timeout))}",
            "-o",
            "ServerAliveInterval=15",
            *options,
            *forwards,
            server,
        ]
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._stderr: list[bytes] = []
        self._reader = threading.Thread(target=self._read_stderr, name="ipykernel_lite-ssh-stderr", daemon=True)
        self._reader.start()
        try:
            self._until_forwarding(timeout)
        except BaseException:
            self.close()
            raise

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode(errors="replace").strip()

    def _until_forwarding(self, timeout: float) -> None:
        """Until every local port accepts (ssh listens once logged in), or ssh exits with its reason."""
        deadline = monotonic() + timeout
        pause = threading.Event()
        waiting = [getattr(self.local, f) for f in PORT_FIELDS]
        while waiting:
            if self.proc.poll() is not None:
                self._reader.join(5)
                raise SshTunnelError(
                    f"ssh to {self.server} failed (exit {self.proc.returncode}): {self.stderr or 'no message'}"
                )
            try:
                socket.create_connection(("127.0.0.1", waiting[0]), timeout=1).close()
                waiting.pop(0)
                continue
            except OSError:
                pass
            if monotonic() > deadline:
                raise SshTunnelError(f"ssh to {self.server}: forwards not up within {timeout:g} s ({self.stderr})")
            pause.wait(0.05)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)
        if self.proc.stderr is not None:
            self.proc.stderr.close()

    def __enter__(self) -> SshTunnel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TunnelledClient(BlockingClient):
    """A BlockingClient through an ``SshTunnel`` it owns: closing the client ends the tunnel."""

    tunnel: SshTunnel

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.tunnel.close()


def ssh_client(
    connection: ConnectionInfo | str | os.PathLike[str],
    server: str,
    *,
    ssh: str = "ssh",
    options: Sequence[str] = (),
    timeout: float = 30.0,
    **client_kwargs: Any,
) -> TunnelledClient:
    """A client of the kernel described by ``connection`` (as seen from ``server``), through an SSH tunnel."""
    info = connection if isinstance(connection, ConnectionInfo) else read_connection_file(connection)
    tunnel = SshTunnel(info, server, ssh=ssh, options=options, timeout=timeout)
    try:
        kc = TunnelledClient(tunnel.local, **client_kwargs)
    except BaseException:
        tunnel.close()
        raise
    kc.tunnel = tunnel
    return kc
