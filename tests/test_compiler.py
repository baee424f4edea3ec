"""The cell compiler: file names, line numbers and linecache as the editor sees them.

Code is compiled and run here with exec/eval in a dict namespace, as the kernel would.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import linecache
import os
import pdb
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.cells import split_cells
from ipykernel_lite.kernel.compiler import CellCompiler, Origin
from ipykernel_lite.kernel.tracebacks import format_exception

SCRIPT = '''\
"""Analysis script."""
# %% helpers
def ratio(a, b):
    scale = 1
    return a / b * scale

# %% data
values = [4, 2, 0]

# %% compute
total = 0
for v in values:
    total += ratio(8, v)
'''


@pytest.fixture
def compiler() -> CellCompiler:
    return CellCompiler()


@pytest.fixture
def ns() -> dict[str, Any]:
    return {"__name__": "__main__"}


@pytest.fixture
def path(tmp_path: Path) -> Iterator[str]:
    """A file name unique to the test, which is not on disk unless the test writes it."""
    name = str(tmp_path / "analysis.py")
    yield name
    linecache.cache.pop(name, None)


def run(compiler: CellCompiler, code: str, origin: Origin | None, ns: dict[str, Any]) -> Any:
    cell = compiler.compile(code, origin)
    if cell.body is not None:
        exec(cell.body, ns)
    return eval(cell.last_expr, ns) if cell.last_expr is not None else None


def run_cells(compiler: CellCompiler, path: str, text: str, ns: dict[str, Any]) -> BaseException | None:
    for cell in split_cells(text):
        try:
            run(compiler, cell.code, Origin(path, cell.code_start_line, cell.title), ns)
        except Exception as error:
            return error
    return None


def traceback_of(error: BaseException) -> list[str]:
    """The plain traceback without this test module's frames."""
    return format_exception(error, hide=lambda name: name == __file__, color=False)[2]


def test_cell_1_function_failing_in_cell_3(compiler: CellCompiler, ns: dict, path: str) -> None:
    error = run_cells(compiler, path, SCRIPT, ns)
    assert isinstance(error, ZeroDivisionError)
    assert ns["total"] == 2 + 4
    assert traceback_of(error) == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 13, in <module>',
        "    total += ratio(8, v)",
        f'  File "{path}", line 5, in ratio',
        "    return a / b * scale",
        "ZeroDivisionError: division by zero",
    ]


def test_error_raised_in_third_cell_at_its_line(compiler: CellCompiler, ns: dict, path: str) -> None:
    text = "# %% a\nx = 1\n# %% b\ny = 2\n# %% c\n\nz = x + y\nraise KeyError(z)\n"
    error = run_cells(compiler, path, text, ns)
    assert isinstance(error, KeyError)
    assert traceback_of(error) == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 8, in <module>',
        "    raise KeyError(z)",
        "KeyError: 3",
    ]


def test_echoed_last_expression_reports_its_file_line(compiler: CellCompiler, ns: dict, path: str) -> None:
    with pytest.raises(ZeroDivisionError) as info:
        run(compiler, "a = 0\n1 / a", Origin(path, 10), ns)
    assert traceback_of(info.value)[1:3] == [f'  File "{path}", line 11, in <module>', "    1 / a"]


def test_unsaved_buffer_name(compiler: CellCompiler, ns: dict) -> None:
    name = "untitled-1"
    try:
        with pytest.raises(NameError) as info:
            run(compiler, "a = 1\nb = a + missing\n", Origin(name, 5), ns)
        assert traceback_of(info.value)[1:3] == [
            f'  File "{name}", line 6, in <module>',
            "    b = a + missing",
        ]
        assert linecache.getlines(name) == ["\n"] * 4 + ["a = 1\n", "b = a + missing\n"]
    finally:
        linecache.cache.pop(name, None)


def test_file_changed_on_disk_shows_run_text(compiler: CellCompiler, ns: dict, path: str) -> None:
    Path(path).write_text(SCRIPT, encoding="utf-8")
    error = run_cells(compiler, path, SCRIPT, ns)
    assert error is not None
    Path(path).write_text("# rewritten\n" * 20, encoding="utf-8")
    stat = os.stat(path)
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))
    linecache.checkcache()
    assert traceback_of(error)[1:5] == [
        f'  File "{path}", line 13, in <module>',
        "    total += ratio(8, v)",
        f'  File "{path}", line 5, in ratio',
        "    return a / b * scale",
    ]
    assert inspect.getsource(ns["ratio"]).startswith("def ratio(a, b):\n    scale = 1\n")


def test_empty_code_leaves_the_cached_lines_alone(compiler: CellCompiler, ns: dict, path: str) -> None:
    run(compiler, "a = 1\nb = 2\n", Origin(path, 1), ns)
    run(compiler, "", Origin(path, 2), ns)
    assert linecache.getlines(path) == ["a = 1\n", "b = 2\n"]


def test_unsaved_edits_overlay_the_file_on_disk(compiler: CellCompiler, ns: dict, path: str) -> None:
    on_disk = [f"# disk line {n}\n" for n in range(1, 11)]
    Path(path).write_text("".join(on_disk), encoding="utf-8")
    run(compiler, "edited = 1\nalso = 2", Origin(path, 4), ns)
    assert linecache.getlines(path) == [*on_disk[:3], "edited = 1\n", "also = 2\n", *on_disk[5:]]


def test_getsource_survives_a_later_cell(compiler: CellCompiler, ns: dict, path: str) -> None:
    text = "# %% defs\ndef area(r):\n    return 3 * r * r\n\n# %% use\nz = area(2)\nz\n"
    first, second = split_cells(text)
    run(compiler, first.code, Origin(path, first.code_start_line), ns)
    assert run(compiler, second.code, Origin(path, second.code_start_line), ns) == 12
    linecache.checkcache()
    assert inspect.getsource(ns["area"]) == "def area(r):\n    return 3 * r * r\n"
    # A later run of a cell far below the file's end pads with blank lines.
    run(compiler, "late = 1", Origin(path, 40), ns)
    assert inspect.getsource(ns["area"]) == "def area(r):\n    return 3 * r * r\n"
    assert linecache.getline(path, 40) == "late = 1\n"


BLOCK = """\
def process(items):
    for item in items:
        if item:
            value = item * 2
            print(value)
    return items
"""


def test_dedented_selection_keeps_the_enclosing_source(compiler: CellCompiler, ns: dict, path: str) -> None:
    from ipykernel_lite.cells import prepare_selection

    Path(path).write_text(BLOCK, encoding="utf-8")
    run(compiler, BLOCK, Origin(path, 1), ns)
    ns["item"] = 3
    code, first = prepare_selection(BLOCK, 3, 5)
    assert code.startswith("if item:\n")
    cell = compiler.compile(code, Origin(path, first))
    assert cell.body is not None
    exec(cell.body, ns)
    assert ns["value"] == 6
    assert inspect.getsource(ns["process"]) == BLOCK
    if sys.version_info >= (3, 11):
        # Columns count from the file's text: 'item' in "        if item:" starts at 11.
        assert (3, 3, 11, 15) in set(cell.body.co_positions())


def test_syntax_error_in_a_dedented_selection(compiler: CellCompiler, path: str) -> None:
    from ipykernel_lite.cells import prepare_selection

    broken = BLOCK.replace("item * 2", "(item +* 2)")
    code, first = prepare_selection(broken, 3, 5)
    with pytest.raises(SyntaxError) as info:
        compiler.compile(code, Origin(path, first))
    error = info.value
    assert (error.filename, error.lineno, error.end_lineno) == (path, 4, 4)
    # Nothing on disk: the editor's (dedented) text is what linecache and the error hold.
    assert error.text == "    value = (item +* 2)\n"
    assert error.offset == error.text.index("*") + 1
    assert traceback_of(error)[-4:] == [
        f'  File "{path}", line 4',
        "    value = (item +* 2)",
        "    " + " " * "value = (item +".index("+") + " ^",
        f"SyntaxError: invalid syntax ({os.path.basename(path)}, line 4)",
    ]


def test_syntax_error_in_a_selection_of_a_saved_file(compiler: CellCompiler, path: str) -> None:
    from ipykernel_lite.cells import prepare_selection

    broken = BLOCK.replace("item * 2", "(item +* 2)")
    Path(path).write_text(broken, encoding="utf-8")
    code, first = prepare_selection(broken, 4, 5)
    with pytest.raises(SyntaxError) as info:
        compiler.compile(code, Origin(path, first))
    error = info.value
    line = broken.splitlines()[3]
    assert (error.lineno, error.text, error.offset) == (4, line + "\n", line.index("*") + 1)


def test_indented_code_is_dedented_by_the_compiler(compiler: CellCompiler, ns: dict, path: str) -> None:
    run(compiler, "    x = 1\n\n    y = x + 1", Origin(path, 7), ns)
    assert ns["y"] == 2
    with pytest.raises(SyntaxError) as info:
        compiler.compile("    x = 1\n    y = x +* 2", Origin(path, 7))
    assert (info.value.lineno, info.value.text, info.value.offset) == (8, "    y = x +* 2\n", 12)


def test_code_generator_errors_get_text_and_character_columns(compiler: CellCompiler, path: str) -> None:
    Path(path).write_text("# something else entirely\n" * 5, encoding="utf-8")
    with pytest.raises(SyntaxError) as info:
        compiler.compile("pass\nx = 'é'; return 5", Origin(path, 2))
    error = info.value
    assert (error.filename, error.lineno) == (path, 3)
    assert (error.text, error.offset) == ("x = 'é'; return 5\n", len("x = 'é'; ") + 1)


def test_warnings_report_path_line_and_source(compiler: CellCompiler, ns: dict, path: str) -> None:
    code = "import warnings\n\nwarnings.warn('careful', UserWarning)\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(compiler, code, Origin(path, 20), ns)
    (w,) = caught
    assert (w.filename, w.lineno) == (path, 22)
    shown = warnings.formatwarning(w.message, w.category, w.filename, w.lineno)
    assert shown == f"{path}:22: UserWarning: careful\n  warnings.warn('careful', UserWarning)\n"


def test_parser_warnings_are_moved_to_the_file_line(compiler: CellCompiler, path: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compiler.compile('x = 1\npattern = "\\d+"\n', Origin(path, 30))
    (w,) = [w for w in caught if "escape" in str(w.message)]
    assert (w.filename, w.lineno) == (path, 31)


def test_unnamed_cells_get_unique_cached_names(compiler: CellCompiler, ns: dict) -> None:
    one = compiler.compile("def f():\n    return 1\n")
    two = compiler.compile("def f():\n    return 2\n")
    assert one.filename != two.filename
    assert one.filename.startswith("<") and one.filename.endswith(">")
    assert one.filename != CellCompiler().filename_for(None)
    assert one.body is not None
    exec(one.body, ns)
    linecache.checkcache()
    assert inspect.getsource(ns["f"]) == "def f():\n    return 1\n"
    failing = compiler.compile("x = 1\nx / 0")
    assert failing.body is not None and failing.last_expr is not None
    exec(failing.body, ns)
    with pytest.raises(ZeroDivisionError) as info:
        eval(failing.last_expr, ns)
    assert traceback_of(info.value)[1:3] == [f'  File "{failing.filename}", line 2, in <module>', "    x / 0"]


@pytest.mark.parametrize("with_path", [False, True])
def test_pdb_lists_the_cell_source(compiler: CellCompiler, ns: dict, path: str, with_path: bool) -> None:
    out = io.StringIO()
    ns["dbg"] = pdb.Pdb(stdin=io.StringIO("list\ncontinue\n"), stdout=out, nosigint=True)
    origin = Origin(path, 30) if with_path else None
    try:
        run(compiler, "dbg.set_trace()\nanswer = 42\n", origin, ns)
    finally:
        sys.settrace(None)
    assert ns["answer"] == 42
    # "list" prints "<line number> [->]\t<source>"; Python 3.13 stops on set_trace's own line.
    listing = {}
    for line in out.getvalue().splitlines():
        if "\t" in line:
            number, source = line.removeprefix("(Pdb) ").split("\t", 1)
            listing[int(number.replace("->", ""))] = (source, "->" in number)
    first = 30 if with_path else 1
    assert listing[first][0] == "dbg.set_trace()"
    assert listing[first + 1][0] == "answer = 42"
    assert listing[first][1] or listing[first + 1][1]


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("1 + 1", 2),
        ("a = 3\na * 2", 6),
        ("a = 3; a * 2", 6),
        ("a = 3\na * 2  # loud;", 6),
        ("a = 3\n'x;'", "x;"),
        ("a = 3\n(a +\n 1)", 4),
        ("a = 3\na\n\n# trailing comment\n", 3),
    ],
)
def test_last_expression_is_echoed(compiler: CellCompiler, ns: dict, code: str, value: object) -> None:
    cell = compiler.compile(code)
    assert cell.last_expr is not None
    assert run(compiler, code, None, ns) == value


@pytest.mark.parametrize(
    "code",
    [
        "a = 3\nhits.append(a);",
        "a = 3\nhits.append(a) ;  # quiet",
        "a = 3\nhits.append(a \\\n);",
        "a = 3\nhits.append(a)\\\n;",
        "a = 3\nif a:\n    hits.append(a)",
        "a = 3\nhits.append(a)\na = 4",
    ],
)
def test_no_echo_and_the_expression_still_runs(compiler: CellCompiler, ns: dict, code: str) -> None:
    ns["hits"] = []
    cell = compiler.compile(code)
    assert cell.last_expr is None
    assert cell.body is not None
    exec(cell.body, ns)
    assert ns["hits"] == [3]


def test_echo_last_false_and_empty_code(compiler: CellCompiler) -> None:
    cell = compiler.compile("1 + 1", echo_last=False)
    assert cell.last_expr is None and cell.body is not None
    for code in ("", "\n\n", "# only a comment"):
        cell = compiler.compile(code)
        assert (cell.body, cell.last_expr, cell.is_async) == (None, None, False)


def test_top_level_await(compiler: CellCompiler, ns: dict) -> None:
    cell = compiler.compile(
        "import asyncio\nawait asyncio.sleep(0)\nvalue = await asyncio.sleep(0, 'done')\nvalue"
    )
    assert cell.is_async
    assert cell.body is not None and cell.last_expr is not None
    coroutine = eval(cell.body, ns)
    assert inspect.iscoroutine(coroutine)
    asyncio.run(coroutine)
    assert eval(cell.last_expr, ns) == "done"
    last = compiler.compile("await asyncio.sleep(0, 7)")
    assert last.is_async and last.body is None and last.last_expr is not None
    assert asyncio.run(eval(last.last_expr, ns)) == 7
    assert not compiler.compile("async def f():\n    await g()\nf").is_async


def test_future_imports_carry_over(compiler: CellCompiler, ns: dict) -> None:
    run(compiler, '"""doc"""\nfrom __future__ import annotations', None, ns)
    run(compiler, "def f(x: Undefined) -> None: pass", None, ns)
    assert ns["f"].__annotations__ == {"x": "Undefined", "return": "None"}
    fresh: dict[str, Any] = {}
    with pytest.raises(NameError):
        run(CellCompiler(), "def f(x: Undefined) -> None: pass", None, fresh)


def test_origin_validation() -> None:
    with pytest.raises(ValueError):
        Origin("")
    with pytest.raises(ValueError):
        Origin("a.py", 0)
    assert Origin("a.py") == Origin("a.py", 1, None)
