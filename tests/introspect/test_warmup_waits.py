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
    assert started == [False] * (len(warmup._JEDI_STEPS) + 2)
    assert polls > 5


def test_a_cell_started_between_steps_holds_the_next_step_until_it_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    state = {"busy": False, "cell_polls": 0}
    started: list[bool] = []

    def step(*_a: object, **_k: object) -> None:
        started.append(state["busy"])
        if len(started) == 3:
            state["busy"] = True  # the user runs a cell while the third step works

    def busy() -> bool:
        if state["busy"]:
            state["cell_polls"] += 1
            if state["cell_polls"] == 4:
                state["busy"] = False
        return state["busy"]

    monkeypatch.setattr(warmup.jedi_worker, "run", step)
    monkeypatch.setattr(warmup, "complete", step)
    monkeypatch.setattr(warmup, "inspect", step)
    monkeypatch.setattr(warmup, "QUIET", 0.01)
    warmup.warm_up(busy)
    assert started == [False] * (len(warmup._JEDI_STEPS) + 2), "a step ran while the cell did"
    assert state["cell_polls"] == 4, "the step after the cell's start waited for it"


def test_without_a_busy_flag_it_runs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    monkeypatch.setattr(warmup.jedi_worker, "run", lambda *_a, **_k: steps.append("jedi"))
    monkeypatch.setattr(warmup, "complete", lambda *_a, **_k: steps.append("complete"))
    monkeypatch.setattr(warmup, "inspect", lambda *_a, **_k: steps.append("inspect"))
    warmup.warm_up()
    assert steps == ["jedi"] * len(warmup._JEDI_STEPS) + ["complete", "inspect"]
