"""Namespace order (locals before globals) and concurrent mutation from another thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from ipykernel_lite.introspect import complete, help_text, inspect
from ipykernel_lite.introspect.namespace import snapshot

from ._helpers import JEDI_BUDGET


def frame_namespaces() -> list[Mapping[str, Any]]:
    """[f_locals, f_globals] of a real frame, as the kernel passes them in pdb."""
    shadowed = "a local string"  # noqa: F841 - read through the frame
    frame = __import__("sys")._getframe()
    glob = {"shadowed": 12345, "only_global": 1}
    return [frame.f_locals, glob]


@pytest.mark.parametrize("budget", [JEDI_BUDGET, 0.0], ids=["jedi", "fallback"])
def test_locals_shadow_globals_in_completion(budget: float) -> None:
    namespaces = frame_namespaces()
    reply = complete("shadowed.up", 11, namespaces, budget=budget)
    assert reply["matches"] == ["upper"]  # str from locals, not int from globals
    reply = complete("shadowed.bit_l", 14, namespaces, budget=budget)
    assert reply["matches"] == []
    reply = complete("only_gl", 7, namespaces, budget=budget)
    assert reply["matches"] == ["only_global"]


def test_locals_shadow_globals_in_inspect() -> None:
    namespaces = frame_namespaces()
    plain = inspect("shadowed", 8, 0, namespaces)["data"]["text/plain"]
    assert "Type:        str" in plain and "a local string" in plain
    text = help_text("shadowed", 0, namespaces)
    assert text is not None and "Type:        str" in text
    reversed_text = help_text("shadowed", 0, namespaces[::-1])
    assert reversed_text is not None and "Type:        int" in reversed_text


def test_dict_keys_follow_namespace_order() -> None:
    reply = complete("d['", 3, [{"d": {"inner": 1}}, {"d": {"outer": 1}}], budget=0)
    assert reply["matches"] == ["'inner'"]


class FlakyMapping(Mapping[str, Any]):
    """Iteration fails the first few times, as a mapping resized by another thread does."""

    def __init__(self, data: dict[str, Any], failures: int) -> None:
        self._data = data
        self.failures = failures

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[str]:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("dictionary changed size during iteration")
        return iter(self._data)


def test_snapshot_retries_when_mapping_changes() -> None:
    flaky = FlakyMapping({"a": 1, "b": 2}, failures=3)
    assert snapshot(flaky) == {"a": 1, "b": 2}
    assert flaky.failures == 0


def test_completion_retries_when_mapping_changes() -> None:
    flaky = FlakyMapping({"zz_name": 1}, failures=2)
    reply = complete("zz_n", 4, [flaky], budget=JEDI_BUDGET)
    assert reply["matches"] == ["zz_name"]


def test_concurrent_mutation_while_completing() -> None:
    ns: dict[str, Any] = {f"name_{i}": i for i in range(300)}
    nested: dict[str, int] = {f"key_{i}": i for i in range(300)}
    ns["nested"] = nested
    stop = threading.Event()
    mutations = 0

    def mutate() -> None:
        nonlocal mutations
        i = 0
        while not stop.is_set():
            ns[f"tmp_{i % 500}"] = i
            ns.pop(f"tmp_{(i + 250) % 500}", None)
            nested[f"tmp_{i % 500}"] = i
            nested.pop(f"tmp_{(i + 250) % 500}", None)
            i += 1
            mutations = i

    worker = threading.Thread(target=mutate, daemon=True)
    worker.start()
    try:
        for round_ in range(15):
            budget = JEDI_BUDGET if round_ % 2 else 0.0
            for code in ("name_1", "nested['key_1", "nested[", "tmp_", "nested.ke"):
                reply = complete(code, len(code), [ns], budget=budget)
                assert reply["status"] == "ok", reply
            assert complete("name_299", 8, [ns], budget=budget)["matches"] == ["name_299"]
            keys = complete("nested['key_299", 15, [ns], budget=budget)["matches"]
            assert keys == ["'key_299'"]
            assert inspect("nested", 6, 0, [ns])["found"] is True
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()
    assert mutations > 0


def test_concurrent_callers_get_their_own_answers() -> None:
    # The kernel asks from the shell and the control thread at the same time.
    ns: dict[str, Any] = {"alpha_value": 1, "beta_value": "s", "table": {"gamma": 1}}
    cases = {
        "alpha_va": ["alpha_value"],
        "beta_value.up": ["upper"],
        "table['ga": ["'gamma'"],
        "import o": None,  # just valid
    }
    failures: list[str] = []
    barrier = threading.Barrier(4, timeout=10)

    def caller(code: str, expected: list[str] | None) -> None:
        barrier.wait()
        for _ in range(10):
            reply = complete(code, len(code), [ns], budget=JEDI_BUDGET)
            if reply["status"] != "ok" or (expected is not None and reply["matches"] != expected):
                failures.append(f"{code!r}: {reply}")
            tip = inspect("alpha_value", 5, 0, [ns])
            if not tip["found"]:
                failures.append("inspect failed")

    threads = [threading.Thread(target=caller, args=item) for item in cases.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert failures == []
