"""A real pseudo-terminal around a real console process: what a user at a terminal sees and types."""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

from .screen import WAIT, strip_ansi

# the child takes the terminal as its controlling one (so ^C becomes SIGINT), then becomes the console
_TAKE_TTY = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


#: what a program writes to ask the terminal where the cursor is (CPR), and the answer's format
_CPR_REQUEST = "\x1b[6n"


class Terminal:
    """``answer_cpr``: answer cursor-position requests as a real terminal does (always "row 1": the whole
    screen is below the cursor), for what prompt_toolkit draws only when it knows that (bottom toolbars)."""

    def __init__(
        self, args: list[str], env: dict[str, str], rows: int = 40, cols: int = 120, *, answer_cpr: bool = False
    ) -> None:
        self.answer_cpr = answer_cpr
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _TAKE_TTY, *args],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(slave)
        self.master = master
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.raw = ""

    @property
    def text(self) -> str:
        """What was written so far, without escape sequences (colours, cursor moves)."""
        return strip_ansi(self.raw).replace("\r", "")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def expect(self, needle: str, timeout: float = WAIT, after: int = 0) -> int:
        """Wait until ``needle`` shows (at or after text offset ``after``); return where it ends."""
        deadline = time.monotonic() + timeout
        while True:
            i = self.text.find(needle, after)
            if i >= 0:
                return i + len(needle)
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"{needle!r} did not show within {timeout} s; the terminal shows:\n{self.text}")

    def wait_exit(self, timeout: float = WAIT) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            # keep reading: a child blocked writing to a full terminal never exits
            self._read(min(0.2, max(0.0, deadline - time.monotonic())))
        try:
            return self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the console did not exit within {timeout} s; the terminal shows:\n{self.text}")

    def close(self) -> None:
        if self.proc.poll() is None:
            # SIGTERM first: the console shuts its kernel down on the way out, a SIGKILL would orphan it
            self.proc.terminate()
            try:
                self.wait_exit(10)
            except AssertionError:
                self.proc.kill()
                self.proc.wait(5)
        os.close(self.master)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed its side
            return False
        if not data:
            return False
        text = self._decoder.decode(data)
        if self.answer_cpr:
            for _ in range(text.count(_CPR_REQUEST)):
                os.write(self.master, b"\x1b[1;1R")
        self.raw += text
        return True
