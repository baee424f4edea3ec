"""``python -m ipykernel_lite.gateway_launcher``: start our kernel for Enterprise Gateway on this host.

What Enterprise Gateway's remote process proxies (distributed/SSH, Kubernetes, YARN, Docker) expect of a
launcher: pick the kernel's five ports and a *communication port* in ``--port-range``, start the kernel on
them, send the connection info (encrypted, see payload.py) with our pid/pgid, the communication port and the
kernel id to ``--response-address``, then serve the communication port: ``{"signum": N}`` signals the kernel
(0 only probes that we live), ``{"shutdown": 1}`` stops it. We exit when the kernel exits.

The kernel runs as our child (``python -m ipykernel_lite -f FILE``) in our process group, so that the
gateway's fallback (killing the pgid over SSH) reaches both.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from ..protocol import ConnectionInfo
from ..protocol.connection import write_connection_file
from . import payload

log = logging.getLogger("ipykernel_lite.gateway")

PORT_NAMES = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
#: attempts at a free port in the range before giving up
PORT_TRIES = 200


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m ipykernel_lite.gateway_launcher", description=__doc__.split("\n")[0])
    # both our spelling and the one of Enterprise Gateway's stock kernelspecs
    for name, help_text in (
        ("kernel-id", "the kernel id the gateway assigned"),
        ("response-address", "HOST:PORT where the gateway waits for our connection info"),
        ("public-key", "the gateway's public key (base64, as in its kernelspec templates)"),
        ("port-range", "LOW..HIGH for the kernel's ports (0..0: any free port)"),
    ):
        p.add_argument(f"--{name}", f"--RemoteProcessProxy.{name}", dest=name.replace("-", "_"), help=help_text)
    p.add_argument("--ip", default="0.0.0.0", help="address the kernel binds (default: every interface)")
    p.add_argument("--kernel-name", default="ipykernel_lite")
    # the gateway passes these to every launcher; they mean nothing to a Python kernel
    p.add_argument("--spark-context-initialization-mode", "--RemoteProcessProxy.spark-context-initialization-mode")
    p.add_argument("--cluster-type", "--RemoteProcessProxy.cluster-type")
    args, unknown = p.parse_known_args(argv)
    if unknown:
        log.warning("ignoring unknown launcher arguments: %s", unknown)
    for required in ("kernel_id", "response_address", "public_key"):
        if not getattr(args, required):
            p.error(f"--{required.replace('_', '-')} is required")
    return args


def port_range(text: str | None) -> tuple[int, int]:
    if not text:
        return 0, 0
    try:
        low, high = (int(x) for x in text.split(".."))
    except ValueError:
        raise ValueError(f"--port-range must be LOW..HIGH; got {text!r}") from None
    if (low, high) != (0, 0) and not 0 < low < high <= 65535:
        raise ValueError(f"--port-range {text!r} is not a range of ports")
    return low, high


def bind_in_range(ip: str, low: int, high: int) -> socket.socket:
    """A listening TCP socket on a free port of the range (any free port for 0..0)."""
    for _ in range(PORT_TRIES):
        # no SO_REUSEADDR: on Linux it lets two unconnected sockets bind one port, and we hold several at once
        s = socket.socket()
        try:
            s.bind((ip, 0 if high == 0 else random.randint(low, high)))
            return s
        except OSError:
            s.close()
    raise OSError(f"no free port in {low}..{high} after {PORT_TRIES} tries")


def reserve_ports(ip: str, low: int, high: int, n: int) -> list[socket.socket]:
    socks: list[socket.socket] = []
    try:
        while len(socks) < n:
            socks.append(bind_in_range(ip, low, high))
    except BaseException:
        for s in socks:
            s.close()
        raise
    return socks


def send_response(address: str, data: bytes, timeout: float = 30.0) -> None:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--response-address must be HOST:PORT; got {address!r}")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(data)  # the gateway reads until we close


class CommListener:
    """Serves the communication port: the gateway's signals and shutdown for our kernel."""

    def __init__(self, sock: socket.socket, kernel: subprocess.Popen[bytes]) -> None:
        self.sock = sock
        self.kernel = kernel
        self.shutdown_requested = False
        self.sock.listen(8)
        self.thread = threading.Thread(target=self._serve, name="ipykernel_lite-gateway-comm", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.kernel.poll() is None:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed: the kernel exited
            with conn:
                conn.settimeout(10)
                try:
                    request = json.loads(_read_all(conn) or b"{}")
                except (OSError, ValueError) as e:
                    log.warning("bad request on the communication port: %s", e)
                    continue
            self.handle(request)

    def handle(self, request: object) -> None:
        if not isinstance(request, dict):
            log.warning("ignoring communication-port request %r", request)
            return
        signum = request.get("signum")
        if isinstance(signum, int) and signum > 0 and self.kernel.poll() is None:
            log.info("gateway asks for signal %d", signum)
            self.kernel.send_signal(signum)
        if request.get("shutdown"):
            log.info("gateway asks for shutdown")
            self.shutdown_requested = True
            if self.kernel.poll() is None:
                self.kernel.terminate()

    def close(self) -> None:
        self.sock.close()


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = conn.recv(4096)
        except TimeoutError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        try:  # the gateway sends one small JSON object and may keep the socket open
            json.loads(b"".join(chunks))
            break
        except ValueError:
            continue
    return b"".join(chunks)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="[%(levelname)1.1s %(asctime)s ipykernel_lite.gateway] %(message)s")
    args = parse_args(argv)
    low, high = port_range(args.port_range)
    try:
        os.setpgrp()  # our own group: the gateway's fallback kills it, kernel included
    except OSError:
        pass
    socks = reserve_ports(args.ip, low, high, len(PORT_NAMES) + 1)
    info = ConnectionInfo(ip=args.ip, kernel_name=args.kernel_name)
    for name, s in zip(PORT_NAMES, socks, strict=False):
        setattr(info, name, int(s.getsockname()[1]))
    comm = socks[-1]
    folder = Path(tempfile.mkdtemp(prefix="ipykernel_lite-gateway-"))
    path = Path(write_connection_file(folder / f"kernel-{args.kernel_id}.json", info))
    for s in socks[:-1]:
        s.close()  # released just before the kernel binds them
    kernel = subprocess.Popen([sys.executable, "-m", "ipykernel_lite", "-f", str(path)])
    listener = CommListener(comm, kernel)
    conn = info.to_dict()
    conn.update(
        pid=os.getpid(),
        pgid=os.getpgid(0),
        comm_port=int(comm.getsockname()[1]),
        kernel_id=args.kernel_id,
    )
    try:
        send_response(args.response_address, payload.encode(conn, args.public_key))
    except (OSError, ValueError, RuntimeError) as e:
        log.error("cannot report to the gateway at %s: %s", args.response_address, e)
        kernel.terminate()
        kernel.wait(10)
        listener.close()
        return 1
    log.info("kernel %s started (pid %d), reported to %s", args.kernel_id, kernel.pid, args.response_address)
    # SIGTERM to us (the gateway's fallback) stops the kernel too
    stopping: list[bool] = []

    def on_term(*_: object) -> None:
        stopping.append(True)
        kernel.terminate()

    signal.signal(signal.SIGTERM, on_term)
    code = kernel.wait()
    listener.close()
    path.unlink(missing_ok=True)
    folder.rmdir()
    if listener.shutdown_requested or stopping:
        return 0  # stopped as asked
    return code if code >= 0 else 128 - code  # killed by a signal: the shell's convention
