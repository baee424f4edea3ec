"""Malformed or hostile requests still produce valid replies, quickly."""

from __future__ import annotations

import json
import os
from types import MappingProxyType
from typing import Any

import pytest

from ipykernel_lite.introspect import complete, help_text, inspect

NS: list[dict[str, Any]] = [{"os": os, "value": 1}]


def assert_valid_complete(reply: dict[str, Any]) -> None:
    json.dumps(reply)  # must be serialisable as is
    assert reply["status"] in ("ok", "error")
    assert isinstance(reply["matches"], list)
    assert isinstance(reply["cursor_start"], int) and isinstance(reply["cursor_end"], int)
    if reply["status"] == "error":
        assert reply["ename"] and reply["evalue"] and isinstance(reply["traceback"], list)
    for text in reply["matches"]:
        text.encode("utf-8")


@pytest.mark.parametrize("pos", [-1, 4, 1000])
def test_cursor_out_of_range(pos: int) -> None:
    reply = complete("abc", pos, NS)
    assert_valid_complete(reply)
    assert reply["status"] == "error"
    assert reply["ename"] == "BadRequest"
    assert f"cursor_pos {pos} is outside the code" in reply["evalue"]
    assert reply["matches"] == []


@pytest.mark.parametrize(("code", "pos"), [(None, 0), (b"os.pa", 5), ("os.pa", "5"), ("os.pa", 2.0)])
def test_wrong_types(code: Any, pos: Any) -> None:
    reply = complete(code, pos, NS)
    assert_valid_complete(reply)
    assert reply["status"] == "error"
    assert "must be" in reply["evalue"]


def test_none_cursor_means_end() -> None:
    reply = complete("os.path.jo", None, NS)  # type: ignore[arg-type]
    assert reply["matches"] == ["join"]


@pytest.mark.parametrize("code", ["", "   ", "\n\n"])
def test_empty_code(code: str) -> None:
    reply = complete(code, len(code), NS)
    assert_valid_complete(reply)
    assert reply["status"] == "ok" and reply["matches"] == []
    assert reply["cursor_start"] == reply["cursor_end"] == len(code)


@pytest.mark.parametrize("budget", [5.0, 0.0])
@pytest.mark.parametrize("code", ["\ud800", "x = '\ud800'; os.pa", "\udcff.", "os.pa\ud800"])
def test_lone_surrogates(code: str, budget: float) -> None:
    for pos in (0, len(code) // 2, len(code)):
        assert_valid_complete(complete(code, pos, NS, budget=budget))
        reply = inspect(code, pos, 0, NS)
        json.dumps(reply)
        assert reply["status"] in ("ok", "error")
    assert help_text(code, 0, NS) is None


def test_lone_surrogate_before_valid_completion() -> None:
    code = "x = '\ud800'\nos.path.jo"
    reply = complete(code, len(code), NS, budget=0)
    assert reply["matches"] == ["join"]
    assert reply["cursor_start"] == code.index("jo")


def test_undecodable_file_names_are_dropped(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        (tmp_path / os.fsdecode(b"bad\xff")).write_text("")
    except (OSError, UnicodeError):
        pytest.skip("file system does not accept undecodable names")
    (tmp_path / "bag.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    reply = complete("'ba", 3, NS, budget=0)
    assert_valid_complete(reply)
    assert reply["matches"] == ["bag.txt'"]


@pytest.mark.parametrize("budget", [0.25, 0.0])
def test_one_megabyte_of_code(budget: float) -> None:
    code = "value = 1\n" * 100_000 + "os.path.jo"
    assert len(code) > 1_000_000
    reply = complete(code, len(code), NS, budget=budget)
    assert_valid_complete(reply)
    assert reply["status"] == "ok"
    assert reply["matches"] == ["join"]
    assert reply["cursor_start"] == len(code) - 2


def test_one_megabyte_single_line() -> None:
    code = "x = [" + "1, " * 350_000 + "os.path.jo"
    reply = complete(code, len(code), NS, budget=0.25)
    assert_valid_complete(reply)
    assert reply["status"] == "ok"


def test_inspect_bad_inputs() -> None:
    reply = inspect("abc", 10, 0, NS)
    assert reply["status"] == "error" and reply["found"] is False
    assert "outside the code" in reply["evalue"]
    assert inspect("", 0, 0, NS) == {"status": "ok", "found": False, "data": {}, "metadata": {}}
    assert inspect("os", 2, "x", NS)["found"] is True  # type: ignore[arg-type]
    assert inspect(None, 0, 0, NS)["status"] == "error"  # type: ignore[arg-type]
    big = "value = 1\n" * 100_000 + "os.path.join("
    assert inspect(big, len(big), 0, NS)["metadata"]["calltip"]["name"] == "os.path.join"


def test_help_text_bad_inputs() -> None:
    assert help_text(None, 0, NS) is None  # type: ignore[arg-type]
    assert help_text("os", -3, NS) is not None
    assert help_text("x" * 1_000_000, 0, NS) is None


def test_unusual_namespaces() -> None:
    class ReadOnly(dict):
        pass

    for ns in ([ReadOnly(zz_value=1), {}], [MappingProxyType({"zz_value": 1})]):
        reply = complete("zz_va", 5, ns, budget=0)
        assert reply["matches"] == ["zz_value"]
    assert complete("zz_va", 5, [], budget=0)["status"] == "ok"
