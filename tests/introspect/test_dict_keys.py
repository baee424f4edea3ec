"""complete(): keys of a live dict inside ``d[...]``."""

from __future__ import annotations

from typing import Any

import pytest

from ipykernel_lite.introspect import complete

from ._helpers import JEDI_BUDGET, types_by_text


@pytest.fixture(params=[JEDI_BUDGET, 0.0], ids=["jedi", "fallback"])
def budget(request: pytest.FixtureRequest) -> float:
    return float(request.param)


@pytest.fixture
def ns() -> dict[str, Any]:
    big: dict[Any, Any] = {f"key{i}": i for i in range(200)}  # jedi alone stops at ~50 keys
    big.update({7: "seven", 42: "answer", b"raw": 1, "it's": 2, 'say "hi"': 3, ("t", 1): 4})
    return {"big": big, "holder": Holder()}


class Holder:
    def __init__(self) -> None:
        self.table = {"alpha": 1, "beta": 2}


def run(code: str, ns: dict[str, Any], budget: float, pos: int | None = None) -> dict[str, Any]:
    reply = complete(code, len(code) if pos is None else pos, [ns], budget=budget)
    assert reply["status"] == "ok", reply
    return reply


def test_double_quoted_prefix(ns: dict[str, Any], budget: float) -> None:
    code = 'big["key19'
    reply = run(code, ns, budget)
    expected = ['"key19"'] + [f'"key19{i}"' for i in range(10)]
    assert reply["matches"] == expected  # all of them, in the dict's order
    assert reply["cursor_start"] == code.index('"')
    assert reply["cursor_end"] == len(code)
    assert set(types_by_text(reply).values()) == {"dict key"}


def test_single_quote_escapes_quote(ns: dict[str, Any], budget: float) -> None:
    reply = run("big['it", ns, budget)
    assert reply["matches"] == ["'it\\'s'"]
    reply = run('big["say', ns, budget)
    assert reply["matches"] == ['"say \\"hi\\""']


def test_empty_quoted_lists_all_str_keys(ns: dict[str, Any], budget: float) -> None:
    reply = run("big['", ns, budget)
    assert len(reply["matches"]) == 202  # 200 + "it's" + 'say "hi"'; no bytes/int keys
    assert reply["matches"][0] == "'key0'"


def test_closing_quote_not_duplicated(ns: dict[str, Any], budget: float) -> None:
    code = 'big["key19"]'
    reply = run(code, ns, budget, pos=len('big["key19'))
    assert reply["matches"][0] == '"key19'
    assert reply["cursor_start"] == 4


def test_int_keys_unquoted(ns: dict[str, Any], budget: float) -> None:
    code = "big[4"
    reply = run(code, ns, budget)
    assert reply["matches"] == ["42"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (4, 5)


def test_bare_bracket_offers_keys_first(ns: dict[str, Any], budget: float) -> None:
    reply = run("big[", ns, budget)
    matches = reply["matches"]
    assert matches[:3] == ["'key0'", "'key1'", "'key2'"]
    assert "7" in matches and "42" in matches and "b'raw'" in matches
    assert reply["cursor_start"] == reply["cursor_end"] == 4


def test_bytes_keys(ns: dict[str, Any], budget: float) -> None:
    reply = run("big[b'r", ns, budget)
    assert reply["matches"] == ["b'raw'"]
    assert reply["cursor_start"] == 4


def test_dict_reached_through_attribute(ns: dict[str, Any], budget: float) -> None:
    code = "x = holder.table['al"
    reply = run(code, ns, budget)
    assert reply["matches"] == ["'alpha'"]
    assert reply["cursor_start"] == code.index("'")


def test_keys_inside_call(ns: dict[str, Any], budget: float) -> None:
    code = "print(big['key19"
    reply = run(code, ns, budget)
    assert reply["matches"][0] == "'key19'"
    assert reply["cursor_start"] == code.index("'")


@pytest.mark.parametrize("code", ["t['a", "t[", "t['apple'].", "t[k].", "x = t.ke"])
def test_dict_subclass_methods_not_called(code: str, budget: float) -> None:
    calls: list[str] = []

    class Tricky(dict):
        def keys(self):
            calls.append("keys")
            return super().keys()

        def values(self):
            calls.append("values")
            return super().values()

        def __iter__(self):
            calls.append("iter")
            return super().__iter__()

    reply = complete(code, len(code), [{"t": Tricky(apple=1, avocado=2), "k": 1}], budget=budget)
    assert reply["status"] == "ok"
    if code == "t['a":
        assert reply["matches"] == ["'apple'", "'avocado'"]
    assert calls == []
