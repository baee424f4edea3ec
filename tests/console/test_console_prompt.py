"""The console's loop with keys typed into its real prompts (prompt_toolkit on a pipe input)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from ipykernel_lite.console.completer import KernelCompleter
from ipykernel_lite.console.history import open_history

from .screen import WAIT, Screen
from .typed import CTRL_C, CTRL_D, ENTER, TAB, UP, type_and_run, typed_console

STOPS_ON_BREAKPOINT_LINE = sys.version_info >= (3, 13)


def test_typed_cell_runs_and_ctrl_d_exits(screen: Screen, runtime_dir: Path) -> None:
    code, app = type_and_run(screen, "print(6*7)" + ENTER + CTRL_D)
    assert code == 0
    assert "42\n" in screen.text
    assert app.next_count == 2
    # the kernel the console started is gone, and so is its connection file
    assert app.link.manager is not None and not app.link.manager.is_alive()
    assert list(runtime_dir.glob("kernel-*.json")) == []


def test_enter_continues_an_incomplete_cell_with_the_kernels_indent(screen: Screen, runtime_dir: Path) -> None:
    # no indentation typed: after "for ...:" Enter opens a line indented by the kernel, a blank line ends it
    keys = "for i in range(3):" + ENTER + "print(i * 10)" + ENTER + ENTER + CTRL_D
    code, app = type_and_run(screen, keys)
    assert code == 0
    assert "0\n10\n20\n" in screen.text
    assert app.next_count == 2  # one cell, not three


def test_history_survives_the_session(screen: Screen, runtime_dir: Path, tmp_path: Path) -> None:
    hist = tmp_path / "history"
    type_and_run(screen, "print('from' + ' history')" + ENTER + CTRL_D, history=str(hist))
    assert "print('from' + ' history')" in list(open_history(hist).load_history_strings())
    second = Screen()
    # Up recalls the cell typed in the first session; Enter runs it again
    type_and_run(second, UP + ENTER + CTRL_D, history=str(hist))
    assert "from history\n" in second.text


def test_ctrl_c_at_the_prompt_drops_the_line(screen: Screen, runtime_dir: Path) -> None:
    keys = "this is not python" + CTRL_C + "print('clean')" + ENTER + CTRL_D
    code, app = type_and_run(screen, keys)
    assert code == 0
    assert "clean\n" in screen.text
    assert "Error" not in screen.text
    assert app.next_count == 2


def test_exit_leaves_and_shuts_the_kernel_down(screen: Screen, runtime_dir: Path) -> None:
    code, app = type_and_run(screen, "exit" + ENTER + "print('after exit')" + ENTER + CTRL_D)
    assert code == 0
    assert "after exit" not in screen.text
    assert app.link.manager is not None and not app.link.manager.is_alive()


def test_exit_call_leaves_through_the_kernels_ask_exit(screen: Screen, runtime_dir: Path) -> None:
    code, app = type_and_run(screen, "exit()" + ENTER + "print('after exit')" + ENTER + CTRL_D)
    assert code == 0
    assert "after exit" not in screen.text
    assert "SystemExit" not in screen.text
    assert app.link.manager is not None and not app.link.manager.is_alive()


def test_input_is_typed_at_its_own_prompt(screen: Screen, runtime_dir: Path) -> None:
    keys = "name = input('who? ')" + ENTER + "Ada" + ENTER + "print('hi', name)" + ENTER + CTRL_D
    type_and_run(screen, keys)
    assert "hi Ada\n" in screen.text


def test_pdb_is_driven_from_the_prompt(screen: Screen, runtime_dir: Path) -> None:
    cell = (
        "def f():" + ENTER + "x = 41" + ENTER + "breakpoint()" + ENTER + "x += 1" + ENTER + "return x" + ENTER + ENTER
    )
    keys = cell + "print('result', f())" + ENTER + "n" + ENTER + "p x * 100" + ENTER + "c" + ENTER + CTRL_D
    code, _ = type_and_run(screen, keys)
    assert code == 0
    assert ("4100" if STOPS_ON_BREAKPOINT_LINE else "4200") in screen.text
    assert "result 42\n" in screen.text


def test_tab_completes_from_the_kernel(screen: Screen, runtime_dir: Path) -> None:
    with typed_console(screen) as (app, inp):
        reader = app.reader
        buffer = reader.cells.default_buffer  # type: ignore[union-attr]
        completed = threading.Event()
        buffer.on_text_changed += lambda b: completed.set() if b.text == "print(unique_name_xyz" else None

        def type_keys() -> None:
            inp.send_text("unique_name_xyz = 7" + ENTER + "print(unique_na" + TAB)
            # completion runs after the keys already queued: type on only once it has been applied
            if completed.wait(WAIT):
                inp.send_text(")" + ENTER)
            inp.send_text(CTRL_D)

        typist = threading.Thread(target=type_keys)
        typist.start()
        try:
            assert app.loop() == 0
        finally:
            typist.join(WAIT)
    assert completed.is_set()
    assert "7\n" in screen.text


def test_completer_honours_the_kernels_cursor_range(screen: Screen, runtime_dir: Path) -> None:
    with typed_console(screen) as (app, _):
        app.execute("import os")
        completer = KernelCompleter(app.complete)
        doc = Document("os.pa", cursor_position=5)
        found = {c.text: c for c in completer.get_completions(doc, CompleteEvent(completion_requested=True))}
        assert "pardir" in found and "path" in found
        # the kernel replaces "pa" (cursor_start 3): the completion starts two characters back
        assert found["path"].start_position == -2
        # typing alone does not ask the kernel
        assert list(completer.get_completions(doc, CompleteEvent(text_inserted=True))) == []


def test_a_kernel_killed_during_a_cell_is_restarted(screen: Screen, runtime_dir: Path) -> None:
    with typed_console(screen) as (app, _):
        manager = app.link.manager
        assert manager is not None
        old_pid = manager.pid
        assert app.execute("x = 1").status == "ok"
        screen.when("running", lambda: _kill(old_pid))
        outcome = app.execute("print('running', flush=True)\nimport time\ntime.sleep(30)")
        assert outcome.status == "died"
        assert "kernel died — restarted" in screen.text
        assert manager.pid != old_pid and manager.is_alive()
        # a new kernel: the next cell runs, numbered from 1, without the old variables
        assert app.next_count == 1
        assert app.execute("print(6*7)\n'x' in dir()").status == "ok"
        assert screen.text.endswith("42\nOut[1]: False\n")


def test_a_kernel_killed_at_the_prompt_is_restarted_at_once(screen: Screen, runtime_dir: Path) -> None:
    with typed_console(screen) as (app, inp):
        manager = app.link.manager
        assert manager is not None
        old_pid = manager.pid
        cell = "print('after restart')"
        typed = threading.Event()
        buffer = app.reader.cells.default_buffer  # type: ignore[union-attr]
        buffer.on_text_changed += lambda b: typed.set() if b.text == cell else None

        def type_kill_then_enter() -> None:
            inp.send_text(cell)
            # the prompt holds the half-typed cell; the kernel dies now, and the news must come before Enter
            if typed.wait(WAIT):
                _kill(old_pid)
                if screen.wait_for("kernel died — restarted"):
                    inp.send_text(ENTER)
            inp.send_text(CTRL_C + CTRL_D)

        typist = threading.Thread(target=type_kill_then_enter)
        typist.start()
        try:
            assert app.loop() == 0
        finally:
            typist.join(WAIT)
        assert "after restart\n" in screen.text
        assert manager.pid != old_pid
        # the line typed before the death was kept and ran on the new kernel, as its first cell
        assert app.next_count == 2


def _kill(pid: int | None) -> None:
    import os
    import signal

    assert pid is not None
    os.kill(pid, signal.SIGKILL)


def test_background_output_shows_up_at_the_prompt(screen: Screen, runtime_dir: Path, tmp_path: Path) -> None:
    flag = tmp_path / "go"
    cell = (
        "import os, threading, time\n"
        "def later():\n"
        f"    deadline = time.monotonic() + 20\n"
        f"    while not os.path.exists({str(flag)!r}) and time.monotonic() < deadline:\n"
        "        time.sleep(0.01)\n"
        "    print('printed' + ' later', flush=True)\n"
        "threading.Thread(target=later).start()\n"
        "print('thread started')"
    )
    with typed_console(screen) as (app, inp):
        assert app.execute(cell).status == "ok"
        assert "printed later" not in screen.text

        typed = threading.Event()
        buffer = app.reader.cells.default_buffer  # type: ignore[union-attr]
        buffer.on_text_changed += lambda b: typed.set() if b.text == "1 + 1" else None

        shown_at_prompt = threading.Event()

        def release_then_quit() -> None:
            inp.send_text("1 + 1")
            # the console sits at its prompt: the thread's line must show without Enter being pressed
            if typed.wait(WAIT):
                flag.touch()
                if screen.wait_for("printed later\n"):
                    shown_at_prompt.set()
            inp.send_text(CTRL_C + CTRL_D)

        typist = threading.Thread(target=release_then_quit)
        typist.start()
        try:
            assert app.loop() == 0
        finally:
            typist.join(WAIT)
    assert shown_at_prompt.is_set()
    assert "Out[" not in screen.text  # the half-typed line was never run
