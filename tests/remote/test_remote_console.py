"""``ipykernel-lite console`` on remote kernels, driven through tmux as a user would: ``--server`` against a
real Jupyter Server, and ``--existing --ssh`` against a kernel inside a namespace that runs sshd."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from ipykernel_lite.client.remote import connect_server

from ..conftest import TEST_KERNEL
from .servers import RunningServer
from .sshhost import SshHost, ssh_host, why_not

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timeout(300),
]
REPO = Path(__file__).resolve().parents[2]


class Tmux:
    """One detached tmux session running a command; keys in, screen text out."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.name = f"ikl-{uuid4().hex[:10]}"
        cmd = " ".join(_quote(a) for a in argv)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "150", "-y", "50", cmd],
            check=True,
            env=env,
            timeout=30,
        )

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True, timeout=30)

    def screen(self) -> str:
        r = subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", self.name], capture_output=True, text=True
        )
        return r.stdout

    def expect(self, needle: str, timeout: float = 60) -> str:
        # a wall-clock deadline: on a loaded machine each capture-pane takes long, and counting polls made the
        # wait outlast the test's own timeout, which then failed without showing the screen
        pause = threading.Event()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if needle in text:
                return text
            pause.wait(0.05)
        raise AssertionError(f"{needle!r} never showed in {timeout:g} s; the screen:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _quote(a: str) -> str:
    import shlex

    return shlex.quote(a)


@pytest.fixture
def console_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "HOME": str(tmp_path)}


def _until_gone(t: Tmux) -> None:
    pause = threading.Event()
    for _ in range(600):
        if not t.alive():
            return
        pause.wait(0.05)
    raise AssertionError(f"the console did not exit:\n{t.screen()}")


def test_console_on_a_jupyter_server(jserver: RunningServer, console_env: dict[str, str]) -> None:
    argv = [sys.executable, "-m", "ipykernel_lite", "console", "--server", jserver.url, "--kernel", TEST_KERNEL]
    t = Tmux(argv, {**console_env, "JUPYTER_TOKEN": jserver.token})
    try:
        t.expect("In [1]", timeout=120)
        t.keys("print('remote', 6 * 7)", "Enter")
        t.expect("remote 42")
        t.keys("name = input('who? ')", "Enter")
        t.expect("who?")
        t.keys("tmux user", "Enter")
        t.expect("In [3]")
        # "zz" is only in the output, not in the echoed command: Ctrl-C goes once the cell really runs
        t.keys("import time; print('z' * 2, flush=True); time.sleep(60)", "Enter")
        t.expect("zz")
        t.keys("C-c")  # the console interrupts through the server's REST API
        t.expect("KeyboardInterrupt")
        t.keys("name", "Enter")
        t.expect("'tmux user'")
        server = connect_server(jserver.url, jserver.token)
        assert [k["name"] for k in server.list_kernels()] == [TEST_KERNEL]
        t.expect("In [5]")  # a key sent before the next prompt reads input can be lost
        t.keys("C-d")
        _until_gone(t)
        assert server.list_kernels() == []  # the console shut down the kernel it started
    finally:
        t.close()


def test_console_with_a_wrong_token_says_so(jserver: RunningServer, console_env: dict[str, str]) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "ipykernel_lite", "console", "--server", jserver.url, "--token", "wrong"],
        capture_output=True,
        text=True,
        env=console_env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 2
    assert "refused our credentials" in r.stderr


@pytest.fixture(scope="module")
def ssh_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SshHost, Path]]:
    reason = why_not()
    if reason:
        pytest.skip(reason)
    from ipykernel_lite.protocol import ConnectionInfo
    from ipykernel_lite.protocol.connection import write_connection_file

    with ssh_host(tmp_path_factory.mktemp("sshcon"), index=1) as host:
        info = ConnectionInfo(ip="127.0.0.1")
        info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port = (
            50301,
            50302,
            50303,
            50304,
            50305,
        )
        path = Path(write_connection_file(host.folder / "kernel.json", info))
        with open(host.folder / "kernel.log", "wb") as log:
            proc = subprocess.Popen(
                host.run(sys.executable, "-m", "ipykernel_lite", "-f", str(path)),
                stdout=log,
                stderr=log,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )
        try:
            yield host, path
        finally:
            proc.kill()
            proc.wait(10)


def test_console_existing_over_ssh(ssh_kernel: tuple[SshHost, Path], console_env: dict[str, str]) -> None:
    host, path = ssh_kernel
    argv = [sys.executable, "-m", "ipykernel_lite", "console", "--existing", str(path), "--ssh", host.target]
    # the test's key and a throw-away known_hosts (ssh reads ~/.ssh of the passwd entry, not of $HOME)
    argv += ["--ssh-key", str(host.key), "--ssh-option", "StrictHostKeyChecking=no"]
    argv += ["--ssh-option", f"UserKnownHostsFile={host.folder / 'known_hosts'}", "--ssh-option", "LogLevel=ERROR"]
    t = Tmux(argv, console_env)
    try:
        t.expect("In [1]")
        t.keys("import os; print('tunnelled', os.getpid() > 0)", "Enter")
        t.expect("tunnelled True")
        t.expect("In [2]")  # a key sent before the next prompt reads input can be lost
        t.keys("C-d")
        _until_gone(t)
    finally:
        t.close()
