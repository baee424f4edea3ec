"""jedi, run in the kernel's process beside user code, never swaps the process-wide sys.path.

jedi's own module lookup assigns its path list to ``sys.path`` for the moment of the lookup; user code on the
main thread then imported against jedi's list (JupyterLab's debugger failed to start: debugpy's vendored path,
added during that moment, vanished). The spy records, inside every lookup, whether ``sys.path`` is still the
process's own list.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ipykernel_lite.introspect import jedi_worker

pytestmark = pytest.mark.timeout(60)


def test_module_lookups_leave_sys_path_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    jedi_worker.load_jedi()
    from jedi.inference.compiled.subprocess import functions

    live = sys.path
    inside: list[bool] = []
    find = functions._find_module

    def spy(*args: object, **kwargs: object) -> object:
        inside.append(sys.path is live)
        return find(*args, **kwargs)

    monkeypatch.setattr(functions, "_find_module", spy)
    # a module jedi has not resolved in this process yet, so the lookup really runs
    names = [c.name for c in jedi_worker.interpreter("import colorsys\ncolorsys.rgb_to_", [{}]).complete()]
    assert "rgb_to_hsv" in names
    assert inside, "jedi looked nothing up"
    assert all(inside), "jedi swapped sys.path during a lookup"
    assert sys.path is live


def test_modules_off_the_live_path_are_still_found(tmp_path: Path) -> None:
    # jedi's list may hold entries the live path lacks (a project directory): those are searched too
    (tmp_path / "only_in_project.py").write_text("def helper_function():\n    pass\n")
    jedi = jedi_worker.load_jedi()
    from jedi.api.environment import InterpreterEnvironment

    project = jedi.Project(str(tmp_path), added_sys_path=[str(tmp_path)])
    script = jedi.Script("import only_in_project\nonly_in_project.helper_", project=project,
                         environment=InterpreterEnvironment())
    assert [c.name for c in script.complete()] == ["helper_function"]
    assert str(tmp_path) not in sys.path
