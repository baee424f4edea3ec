"""The text/plain pretty printer gives IPython's text, checked against IPython's own printer."""

from __future__ import annotations

import collections
import datetime
import re
import types
from typing import Any

import pytest

from ipykernel_lite.pretty import PrettyPrinter, pretty

ipython_pretty = pytest.importorskip("IPython.lib.pretty")


class Plain:
    pass


class WithRepr:
    def __repr__(self) -> str:
        return "WithRepr(\n  multi-line\n)"


class Custom:
    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        with p.group(7, "Custom(", ")"):
            for i, x in enumerate(self.items):
                if i:
                    p.text(",")
                    p.breakable()
                p.pretty(x)


def fn(a: int, b: str = "x", *args: Any, **kw: Any) -> None:
    pass


cyclic: list[Any] = [1]
cyclic.append(cyclic)

CASES: list[Any] = [
    1, 2.5, "text", b"bytes", None, True, Ellipsis, int, Plain, Plain(), WithRepr(), fn, len, print, [].append,
    list(range(100)), tuple(range(40)), (1,), (), {}, set(), frozenset(), set(range(50)), frozenset({3, 1}),
    {i: str(i) * i for i in range(15)}, [list(range(30))] * 3, {"a": {"b": {"c": list(range(40))}}},
    collections.defaultdict(list, {1: [2]}), collections.OrderedDict(a=1), collections.Counter("hello world"),
    collections.deque([1, 2], maxlen=3), re.compile(r"\s+x", re.I | re.M), types.SimpleNamespace(a=1, b=[1] * 40),
    ValueError("bad", 3), KeyError("k"), cyclic, datetime.datetime(2020, 1, 1), "x" * 200, range(10), slice(1, 2),
    Custom(list(range(40))), Custom([Custom([1, 2]), "s"]), list(range(1200)), {1: 2}.keys(), object(),
]


@pytest.mark.parametrize("index", range(len(CASES)))
def test_matches_ipython(index: int) -> None:
    obj = CASES[index]
    assert pretty(obj) == ipython_pretty.pretty(obj)


def test_repr_pretty_protocol_methods() -> None:
    p = PrettyPrinter(max_width=10)
    with p.group(1, "<", ">"):
        p.text("aaaa")
        p.breakable()
        with p.indent(2):
            p.text("bbbb")
            p.break_()
            p.text("c")
    assert p.getvalue() == "<aaaa\n bbbb\n   c>"
