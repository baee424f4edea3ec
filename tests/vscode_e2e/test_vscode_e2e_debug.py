"""The visual debugger in real VS Code (code-server + chromium, see conftest.py): a gutter breakpoint in a
``# %%`` cell stops "Debug Cell", the Variables view shows a local, "Step Over" moves the line, Continue ends the
session with the cell's output in the interactive window. "Debug File" runs a whole file with a breakpoint in a
function: it stops on each call with that call's local, and the run ends after the last Continue.

The session is the extension's debug type ``ipykernel-lite``: VS Code's DAP goes through the extension's inline
adapter and the bridge to the kernel's own debugpy. Every wait is for something on the page, bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import CodeServer, screenshot
from .test_vscode_e2e import command, cursor_at, go_to_line, interactive

pytestmark = [pytest.mark.vscode_e2e, pytest.mark.timeout(240)]
pytest.importorskip("debugpy", reason="pip install debugpy (extra debug)")

SCRIPT = """\
# %% the cell to debug
def double(a):
    b = a * 2
    c = b + 1
    return c

result = double(10)
print("result", result)

# %% another cell
print("not run")
"""
TAB = "debug_demo.py"
LINE_BREAK = 3  # b = a * 2
WAIT = 90_000

#: run whole by "Debug File": no cells, the breakpoint in a function called twice
FILE_SCRIPT = """\
# a script, debugged whole
def scale(k):
    doubled = k * 2
    return doubled + 1


total = 0
for k in (3, 4):
    total += scale(k)
print("file total", total)
"""
FILE_TAB = "debug_file_demo.py"
FILE_LINE_BREAK = 3  # doubled = k * 2


@pytest.fixture(scope="module")
def page(code_server: CodeServer, browser: Any) -> Iterator[Any]:
    (code_server.workspace / TAB).write_text(SCRIPT)
    (code_server.workspace / FILE_TAB).write_text(FILE_SCRIPT)
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    pg = context.new_page()
    pg.set_default_timeout(WAIT)
    pg.goto(f"{code_server.url}?folder={code_server.workspace}")
    pg.wait_for_selector(".monaco-workbench .part.editor")
    pg.locator(".explorer-folders-view .monaco-list-row", has_text=TAB).wait_for()
    pg.keyboard.press("Control+P")
    pg.locator(".quick-input-widget input").fill(TAB)
    pg.locator(".quick-input-list .monaco-list-row", has_text=TAB).first.wait_for()
    pg.keyboard.press("Enter")
    pg.locator(".monaco-editor .view-lines", has_text="the cell to debug").wait_for()
    try:
        yield pg
    finally:
        # VS Code restores this window's layout (Run and Debug view, debug_demo.py) in a later window: this module
        # sorts after test_vscode_e2e.py, whose page expects the Explorer
        context.close()


@pytest.fixture(autouse=True)
def no_debug_session_left(page: Any) -> Iterator[None]:
    """A test that failed while stopped leaves the session (and the debug toolbar over the tabs) to the next
    one: stop it, so that each test fails only for its own reason."""
    yield
    toolbar = page.locator(".debug-toolbar")
    if toolbar.is_visible():
        page.keyboard.press("Shift+F5")
        toolbar.wait_for(state="hidden")


def frame_at(page: Any, line: int, function: str = "double") -> Any:
    """The Call Stack view's row of ``function`` stopped at that line."""
    return page.locator(f".debug-call-stack .monaco-list-row[aria-label^='Stack Frame {function}, line {line},']")


def variable(page: Any, name: str, value: str) -> Any:
    """A row of the Variables view (the Locals scope is expanded when the debugger stops)."""
    return page.locator(f".debug-variables .monaco-list-row[aria-label='{name}, value {value}']")


def set_gutter_breakpoint(page: Any, line: int, tab: str) -> None:
    """A click in the gutter (the glyph margin, left of the line number) sets VS Code's own breakpoint."""
    go_to_line(page, line, tab)
    editor = page.locator(".editor-group-container.active .monaco-editor").first
    number = editor.locator(".margin-view-overlays .line-numbers", has_text=re.compile(rf"^{line}$"))
    box = number.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] - 8, box["y"] + box["height"] / 2)
    glyph = editor.locator(".codicon-debug-breakpoint")
    glyph.wait_for()
    assert glyph.count() == 1


def test_gutter_breakpoint_stops_debug_cell_variables_and_step_over(page: Any) -> None:
    set_gutter_breakpoint(page, LINE_BREAK, TAB)

    page.locator(".codelens-decoration a", has_text="Debug Cell").first.click()
    # stopped: the debug toolbar, the frame in the Call Stack at the breakpoint's line, the local in Variables
    page.locator(".debug-toolbar").wait_for()
    frame_at(page, LINE_BREAK).wait_for()
    page.locator(".monaco-editor .codicon-debug-stackframe").wait_for()  # the current-line arrow in the gutter
    variable(page, "a", "10").wait_for()

    page.locator(".debug-toolbar .action-label[aria-label^='Step Over']").click()
    frame_at(page, LINE_BREAK + 1).wait_for()
    cursor_at(page, LINE_BREAK + 1)
    variable(page, "b", "20").wait_for()
    # a Watch expression, evaluated by the kernel's debugpy in the stopped frame
    watch_header = page.locator(".pane-header[aria-label='Watch Section']")
    watch_header.hover()
    watch_header.locator(".action-label[aria-label='Add Expression']").click()
    page.keyboard.type("a + b")
    page.keyboard.press("Enter")
    page.locator(".debug-watch .monaco-list-row[aria-label^='a + b, value 30']").wait_for()
    # the whole stack is there: the kernel's hidden frames do not count (VS Code loads frames after the first
    # one), and offers "Load More" until then; under load it may not have asked yet: ask for them ourselves
    more = page.locator(".debug-call-stack .monaco-list-row", has_text="Load More Stack Frames")
    if more.count():
        more.first.click()
    more.wait_for(state="hidden")
    # waited for, not counted once: VS Code re-renders the Call Stack after the step and the Watch evaluation
    # (a loaded run once saw 4 rows at the instant of counting)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    frames = ".debug-call-stack .monaco-list-row[aria-label^='Stack Frame']"
    try:
        page.wait_for_function(f"() => document.querySelectorAll({frames!r}).length === 2")
    except PlaywrightTimeout:
        # every row (sessions and threads too, when there are several), for the reason
        labels = page.locator(".debug-call-stack .monaco-list-row").evaluate_all(
            "rows => rows.map(r => r.getAttribute('aria-label'))")
        screenshot(page, "vscode-debugger-failed.png")
        pytest.fail(f"the Call Stack should show double() and the cell, and shows {labels}")
    screenshot(page, "vscode-debugger.png")

    page.locator(".debug-toolbar .action-label[aria-label^='Continue']").click()
    # the cell ends, and with it the session
    interactive(page).locator(".output.stream.stdout", has_text="result 21").wait_for()
    page.locator(".debug-toolbar").wait_for(state="hidden")
    page.locator(".statusbar-item", has_text="kernel idle").wait_for()


def open_file(page: Any, name: str, text: str) -> None:
    page.keyboard.press("Control+P")
    page.locator(".quick-input-widget input").filter(visible=True).fill(name)
    page.locator(".quick-input-list .monaco-list-row", has_text=name).first.wait_for()
    page.keyboard.press("Enter")
    page.locator(".tabs-container .tab.active", has_text=name).first.wait_for()
    page.locator(".editor-group-container.active .monaco-editor .view-lines", has_text=text).first.wait_for()


def test_debug_file_stops_in_a_function_shows_its_local_and_runs_to_the_end(page: Any) -> None:
    open_file(page, FILE_TAB, "debugged whole")
    set_gutter_breakpoint(page, FILE_LINE_BREAK, FILE_TAB)

    command(page, "ipykernel_lite: Debug File")  # the extension's command (ipykernelLite.debugFile)
    # the first call: stopped in scale() with its argument in Variables, the script's frame below it
    page.locator(".debug-toolbar").wait_for()
    frame_at(page, FILE_LINE_BREAK, "scale").wait_for()
    variable(page, "k", "3").wait_for()
    page.locator(".debug-call-stack .monaco-list-row[aria-label^='Stack Frame <module>, line 9,']").wait_for()
    screenshot(page, "vscode-debug-file.png")

    # Continue: the loop calls scale() again and the same breakpoint stops it with the next value
    page.locator(".debug-toolbar .action-label[aria-label^='Continue']").click()
    variable(page, "k", "4").wait_for()
    frame_at(page, FILE_LINE_BREAK, "scale").wait_for()
    page.locator(".debug-toolbar .action-label[aria-label^='Continue']").click()
    # the file ran to its end, and the session with it
    interactive(page).locator(".output.stream.stdout", has_text="file total 16").wait_for()
    page.locator(".debug-toolbar").wait_for(state="hidden")
    page.locator(".statusbar-item", has_text="kernel idle").wait_for()
