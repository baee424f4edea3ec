"""Choosing the idle loop: gui_request, %gui, and what the kernel imports before anyone asks for a GUI."""

from __future__ import annotations

import pytest
from gui_kernels import GuiKernel, active_gui, stream_text

from ipykernel_lite.kernel import gui
from ipykernel_lite.kernel.mpl import backends


def test_names_resolve_to_toolkits() -> None:
    assert gui.resolve("Qt5") == "qt"
    assert gui.resolve("pyside6") == "qt"
    assert gui.resolve("tkinter") == "tk"
    assert gui.resolve("none") is None
    assert gui.resolve(None) is None
    with pytest.raises(gui.GuiError, match="unknown GUI toolkit 'cocoa'"):
        gui.resolve("cocoa")


def test_matplotlib_names() -> None:
    assert backends.resolve("", "none") == (None, backends.INLINE)
    assert backends.resolve("", "asyncio") == (None, backends.INLINE)
    assert backends.resolve("", "qt") == ("qt", "qtagg")
    assert backends.resolve("TK", "none") == ("tk", "tkagg")
    assert backends.resolve("svg", "qt") == (None, "svg")


def test_start_up_imports_no_toolkit(kernel: GuiKernel) -> None:
    heavy = ["PySide6", "PyQt6", "PyQt5", "tkinter", "matplotlib", "pyglet", "wx", "gi"]
    loaded = kernel.value(f"import sys; sorted(m for m in {heavy!r} if m in sys.modules)")
    assert loaded == "[]"
    assert kernel.value("import sys; 'ipykernel_lite.kernel.gui' in sys.modules") == "True"


def test_gui_request_switches_and_reports(kernel: GuiKernel) -> None:
    pytest.importorskip("PySide6")
    reply = kernel.request("gui_request", {"gui": "qt"})
    assert reply["msg_type"] == "gui_reply"
    assert reply["content"] == {"status": "ok", "gui": "qt"}
    assert active_gui(kernel) == "qt"
    reply = kernel.request("gui_request", {"gui": "asyncio"})
    assert reply["content"] == {"status": "ok", "gui": "asyncio"}
    reply = kernel.request("gui_request", {"gui": None})
    assert reply["content"] == {"status": "ok", "gui": None}
    kernel.execute("pass")  # still serving after three switches


def test_gui_request_errors_leave_the_loop_alone(kernel: GuiKernel) -> None:
    assert kernel.request("gui_request", {"gui": "asyncio"})["content"]["gui"] == "asyncio"
    reply = kernel.request("gui_request", {"gui": "cocoa"})
    content = reply["content"]
    assert content["status"] == "error"
    assert content["ename"] == "GuiError"
    assert "unknown GUI toolkit 'cocoa'" in content["evalue"]
    missing = kernel.request("gui_request", {"gui": "wx"})["content"]
    if missing["status"] == "error":  # wxPython is rarely installed: then the reply says so
        assert "not installed" in missing["evalue"] or "could not start" in missing["evalue"]
    else:
        kernel.request("gui_request", {"gui": "asyncio"})
    invalid = kernel.request("gui_request", {})["content"]
    assert invalid["status"] == "error"
    assert kernel.request("gui_request", {"gui": "asyncio"})["content"] == {"status": "ok", "gui": "asyncio"}


def test_gui_magic_without_name_picks_first_installed(kernel: GuiKernel) -> None:
    pytest.importorskip("PySide6")
    _, outputs = kernel.execute("%gui")
    assert stream_text(outputs).strip() == "GUI event loop: qt"
    _, outputs = kernel.execute("%gui --list")
    assert "asyncio  installed" in stream_text(outputs)
    assert active_gui(kernel) == "qt"
    kernel.execute("%gui none")
    assert active_gui(kernel) is None


def test_gui_magic_unknown_name_is_a_usage_error(kernel: GuiKernel) -> None:
    reply, _ = kernel.execute("%gui cocoa", ok=False)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "UsageError"
    assert "unknown GUI toolkit 'cocoa'" in reply["content"]["evalue"]


def test_system_exit_after_an_early_main_loop_is_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    from ipykernel_lite.kernel.eventloops import base

    base.reset_main_loop_returned()
    assert not gui.system_exit_is_quiet(SystemExit(0))
    base.main_loop_returned_early("test-key", "test note")
    base.main_loop_returned_early("test-key", "test note")
    assert capsys.readouterr().err == "ipykernel_lite: test note\n"  # once per kernel
    assert gui.system_exit_is_quiet(SystemExit(0))
    assert gui.system_exit_is_quiet(SystemExit(None))
    assert not gui.system_exit_is_quiet(SystemExit(1))  # a script reporting failure still fails
    assert not gui.system_exit_is_quiet(ValueError())
    base.reset_main_loop_returned()  # what the kernel does after every cell
    assert not gui.system_exit_is_quiet(SystemExit(0))
