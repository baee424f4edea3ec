"""The calltip under the prompt while typing inside a call: keys typed into the real prompt_toolkit prompt (a
pipe input), a real kernel answering inspect_request; and the same in a real terminal."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.client import BlockingClient
from ipykernel_lite.console.calltip import Tip, callee_at

from .screen import WAIT, Screen
from .terminal import Terminal
from .typed import CTRL_C, CTRL_D, typed_console

AREA = "def area(width, height=1):\n    '''Area of a rectangle.\n\n    More text.'''\n    return width * height"


def toolbar_text(reader: Any) -> str | None:
    bar = reader.cells.bottom_toolbar
    return None if bar is None else "".join(text for _, text, *_ in bar)


class TipWatch:
    """Sets ``shown`` each time the prompt puts a calltip up (the prompt's own hook, wrapped)."""

    def __init__(self, reader: Any) -> None:
        self.shown = threading.Event()
        self.texts: list[str] = []
        original = reader._show_tip

        def show() -> None:
            original()
            text = toolbar_text(reader)
            if text is not None:
                self.texts.append(text)
                self.shown.set()

        reader._show_tip = show


def run_typist(app: Any, typist: Any) -> None:
    thread = threading.Thread(target=typist)
    thread.start()
    try:
        assert app.loop() == 0
    finally:
        thread.join(WAIT)


def test_callee_is_the_innermost_call_before_the_cursor() -> None:
    assert callee_at("os.path.join(a, ", 16) == "os.path.join"
    assert callee_at("print(len(x), sorted(y, key=", 29) == "sorted"
    assert callee_at("print(len(x)", 12) == "print"  # the inner call is closed
    assert callee_at("f(g(1)(", 7) is None  # a call's result: asking would mean running it
    assert callee_at("x = [1, 2", 9) is None
    assert callee_at("f(1)  # g(", 10) is None
    assert callee_at("def area(wid", 12) is None


def test_tip_shows_while_typing_inside_a_call(screen: Screen, runtime_dir: Path) -> None:
    with typed_console(screen) as (app, inp):
        assert app.execute(AREA).status == "ok"
        reader = app.reader
        watch = TipWatch(reader)
        gone = threading.Event()
        at_close: dict[str, Any] = {}

        def closed(b: Any) -> None:
            if b.text == "area(3, 2)" and not gone.is_set():
                # the call closed: the tip goes away
                at_close.update(toolbar=toolbar_text(reader), cache=dict(reader.calltips.cache))
                at_close.update(unanswered=reader.calltips.unanswered)
                gone.set()

        def typist() -> None:
            inp.send_text("area(3, ")
            if watch.shown.wait(WAIT):
                reader.cells.default_buffer.on_text_changed += closed
                inp.send_text("2)")
                gone.wait(WAIT)
            inp.send_text(CTRL_C + CTRL_D)

        run_typist(app, typist)
    assert watch.texts[0] == "area(width, height=1)\nArea of a rectangle."
    # asked once, for "area", however many keys were typed inside its parentheses
    assert at_close == {
        "toolbar": None,
        "cache": {"area": Tip("area(width, height=1)", "Area of a rectangle.")},
        "unanswered": [],
    }


def test_prompt_stays_responsive_while_the_kernel_is_busy(
    screen: Screen, runtime_dir: Path, tmp_path: Path
) -> None:
    """Another client keeps the kernel busy: keys still reach the prompt, the request waits, and its late
    reply shows the tip once the kernel is free."""
    flag = tmp_path / "free"
    busy_cell = (
        "import os, time\nprint('busy', flush=True)\n"
        f"while not os.path.exists({str(flag)!r}):\n    time.sleep(0.01)\n"
    )
    with typed_console(screen) as (app, inp):
        assert app.execute(AREA).status == "ok"
        reader = app.reader
        watch = TipWatch(reader)
        manager = app.link.manager
        assert manager is not None
        busy = threading.Event()
        other_done = threading.Event()

        def other_client() -> None:
            with BlockingClient(manager.connection_file) as other:
                other.wait_for_ready(WAIT)
                other.execute(busy_cell, output_hook=lambda m: busy.set(), timeout=WAIT * 3)
            other_done.set()

        helper = threading.Thread(target=other_client)
        helper.start()
        typed = threading.Event()
        seen: dict[str, Any] = {}

        def on_text(b: Any) -> None:
            if b.text == "area(7, 8" and not typed.is_set():
                # the keys got in while the kernel still runs the other client's cell (the flag is not there)
                seen["unanswered"] = reader.calltips.unanswered
                seen["tip"] = reader.calltips.tip
                seen["kernel_free"] = flag.exists()
                typed.set()

        reader.cells.default_buffer.on_text_changed += on_text

        def typist() -> None:
            if busy.wait(WAIT):
                inp.send_text("area(7, 8")
                if typed.wait(WAIT):
                    flag.touch()
                    watch.shown.wait(WAIT)
            inp.send_text(CTRL_C + CTRL_D)

        try:
            run_typist(app, typist)
        finally:
            flag.touch()
            helper.join(WAIT)
    assert other_done.is_set()
    assert seen == {"unanswered": ["area"], "tip": None, "kernel_free": False}
    assert watch.texts and watch.texts[-1] == "area(width, height=1)\nArea of a rectangle."


@pytest.fixture
def ipykernel_cmd() -> list[str]:
    pytest.importorskip("ipykernel")
    return [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


def test_tip_from_ipykernels_reply(screen: Screen, runtime_dir: Path, ipykernel_cmd: list[str]) -> None:
    """ipykernel sends no calltip metadata: the tip comes from its text (IPython's layout, with colours)."""
    with typed_console(screen, kernel_cmd=ipykernel_cmd) as (app, inp):
        assert app.execute(AREA).status == "ok"
        reader = app.reader
        watch = TipWatch(reader)

        def typist() -> None:
            inp.send_text("area(")
            watch.shown.wait(WAIT)
            inp.send_text(CTRL_C + CTRL_D)

        run_typist(app, typist)
    assert watch.texts[0] == "area(width, height=1)\nArea of a rectangle."


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    from .test_console_terminal import console_env

    (tmp_path / "runtime").mkdir()
    env = console_env(tmp_path)
    # the bar below the prompt is drawn only once the terminal said where the cursor is (as real ones do)
    env.pop("PROMPT_TOOLKIT_NO_CPR")
    t = Terminal(["-m", "ipykernel_lite", "console"], env, answer_cpr=True)
    try:
        yield t
    finally:
        t.close()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_tip_is_drawn_below_the_prompt_in_a_terminal(terminal: Terminal) -> None:
    at = terminal.expect("In [1]: ", timeout=30)
    terminal.send("def scale(value, factor=2):\r")
    terminal.send("'Multiply value by ' 'factor.'\r")  # the docstring's text is not typed as it shows
    terminal.send("return value * factor\r\r")
    at = terminal.expect("In [2]: ", after=at)
    terminal.send("scale(")
    try:
        at = terminal.expect("scale(value, factor=2)", after=at)
    except AssertionError:
        # prompt_toolkit gives a terminal 2 s to answer its first cursor-position request, then never draws a
        # bottom bar in that session: say so rather than only "did not show"
        assert "cursor position requests" not in terminal.text, "the console judged CPR unsupported"
        raise
    at = terminal.expect("Multiply value by factor.", after=at)
    terminal.send(CTRL_C)
    # prompt_toolkit first redraws the abandoned line, tip gone ("In [2]: scale("), then leaves raw mode; a
    # Ctrl-D typed before the next prompt is up meets the terminal's cooked mode, which swallows it
    at = terminal.expect("In [2]: scale(", after=at)
    terminal.expect("In [2]: ", after=at)
    terminal.send(CTRL_D)
    assert terminal.wait_exit() == 0
