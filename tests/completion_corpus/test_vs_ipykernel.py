"""Our completions include ipykernel's at every position of a corpus taken from real code (issue 15).

``corpus.json`` holds 240 positions from the standard library's own modules (``extract.py`` builds it): the
line up to the middle of a module attribute, e.g. ``return os.path.jo``. Both kernels import the modules,
then answer the same complete_requests; every match ipykernel gives must be among ours, except for the
documented differences in ``KNOWN``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.client import BlockingClient, start_kernel

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
POSITIONS: list[dict[str, Any]] = CORPUS["positions"]
IPYKERNEL = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
#: matches ipykernel offers that we do not, and why
KNOWN = {
    # our sys.stdin is the kernel's own reader (input requests go to the front end), not a TextIOWrapper
    "sys.stdin.reconfigure": "sys.stdin is ipykernel_lite's StdinReader, which has no reconfigure()",
}

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ipykernel") is None, reason="ipykernel not installed")


def _replies(argv: list[str] | None) -> Iterator[list[dict[str, Any]]]:
    km, kc = start_kernel(argv)
    try:
        modules = sorted({p["module"] for p in POSITIONS})
        assert kc.execute("import " + ", ".join(modules), timeout=60).ok
        yield [_complete(kc, p["code"]) for p in POSITIONS]
    finally:
        kc.close()
        km.shutdown(timeout=2.0)


def _complete(kc: BlockingClient, code: str) -> dict[str, Any]:
    reply = kc.complete(code, len(code), timeout=30)
    assert reply["status"] == "ok", (code, reply)
    return reply


@pytest.fixture(scope="module")
def ours() -> Iterator[list[dict[str, Any]]]:
    yield from _replies(None)


@pytest.fixture(scope="module")
def theirs() -> Iterator[list[dict[str, Any]]]:
    yield from _replies(IPYKERNEL)


def _completed(code: str, reply: dict[str, Any]) -> set[str]:
    """The code as each match would leave it (the replies may replace different ranges)."""
    return {code[: reply["cursor_start"]] + m + code[reply["cursor_end"] :] for m in reply["matches"]}


def test_the_corpus_is_real_and_large_enough() -> None:
    assert len(POSITIONS) >= 200
    assert len({p["source"] for p in POSITIONS}) >= 30


def test_our_matches_include_ipykernels(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    missing: list[str] = []
    found_expected = 0
    for position, mine, reference in zip(POSITIONS, ours, theirs, strict=True):
        code = position["code"]
        lacking = _completed(code, reference) - _completed(code, mine)
        lacking = {text for text in lacking if not any(text.endswith(k) for k in KNOWN)}
        if lacking:
            missing.append(f"{code!r}: {sorted(lacking)[:3]}")
        found_expected += any(m.endswith(position["expect"]) for m in _completed(code, mine))
    assert not missing, "\n".join(missing)
    # and the name the code really used is offered (almost) everywhere
    assert found_expected >= 0.95 * len(POSITIONS)
