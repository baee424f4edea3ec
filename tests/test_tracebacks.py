"""Traceback formatting for the Jupyter ``error`` message."""

from __future__ import annotations

import linecache
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.kernel.compiler import CellCompiler, Origin
from ipykernel_lite.kernel.tracebacks import format_exception

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Python >= 3.11 underlines the failing part of a line; this module does not.
_CARET_LINE = re.compile(r"\s*[\^~]+\s*")


@pytest.fixture
def path(tmp_path: Path) -> Iterator[str]:
    name = str(tmp_path / "user.py")
    yield name
    linecache.cache.pop(name, None)


def not_here(filename: str) -> bool:
    return filename == __file__


def raised(code: str, origin: Origin | None = None, ns: dict[str, Any] | None = None) -> BaseException:
    cell = CellCompiler().compile(code, origin, echo_last=False)
    assert cell.body is not None
    try:
        exec(cell.body, ns if ns is not None else {"__name__": "__main__"})
    except BaseException as error:
        return error
    raise AssertionError("the code did not raise")


def python_lines(error: BaseException) -> list[str]:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return [line for line in text.splitlines() if not _CARET_LINE.fullmatch(line)]


def test_plain_traceback_with_editor_lines(path: str) -> None:
    code = "def inner(x):\n    return {}[x]\n\ndef outer():\n    return inner('k')\n\nouter()\n"
    error = raised(code, Origin(path, 11))
    ename, evalue, lines = format_exception(error, hide=not_here, color=False)
    assert (ename, evalue) == ("KeyError", "'k'")
    assert lines == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 17, in <module>',
        "    outer()",
        f'  File "{path}", line 15, in outer',
        "    return inner('k')",
        f'  File "{path}", line 12, in inner',
        "    return {}[x]",
        "KeyError: 'k'",
    ]


def test_hidden_frames_are_dropped(path: str) -> None:
    ns: dict[str, Any] = {"__name__": "__main__"}
    kernel_file = "/opt/kernel/internal.py"
    try:
        kernel = CellCompiler().compile("def call(f):\n    return f()\n", Origin(kernel_file))
        assert kernel.body is not None
        exec(kernel.body, ns)
        error = raised("def boom():\n    raise RuntimeError('x')\ncall(boom)\n", Origin(path), ns)
    finally:
        linecache.cache.pop(kernel_file, None)
    everything = format_exception(error, color=False)[2]
    assert any(kernel_file in line for line in everything)
    lines = format_exception(error, hide=lambda f: f == kernel_file or not_here(f), color=False)[2]
    assert lines == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 3, in <module>',
        "    call(boom)",
        f'  File "{path}", line 2, in boom',
        "    raise RuntimeError('x')",
        "RuntimeError: x",
    ]


def test_chained_exceptions(path: str) -> None:
    code = (
        "try:\n"
        "    {}['a']\n"
        "except KeyError as e:\n"
        "    try:\n"
        "        1 / 0\n"
        "    except ZeroDivisionError:\n"
        "        raise ValueError('bad') from e\n"
    )
    error = raised(code, Origin(path), {"__name__": "__main__"})
    lines = format_exception(error, hide=not_here, color=False)[2]
    assert lines == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 2, in <module>',
        "    {}['a']",
        "KeyError: 'a'",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        f'  File "{path}", line 7, in <module>',
        "    raise ValueError('bad') from e",
        "ValueError: bad",
    ]
    context = raised("try:\n    1 / 0\nexcept ZeroDivisionError:\n    undefined_name\n", Origin(path))
    lines = format_exception(context, hide=not_here, color=False)[2]
    assert lines[3:7] == [
        "ZeroDivisionError: division by zero",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
    ]
    suppressed = raised(
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise KeyError(1) from None\n", Origin(path)
    )
    assert format_exception(suppressed, hide=not_here, color=False)[2][-1] == "KeyError: 1"
    assert "ZeroDivisionError" not in "\n".join(format_exception(suppressed, color=False)[2])


def _recurse(n: int) -> int:
    return _recurse(n + 1)


def _fail_with_cause() -> None:
    try:
        [][1]
    except IndexError as error:
        raise LookupError("outer") from error


def _fail_in_handler() -> None:
    try:
        int("x")
    except ValueError:
        {}.pop("k")


@pytest.mark.parametrize(
    "fail",
    [lambda: _recurse(0), _fail_with_cause, _fail_in_handler, lambda: iter([]).__next__()],
    ids=["recursion", "cause", "context", "stop"],
)
def test_same_layout_as_python(fail: Callable[[], object]) -> None:
    with pytest.raises(Exception) as info:
        fail()
    lines = format_exception(info.value, color=False)[2]
    assert lines == python_lines(info.value)


def test_repeated_frames_are_summarized() -> None:
    with pytest.raises(RecursionError) as info:
        _recurse(0)
    lines = format_exception(info.value, hide=not_here, color=False)[2]
    assert lines == [f"RecursionError: {info.value}"]
    lines = format_exception(info.value, color=False)[2]
    repeated = [line for line in lines if line.startswith("  [Previous line repeated")]
    assert len(repeated) == 1
    assert sum(line.endswith(", in _recurse") for line in lines) == 3


def test_color_marks_files_lines_and_ename(path: str) -> None:
    error = raised("x = 1\nraise OSError('disk')\n", Origin(path))
    plain = format_exception(error, hide=not_here, color=False)
    colored = format_exception(error, hide=not_here, color=True)
    assert colored[:2] == plain[:2] == ("OSError", "disk")
    assert [_ANSI.sub("", line) for line in colored[2]] == plain[2]
    assert colored[2][1] == (
        f'  File "\x1b[0;32m{path}\x1b[0m", line \x1b[1;32m2\x1b[0m, in \x1b[0;36m<module>\x1b[0m'
    )
    assert colored[2][-1] == "\x1b[0;31mOSError\x1b[0m: disk"


def test_tabs_and_non_ascii_in_frames(path: str) -> None:
    ns: dict[str, Any] = {"__name__": "__main__"}
    defs = CellCompiler().compile(
        "def größe(wert):\n\tif wert:\n\t\treturn 1 / (wert - wert)  # 日本\n", Origin(path, 2)
    )
    assert defs.body is not None
    exec(defs.body, ns)
    error = raised("\nrésultat = größe(2)\n", Origin(path, 6), ns)
    assert format_exception(error, hide=not_here, color=False)[2] == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 7, in <module>',
        "    résultat = größe(2)",
        f'  File "{path}", line 4, in größe',
        "    return 1 / (wert - wert)  # 日本",
        "ZeroDivisionError: division by zero",
    ]


def test_compiled_syntax_error_caret_with_tabs_and_wide_characters(path: str) -> None:
    with pytest.raises(SyntaxError) as info:
        CellCompiler().compile("def f():\n\tß = '日本' +* 1\n", Origin(path, 10))
    error = info.value
    assert (error.lineno, error.offset) == (11, "\tß = '日本' +* 1".index("*") + 1)
    lines = format_exception(error, hide=not_here, color=False)[2]
    assert lines[-3:-1] == ["    ß = '日本' +* 1", "    " + " " * len("ß = '日本' +") + "  ^"]


def syntax_lines(error: SyntaxError) -> list[str]:
    return format_exception(error, color=False)[2]


def test_syntax_error_with_caret() -> None:
    error = SyntaxError("invalid syntax", ("x.py", 3, 11, "foo = (1 +* 2)\n", 3, 12))
    assert syntax_lines(error) == [
        '  File "x.py", line 3',
        "    foo = (1 +* 2)",
        "    " + " " * len("foo = (1 +") + "^",
        "SyntaxError: invalid syntax (x.py, line 3)",
    ]


def test_syntax_error_caret_ranges() -> None:
    indented = SyntaxError("bad", ("x.py", 1, 13, "        foo(bar baz)\n", 1, 20))
    assert syntax_lines(indented)[1:3] == ["    foo(bar baz)", "        ^^^^^^^"]
    multi_line = SyntaxError("open", ("x.py", 1, 5, "x = (1,\n", 3, 2))
    assert syntax_lines(multi_line)[1:3] == ["    x = (1,", "        ^^^"]
    no_offset = SyntaxError("bad", ("x.py", 1, None, "x y\n", None, None))
    assert syntax_lines(no_offset) == ['  File "x.py", line 1', "    x y", "SyntaxError: bad (x.py, line 1)"]


def test_syntax_error_caret_keeps_tabs_and_wide_characters() -> None:
    text = "\t\tx = 'é日'\t+* 1\n"
    error = SyntaxError("invalid syntax", ("t.py", 2, text.index("*") + 1, text, 2, text.index("*") + 2))
    assert syntax_lines(error)[1:3] == ["    x = 'é日'\t+* 1", "    " + "      " + " " * 3 + "\t" + " ^"]


def test_syntax_error_text_from_linecache(path: str) -> None:
    linecache.cache[path] = (0, None, ["a = 1\n", "b = = 2\n"], path)
    error = SyntaxError("invalid syntax", (path, 2, 5, None, 2, 6))
    assert syntax_lines(error)[1:3] == ["    b = = 2", "        ^"]


def test_syntax_error_from_the_compiler_has_no_kernel_frames(path: str) -> None:
    with pytest.raises(SyntaxError) as info:
        CellCompiler().compile("x = 1\ny = (x +* 2)\n", Origin(path, 5))
    compiler_file = sys.modules[CellCompiler.__module__].__file__
    lines = format_exception(info.value, hide=lambda f: f in (__file__, compiler_file), color=False)[2]
    assert lines == [
        f'  File "{path}", line 6',
        "    y = (x +* 2)",
        "    " + " " * len("y = (x +") + "^",
        "SyntaxError: invalid syntax (user.py, line 6)",
    ]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes are new in 3.11")
def test_notes_come_before_the_last_line() -> None:
    error = ValueError("bad")
    error.add_note("while loading\nconfig.toml")
    assert format_exception(error, color=False)[2] == ["while loading", "config.toml", "ValueError: bad"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups are new in 3.11")
def test_exception_group_members_before_the_last_line(path: str) -> None:
    code = (
        "def a():\n"
        "    raise ValueError('one')\n"
        "try:\n"
        "    a()\n"
        "except ValueError as e:\n"
        "    first = e\n"
        "raise ExceptionGroup('many', [first, TypeError('two')])\n"
    )
    ename, evalue, lines = format_exception(raised(code, Origin(path)), hide=not_here, color=False)
    assert (ename, evalue) == ("ExceptionGroup", "many (2 sub-exceptions)")
    assert lines == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 7, in <module>',
        "    raise ExceptionGroup('many', [first, TypeError('two')])",
        "  +---------------- 1 ----------------",
        "  | Traceback (most recent call last):",
        f'  |   File "{path}", line 4, in <module>',
        "  |     a()",
        f'  |   File "{path}", line 2, in a',
        "  |     raise ValueError('one')",
        "  | ValueError: one",
        "  +---------------- 2 ----------------",
        "  | TypeError: two",
        "  +------------------------------------",
        "ExceptionGroup: many (2 sub-exceptions)",
    ]


def test_odd_exceptions() -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert format_exception(Unprintable(), color=False) == (
        "Unprintable",
        "<unprintable Unprintable object>",
        ["Unprintable: <unprintable Unprintable object>"],
    )
    assert format_exception(KeyboardInterrupt(), color=False) == (
        "KeyboardInterrupt",
        "",
        ["KeyboardInterrupt"],
    )
    first, second = ValueError("1"), ValueError("2")
    first.__context__, second.__context__ = second, first
    lines = format_exception(first, color=False)[2]
    assert lines == [
        "ValueError: 2",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "ValueError: 1",
    ]
