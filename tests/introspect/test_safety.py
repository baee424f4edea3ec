"""No user code runs during introspection: properties, __getattr__, __getitem__, __repr__."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ipykernel_lite.introspect import complete, help_text, inspect

from ._helpers import JEDI_BUDGET


class Tripwire:
    """Counts every piece of its own code that introspection runs."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @property
    def counter_prop(self) -> int:
        self.calls.append("counter_prop")
        return len(self.calls)

    @property
    def raising_prop(self) -> int:
        self.calls.append("raising_prop")
        raise RuntimeError("property executed")

    def __getitem__(self, key: Any) -> Any:
        self.calls.append("__getitem__")
        return 1

    def __repr__(self) -> str:
        self.calls.append("__repr__")
        return "Tripwire()"

    def __len__(self) -> int:
        self.calls.append("__len__")
        return 1

    def __dir__(self) -> list[str]:
        # dir() itself is allowed (the brief says attributes come from dir()); do not count it.
        return [*super().__dir__()]


class Proxy:
    """Like an RPC proxy: any unknown attribute lookup runs code."""

    def __init__(self) -> None:
        object.__setattr__(self, "calls", [])

    def __getattr__(self, name: str) -> Any:
        self.calls.append(f"__getattr__({name})")
        raise AttributeError(name)

    def method(self, a: int) -> int:
        return a


BUDGETS = pytest.mark.parametrize("budget", [JEDI_BUDGET, 0.0], ids=["jedi", "fallback"])


@BUDGETS
@pytest.mark.parametrize(
    "code",
    [
        "t.",
        "t.counter",
        "t.raising_prop.",
        "t.counter_prop.real",
        "t.counter_prop.bit_l",
        "t[",
        "t['",
        "t[0].",
        "print(t.counter_prop, ",
        "t.raising_prop(",
    ],
)
def test_complete_runs_no_properties(code: str, budget: float) -> None:
    t = Tripwire()
    reply = complete(code, len(code), [{"t": t}], budget=budget)
    assert reply["status"] == "ok"
    assert t.calls == []


def test_property_listed_with_property_type() -> None:
    t = Tripwire()
    reply = complete("t.counter", 9, [{"t": t}], budget=0)
    assert reply["matches"] == ["counter_prop"]
    assert reply["metadata"]["_jupyter_types_experimental"][0]["type"] == "property"
    assert t.calls == []


@pytest.mark.parametrize(
    "code", ["t.counter_prop", "t.raising_prop", "t.raising_prop.real", "t", "t[0]", "len(t.counter_prop, "]
)
@pytest.mark.parametrize("detail", [0, 1])
def test_inspect_runs_no_user_code(code: str, detail: int) -> None:
    t = Tripwire()
    reply = inspect(code, len(code), detail, [{"t": t}])
    assert reply["status"] == "ok"
    help_text(code, detail, [{"t": t}])
    assert t.calls == []


def test_inspect_property_shows_getter_doc_without_running_it() -> None:
    class WithDoc:
        @property
        def value(self) -> int:
            """The value, computed expensively."""
            raise RuntimeError("property executed")

    reply = inspect("w.value", 7, 0, [{"w": WithDoc()}])
    assert reply["found"] is True
    plain = reply["data"]["text/plain"]
    assert re.search(r"^Type:\s+property$", plain, re.MULTILINE)
    assert "The value, computed expensively." in plain


def test_instance_string_form_never_calls_repr() -> None:
    t = Tripwire()
    plain = inspect("t", 1, 0, [{"t": t}])["data"]["text/plain"]
    assert "String form" not in plain and "Length" not in plain
    assert "Tripwire" in plain  # from the type, not from repr()
    assert t.calls == []


def test_default_values_formatted_without_repr() -> None:
    t = Tripwire()

    def uses_default(x: int = 0, marker: Any = t) -> None:
        pass

    tip = inspect("uses_default(", 13, 0, [{"uses_default": uses_default}])["metadata"]["calltip"]
    assert tip["params"][0] == "x: int = 0"
    assert tip["params"][1].startswith("marker: Any = <")
    assert "Tripwire object at 0x" in tip["params"][1]
    assert t.calls == []


@BUDGETS
@pytest.mark.parametrize("code", ["p.", "p.me", "p.method(", "p.missing.", "x = p.method(1, "])
def test_getattr_proxy_not_probed(code: str, budget: float) -> None:
    p = Proxy()
    reply = complete(code, len(code), [{"p": p}], budget=budget)
    assert reply["status"] == "ok"
    assert p.calls == []


def test_getattr_proxy_still_completes_statically() -> None:
    p = Proxy()
    reply = complete("p.me", 4, [{"p": p}], budget=JEDI_BUDGET)
    assert reply["matches"] == ["method"]
    assert p.calls == []


@pytest.mark.parametrize("code", ["p", "p.method", "p.method(", "p.missing", "p.missing.attr"])
def test_getattr_proxy_not_probed_by_inspect(code: str) -> None:
    p = Proxy()
    inspect(code, len(code), 1, [{"p": p}])
    help_text(code, 1, [{"p": p}])
    assert p.calls == []


@pytest.mark.parametrize("code", ["t[k].bit_length", "t['a'].real", "t.keys"])
def test_inspect_does_not_run_dict_subclass_methods(code: str) -> None:
    calls: list[str] = []

    class Tricky(dict):
        def keys(self):
            calls.append("keys")
            return super().keys()

        def values(self):
            calls.append("values")
            return super().values()

    ns = {"t": Tricky(a=1), "k": "a"}
    inspect(code, len(code), 1, [ns])
    help_text(code, 0, [ns])
    assert calls == []
