"""IPython syntax rewriting: every rewrite keeps the line count; what is plain Python stays untouched."""

from __future__ import annotations

import pytest

from ipykernel_lite.kernel.transforms import CELL_MAGIC_CALL, MAGIC_CALL, cell_magic, rewrite_magics


def is_magic(name: str) -> bool:
    return name in {"ls", "pwd", "time", "who"}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("%time x = 1", f"{MAGIC_CALL}('time', 'x = 1')"),
        ("  %cd /tmp", f"  {MAGIC_CALL}('cd', '/tmp')"),
        ("!ls -l", f"{MAGIC_CALL}('system', 'ls -l')"),
        ("files = !ls", f"files = {MAGIC_CALL}('sx', 'ls')"),
        ("d['k'] = %who_ls int", f"d['k'] = {MAGIC_CALL}('who_ls', 'int')"),
        ("pwd", f"{MAGIC_CALL}('pwd', '')"),
        ("ls -d /tmp", f"{MAGIC_CALL}('ls', '-d /tmp')"),
        ("x = 5 % 3", "x = 5 % 3"),
        ("a != !b", "a != !b"),
        ("ls = 3", "ls = 3"),
        ("ls(1)", "ls(1)"),
        ("pass", "pass"),
        ("s = '''\n%not a magic\n'''", "s = '''\n%not a magic\n'''"),
    ],
)
def test_rewrites(code: str, expected: str) -> None:
    assert rewrite_magics(code, is_magic) == expected


def test_automagic_only_for_one_line_cells_and_known_names() -> None:
    assert rewrite_magics("pwd\nx = 1", is_magic) == "pwd\nx = 1"
    assert rewrite_magics("unknown_name", is_magic) == "unknown_name"


@pytest.mark.parametrize("code", ["%%time\nx = 1\ny = 2", "%%writefile f.py\na\n\nb\n", "%%bash", "%%capture\n"])
def test_cell_magic_keeps_line_count(code: str) -> None:
    out = rewrite_magics(code)
    assert out.startswith(f"{CELL_MAGIC_CALL}(")
    assert out.count("\n") == code.count("\n")


def test_cell_magic_body_ends_with_a_line_break_as_in_ipython() -> None:
    assert cell_magic("%%writefile -a f.txt\nhello") == ("writefile", "-a f.txt", "hello")
    out = rewrite_magics("%%writefile f.txt\nhello")
    assert "'hello\\n'" in out
