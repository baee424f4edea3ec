"""``%%debug`` and ``%run -d`` on ipykernel and on ipykernel_lite, through jupyter_client: pdb is driven through
input_request / input_reply (``n``, ``s``, ``p``, ``c``, ``q``) and what the two debuggers print is compared.

The prompts differ by design (``ipdb> `` / ``(Pdb) ``), and so does the source listing around each stop
(IPython shows a numbered context, pdb one ``->`` line), so the comparison keeps the essential lines: the NOTE,
the breakpoints set, each stop as (file, line, function), ``--Call--``, the values printed at the prompt and
by the program, errors' last lines. Cell files are named differently by each kernel (``<string>`` for the
code IPython runs under pdb, ``<cell-N>`` here): they compare as ``<cell>``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from .compare import run

SCRIPT = """\
x = 1
y = x * 10
def twice(v):
    return v * 2
z = twice(y)
print('=' * 3, z)
"""

FAILING = "x = 1\nraise ValueError('bad ' + str(x))\n"

#: (name, cell, answers); run in this order on both kernels
CELLS: list[tuple[str, str, list[str]]] = [
    ("write the script", "%%writefile dbg_script.py\n" + SCRIPT, []),
    ("write the failing script", "%%writefile dbg_fail.py\n" + FAILING, []),
    ("%%debug steps from the cell's first line",
     "%%debug\na = 1\nb = a + 1\nprint('=' * 3, a, b)", ["n", "p ('p', a)", "c"]),
    ("%%debug q stops the cell", "%%debug\nprint('=' * 3, 'never')", ["q"]),
    ("%run -d stops at the script's first line", "%run -d dbg_script.py", ["n", "p ('p', x)", "c"]),
    ("names of the debugged script land in the namespace", "z", None),
    ("%run -d -b N continues to line N", "%run -d -b 5 dbg_script.py", ["c", "p ('p', y)", "c"]),
    ("%run -d -bN, step into a function", "%run -d -b5 dbg_script.py", ["c", "s", "n", "p ('p', v)", "c"]),
    # with -b FILE:LINE, IPython stops at the first line that runs in FILE (it waits for FILE as for a script)
    ("%%debug -b FILE:LINE with code on the magic's line",
     "%%debug -b dbg_script.py:4 r = twice(3)\nprint('=' * 3, r)", ["p ('p', v)", "c"]),
    ("%run -d: an error ends the run, the cell succeeds", "%run -d dbg_fail.py", ["c"]),
    ("the kernel serves on", "print('=' * 3, 'after')", None),
]

_LOCATION = re.compile(r"^> (.*)\((\d+)\)(\S+)\(\)")
_BREAKPOINT = re.compile(r"^Breakpoint (\d+) at (.*):(\d+)$")
_ERROR = re.compile(r"^(\w+Error): (.*)$")


def _file(name: str) -> str:
    name = name.strip()
    return "<cell>" if name.startswith("<") else os.path.basename(name)


def essentials(stdout: str) -> list[Any]:
    """What both debuggers must agree on, in order (see the module's docstring)."""
    found: list[Any] = []
    for line in stdout.replace("\r\n", "\n").splitlines():
        line = line.rstrip()
        if m := _LOCATION.match(line):
            found.append(("stop", _file(m.group(1)), int(m.group(2)), m.group(3)))
        elif m := _BREAKPOINT.match(line):
            found.append(("breakpoint", int(m.group(1)), _file(m.group(2)), int(m.group(3))))
        elif line.startswith("NOTE: "):
            found.append(line.replace("ipdb> ", "<prompt>").replace("(Pdb) ", "<prompt>"))
        elif line == "--Call--" or line.startswith(("===", "('p',")):
            found.append(line)
        elif m := _ERROR.match(line):
            found.append(("error", m.group(1), m.group(2)))
    return found


def summary(result: dict[str, Any]) -> dict[str, Any]:
    stdout = "".join(o[2] for o in result["outputs"] if o[0] == "stream" and o[1] == "stdout")
    return {
        "status": result["status"],
        "essentials": essentials(stdout),
        "prompts": len(result.get("prompts", [])),
        "others": [o for o in result["outputs"] if o[0] != "stream"],
    }


@pytest.fixture(scope="module")
def results(both: tuple[Any, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    ref, lite = both
    return {
        name: (run(ref, code, answers=answers), run(lite, code, answers=answers))
        for name, code, answers in CELLS
    }


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", [n for n, _, _ in CELLS])
def test_same_as_ipykernel(results: dict[str, Any], name: str) -> None:
    ref, lite = results[name]
    assert summary(lite) == summary(ref)


def test_what_the_comparison_sees(results: dict[str, Any]) -> None:
    """The comparison above is only as good as what ``essentials`` extracts: check it saw the stops."""
    _, lite = results["%run -d -bN, step into a function"]
    assert summary(lite)["essentials"] == [
        ("breakpoint", 1, "dbg_script.py", 5),
        "NOTE: Enter 'c' at the <prompt> prompt to continue execution.",
        ("stop", "dbg_script.py", 1, "<module>"),
        ("stop", "dbg_script.py", 5, "<module>"),
        "--Call--",
        ("stop", "dbg_script.py", 3, "twice"),
        ("stop", "dbg_script.py", 4, "twice"),
        "('p', 10)",
        "=== 20",
    ]
    _, lite = results["%%debug steps from the cell's first line"]
    assert [e for e in summary(lite)["essentials"] if e[0] == "stop"] == [
        ("stop", "<cell>", 2, "<module>"),
        ("stop", "<cell>", 3, "<module>"),
    ]
    _, lite = results["%run -d: an error ends the run, the cell succeeds"]
    assert lite["status"] == "ok" and ("error", "ValueError", "bad 1") in summary(lite)["essentials"]


def test_without_stdin_the_debugger_magics_say_why(lite: Any) -> None:
    """No front end to answer pdb (``allow_stdin`` false): a UsageError that says so, and nothing runs.
    (ipykernel prints the NOTE, then fails at pdb's first prompt with StdinNotImplementedError.)"""
    assert run(lite, "%%writefile nostdin.py\nprint('=' * 3, 'ran')\n")["status"] == "ok"
    for code, magic in (("%%debug\nprint('=' * 3, 'ran')", "%%debug"), ("%run -d nostdin.py", "%run -d")):
        got = run(lite, code)
        assert got["status"] == "error"
        assert got["outputs"] == [
            ("stream", "stderr", f"UsageError: {magic}: the front end does not take input (allow_stdin is false)\n")
        ], got
    assert run(lite, "print('=' * 3, 'serving')")["outputs"] == [("stream", "stdout", "=== serving\n")]


def test_prompts_say_where_the_debugger_stands(lite: Any, workdir: Path) -> None:
    """ipykernel_lite's own extension: each ``(Pdb) `` input_request carries ``metadata.debug.frame``, so an
    editor can mark the line; for %%debug the cell's own lines, for %run -d the script's file."""
    (workdir / "alone" / "meta_script.py").write_text("m1 = 1\nm2 = 2\n")
    for code, answers, where in (
        ("%%debug\nq1 = 1\nq2 = 2\n", ["n", "c"], [(2, "<module>"), (3, "<module>")]),
        ("%run -d meta_script.py", ["n", "c"], [(1, "<module>"), (2, "<module>")]),
    ):
        frames: list[dict[str, Any]] = []
        left = list(answers)

        def hook(msg: dict[str, Any], frames: list[dict[str, Any]] = frames, left: list[str] = left) -> None:
            frames.append(msg["metadata"]["debug"]["frame"])
            lite.input(left.pop(0) if left else "q")

        reply = lite.execute_interactive(
            code, allow_stdin=True, stdin_hook=hook, output_hook=lambda m: None, timeout=60
        )
        assert reply["content"]["status"] == "ok"
        assert [(f["line"], f["function"]) for f in frames] == where
        files = {f["file"] for f in frames}
        if code.startswith("%run"):
            assert files == {str(workdir / "alone" / "meta_script.py")}
        else:
            assert len(files) == 1 and files.pop().startswith("<cell-")
