"""inspect() and help_text(): what is found, the text, the calltip."""

from __future__ import annotations

import linecache
import os
from collections.abc import Iterator
from typing import Any

import pytest

from ipykernel_lite.introspect import help_text, inspect

CELL_SOURCE = '''\
def cell_function(a, b=2, *args, c, **kw):
    """Defined in a cell."""
    return a + b


class CellClass:
    """A class from a cell."""

    def method(self, x, y=1):
        return x


def positional_only(p, q, /, r):
    return p
'''


@pytest.fixture
def cell_ns() -> Iterator[dict[str, Any]]:
    """Names defined by 'running a cell' whose source only lives in linecache."""
    filename = "<ipykernel-lite-cell-test>"
    linecache.cache[filename] = (len(CELL_SOURCE), None, CELL_SOURCE.splitlines(True), filename)
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(CELL_SOURCE, filename, "exec"), ns)
    ns.update(os=os, obj=ns["CellClass"](), number=5, items=[1, 2, 3])
    yield ns
    linecache.cache.pop(filename, None)


def calltip(reply: dict[str, Any]) -> dict[str, Any]:
    assert reply["status"] == "ok" and reply["found"], reply
    tip: dict[str, Any] = reply["metadata"]["calltip"]
    return tip


def test_reply_shape(cell_ns: dict[str, Any]) -> None:
    reply = inspect("os.path.join", 12, 0, [cell_ns])
    assert set(reply) == {"status", "found", "data", "metadata"}
    assert reply["found"] is True
    assert set(reply["data"]) == {"text/plain", "text/markdown"}
    plain = reply["data"]["text/plain"]
    assert plain.startswith("Signature: os.path.join(a, *p)\n")
    assert "Join two or more pathname components" in plain
    assert reply["data"]["text/markdown"].startswith("```python\nos.path.join(a, *p)\n```\n")
    tip = calltip(reply)
    assert tip == {
        "signature": "os.path.join(a, *p)",
        "name": "os.path.join",
        "params": ["a", "*p"],
        "active_param": None,
        "doc": tip["doc"],
    }
    assert tip["doc"].startswith("Join two or more")


def test_not_found() -> None:
    reply = inspect("no_such_name", 5, 0, [{}])
    assert reply == {"status": "ok", "found": False, "data": {}, "metadata": {}}


def test_callee_inside_parentheses(cell_ns: dict[str, Any]) -> None:
    code = "os.path.join(a, "
    reply = inspect(code, len(code), 0, [cell_ns])
    tip = calltip(reply)
    assert tip["name"] == "os.path.join"
    assert tip["active_param"] == 1  # *p
    assert "Signature: os.path.join" in reply["data"]["text/plain"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("cell_function(", 0),
        ("cell_function(1, ", 1),
        ("cell_function(1, 2, 3, 4, ", 2),  # extra positionals go to *args
        ("cell_function(1, c=", 3),
        ("cell_function(1, b=", 1),
        ("cell_function(1, zzz=", 4),  # unknown keyword goes to **kw
        ("cell_function(x, y=[1, 2], ", 1),  # the commas in [1, 2] do not split
        ("cell_function(*xs, ", 2),
        ("cell_function(1, **opts", 4),
        ("positional_only(1, 2, ", 2),
        ("positional_only(1, 2, 3, ", None),  # past the end, no *args
        ("positional_only(1, p=", None),  # positional-only cannot be passed by keyword
        ("obj.method(", 0),  # bound method: self is not a parameter
        ("obj.method(1, y=", 1),
        ("CellClass.method(obj, ", 1),  # through the class: self is
        ("print(1, 2, sep=", 1),
        ("print(1, 2, ", 0),
    ],
)
def test_active_param(cell_ns: dict[str, Any], code: str, expected: int | None) -> None:
    tip = calltip(inspect(code, len(code), 0, [cell_ns]))
    assert tip["active_param"] == expected


def test_nested_calls(cell_ns: dict[str, Any]) -> None:
    inner = "cell_function(1, positional_only(1, "
    tip = calltip(inspect(inner, len(inner), 0, [cell_ns]))
    assert (tip["name"], tip["active_param"]) == ("positional_only", 1)

    outer = "cell_function(1, positional_only(1, 2), "
    tip = calltip(inspect(outer, len(outer), 0, [cell_ns]))
    assert (tip["name"], tip["active_param"]) == ("cell_function", 2)


def test_strings_and_brackets_do_not_count_as_arguments(cell_ns: dict[str, Any]) -> None:
    code = 'cell_function("a, b", (1, 2), {3: ")"}, '
    tip = calltip(inspect(code, len(code), 0, [cell_ns]))
    assert tip["active_param"] == 2


def test_cursor_in_middle_of_call(cell_ns: dict[str, Any]) -> None:
    code = "cell_function(1, 2)\nx = 1"
    tip = calltip(inspect(code, code.index("2"), 0, [cell_ns]))
    assert tip["active_param"] == 1


def test_params_listed(cell_ns: dict[str, Any]) -> None:
    tip = calltip(inspect("cell_function(", 14, 0, [cell_ns]))
    assert tip["params"] == ["a", "b=2", "*args", "c", "**kw"]
    assert tip["signature"] == "cell_function(a, b=2, *args, c, **kw)"
    assert tip["doc"] == "Defined in a cell."


def test_name_under_cursor_and_after_dot(cell_ns: dict[str, Any]) -> None:
    reply = inspect("x = number + 1", 5, 0, [cell_ns])
    assert "Type:        int" in reply["data"]["text/plain"]
    assert "String form: 5" in reply["data"]["text/plain"]
    reply = inspect("os.", 3, 0, [cell_ns])
    assert reply["found"] and "Type: module" in reply["data"]["text/plain"]


def test_detail_level_1_shows_source_from_linecache(cell_ns: dict[str, Any]) -> None:
    plain0 = inspect("cell_function", 5, 0, [cell_ns])["data"]["text/plain"]
    assert "Source:" not in plain0
    reply = inspect("cell_function", 5, 1, [cell_ns])
    plain1 = reply["data"]["text/plain"]
    assert "Docstring:\nDefined in a cell." in plain1
    assert "Source:\ndef cell_function(a, b=2, *args, c, **kw):\n" in plain1
    assert "    return a + b" in plain1
    assert "```python\ndef cell_function(" in reply["data"]["text/markdown"]


def test_detail_level_1_class_source_from_linecache(cell_ns: dict[str, Any]) -> None:
    plain = inspect("CellClass", 3, 1, [cell_ns])["data"]["text/plain"]
    assert "Source:\nclass CellClass:\n" in plain
    assert "    def method(self, x, y=1):" in plain
    assert "def positional_only" not in plain


def test_detail_level_1_method_source(cell_ns: dict[str, Any]) -> None:
    plain = inspect("obj.method", 6, 1, [cell_ns])["data"]["text/plain"]
    assert "Source:\n    def method(self, x, y=1):\n        return x" in plain


def test_container_fields(cell_ns: dict[str, Any]) -> None:
    plain = inspect("items", 2, 0, [cell_ns])["data"]["text/plain"]
    assert "Type:        list" in plain
    assert "String form: [1, 2, 3]" in plain
    assert "Length:      3" in plain


def test_jedi_fallback_for_expressions(cell_ns: dict[str, Any]) -> None:
    # Not a dotted name of live objects: answered by jedi's static inference.
    code = "'abc'.upper"
    reply = inspect(code, len(code), 0, [cell_ns])
    assert reply["found"] is True
    plain = reply["data"]["text/plain"]
    assert plain.startswith("Signature: 'abc'.upper()")
    assert "Return a copy of the string converted to uppercase." in plain


def test_keyword_help() -> None:
    reply = inspect("if x:", 1, 0, [{}])
    assert reply["found"] is True
    assert 'The "if" statement' in reply["data"]["text/plain"]
    assert "File:" not in reply["data"]["text/plain"]


def test_markdown_fence_survives_backticks() -> None:
    def documented() -> None:
        """Example:

        ```
        nested fence
        ```
        """

    md = inspect("documented", 3, 0, [{"documented": documented}])["data"]["text/markdown"]
    assert "````text\nExample:" in md
    assert md.rstrip().endswith("````")


def test_help_text_matches_inspect(cell_ns: dict[str, Any]) -> None:
    for expr in ("cell_function", "os.path.join", "obj.method", "number", "CellClass"):
        for detail in (0, 1):
            reply = inspect(expr, len(expr), detail, [cell_ns])
            assert help_text(expr, detail, [cell_ns]) == reply["data"]["text/plain"]


def test_help_text_detail_levels(cell_ns: dict[str, Any]) -> None:
    short = help_text("cell_function", 0, [cell_ns])
    long = help_text("cell_function", 1, [cell_ns])
    assert short is not None and long is not None
    assert "Source:" not in short and "Source:" in long


@pytest.mark.parametrize("expr", ["", "   ", "no_such_name", "os.no_such_attr", "number(", "1 +"])
def test_help_text_none_when_unresolved(cell_ns: dict[str, Any], expr: str) -> None:
    assert help_text(expr, 0, [cell_ns]) is None


def test_source_of_frozen_stdlib_function() -> None:
    if not os.path.join.__code__.co_filename.startswith("<frozen "):
        pytest.skip("os.path is not frozen on this Python")
    text = help_text("os.path.join", 1, [{"os": os}])
    assert text is not None
    assert "\nSource:\ndef join(a, *p):\n" in text
    assert f"File:      {os.path.__file__}" in text
