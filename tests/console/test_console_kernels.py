"""The console on kernels it does not start itself: an existing one (``--existing``), another Jupyter kernel
(``--kernel-cmd``: ipykernel)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import KernelManager
from ipykernel_lite.console.link import find_connection_file

from .screen import Screen
from .typed import CTRL_D, ENTER, type_and_run, typed_console

IPYKERNEL = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


@pytest.fixture
def running(tmp_path: Path) -> Iterator[KernelManager]:
    """A kernel someone else started."""
    km = KernelManager(connection_dir=tmp_path)
    km.start()
    try:
        yield km
    finally:
        km.shutdown(timeout=2.0)


def test_existing_kernel_is_used_and_left_running(screen: Screen, running: KernelManager) -> None:
    code, app = type_and_run(screen, "x = 5" + ENTER + "x * 2" + ENTER + CTRL_D, existing=str(running.connection_file))
    assert code == 0
    assert not app.link.owned
    assert "Out[2]: 10\n" in screen.text
    assert running.is_alive()
    # a second console on it carries on the numbering and sees the same namespace
    again = Screen()
    code, app = type_and_run(again, "x" + ENTER + CTRL_D, existing=str(running.connection_file))
    assert "Out[3]: 5\n" in again.text
    assert running.is_alive()


def test_existing_kernel_is_interrupted_by_message(screen: Screen, running: KernelManager) -> None:
    leaked: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: leaked.append(signum))
    try:
        with typed_console(screen, existing=str(running.connection_file)) as (app, inp):
            screen.when("sleeping", lambda: signal.raise_signal(signal.SIGINT))
            outcome = app.execute("print('sleeping', flush=True)\nimport time\ntime.sleep(30)")
            assert outcome.status == "error"
            assert "KeyboardInterrupt" in screen.text
            assert app.execute("print('next')").status == "ok"
            inp.send_text(CTRL_D)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert leaked == []


def test_existing_kernel_that_dies_is_reported_not_restarted(screen: Screen, running: KernelManager) -> None:
    with typed_console(screen, existing=str(running.connection_file)) as (app, inp):
        pid = running.pid
        assert pid is not None
        screen.when("running", lambda: _kill(pid))
        outcome = app.execute("print('running', flush=True)\nimport time\ntime.sleep(30)")
        assert outcome.status == "died"
        assert "it was not started by this console, so it is not restarted" in screen.text
        inp.send_text(CTRL_D)


def test_connection_file_is_found_by_name_in_the_runtime_dir(runtime_dir: Path) -> None:
    f = runtime_dir / "kernel-abc123.json"
    f.write_text("{}")
    assert find_connection_file("kernel-abc123.json") == f
    assert find_connection_file("abc123") == f
    assert find_connection_file(str(f)) == f
    with pytest.raises(FileNotFoundError):
        find_connection_file("nope")


def test_another_jupyter_kernel_is_driven_too(screen: Screen, runtime_dir: Path) -> None:
    keys = (
        "print(6*7)"
        + ENTER
        + "name = input('who? ')"
        + ENTER
        + "Ada"
        + ENTER
        + "for i in range(2):"
        + ENTER
        + "print('row', i)"
        + ENTER
        + ENTER
        + "name"
        + ENTER
        + CTRL_D
    )
    code, app = type_and_run(screen, keys, kernel_cmd=IPYKERNEL)
    assert code == 0
    assert app.kernel_info.get("implementation") == "ipython"
    assert "42\n" in screen.text
    assert "row 0\nrow 1\n" in screen.text
    assert "Out[4]: 'Ada'\n" in screen.text
    assert app.link.manager is not None and not app.link.manager.is_alive()


def _kill(pid: int) -> None:
    import os

    os.kill(pid, signal.SIGKILL)
