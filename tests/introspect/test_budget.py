"""The budget: a slow or failing jedi never delays or breaks the reply."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from ipykernel_lite.introspect import complete, completion, jedi_worker

from ._helpers import JEDI_BUDGET

NS: list[dict[str, Any]] = [{"os": os, "zz_local": 1}]


@pytest.fixture
def blocked_worker() -> Iterator[threading.Event]:
    """Occupy the jedi thread until the test releases it."""
    release = threading.Event()
    started = threading.Event()

    def hog() -> None:
        started.set()
        release.wait(30)

    caller = threading.Thread(target=jedi_worker.run, args=(hog, None), daemon=True)
    caller.start()
    assert started.wait(10)
    yield release
    release.set()
    caller.join(10)
    assert not caller.is_alive()


def test_busy_jedi_falls_back(blocked_worker: threading.Event) -> None:
    reply = complete("os.path.jo", 10, NS, budget=0.1)
    assert reply["status"] == "ok"
    assert reply["matches"] == ["join"]  # answered by the fallback: jedi is still blocked
    assert not blocked_worker.is_set()


def test_jedi_recovers_after_timeouts(blocked_worker: threading.Event) -> None:
    for _ in range(3):
        complete("zz_lo", 5, NS, budget=0.02)
    blocked_worker.set()
    # Names defined only in the code (not executed) need jedi: proves jedi answers again.
    code = "def helper_defined_in_code():\n    pass\nhelper_def"
    reply = complete(code, len(code), NS, budget=JEDI_BUDGET)
    assert reply["matches"] == ["helper_defined_in_code"]


def test_jedi_error_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise RecursionError("jedi blew up")

    monkeypatch.setattr(completion, "complete_with_jedi", broken)
    reply = complete("os.path.jo", 10, NS, budget=JEDI_BUDGET)
    assert reply["status"] == "ok" and reply["matches"] == ["join"]


def test_jedi_only_contexts() -> None:
    # Things only static analysis knows: proves the jedi path is really used.
    reply = complete("'abc'.up", 8, NS, budget=JEDI_BUDGET)
    assert reply["matches"] == ["upper"]
    assert reply["cursor_start"] == 6
    assert complete("'abc'.up", 8, NS, budget=0)["matches"] == []


def test_fallback_finds_a_name_among_thousands() -> None:
    names = {f"name_{i}": i for i in range(5_000)}
    reply = complete("name_4999", 9, [names], budget=0)
    assert reply["matches"] == ["name_4999"]


def test_overrunning_job_makes_later_requests_fall_back_at_once() -> None:
    release = threading.Event()
    started = threading.Event()

    def slow_analysis() -> None:
        started.set()
        release.wait(30)

    with pytest.raises(jedi_worker.JediTimeout):
        jedi_worker.run(slow_analysis, 0.01)  # abandoned while still running
    assert started.wait(10)
    try:
        # a budget far beyond the test's timeout: returning at all proves it did not wait for jedi
        reply = complete("os.path.jo", 10, NS, budget=3600.0)
        assert reply["matches"] == ["join"]
        assert jedi_worker.busy()
    finally:
        release.set()
    assert jedi_worker.wait_idle(10)
    assert not jedi_worker.busy()
