"""complete(): replacement ranges and matches in each completion context.

Most cases run twice: through jedi (large budget) and through the namespace fallback
(budget 0), since the kernel may get either answer.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.introspect import complete

from ._helpers import JEDI_BUDGET, TYPES_KEY, entries, types_by_text


def keyword_target(alpha: int, beta: int = 1, *, sep: str = " ") -> None:
    """A function with keyword-capable parameters."""


class Node:
    def __init__(self) -> None:
        self.child = Child()


class Child:
    def __init__(self) -> None:
        self.leaf_value = 3
        self.leaf_other = 4


@pytest.fixture(params=[JEDI_BUDGET, 0.0], ids=["jedi", "fallback"])
def budget(request: pytest.FixtureRequest) -> float:
    return float(request.param)


@pytest.fixture
def ns() -> dict[str, Any]:
    return {"os": os, "keyword_target": keyword_target, "node": Node(), "café": "x", "naïve_value": 1}


def run(code: str, ns: dict[str, Any], budget: float, pos: int | None = None) -> dict[str, Any]:
    reply = complete(code, len(code) if pos is None else pos, [ns], budget=budget)
    assert reply["status"] == "ok", reply
    return reply


def test_reply_shape(ns: dict[str, Any], budget: float) -> None:
    reply = run("os.path.jo", ns, budget)
    assert set(reply) == {"status", "matches", "cursor_start", "cursor_end", "metadata"}
    assert reply["matches"] == ["join"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (8, 10)
    [entry] = entries(reply)
    assert entry["start"] == 8 and entry["end"] == 10 and entry["text"] == "join"
    assert entry["type"] == "function"
    assert entry["signature"].startswith("(") and "a" in entry["signature"]


def test_multiline_code(ns: dict[str, Any], budget: float) -> None:
    code = "x = 1\nif x:\n    os.path.jo"
    reply = run(code, ns, budget)
    assert reply["matches"] == ["join"]
    assert reply["cursor_start"] == code.index("jo") == 24
    assert reply["cursor_end"] == len(code)


def test_crlf_line_endings(ns: dict[str, Any], budget: float) -> None:
    code = "x = 1\r\ny = 2\r\nos.path.jo"
    reply = run(code, ns, budget)
    assert reply["matches"] == ["join"]
    assert reply["cursor_start"] == code.index("jo")


def test_attribute_chain_replaces_only_last_part(ns: dict[str, Any], budget: float) -> None:
    code = "node.child.leaf_"
    reply = run(code, ns, budget)
    assert set(reply["matches"]) == {"leaf_value", "leaf_other"}
    assert reply["cursor_start"] == len("node.child.")
    assert reply["cursor_end"] == len(code)


def test_cursor_in_middle_of_code(ns: dict[str, Any], budget: float) -> None:
    code = "os.path.jo\nprint(1)"
    reply = run(code, ns, budget, pos=10)
    assert reply["matches"] == ["join"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (8, 10)


def test_import_module(ns: dict[str, Any], budget: float) -> None:
    reply = run("import o", ns, budget)
    assert "os" in reply["matches"]
    assert all(m.lower().startswith("o") for m in reply["matches"])
    assert (reply["cursor_start"], reply["cursor_end"]) == (7, 8)
    assert types_by_text(reply)["os"] == "module"


def test_import_submodule(ns: dict[str, Any], budget: float) -> None:
    reply = run("import os.pa", ns, budget)
    assert "path" in reply["matches"]
    assert reply["cursor_start"] == len("import os.")


def test_from_import(ns: dict[str, Any], budget: float) -> None:
    code = "from os import pa"
    reply = run(code, ns, budget)
    assert "path" in reply["matches"] and "pathsep" in reply["matches"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (15, 17)


def test_keyword_argument(ns: dict[str, Any], budget: float) -> None:
    code = "keyword_target(1, se"
    reply = run(code, ns, budget)
    assert "sep=" in reply["matches"]
    assert reply["cursor_start"] == len(code) - 2
    assert types_by_text(reply)["sep="] == "param"


def test_keyword_argument_first_position(ns: dict[str, Any], budget: float) -> None:
    reply = run("keyword_target(al", ns, budget)
    assert "alpha=" in reply["matches"]
    assert reply["cursor_start"] == len("keyword_target(")


def test_non_ascii_prefix_positions(ns: dict[str, Any], budget: float) -> None:
    # One astral (2 UTF-16 units, 4 UTF-8 bytes) and one BMP non-ASCII char before the
    # cursor: offsets must count code points.
    code = 's = "😀é"; naï'
    reply = run(code, ns, budget)
    assert reply["matches"] == ["naïve_value"]
    assert reply["cursor_start"] == 10 == code.index("naï")
    assert reply["cursor_end"] == 13 == len(code)


def test_non_ascii_on_previous_line(ns: dict[str, Any], budget: float) -> None:
    code = 'x = "😀😀"\ncafé.up'
    reply = run(code, ns, budget)
    assert reply["matches"] == ["upper"]
    assert reply["cursor_start"] == code.index("up") == 14


def test_keyword_completion(ns: dict[str, Any], budget: float) -> None:
    reply = run("whi", ns, budget)
    assert reply["matches"] == ["while"]
    assert types_by_text(reply)["while"] == "keyword"


def test_types_reported(ns: dict[str, Any], budget: float) -> None:
    reply = run("os.pat", ns, budget)
    kinds = types_by_text(reply)
    assert kinds["path"] == "module"
    assert kinds["PathLike"] == "class"
    assert kinds["pathconf"] == "function"


def test_matches_are_unique(ns: dict[str, Any], budget: float) -> None:
    reply = run("os.", ns, budget)
    assert len(reply["matches"]) > 50
    assert len(reply["matches"]) == len(set(reply["matches"]))
    assert [e["text"] for e in entries(reply)] == reply["matches"]


def test_path_completion_in_string(
    ns: dict[str, Any], budget: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "src_dir").mkdir()
    (tmp_path / "src_file.py").write_text("")
    (tmp_path / "other.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    code = 'open("./sr'
    reply = run(code, ns, budget)
    assert sorted(reply["matches"]) == ["src_dir/", 'src_file.py"']
    assert reply["cursor_start"] == len(code) - 2
    assert set(types_by_text(reply).values()) == {"path"}


def test_path_completion_in_subdirectory(
    ns: dict[str, Any], budget: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "table.csv").write_text("")
    monkeypatch.chdir(tmp_path)
    code = "x = 'data/ta'"
    reply = run(code, ns, budget, pos=len(code) - 1)
    assert reply["matches"] == ["table.csv"]  # closing quote already present
    assert reply["cursor_start"] == code.index("ta'")


def test_nothing_in_comment(ns: dict[str, Any], budget: float) -> None:
    reply = run("x = 1  # os.pa", ns, budget)
    assert reply["matches"] == []
    assert reply["cursor_start"] == reply["cursor_end"] == 14
    assert reply["metadata"] == {TYPES_KEY: []}
