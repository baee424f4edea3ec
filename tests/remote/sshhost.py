"""A "remote host" for SSH tests: a network namespace joined to ours by a veth pair, running Debian's sshd
with a host key and an authorized client key made by the test. Needs root, ``ip netns`` and openssh-server;
``why_not()`` says what is missing. Everything is deleted afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)


def why_not() -> str | None:
    if not sys.platform.startswith("linux"):
        return "network namespaces are Linux only"
    if os.geteuid() != 0:
        return "creating network namespaces needs root"
    for tool in ("ip", "ssh", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"the {tool!r} command is not installed"
    if not os.path.exists(SSHD):
        return "openssh-server is not installed (apt-get install openssh-server)"
    probe = f"ikl-sp-{os.getpid()}"
    made = _ip("netns", "add", probe)
    if made.returncode != 0:
        return f"'ip netns add' failed: {made.stderr.strip()}"
    _ip("netns", "del", probe)
    return None


@dataclass
class SshHost:
    ns: str
    ip: str
    user: str
    key: Path
    folder: Path
    #: our side of the veth pair (the host's default route: it reaches every address of ours through it)
    our_ip: str = ""

    @property
    def host_key_line(self) -> str:
        """A known_hosts line for this host."""
        kind, blob = (self.folder / "host_key.pub").read_text().split()[:2]
        return f"{self.ip} {kind} {blob}"

    @property
    def target(self) -> str:
        return f"{self.user}@{self.ip}"

    @property
    def options(self) -> list[str]:
        """ssh options for the test's key and throw-away known hosts."""
        return [
            "-i",
            str(self.key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={self.folder / 'known_hosts'}",
            "-o",
            "LogLevel=ERROR",
        ]

    def run(self, *argv: str) -> list[str]:
        """argv to run a command inside the host's namespace."""
        return ["ip", "netns", "exec", self.ns, *argv]


def _wait_port(ip: str, port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    pause = threading.Event()
    for _ in range(400):
        if proc.poll() is not None:
            raise AssertionError(f"sshd exited:\n{log.read_text()}")
        try:
            socket.create_connection((ip, port), timeout=2).close()
            return
        except OSError:
            pause.wait(0.05)
    raise AssertionError(f"sshd did not listen on {ip}:{port}:\n{log.read_text()}")


def _free_octet() -> int:
    """A third octet whose 10.232.<n>.0/30 no interface of ours has yet. Drawing two at random collided one time
    in two hundred: both hosts got one address, our route sent every connection to the first, and a test that
    wanted a kernel on each host found both on one."""
    shown = _ip("-4", "-o", "addr", "show").stdout
    taken = {int(word.split(".")[2]) for word in shown.split() if word.startswith("10.232.")}
    free = [n for n in range(16, 216) if n not in taken]
    assert free, "no free 10.232.<n>.0/30 subnet left"
    return free[int.from_bytes(os.urandom(2), "big") % len(free)]


@contextmanager
def ssh_host(folder: Path, index: int = 0, key: Path | None = None) -> Iterator[SshHost]:
    """One namespace with sshd on port 22 at 10.232.<n>.1; our namespace is 10.232.<n>.2. ``key``: a client
    key to authorize (one made here otherwise)."""
    tag = f"{os.getpid() % 100000}{os.urandom(2).hex()}{index}"
    ns = f"ikl-ssh-{tag}"
    octet = _free_octet()
    host_ip, our_ip = f"10.232.{octet}.1", f"10.232.{octet}.2"
    veth_h, veth_o = f"sh{tag}"[:15], f"so{tag}"[:15]
    folder.mkdir(parents=True, exist_ok=True)
    host_key = folder / "host_key"
    made_keys = [host_key] if key is not None else [folder / "client_key", host_key]
    key = key if key is not None else folder / "client_key"
    for k in made_keys:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(k)], check=True, timeout=30)
    (folder / "authorized_keys").write_text(Path(f"{key}.pub").read_text())
    config = folder / "sshd_config"
    config.write_text(
        f"Port 22\nListenAddress {host_ip}\nHostKey {host_key}\nAuthorizedKeysFile {folder / 'authorized_keys'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nAllowTcpForwarding yes\n"
        f"PidFile {folder / 'sshd.pid'}\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
    made = False
    proc: subprocess.Popen[bytes] | None = None
    try:
        r = _ip("netns", "add", ns)
        assert r.returncode == 0, r.stderr
        made = True
        for step in (
            ("link", "add", veth_o, "type", "veth", "peer", "name", veth_h, "netns", ns),
            ("addr", "add", f"{our_ip}/30", "dev", veth_o),
            ("link", "set", veth_o, "up"),
            ("-n", ns, "addr", "add", f"{host_ip}/30", "dev", veth_h),
            ("-n", ns, "link", "set", veth_h, "up"),
            ("-n", ns, "link", "set", "lo", "up"),
            ("-n", ns, "route", "add", "default", "via", our_ip),
        ):
            r = _ip(*step)
            assert r.returncode == 0, f"ip {' '.join(step)}: {r.stderr}"
        log = folder / "sshd.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                ["ip", "netns", "exec", ns, SSHD, "-D", "-e", "-f", str(config)], stdout=out, stderr=out
            )
        _wait_port(host_ip, 22, proc, log)
        yield SshHost(ns, host_ip, "root", key, folder, our_ip)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        if made:  # deleting the namespace deletes the veth pair with it
            _ip("netns", "del", ns)
