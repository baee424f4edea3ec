"""Completion checked against live objects, after calls, and on pdb command lines (issue 15), through a
real kernel's sockets."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from ipykernel_lite.client import BlockingClient, start_kernel


@pytest.fixture(scope="module")
def kc() -> Iterator[BlockingClient]:
    km, client = start_kernel()
    try:
        setup = (
            "import math, os, collections\ntotal = 3\n"
            "def half(x: float) -> float:\n    return x / 2\n"
            "class Box:\n    size = 1\n    def grow(self):\n        pass\n"
        )
        assert client.execute(setup, timeout=30).ok
        # a fresh kernel warms jedi up in the background and answers from its fallback meanwhile: wait
        # (on replies) until jedi answers, so the tests see the completer they are about
        for _ in range(100):
            if "upper" in client.complete("os.getcwd().upp", timeout=30)["matches"]:
                break
        yield client
    finally:
        client.close()
        km.shutdown(timeout=2.0)


def matches(kc: BlockingClient, code: str) -> tuple[list[str], int, int]:
    reply = kc.complete(code, len(code), timeout=30)
    assert reply["status"] == "ok", reply
    return reply["matches"], reply["cursor_start"], reply["cursor_end"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("os.getcwd().upp", "upper"),  # a builtin function: the type its stub declares
        ("collections.OrderedDict().move_to", "move_to_end"),  # a class: its instance
        ("half(3).is_int", "is_integer"),  # a return annotation
        ("Box().gr", "grow"),
    ],
)
def test_completion_after_a_call(kc: BlockingClient, code: str, expected: str) -> None:
    found, start, end = matches(kc, code)
    assert expected in found
    assert end == len(code) and code[start:end] == code[code.rfind(".") + 1 :]


def test_attributes_of_a_live_module_exist_on_it(kc: BlockingClient) -> None:
    found, _, _ = matches(kc, "math.f")
    assert "fmod" in found and "floor" in found
    assert all(hasattr(math, name) for name in found)  # no stub-only names (math.fma before 3.13)


@pytest.mark.parametrize(
    ("line", "expected", "start"),
    [
        ("p to", "total", 2),
        ("pp to", "total", 3),
        ("b ha", "half", 2),
        ("display math.sq", "sqrt", 13),
        ("!to", "total", 1),
    ],
)
def test_pdb_command_lines_complete_their_argument(kc: BlockingClient, line: str, expected: str, start: int) -> None:
    found, cursor_start, _ = matches(kc, line)
    assert expected in found
    assert cursor_start == start


def test_python_that_looks_like_a_command_is_still_python(kc: BlockingClient) -> None:
    found, start, _ = matches(kc, "b = to")  # an assignment, not pdb's break
    assert "total" in found and start == 4
