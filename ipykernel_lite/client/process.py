"""The kernel as an OS process: launch it in its own session, signal it, reap it, read its last words."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

POSIX = os.name == "posix"
_TRACEBACK_START = "Traceback (most recent call last):"


def launch(
    argv: list[str], env: dict[str, str], cwd: str | None, log: IO[bytes] | None, *, stdin_pipe: bool = False
) -> subprocess.Popen[bytes]:
    """Start the kernel as a session leader, so a Ctrl-C in our terminal does not reach it and signals can
    go to its whole process group (the subprocesses user code spawned included). ``stdin_pipe``: a spare
    kernel waits on its stdin for the word to start."""
    kwargs: dict[str, object] = {}
    if POSIX:
        kwargs["start_new_session"] = True
    elif sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    return subprocess.Popen(  # type: ignore[call-overload]
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin_pipe else subprocess.DEVNULL,
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
    """Wait for the process to end and reap it. A pidfd wakes us the moment it exits (Popen.wait with a
    timeout polls with sleeps of up to 50 ms, which a restart meant to take 0.1 s cannot afford)."""
    if proc.poll() is not None:
        return True
    deadline = time.monotonic() + max(0.0, timeout)
    fd = pidfd(proc)
    if fd >= 0:
        try:
            select.select([fd], [], [], max(0.0, timeout))
        finally:
            os.close(fd)
        # readable means it exited: reap it (poll may lose the race with another thread's poll: retry)
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        return proc.returncode is not None
    try:
        proc.wait(timeout=max(0.0, timeout))
    except subprocess.TimeoutExpired:
        return False
    return True


def pidfd(proc: subprocess.Popen[bytes]) -> int:
    """A descriptor that becomes readable when the process exits, or -1 (not Linux >= 5.3, or reaped)."""
    if proc.returncode is not None:
        return -1
    try:
        return os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        return -1


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


def read_fault(path: Path | None, max_bytes: int = 16 * 1024) -> str | None:
    """What faulthandler wrote (a fatal signal's stacks), or None if the file is absent or empty."""
    text = tail(path, max_bytes).strip()
    return text or None


def remove(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass


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
