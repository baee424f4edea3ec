"""Editor margin breakpoints: execute metadata ``origin.breakpoints`` (lines of the origin's path) makes pdb
(over stdin) stop on those lines only; elsewhere the code runs on, and the next request runs without them."""

from __future__ import annotations

from pathlib import Path

CODE = """\
def scale(x):
    y = x * 3
    return y

first = scale(1)
second = scale(2)
print('done', first, second)
"""


def origin(path: Path, line: int, breakpoints: list[int]) -> dict[str, object]:
    return {"origin": {"path": str(path), "line": line, "breakpoints": breakpoints}}


def test_margin_breakpoints_stop_there_only(driver, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "margin.py"
    path = str(script)
    # the code is lines 10-16 of the buffer: line 11 is "y = x * 3"; line 40 has no code (ignored)
    run = driver.run(CODE, ["p x", "c", "p x", "c"], metadata=origin(script, 10, [11, 40]))
    assert run.status == "ok", run
    # a prompt per answer: "p x" and "c" at the first call's line 11, then the same at the second call's
    assert [r.where for r in run.requests] == [(path, 11, "scale")] * 4
    assert "1\n" in run.stdout and "2\n" in run.stdout and run.stdout.endswith("done 3 6\n")

    # the breakpoints were for that request only
    again = driver.run(CODE, [], metadata={"origin": {"path": str(script), "line": 10}})
    assert again.status == "ok" and again.requests == [] and again.stdout.endswith("done 3 6\n")


def test_margin_breakpoints_without_stdin_are_ignored(driver, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "quiet.py"
    msg_id = driver.start(CODE, metadata=origin(script, 1, [2]), allow_stdin=False)
    run = driver.finish(msg_id)
    assert run.status == "ok" and run.requests == [] and run.stdout.endswith("done 3 6\n")
