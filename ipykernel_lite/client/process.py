"""The kernel as an OS process: launch it in its own session, signal it, reap it, read its last words."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

POSIX = os.name == "posix"
_TRACEBACK_START = "Traceback (most recent call last):"


def launch(
    argv: list[str], env: dict[str, str], cwd: str | None, log: IO[bytes] | None
) -> subprocess.Popen[bytes]:
    """Start the kernel as a session leader, so a Ctrl-C in our terminal does not reach it and signals can
    go to its whole process group (the subprocesses user code spawned included)."""
    kwargs: dict[str, object] = {}
    if POSIX:
        kwargs["start_new_session"] = True
    elif sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    return subprocess.Popen(  # type: ignore[call-overload]
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        close_fds=True,
        **kwargs,
    )


def send_signal(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Signal the kernel's process group (it leads its own session); the process alone elsewhere."""
    if proc.poll() is not None:
        return
    try:
        if POSIX:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        # already reaped between poll() and the signal, or the group is gone
        pass


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the whole group, even after the leader exited (its children may linger)."""
    if POSIX:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:
        proc.kill()


def wait_exit(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    try:
        proc.wait(timeout=max(0.0, timeout))
    except subprocess.TimeoutExpired:
        return False
    return True


def tail(path: Path | None, max_bytes: int = 64 * 1024) -> str:
    if path is None:
        return ""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - max_bytes))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def last_traceback(text: str, max_chars: int = 8000) -> str | None:
    i = text.rfind(_TRACEBACK_START)
    if i < 0:
        return None
    return text[i : i + max_chars].rstrip()


def reap_at_exit(proc: subprocess.Popen[bytes]) -> None:
    """Our interpreter is exiting with the kernel still running: do not leave an orphan behind."""
    if proc.poll() is None:
        kill_group(proc)
        wait_exit(proc, 1.0)
