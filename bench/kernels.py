"""The three kernels under test (ours, ipykernel, xeus-python) and how to start, watch and kill them."""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class KernelSpec:
    name: str
    module: str
    # How a frontend interrupts this kernel, as its kernelspec declares it.
    interrupt_mode: Literal["message", "signal"]

    def argv(self, connection_file: str) -> list[str]:
        return [sys.executable, "-m", self.module, "-f", connection_file]


# Our kernel.json declares interrupt_mode "signal" (ipykernel_lite/kernelspec.py)
LITE = KernelSpec("ipykernel_lite", "ipykernel_lite", "signal")
# ipykernel's kernel.json declares no interrupt_mode, so frontends use the default: SIGINT.
IPYKERNEL = KernelSpec("ipykernel", "ipykernel_launcher", "signal")
# xeus-python (C++ core, Python interpreter embedded): its kernel.json declares no interrupt_mode either.
XEUS = KernelSpec("xeus-python", "xpython_launcher", "signal")
KERNELS: tuple[KernelSpec, ...] = (LITE, IPYKERNEL, XEUS)
#: the kernels ours is compared with, in table order
PEERS: tuple[KernelSpec, ...] = (IPYKERNEL, XEUS)


def _local_port_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _free_ports(count: int) -> list[int]:
    """Free loopback ports chosen *below* the ephemeral range.

    The launch metrics connect (and reconnect every millisecond) before the kernel binds. If the
    target port were inside the ephemeral range, the kernel could lose it to one of our own
    outgoing connections or TCP could "simultaneously open" a socket to itself; ports the OS never
    hands out as source ports avoid both.
    """
    low = 20000
    high = min(_local_port_range()[0], 32768) - 1
    chosen: list[int] = []
    rng = random.SystemRandom()
    while len(chosen) < count:
        port = rng.randint(low, high)
        if port in chosen:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        chosen.append(port)
    return chosen


def new_connection_file(directory: str) -> tuple[str, dict[str, Any]]:
    """Write a loopback connection file with fresh ports and key; return its path and contents."""
    from jupyter_client.connect import write_connection_file

    shell, iopub, stdin, control, hb = _free_ports(5)
    fd, path = tempfile.mkstemp(prefix="kernel-", suffix=".json", dir=directory)
    os.close(fd)
    fname, info = write_connection_file(
        fname=path,
        ip="127.0.0.1",
        transport="tcp",
        key=secrets.token_hex(32).encode(),
        signature_scheme="hmac-sha256",
        shell_port=shell,
        iopub_port=iopub,
        stdin_port=stdin,
        control_port=control,
        hb_port=hb,
    )
    return fname, dict(info)


class KernelProcess:
    """A kernel subprocess in its own process group, so that killing it takes any children along."""

    def __init__(self, spec: KernelSpec, connection_file: str, log_path: str) -> None:
        self.spec = spec
        self.connection_file = connection_file
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self) -> float:
        """Spawn the kernel; returns the ``perf_counter`` instant just before the spawn."""
        env = dict(os.environ)
        # The lite kernel is run from the source tree; both kernels get the same environment.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        with open(self.log_path, "wb") as log:
            self.started_at = time.perf_counter()
            self.proc = subprocess.Popen(
                self.spec.argv(self.connection_file),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO_ROOT,
                env=env,
                start_new_session=True,
            )
        return self.started_at

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise RuntimeError("kernel not started")
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 3) -> str:
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def signal_group(self, signum: int) -> None:
        os.killpg(self.pid, signum)

    def rss_kib(self) -> int:
        """Resident set size of every live process in the kernel's process group."""
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                # Fields after the parenthesised command name: state ppid pgrp ...
                pgrp = int(stat.rsplit(")", 1)[1].split()[2])
                if pgrp != self.pid:
                    continue
                for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except (OSError, ValueError, IndexError):
                continue
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the kernel process, all its threads included.

        On a shared machine wall-clock rows swing with other load; CPU time per operation moves much less, so
        some rows report it in their note.
        """
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # after the command name: state(0) ... utime(11) stime(12), in clock ticks
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_cpu_quiet(self, quiet: float = 0.3, limit: float = 15.0) -> None:
        """Wait until the kernel uses no CPU for ``quiet`` seconds (its background start-up work is over), so
        that CPU time read afterwards belongs to what the metric sends. Gives up silently after ``limit``."""
        deadline = time.perf_counter() + limit
        last = self.cpu_seconds()
        while time.perf_counter() < deadline:
            time.sleep(quiet)
            now = self.cpu_seconds()
            if now == last:
                return
            last = now

    def kill(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def kernel_files(spec: KernelSpec) -> Iterator[tuple[str, dict[str, Any], str]]:
    """A scratch directory holding a connection file and a log file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{spec.name}-") as tmp:
        path, info = new_connection_file(tmp)
        yield path, info, os.path.join(tmp, "kernel.log")


@contextlib.contextmanager
def unstarted_kernel(spec: KernelSpec) -> Iterator[tuple[KernelProcess, dict[str, Any]]]:
    """A kernel ready to ``start()``; it is killed when the block exits, whatever happens."""
    with kernel_files(spec) as (path, info, log):
        kernel = KernelProcess(spec, path, log)
        try:
            yield kernel, info
        finally:
            kernel.kill()
