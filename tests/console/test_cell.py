"""run_cell against a real kernel: live output, input(), pdb, interrupts, exit requests.

The screen is a recorder and the input prompt a list of answers: this is the console's core without a
terminal.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.console.cell import EOF, CellOutcome, run_cell
from ipykernel_lite.console.link import KernelLink
from ipykernel_lite.console.render import Renderer

from .images import png
from .screen import Answers, Screen

#: from Python 3.13 pdb stops on the breakpoint() line itself, before on the line after it
STOPS_ON_BREAKPOINT_LINE = sys.version_info >= (3, 13)


def run(link: KernelLink, screen: Screen, code: str, answers: Answers | None = None) -> CellOutcome:
    ask = answers if answers is not None else Answers([])
    return run_cell(link.client, code, Renderer(screen), ask, interrupt=link.interrupt, timeout=30)


@pytest.fixture
def sigint_guard() -> Iterator[list[int]]:
    """A SIGINT that escapes the console's own handler is recorded here instead of stopping pytest."""
    leaked: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: leaked.append(signum))
    try:
        yield leaked
    finally:
        signal.signal(signal.SIGINT, previous)


def test_outputs_are_rendered_in_order(link: KernelLink, screen: Screen) -> None:
    code = f"""
import sys
print("one", flush=True)
print("two", file=sys.stderr, flush=True)
class Pic:
    def _repr_png_(self):
        return {png(640, 480)!r}
display(Pic())
display({{"text/plain": "plain display"}}, raw=True)
6 * 7
"""
    outcome = run(link, screen, code)
    assert outcome.status == "ok"
    assert outcome.execution_count == 1
    assert screen.text == "one\ntwo\n[image/png 640x480]\nplain display\nOut[1]: 42\n"


def test_streamed_output_arrives_while_the_cell_still_runs(link: KernelLink, screen: Screen, tmp_path: Path) -> None:
    # the cell waits for a file that the test creates only once it has seen the cell's first line: if output
    # came at the end of the cell, the file would never appear and the cell would say so
    flag = tmp_path / "seen"
    code = f"""
import os, time
print("waiting for the console", flush=True)
deadline = time.monotonic() + 20
while not os.path.exists({str(flag)!r}) and time.monotonic() < deadline:
    time.sleep(0.01)
print("the console saw it" if os.path.exists({str(flag)!r}) else "the console did not see it")
"""
    screen.when("waiting for the console", flag.touch)
    outcome = run(link, screen, code)
    assert outcome.status == "ok"
    assert screen.text == "waiting for the console\nthe console saw it\n"


def test_input_is_answered(link: KernelLink, screen: Screen) -> None:
    answers = Answers(["Ada"])
    outcome = run(link, screen, "name = input('Who are you? ')\nprint('hello', name)", answers)
    assert outcome.status == "ok"
    assert answers.asked == [("Who are you? ", False)]
    assert screen.text == "hello Ada\n"


def test_getpass_asks_for_a_password(link: KernelLink, screen: Screen) -> None:
    answers = Answers(["s3cret"])
    run(link, screen, "import getpass\nprint(len(getpass.getpass('Key: ')))", answers)
    assert answers.asked == [("Key: ", True)]
    assert screen.text == "6\n"


def test_consecutive_inputs_and_eof(link: KernelLink, screen: Screen) -> None:
    answers = Answers(["a", "b", EOFError])
    code = """
got = []
try:
    while True:
        got.append(input('> '))
except EOFError:
    print('EOF after', got)
"""
    outcome = run(link, screen, code, answers)
    assert outcome.status == "ok"
    assert answers.asked == [("> ", False)] * 3
    assert screen.text == "EOF after ['a', 'b']\n"


def test_ctrl_d_answers_eof_to_the_kernel(link: KernelLink, screen: Screen) -> None:
    assert EOF == "\x04"
    outcome = run(link, screen, "input()", Answers([EOFError]))
    assert outcome.status == "error"
    assert "EOFError" in screen.text


def test_pdb_session_through_the_input_prompt(link: KernelLink, screen: Screen) -> None:
    code = """
def f():
    x = 41
    breakpoint()
    x += 1
    return x
print("result", f())
"""
    answers = Answers(["n", "p x * 100", "c"])
    outcome = run(link, screen, code, answers)
    assert outcome.status == "ok"
    assert answers.unused == []
    assert [prompt for prompt, _ in answers.asked] == ["(Pdb) "] * 3
    # where pdb stops decides whether `n` ran `x += 1` before `p`
    assert ("4100" if STOPS_ON_BREAKPOINT_LINE else "4200") in screen.text
    assert screen.text.rstrip().endswith("result 42")


def test_ctrl_c_interrupts_the_running_cell(link: KernelLink, screen: Screen, sigint_guard: list[int]) -> None:
    # Ctrl-C in the terminal is a SIGINT to the console while a cell runs: raise one as soon as the cell runs
    screen.when("sleeping", lambda: signal.raise_signal(signal.SIGINT))
    outcome = run(link, screen, "print('sleeping', flush=True)\nimport time\ntime.sleep(30)\nprint('woke up')")
    assert sigint_guard == []  # the console caught it, pytest never saw it
    assert outcome.status == "error"
    assert "KeyboardInterrupt" in screen.text
    assert "woke up" not in screen.text
    # back to normal: the next cell runs, and SIGINT has its old handler again
    assert run(link, screen, "print('still here')").status == "ok"
    assert screen.text.endswith("still here\n")
    assert signal.getsignal(signal.SIGINT) is not None and sigint_guard == []


def test_repeated_ctrl_c_gives_up_on_a_kernel_that_ignores_it(
    link: KernelLink, screen: Screen, sigint_guard: list[int]
) -> None:
    code = (
        "import signal, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "print('stubborn', flush=True)\n"
        "time.sleep(30)"
    )

    def press_ctrl_c_three_times() -> None:
        for _ in range(3):
            signal.raise_signal(signal.SIGINT)

    screen.when("stubborn", press_ctrl_c_three_times)
    outcome = run(link, screen, code)
    assert outcome.status == "abandoned"
    assert "stopped waiting" in screen.text
    assert sigint_guard == []
    # the kernel is still asleep: end it rather than wait for it to come back for the fixture's shutdown
    assert link.manager is not None and link.manager.pid is not None
    os.kill(link.manager.pid, signal.SIGKILL)


def test_ctrl_c_at_an_input_prompt_interrupts_the_cell(link: KernelLink, screen: Screen) -> None:
    outcome = run(link, screen, "input('name: ')\nprint('answered')", Answers([KeyboardInterrupt]))
    assert outcome.status == "error"
    assert "KeyboardInterrupt" in screen.text
    assert "answered" not in screen.text
    assert run(link, screen, "print(input('again: '))", Answers(["yes"])).status == "ok"
    assert screen.text.endswith("yes\n")


def test_exit_asks_to_leave_without_a_traceback(link: KernelLink, screen: Screen) -> None:
    outcome = run(link, screen, "print('bye')\nexit()")
    assert outcome.exit_requested
    assert not outcome.keep_kernel
    assert screen.text == "bye\n"


def test_system_exit_without_an_exit_request_is_shown(link: KernelLink, screen: Screen) -> None:
    # a kernel that does not turn SystemExit into ask_exit (ours does) must still show the error: simulate
    # with an error named SystemExit that is not one
    code = "class SystemExit(Exception): pass\nraise SystemExit('not leaving')"
    outcome = run(link, screen, code)
    assert not outcome.exit_requested
    assert "not leaving" in screen.text


def test_a_killed_kernel_ends_the_cell_with_its_cause(link: KernelLink, screen: Screen) -> None:
    assert link.manager is not None
    pid = link.manager.pid
    assert pid is not None
    screen.when("running", lambda: os.kill(pid, signal.SIGKILL))
    outcome = run(link, screen, "print('running', flush=True)\nimport time\ntime.sleep(30)")
    assert outcome.status == "died"
    assert outcome.died is not None and outcome.died.signal == signal.SIGKILL


def test_help_page_payload_is_shown(link: KernelLink, screen: Screen) -> None:
    outcome = run(link, screen, "len?")
    assert outcome.status == "ok"
    assert screen.text.startswith("Signature: len(obj, /)\n")
    assert screen.text.endswith("Return the number of items in a container.\n")
