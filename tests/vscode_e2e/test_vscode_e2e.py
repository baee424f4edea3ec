"""The extension in real VS Code (code-server 4.100.3 + chromium, see conftest.py): the scenarios of issue 15.

One VS Code window and one kernel for the module; the tests run in file order, each leaving the kernel idle.
Keys are the extension's own bindings (Ctrl+Alt+Enter runs the cell at the cursor). Every wait is for something
on the page (a selector, a text), bounded by Playwright's timeout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import CodeServer, screenshot

pytestmark = [pytest.mark.vscode_e2e, pytest.mark.timeout(240)]

DEMO = """\
# %% plot and table
import matplotlib.pyplot as plt
import pandas as pd

df = pd.DataFrame({"city": ["Oslo", "Lima"], "temp": [3.5, 19.0]})
plt.plot([1, 2, 3], [2, 4, 1])
df

# %% ask
name = input("name? ")
print("hello", name)

# %% fail
def area(r):
    return 3.14 / r

area(0)

# %% displays
from ipykernel_lite.display import clear_output, display, update_display
print("gone")
clear_output()
display("step 1", display_id="progress")
update_display("step 2", display_id="progress")
display({"text/markdown": "**bold** move", "text/plain": "bold move"}, raw=True)
"""
#: 1-based lines of DEMO
LINE_PLOT, LINE_ASK, LINE_FAIL, LINE_DIVIDE, LINE_CALL, LINE_DISPLAYS = 2, 10, 14, 15, 17, 20

WAIT = 90_000  # ms: the first run starts the bridge and the kernel and imports pandas and matplotlib


@pytest.fixture(scope="module")
def page(code_server: CodeServer, browser: Any) -> Iterator[Any]:
    # the demo's first cell needs them in the kernel's environment (this interpreter)
    pytest.importorskip("pandas", reason="pip install pandas (extra vscode-e2e)")
    pytest.importorskip("matplotlib", reason="pip install matplotlib (extra gui)")
    (code_server.workspace / "demo.py").write_text(DEMO)
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    pg = context.new_page()
    pg.set_default_timeout(WAIT)
    pg.goto(f"{code_server.url}?folder={code_server.workspace}")
    pg.wait_for_selector(".monaco-workbench .part.editor")
    # the Explorer lists the file once the workspace is loaded; open it with Quick Open
    pg.locator(".explorer-folders-view .monaco-list-row", has_text="demo.py").wait_for()
    pg.keyboard.press("Control+P")
    pg.locator(".quick-input-widget input").fill("demo.py")
    pg.locator(".quick-input-list .monaco-list-row", has_text="demo.py").first.wait_for()
    pg.keyboard.press("Enter")
    pg.locator(".monaco-editor .view-lines", has_text="plot and table").wait_for()
    try:
        yield pg
    finally:
        context.close()


def go_to_line(page: Any, line: int, tab: str = "demo.py") -> None:
    """Focus the editor of that tab, Ctrl+G, the line, Enter; then wait for the status bar to say so."""
    page.locator(".tabs-container .tab", has_text=tab).first.click()
    page.locator(".tabs-container .tab.active", has_text=tab).first.wait_for()
    # keyboard focus may still be in the interactive window's frame, which keeps Ctrl+G to itself: give it to
    # the editor, then wait for the Go to Line box itself (a hidden one from earlier stays in the page)
    page.locator(".editor-group-container.active .monaco-editor .view-lines").first.click()
    page.keyboard.press("Control+G")
    page.locator(".quick-input-widget input").filter(visible=True).fill(f":{line}")
    page.keyboard.press("Enter")
    cursor_at(page, line)


def cursor_at(page: Any, line: int) -> None:
    page.locator(".statusbar-item", has_text=re.compile(rf"^Ln {line}, Col \d+")).wait_for()


def interactive(page: Any) -> Any:
    """The interactive window's page: VS Code nests a webview's document in two iframes."""
    return page.frame_locator("iframe.webview.ready").frame_locator("#active-frame")


def run_cell_at(page: Any, line: int, tab: str = "demo.py") -> None:
    go_to_line(page, line, tab)
    page.keyboard.press("Control+Alt+Enter")


def test_plot_and_dataframe_show_in_the_interactive_window(page: Any) -> None:
    run_cell_at(page, LINE_PLOT)
    window = interactive(page)
    table = window.locator(".output.text-html table.dataframe")
    table.wait_for()
    assert table.locator("td", has_text="Oslo").count() == 1
    image = window.locator(".output.image-png img.image")
    image.wait_for()
    assert image.evaluate("img => img.naturalWidth") > 100  # decoded: a real PNG, not a broken image
    assert window.locator(".run .input .code").first.inner_text().startswith("import matplotlib.pyplot as plt")
    page.locator(".statusbar-item", has_text="kernel idle").wait_for()
    screenshot(page, "vscode-interactive-window.png")


def test_input_opens_an_input_box_whose_answer_reaches_the_kernel(page: Any) -> None:
    run_cell_at(page, LINE_ASK)
    box = page.locator(".quick-input-widget input[placeholder='name? ']")
    box.wait_for()
    screenshot(page, "vscode-input-box.png")
    box.fill("Ada")
    page.keyboard.press("Enter")
    interactive(page).locator(".output.stream.stdout", has_text="hello Ada").wait_for()


def test_ctrl_click_on_a_traceback_frame_opens_the_line(page: Any) -> None:
    run_cell_at(page, LINE_FAIL)
    frame = interactive(page).locator(f"a.frame[data-line='{LINE_DIVIDE}']")
    frame.wait_for()
    assert frame.get_attribute("data-path", timeout=5000).endswith("demo.py")
    page.locator(".statusbar-item", has_text="kernel idle").wait_for()
    # move away first, so that landing on the frame's line is the click's doing
    go_to_line(page, 1)
    frame.click(modifiers=["Control"])
    cursor_at(page, LINE_DIVIDE)
    frame.scroll_into_view_if_needed()
    screenshot(page, "vscode-traceback-jump.png")


def test_clear_output_update_display_and_markdown(page: Any) -> None:
    run_cell_at(page, LINE_DISPLAYS)
    window = interactive(page)
    markdown = window.locator(".output.text-markdown .markdown strong", has_text="bold")
    markdown.wait_for()  # rendered by VS Code's Markdown renderer, the last output of the cell
    run = window.locator(".run", has=window.locator(".output.text-markdown"))
    assert run.locator(".output[data-display-id='progress']").inner_text() == "'step 2'"
    assert run.locator(".output.stream", has_text="gone").count() == 0  # cleared before the displays came


def command(page: Any, title: str) -> None:
    """Run a command by its title from the command palette."""
    page.keyboard.press("F1")
    page.locator(".quick-input-widget input").fill(f">{title}")
    # exactly that command ("New Untitled Text File", not "Compare New Untitled Text Files")
    row = page.locator(".quick-input-list .monaco-list-row", has_text=re.compile(rf"(^|: ){re.escape(title)}"))
    row.first.click()


def test_a_frame_in_an_unsaved_buffer_opens_that_buffer(page: Any) -> None:
    command(page, "New Untitled Text File")
    command(page, "Change Language Mode")
    page.locator(".quick-input-widget input[placeholder='Select Language Mode']").fill("python")
    page.locator(".quick-input-list .monaco-list-row", has_text="(python)").first.wait_for()
    page.keyboard.press("Enter")
    page.locator("[id='status.editor.mode']", has_text="Python").wait_for()
    page.keyboard.type("# %% scratch\ndef half(x):\n    return x / 0\n\nhalf(4)\n")
    page.locator(".monaco-editor .view-lines", has_text="half(4)").wait_for()
    run_cell_at(page, 2, tab="Untitled-")
    frame = interactive(page).locator("a.frame[data-path^='Untitled-'][data-line='3']")
    frame.wait_for()
    page.locator(".statusbar-item", has_text="kernel idle").wait_for()
    # the unsaved buffer is not the active editor any more: the click must bring it back, at line 3
    go_to_line(page, 5)
    frame.click(modifiers=["Control"])
    page.locator(".tabs-container .tab.active", has_text="Untitled-").wait_for()
    cursor_at(page, 3)


def test_the_variables_view_lists_the_kernels_variables(page: Any) -> None:
    header = page.locator(".pane-header", has_text="Kernel Variables")
    if header.get_attribute("aria-expanded") != "true":
        header.click()
    view = page.locator(".pane", has=header)
    row = view.locator(".monaco-list-row", has_text=re.compile(r"^name\s*str \(3\) = 'Ada'"))
    row.wait_for()
    df = view.locator(".monaco-list-row", has_text=re.compile(r"^df\s*DataFrame"))
    df.wait_for()
    assert view.locator(".monaco-list-row", has_text=re.compile(r"^area\s*function")).count() == 1
    screenshot(page, "vscode-variables-view.png")
