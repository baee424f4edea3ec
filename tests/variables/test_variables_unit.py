"""ipykernel_lite.introspect.variables: namespace -> rows, without running user code."""

from __future__ import annotations

import math
from typing import Any

import pytest

from ipykernel_lite.introspect.variables import VariablesError, variables


class Tripwire:
    """Every hook a careless variables view would call records that it ran."""

    calls: list[str] = []

    def __init__(self) -> None:
        self.inner = 1

    def __repr__(self) -> str:
        Tripwire.calls.append("repr")
        return "tripped"

    def __len__(self) -> int:
        Tripwire.calls.append("len")
        return 3

    def __getattr__(self, name: str) -> Any:
        Tripwire.calls.append(f"getattr {name}")
        raise AttributeError(name)

    @property
    def prop(self) -> int:
        Tripwire.calls.append("prop")
        return 1


class OwnDict:
    """A class whose __dict__ is a property: must not be called."""

    @property  # type: ignore[misc]
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        raise AssertionError("__dict__ property ran")


class Slotted:
    __slots__ = ("a",)

    def __init__(self) -> None:
        self.a = 1


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in rows}


def test_top_level_rows_hide_private_and_modules() -> None:
    ns = {"x": 42, "_hidden": 1, "math": math, "name": "Ada", "__builtins__": {}, "In": [], "f": len}
    rows = by_name(variables(ns)["variables"])
    assert sorted(rows) == ["f", "name", "x"]
    assert rows["x"] == {"name": "x", "type": "int", "value": "42", "size": None, "expandable": False, "path": ["x"]}
    assert rows["name"]["value"] == "'Ada'" and rows["name"]["size"] == 3
    assert rows["f"]["value"] == "<function len>" and rows["f"]["type"] == "builtin_function_or_method"


def test_containers_expand_by_position_and_key() -> None:
    ns = {"d": {"a": [1, 2], "b": {"c": 3}}, "t": (1,), "e": []}
    rows = by_name(variables(ns)["variables"])
    assert rows["d"]["expandable"] and rows["d"]["size"] == 2 and rows["d"]["type"] == "dict"
    assert rows["t"]["expandable"] and not rows["e"]["expandable"]
    level1 = variables(ns, ["d"])["variables"]
    assert [(r["name"], r["value"], r["path"]) for r in level1] == [
        ("'a'", "[1, 2]", ["d", 0]),
        ("'b'", "{'c': 3}", ["d", 1]),
    ]
    level2 = variables(ns, ["d", 0])["variables"]
    assert [(r["name"], r["value"]) for r in level2] == [("[0]", "1"), ("[1]", "2")]
    assert [r["value"] for r in variables(ns, ["d", 1])["variables"]] == ["3"]


def test_user_objects_never_run_user_code() -> None:
    Tripwire.calls.clear()
    ns = {"t": Tripwire(), "o": OwnDict(), "s": Slotted()}
    rows = by_name(variables(ns)["variables"])
    assert rows["t"]["value"].startswith(f"<{__name__}.Tripwire object at 0x")
    assert rows["t"]["type"] == f"{__name__}.Tripwire"
    assert rows["t"]["size"] is None and rows["t"]["expandable"]
    attrs = variables(ns, ["t"])["variables"]
    assert [(r["name"], r["value"], r["path"]) for r in attrs] == [("inner", "1", ["t", "inner"])]
    # OwnDict's __dict__ property and Slotted's missing __dict__: shown, not expanded
    assert not rows["o"]["expandable"] and not rows["s"]["expandable"]
    with pytest.raises(VariablesError):
        variables(ns, ["o"])
    assert Tripwire.calls == []


def test_bad_paths_are_clear_errors() -> None:
    ns = {"d": {"a": 1}, "n": 5}
    with pytest.raises(VariablesError, match="no variable 'missing'"):
        variables(ns, ["missing"])
    with pytest.raises(VariablesError, match="does not expand"):
        variables(ns, ["n"])
    with pytest.raises(VariablesError, match="is not in"):
        variables(ns, ["d", 7])
    with pytest.raises(VariablesError, match="does not expand"):
        variables(ns, ["d", 0])


def test_limits_truncate_and_long_values_are_short() -> None:
    ns = {f"v{i:03}": i for i in range(30)}
    ns["big"] = list(range(100_000))
    out = variables(ns, limit=10)
    assert len(out["variables"]) == 10 and out["truncated"] == 21
    big = variables(ns, ["big"], limit=5)
    assert len(big["variables"]) == 5 and big["truncated"] == 99_995
    row = by_name(variables({"s": "x" * 10_000})["variables"])["s"]
    assert len(row["value"]) <= 120 and row["size"] == 10_000
