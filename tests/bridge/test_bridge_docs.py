"""docs/adapters-vscode.md cannot drift from the bridge: its transcripts match the schema, its framing example
adds up, and it documents every method, notification and error code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.bridge.schema import ERRORS, METHODS, NOTIFICATIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "adapters-vscode.md"
TEXT = DOC.read_text(encoding="utf-8")


def _transcripts() -> list[list[tuple[int, str, Any]]]:
    """Each ```text block of → / ← lines: (line number, arrow, message)."""
    found: list[list[tuple[int, str, Any]]] = []
    lines = TEXT.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```text":
            i += 1
            continue
        block: list[tuple[int, str, Any]] = []
        i += 1
        while lines[i].strip() != "```":
            arrow, _, body = lines[i].partition(" ")
            assert arrow in ("→", "←"), f"adapters-vscode.md:{i + 1}: a transcript line starts with → or ←"
            block.append((i + 1, arrow, json.loads(body)))
            i += 1
        found.append(block)
        i += 1
    return found


TRANSCRIPTS = _transcripts()


def test_there_are_transcripts() -> None:
    assert len(TRANSCRIPTS) >= 2 and all(len(t) > 5 for t in TRANSCRIPTS)


@pytest.mark.parametrize("block", TRANSCRIPTS, ids=lambda b: f"line{b[0][0]}")
def test_transcript_messages_match_the_schema(block: list[tuple[int, str, Any]]) -> None:
    methods: dict[Any, str] = {}
    for line, arrow, msg in block:
        where = f"adapters-vscode.md:{line}"
        assert msg["jsonrpc"] == "2.0", where
        if arrow == "→":
            assert msg["method"] in METHODS, where
            METHODS[msg["method"]][0].model_validate(msg.get("params", {}))
            methods[msg["id"]] = msg["method"]
        elif "method" in msg:
            NOTIFICATIONS[msg["method"]].model_validate(msg["params"])
        else:
            assert msg["id"] in methods, f"{where}: a response to a request not in the transcript"
            METHODS[methods[msg["id"]]][1].model_validate(msg["result"])


def test_framing_example_adds_up() -> None:
    m = re.search(r"Content-Length: (\d+)\\r\\n\n\\r\\n\n(\{.*\})\n", TEXT)
    assert m is not None
    assert int(m[1]) == len(m[2].encode("utf-8"))


def test_every_method_notification_and_error_is_documented() -> None:
    rows = {m[1] for m in re.finditer(r"^\| `([\w$/]+)` \|", TEXT, re.MULTILINE)}
    assert set(METHODS) <= rows
    assert set(NOTIFICATIONS) <= rows
    for code in ERRORS:
        assert str(code) in TEXT, code
