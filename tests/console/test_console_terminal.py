"""End to end: ``python -m ipykernel_lite console`` in a pseudo-terminal, typed into like a user would."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .screen import WAIT
from .terminal import Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ROOT = Path(__file__).resolve().parents[2]


def console_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        TERM="xterm-256color",
        # a test terminal does not answer cursor-position queries
        PROMPT_TOOLKIT_NO_CPR="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    )
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    (tmp_path / "runtime").mkdir()
    t = Terminal(["-m", "ipykernel_lite", "console"], console_env(tmp_path))
    try:
        yield t
    finally:
        t.close()


def test_print_then_ctrl_d_leaves_no_kernel_behind(terminal: Terminal, tmp_path: Path) -> None:
    at = terminal.expect("In [1]: ", timeout=30)
    terminal.send("print(6*7)\r")
    at = terminal.expect("42\n", after=at)
    terminal.send("import os; os.getpid()\r")
    at = terminal.expect("Out[2]: ", after=at)
    end = terminal.expect("\n", after=at)
    kernel_pid = int(terminal.text[at:end])
    terminal.expect("In [3]: ", after=end)
    terminal.send("\x04")
    assert terminal.wait_exit() == 0
    with pytest.raises(ProcessLookupError):
        os.kill(kernel_pid, 0)
    assert list((tmp_path / "runtime").iterdir()) == []
    # the cells went to the history file in the user's data directory
    history = (tmp_path / "data" / "ipykernel_lite" / "console_history").read_text()
    assert "+print(6*7)" in history


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_closed_terminal_or_kill_still_shuts_the_kernel_down(
    terminal: Terminal, tmp_path: Path, sig: signal.Signals
) -> None:
    at = terminal.expect("In [1]: ", timeout=30)
    terminal.send("import os; os.getpid()\r")
    at = terminal.expect("Out[1]: ", after=at)
    end = terminal.expect("\n", after=at)
    kernel_pid = int(terminal.text[at:end])
    terminal.expect("In [2]: ", after=end)
    os.kill(terminal.proc.pid, sig)
    assert terminal.wait_exit() == 128 + sig
    with pytest.raises(ProcessLookupError):
        os.kill(kernel_pid, 0)
    assert list((tmp_path / "runtime").iterdir()) == []


def test_ctrl_c_interrupts_the_kernel_not_the_console(terminal: Terminal) -> None:
    at = terminal.expect("In [1]: ", timeout=30)
    # the marker is computed, so the echo of the typed line cannot match it
    terminal.send("print('sle' + 'eping', flush=True); import time; time.sleep(30)\r")
    at = terminal.expect("sleeping\n", after=at)
    terminal.send("\x03")
    at = terminal.expect("KeyboardInterrupt", after=at, timeout=10)
    at = terminal.expect("In [2]: ", after=at)
    terminal.send("print(6*7)\r")
    at = terminal.expect("42\n", after=at)
    # Ctrl-D typed before the prompt is up meets the terminal's cooked mode, which swallows it
    terminal.expect("In [3]: ", after=at)
    terminal.send("\x04")
    assert terminal.wait_exit() == 0


def test_piped_stdin_gets_plain_prompts(tmp_path: Path) -> None:
    (tmp_path / "runtime").mkdir()
    cells = "print(6*7)\nfor i in range(2):\n    print('row', i)\n\nname = input('who? ')\nAda\nprint('hi', name)\n"
    done = subprocess.run(
        [sys.executable, "-m", "ipykernel_lite", "console"],
        input=cells,
        capture_output=True,
        text=True,
        env=console_env(tmp_path),
        timeout=WAIT * 2,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"In \[1\]: 42\n", done.stdout)
    assert "row 0\nrow 1\n" in done.stdout
    assert "who? " in done.stdout and "hi Ada\n" in done.stdout
    assert list((tmp_path / "runtime").iterdir()) == []


def test_getpass_shows_nothing_and_pdb_prompts_follow_each_other(terminal: Terminal) -> None:
    at = terminal.expect("In [1]: ", timeout=30)
    # the prompt is computed: the echo of the typed line must not look like it
    terminal.send("import getpass; key = getpass.getpass('K' + 'ey: ')\r")
    at = terminal.expect("Key:", after=at)  # its trailing space is a cursor move, not text
    terminal.send("hunter2\r")
    at = terminal.expect("In [2]: ", after=at)
    terminal.send("len(key)\r")
    at = terminal.expect("Out[2]: 7\n", after=at)
    assert "hunter2" not in terminal.text
    at = terminal.expect("In [3]: ", after=at)
    # typed as a user would: Enter after the colon indents, a blank line ends the block
    terminal.send("def f():\r")
    terminal.send("x = 41\r")
    terminal.send("breakpoint()\r")
    terminal.send("return x + 1\r")
    terminal.send("\r")
    at = terminal.expect("In [4]: ", after=at)
    terminal.send("f()\r")
    at = terminal.expect("(Pdb)", after=at)
    terminal.send("p x * 100\r")
    # wait for the next prompt, not for the value: the client may still hand over the prompt before the
    # output the kernel sent ahead of it (a known client race between the stdin and IOPub sockets)
    at = terminal.expect("(Pdb)", after=at)
    terminal.send("c\r")
    at = terminal.expect("Out[4]: 42\n", after=at)
    assert "4100\n" in terminal.text
    terminal.expect("In [5]: ", after=at)
    terminal.send("\x04")
    assert terminal.wait_exit() == 0
