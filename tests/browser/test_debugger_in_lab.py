"""JupyterLab's debugger panel on our kernel, in headless chromium: a breakpoint set in a cell's gutter stops the
cell, the stopped line is highlighted, the Variables panel shows a local, continue lets the cell finish.

Every wait is on a selector or a text in the page (or the kernel's status), bounded by Playwright's timeout.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_KERNEL

from .conftest import Lab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
pytest.importorskip("debugpy")

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img" / "debugger-jupyterlab.png"
CELL = "def scale(value):\n    doubled = value * 2\n    return doubled\n\nresult = scale(21)\nprint('result', result)"
# Records every debug_reply the kernel sends (command, success, and the breakpoints of setBreakpoints), so that
# the test waits for what the kernel actually did: the debugger attached before the gutter is used, the breakpoint
# held before the cell runs (the gutter marker appears at once, the request and its reply come later, late on a
# loaded machine); and a failure says which reply never came.
WATCH_DEBUG = ("() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;"
               " window.__debugReplies = []; window.__setBreakpoints = [];"
               " k.anyMessage.connect((_, a) => { const m = a.msg;"
               " if (a.direction !== 'recv' || m.header.msg_type !== 'debug_reply') { return; }"
               " window.__debugReplies.push([m.content.command, m.content.success, m.content.message || '']);"
               " if (m.content.command === 'setBreakpoints') {"
               " window.__setBreakpoints.push((m.content.body && m.content.body.breakpoints) || []); } }); }")
ATTACHED = "() => (window.__debugReplies || []).some((r) => r[0] === 'attach' && r[1])"
BREAKPOINT_HELD = ("() => (window.__setBreakpoints || []).some("
                   "(bps) => bps.some((b) => b.verified && b.line === 2))")
KERNEL_IDLE = ("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
               " return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
               " && w.sessionContext.session.kernel.status === 'idle'); }")


def _notebook(path: Path) -> None:
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {}, "outputs": [],
                   "source": CELL}],
        "metadata": {"kernelspec": {"name": TEST_KERNEL, "display_name": "ipykernel_lite (tests)",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))


def _wait_for(page: Any, condition: str, what: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(condition, timeout=120_000)
    except PlaywrightTimeout:
        seen = page.evaluate("() => window.__debugReplies")
        pytest.fail(f"waited 120 s for {what}; the kernel's debug replies were {seen}")


def test_breakpoint_in_a_cell_stops_shows_a_variable_and_continues(lab: Lab, browser: Any, tmp_path: Path) -> None:
    started = time.monotonic()
    _notebook(lab.root / "debug.ipynb")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(60_000)
    try:
        page.goto(lab.open_url("debug.ipynb"))
        page.wait_for_function(KERNEL_IDLE)
        # the bug button appears because the kernel says it has a debugger; pressing it starts a session
        bug = page.locator(".jp-DebuggerBugButton").first
        bug.wait_for()
        # the button shows disabled until Lab has heard the kernel's debugger is available, and a click on it then
        # is dropped (a <jp-button>, which Playwright's actionability check does not see as disabled)
        page.locator(".jp-DebuggerBugButton[aria-disabled='false']").first.wait_for()
        page.evaluate(WATCH_DEBUG)
        bug.click()
        _wait_for(page, ATTACHED, "the kernel's debugger to attach")
        page.locator(".jp-DebuggerBugButton[aria-pressed='true']").first.wait_for()
        cell = page.locator(".jp-Notebook .jp-Cell").first
        # a breakpoint on line 2, in the cell's gutter
        cell.locator(".cm-breakpoint-gutter .cm-gutterElement").nth(2).click()
        cell.locator(".cm-breakpoint-gutter .cm-gutterElement .cm-breakpoint-marker, "
                     ".cm-breakpoint-gutter .cm-gutterElement:has(*)").first.wait_for(state="attached")
        _wait_for(page, BREAKPOINT_HELD, "the kernel to hold the breakpoint")
        cell.locator(".jp-InputArea-editor").click()
        # not awaited: the command's promise settles only when the cell ends, after the breakpoint
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
        # stopped: the line is highlighted and the Variables panel lists the function's local
        cell.locator(".jp-DebuggerEditor-highlight").first.wait_for()
        page.locator(".jp-DebuggerVariables-name", has_text="value").first.wait_for()
        page.locator(".jp-DebuggerCallstackFrame-name", has_text="scale").first.wait_for()
        shot = DOCS_IMG if os.environ.get("IPYKERNEL_LITE_SCREENSHOTS") == "1" else tmp_path / DOCS_IMG.name
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        page.evaluate("() => { window.jupyterapp.commands.execute('debugger:continue'); }")
        cell.get_by_text("result 42").wait_for()
        page.wait_for_function(KERNEL_IDLE)
    finally:
        page.close()
    print(f"\nbrowser test took {time.monotonic() - started:.1f} s (JupyterLab start-up not counted)")
