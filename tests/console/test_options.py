"""The console's command line, its history location and its Python fallback for is_complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.history import FileHistory, InMemoryHistory

from ipykernel_lite.console.app import local_is_complete
from ipykernel_lite.console.history import IN_MEMORY, default_history_path, open_history
from ipykernel_lite.console.options import ConsoleOptions, parse_args


def test_defaults_start_our_kernel() -> None:
    assert parse_args([]) == ConsoleOptions()


def test_existing_and_history() -> None:
    o = parse_args(["--existing", "kernel-1.json", "--history", IN_MEMORY, "--no-color", "--simple-prompt"])
    assert (o.existing, o.history, o.color, o.simple_prompt) == ("kernel-1.json", IN_MEMORY, False, True)


def test_kernel_cmd_takes_the_rest_and_gets_a_connection_file() -> None:
    o = parse_args(["--color", "--kernel-cmd", "python", "-m", "ipykernel_launcher"])
    assert o.color is True
    assert o.kernel_cmd == ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    o = parse_args(["--kernel-cmd", "kern", "--conn={connection_file}", "-v"])
    assert o.kernel_cmd == ["kern", "--conn={connection_file}", "-v"]


def test_a_leading_double_dash_is_skipped() -> None:
    assert parse_args(["--", "--existing", "k.json"]).existing == "k.json"


def test_existing_excludes_kernel_cmd() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--existing", "k.json", "--kernel-cmd", "python"])


def test_interrupt_mode_is_checked() -> None:
    assert parse_args(["--interrupt-mode", "message"]).interrupt_mode == "message"
    with pytest.raises(SystemExit):
        parse_args(["--interrupt-mode", "loud"])


def test_history_lives_in_the_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert default_history_path() == tmp_path / "ipykernel_lite" / "console_history"
    h = open_history()
    assert isinstance(h, FileHistory)
    assert (tmp_path / "ipykernel_lite" / "console_history").is_file()
    assert isinstance(open_history(IN_MEMORY), InMemoryHistory)


def test_unwritable_history_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert isinstance(open_history(blocker / "sub" / "history"), InMemoryHistory)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = 1", ("complete", "")),
        ("for i in x:", ("incomplete", "    ")),
        ("for i in x:\n    a = i", ("incomplete", "    ")),
        ("for i in x:\n    a = i\n", ("complete", "")),
        ("f(1,", ("incomplete", "")),
        ("1 +* 2", ("invalid", "")),
    ],
)
def test_local_is_complete(code: str, expected: tuple[str, str]) -> None:
    assert local_is_complete(code) == expected
