"""The background warm-up steps wait while the kernel runs a request, so they never compete with user code."""

from __future__ import annotations

import pytest

from ipykernel_lite.introspect import warmup


def test_each_step_starts_only_after_the_kernel_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    state = {"busy": True}
    started: list[bool] = []  # the kernel's busy flag at the moment each step began
    monkeypatch.setattr(warmup.jedi_worker, "run", lambda *_a, **_k: started.append(state["busy"]))
    monkeypatch.setattr(warmup, "complete", lambda *_a, **_k: started.append(state["busy"]))
    monkeypatch.setattr(warmup, "inspect", lambda *_a, **_k: started.append(state["busy"]))
    polls = 0

    def busy() -> bool:
        nonlocal polls
        polls += 1
        if polls == 5:
            state["busy"] = False  # the first cell ends after a few polls
        return state["busy"]

    warmup.warm_up(busy)
    assert started == [False, False, False]
    assert polls > 5


def test_without_a_busy_flag_it_runs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    monkeypatch.setattr(warmup.jedi_worker, "run", lambda *_a, **_k: steps.append("jedi"))
    monkeypatch.setattr(warmup, "complete", lambda *_a, **_k: steps.append("complete"))
    monkeypatch.setattr(warmup, "inspect", lambda *_a, **_k: steps.append("inspect"))
    warmup.warm_up()
    assert steps == ["jedi", "complete", "inspect"]
