"""Editor execution through real sockets: cells, selections and files report the editor's path and lines."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import BlockingClient, KernelManager, start_kernel
from ipykernel_lite.client.editor import cell_request, file_request, selection_request

ANSI = re.compile(r"\x1b\[[0-9;]*m")

SCRIPT = """\
import math
## cell 1: helpers
def ratio(a, b):
    scale = 2
    return a / b * scale

## cell 2: data
values = [1, 2, 0]

## cell 3: use
total = 0
for v in values:
    total += ratio(10, v)
"""


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingClient]]:
    km, kc = start_kernel()
    try:
        yield km, kc
    finally:
        kc.close()
        km.shutdown(timeout=2.0)


def tb_text(result: object) -> str:
    err = result.error  # type: ignore[attr-defined]
    assert err is not None, "expected an error"
    return ANSI.sub("", "\n".join(err.traceback))


def run_cell(kc: BlockingClient, text: str, line: int, path: str) -> object:
    code, md = cell_request(text, line, path=path)
    return kc.execute(code, metadata=md, timeout=20)


def test_error_in_third_cell_and_function_from_first(
    kernel: tuple[KernelManager, BlockingClient], tmp_path: Path
) -> None:
    _, kc = kernel
    path = str(tmp_path / "analysis.py")
    for cursor in (3, 8):
        assert run_cell(kc, SCRIPT, cursor, path).status == "ok"  # type: ignore[attr-defined]
    res = run_cell(kc, SCRIPT, 12, path)
    tb = tb_text(res)
    assert f'File "{path}", line 13, in <module>' in tb
    assert "    total += ratio(10, v)" in tb
    assert f'File "{path}", line 5, in ratio' in tb
    assert "    return a / b * scale" in tb
    assert tb.rstrip().endswith("ZeroDivisionError: division by zero")
    # the function's source is still found after another cell of the same file ran
    src = kc.execute("import inspect; print(inspect.getsource(ratio))", timeout=20).stdout
    assert src.startswith("def ratio(a, b):") and "return a / b * scale" in src


def test_syntax_error_in_indented_selection(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    text = "def outer():\n    x = 1\n    if x:\n        y = x +* 2\n        z = y\n"
    code, md = selection_request(text, 3, 5, path="untitled-2")
    res = kc.execute(code, metadata=md, timeout=20)
    tb = tb_text(res)
    assert res.error.ename == "SyntaxError"  # type: ignore[attr-defined]
    assert 'File "untitled-2", line 4' in tb
    assert "y = x +* 2" in tb and "^" in tb


def test_warning_points_at_editor_line(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    text = "import warnings\n\n\nwarnings.warn('careful', UserWarning)\n"
    code, md = selection_request(text, 1, 4, path="/nowhere/buffer.py")
    res = kc.execute(code, metadata=md, timeout=20)
    assert "/nowhere/buffer.py:4: UserWarning: careful" in res.stderr  # type: ignore[attr-defined]
    assert "warnings.warn('careful', UserWarning)" in res.stderr  # type: ignore[attr-defined]


def test_unsaved_buffer_and_changed_file(kernel: tuple[KernelManager, BlockingClient], tmp_path: Path) -> None:
    _, kc = kernel
    path = tmp_path / "changing.py"
    text = "def boom():\n    raise ValueError('from the buffer')\n"
    path.write_text("# something else entirely\n" * 5)  # the disk differs from the editor's buffer
    code, md = selection_request(text, 1, 2, path=str(path))
    assert kc.execute(code, metadata=md, timeout=20).status == "ok"
    path.write_text("print('changed again')\n")
    tb = tb_text(kc.execute("boom()", timeout=20))
    assert f'File "{path}", line 2, in boom' in tb
    assert "raise ValueError('from the buffer')" in tb


def test_tabs_and_non_ascii(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    text = "if True:\n\tnom = 'héllo wörld ✓'\n\traise KeyError(nom)\n"
    code, md = selection_request(text, 1, 3, path="untitled-ü.py")
    tb = tb_text(kc.execute(code, metadata=md, timeout=20))
    assert 'File "untitled-ü.py", line 3, in <module>' in tb
    assert "raise KeyError(nom)" in tb and "héllo wörld ✓" in tb


def test_run_file_sets_main_file_argv_and_cwd(kernel: tuple[KernelManager, BlockingClient], tmp_path: Path) -> None:
    _, kc = kernel
    path = tmp_path / "tool.py"
    path.write_text(
        "import os, sys\nprint(__name__, __file__, sys.argv[1:], os.getcwd())\nif __name__ == '__main__':\n"
        "    print('main!')\n"
    )
    before = kc.execute("import os; print(os.getcwd())", timeout=20).stdout.strip()
    code, md = file_request(str(path), argv=["-n", "3"])
    out = kc.execute(code, metadata=md, timeout=20).stdout.splitlines()
    assert out[0] == f"__main__ {path} ['-n', '3'] {tmp_path}"
    assert out[1] == "main!"
    after = kc.execute("import os; print(os.getcwd(), '__file__' in globals())", timeout=20).stdout.strip()
    assert after == f"{before} False"


def test_last_expression_echo_and_semicolon(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    code, md = selection_request("a = 20\nb = 22\na + b\n", 1, 3, path="untitled-3")
    assert kc.execute(code, metadata=md, timeout=20).result == {"text/plain": "42"}
    code, md = selection_request("a = 20\na + 1;  # quiet\n", 1, 2, path="untitled-3")
    assert kc.execute(code, metadata=md, timeout=20).result is None


def test_top_level_await_and_interrupt(kernel: tuple[KernelManager, BlockingClient]) -> None:
    km, kc = kernel
    res = kc.execute("import asyncio\nawait asyncio.sleep(0.01)\n'awaited'", timeout=20)
    assert res.result == {"text/plain": "'awaited'"}
    seen: list[str] = []

    def on_output(msg: object) -> None:
        # interrupt once the awaited coroutine is sleeping (it says so on stdout)
        if getattr(msg, "msg_type", "") == "stream" and not seen:
            seen.append("running")
            km.interrupt()

    res = kc.execute(
        "import asyncio\ntask_state = []\nasync def slow():\n    try:\n        print('sleeping', flush=True)\n"
        "        await asyncio.sleep(30)\n"
        "    except asyncio.CancelledError:\n        task_state.append('cancelled')\n        raise\n"
        "await slow()\n",
        output_hook=on_output,
        timeout=20,
    )
    assert res.error is not None and res.error.ename == "KeyboardInterrupt"
    assert kc.execute("task_state", timeout=20).result == {"text/plain": "['cancelled']"}


def test_cwd_option_only_for_the_request(kernel: tuple[KernelManager, BlockingClient], tmp_path: Path) -> None:
    _, kc = kernel
    path = tmp_path / "sub" / "x.py"
    os.makedirs(path.parent)
    code = "import os\nprint(os.getcwd())"
    md = {"origin": {"path": str(path), "line": 1, "cwd": True}}
    assert kc.execute(code, metadata=md, timeout=20).stdout.strip() == str(path.parent)
    assert kc.execute(code, timeout=20).stdout.strip() != str(path.parent)
