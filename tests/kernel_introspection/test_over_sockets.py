"""Completion, calltips and inspection through a real kernel's sockets (the pure logic is in tests/introspect)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import BlockingClient, KernelManager, start_kernel


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingClient]]:
    km, kc = start_kernel()
    try:
        setup = (
            "import os, collections\n"
            "settings = {'alpha': 1, 'beta': 2}\n"
            "class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n"
            "def greet(name, greeting='hello', *, sep=' '):\n    'Say hello.'\n    return greeting + sep + name\n"
            "p = Point(1, 2)\n"
        )
        assert kc.execute(setup, timeout=30).ok
        yield km, kc
    finally:
        kc.close()
        km.shutdown(timeout=2.0)


def _completion(kc: BlockingClient, code: str, channel: str = "shell") -> dict:
    reply = kc.complete(code, len(code), channel=channel, timeout=30)
    assert reply["status"] == "ok", reply
    return reply


@pytest.mark.parametrize(
    ("code", "expected", "replaced"),
    [
        ("x = 1\nif x:\n    os.path.jo", "join", "jo"),  # multi-line, attribute chain
        ("p.", "x", ""),  # live instance attributes
        ("import collec", "collections", "collec"),
        ("from os import pa", "path", "pa"),
        ("greet('a', gre", "greeting=", "gre"),  # keyword argument
        ('settings["al', '"alpha"', '"al'),  # dict keys of the live dict, quoted as typed
    ],
)
def test_completion_contexts(
    kernel: tuple[KernelManager, BlockingClient], code: str, expected: str, replaced: str
) -> None:
    _, kc = kernel
    reply = _completion(kc, code)
    assert any(m == expected or m.startswith(expected) for m in reply["matches"]), reply["matches"][:20]
    assert reply["cursor_end"] == len(code)
    assert reply["cursor_start"] == len(code) - len(replaced)
    types = reply["metadata"]["_jupyter_types_experimental"]
    assert len(types) == len(reply["matches"]) and all("type" in t for t in types)


def test_path_completion_in_string(kernel: tuple[KernelManager, BlockingClient], tmp_path: Path) -> None:
    _, kc = kernel
    (tmp_path / "data_file.csv").write_text("")
    code = f"open('{tmp_path}/data_f"
    reply = _completion(kc, code)
    assert any("data_file.csv" in m for m in reply["matches"]), reply["matches"]


def test_calltip_active_parameter(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    for code, active in (("greet(", 0), ("greet('bob', ", 1), ("greet('bob', sep=", 2)):
        reply = kc.inspect(code, len(code), timeout=30)
        assert reply["status"] == "ok" and reply["found"], reply
        tip = reply["metadata"]["calltip"]
        assert tip["name"] == "greet"
        assert [p.split("=")[0] for p in tip["params"][:3]] == ["name", "greeting", "sep"]
        assert tip["active_param"] == active, (code, tip)
        assert "Say hello." in reply["data"]["text/plain"]


def test_inspect_source_of_cell_function(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    reply = kc.inspect("greet", 5, detail_level=1, timeout=30)
    assert "return greeting + sep + name" in reply["data"]["text/plain"]


@pytest.mark.parametrize(
    "cell",
    [
        "import time\nprint('busy', flush=True)\ntime.sleep(20)",
        "import time\nprint('busy', flush=True)\nend = time.time() + 20\nwhile time.time() < end:\n    pass",
    ],
    ids=["sleep", "python-loop"],
)
def test_completion_on_control_while_busy(kernel: tuple[KernelManager, BlockingClient], cell: str) -> None:
    km, kc = kernel
    started = threading.Event()
    answers: list[dict] = []

    def on_output(msg: object) -> None:
        if getattr(msg, "msg_type", "") == "stream" and not started.is_set():
            started.set()
            # answered while the cell still runs (a second client on the same kernel asks on control)
            with BlockingClient(km.connection_file) as other:
                answers.append(other.complete("os.path.jo", 10, channel="control", timeout=15))
                answers.append(other.inspect("greet(", 6, channel="control", timeout=15))
            km.interrupt()

    res = kc.execute(cell, output_hook=on_output, timeout=60)
    assert res.error is not None and res.error.ename == "KeyboardInterrupt", "the cell ended before we asked"
    assert "join" in answers[0]["matches"]
    assert answers[1]["metadata"]["calltip"]["name"] == "greet"


def test_bad_inputs_get_clear_replies(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    for code, pos in (("", 0), ("abc", 999), ("\ud800x", 2), ("x = 1\n" * 150_000, 10)):
        reply = kc.request("shell", "complete_request", {"code": code, "cursor_pos": pos}, 30).content
        assert reply["status"] in ("ok", "error")
        if reply["status"] == "error":
            assert reply["evalue"]
    assert kc.execute("1 + 1", timeout=30).result == {"text/plain": "2"}
