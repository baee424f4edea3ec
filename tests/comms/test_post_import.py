"""``when_imported``: a callback after a module's first import, without the kernel importing it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ipykernel_lite.kernel import post_import


@pytest.fixture
def fresh_watcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private watcher list and a directory on sys.path for throwaway modules; all undone afterwards."""
    monkeypatch.setattr(post_import, "_watcher", [])
    monkeypatch.syspath_prepend(str(tmp_path))
    before = list(sys.meta_path)
    try:
        yield tmp_path
    finally:
        sys.meta_path[:] = before
        for name in [n for n in sys.modules if n.startswith("pi_probe")]:
            del sys.modules[name]


def test_callback_runs_after_the_module_body_with_its_real_loader(fresh_watcher: Path) -> None:
    (fresh_watcher / "pi_probe_a.py").write_text("VALUE = 41\ndef f():\n    return VALUE\n")
    seen: list[ModuleType] = []

    def patch(module: ModuleType) -> None:
        seen.append(module)
        module.VALUE = 42  # type: ignore[attr-defined]

    post_import.when_imported("pi_probe_a", patch)
    assert "pi_probe_a" not in sys.modules and seen == []
    import pi_probe_a  # type: ignore[import-not-found]

    assert seen == [pi_probe_a] and pi_probe_a.f() == 42
    assert type(pi_probe_a.__loader__).__name__ == "SourceFileLoader"
    assert pi_probe_a.__spec__.loader is pi_probe_a.__loader__


def test_already_imported_runs_at_once_and_a_failing_callback_is_logged(
    fresh_watcher: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (fresh_watcher / "pi_probe_b.py").write_text("X = 1\n")
    import pi_probe_b  # type: ignore[import-not-found]

    got: list[ModuleType] = []
    post_import.when_imported("pi_probe_b", got.append)
    assert got == [pi_probe_b]

    (fresh_watcher / "pi_probe_c.py").write_text("Y = 2\n")

    def broken(module: ModuleType) -> None:
        raise RuntimeError("hook broke")

    post_import.when_imported("pi_probe_c", broken)
    import pi_probe_c  # type: ignore[import-not-found]

    assert pi_probe_c.Y == 2  # the import itself succeeded
    assert "post-import hook for pi_probe_c failed" in caplog.text


def test_a_module_that_does_not_exist_still_raises(fresh_watcher: Path) -> None:
    post_import.when_imported("pi_probe_missing", lambda m: None)
    with pytest.raises(ModuleNotFoundError):
        import pi_probe_missing  # type: ignore[import-not-found]  # noqa: F401
