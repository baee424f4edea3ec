"""is_complete_request's rules: when the console runs the input and when it asks for another line."""

from __future__ import annotations

import pytest

from ipykernel_lite.kernel.completeness import is_complete


@pytest.mark.parametrize(
    ("code", "status", "indent"),
    [
        ("x = 1", "complete", ""),
        ("", "complete", ""),
        ("# comment", "complete", ""),
        ("for i in range(3):", "incomplete", "    "),
        ("for i in range(3):\n    if i:", "incomplete", "        "),
        ("for i in range(3):\n    print(i)", "incomplete", "    "),
        ("for i in range(3):\n    print(i)\n", "complete", ""),
        ("def f():\n\treturn 1", "incomplete", "\t"),
        ("class A:  # comment", "incomplete", "    "),
        ("if x:\n    y\nelse:", "incomplete", "    "),
        ("x = (", "incomplete", ""),
        ("x = [1,\n     2,", "incomplete", "     "),
        ("x = \\", "incomplete", ""),
        ("s = '''\n  hi", "incomplete", "  "),
        ("f(1,\n  2)", "complete", ""),
        ("await asyncio.sleep(0)", "complete", ""),
        ("1 +", "invalid", ""),
        ("raise = 2", "invalid", ""),
        ("(\n))", "invalid", ""),
    ],
)
def test_is_complete(code: str, status: str, indent: str) -> None:
    assert is_complete(code) == (status, indent)
