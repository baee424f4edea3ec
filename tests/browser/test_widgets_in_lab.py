"""ipywidgets, interact, tqdm.notebook and ipympl in JupyterLab on our kernel, in headless chromium.

Run: ``pytest -m browser tests/browser`` (about 30 s on 2 cores: most of it JupyterLab's start-up and the
first page load). Every wait is on a selector or a text in the page, bounded by Playwright's timeout.
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

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img" / "comms-jupyterlab.png"

CELLS = [
    "import ipywidgets as w, traitlets\n"
    "s = w.IntSlider(value=3, min=0, max=10, description='x')\n"
    "l = w.Label()\n"
    "traitlets.dlink((s, 'value'), (l, 'value'), transform=lambda v: f'label says {v}')\n"
    "display(w.VBox([s, l]))",
    "from ipywidgets import interact\n"
    "def f(x):\n"
    "    print(f'f ran with {x}')\n"
    "interact(f, x=(0, 10));",
    "from tqdm.notebook import tqdm\n"
    "for i in tqdm(range(50), desc='crunching'):\n"
    "    pass",
    "%matplotlib widget\n"
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(4, 2.5))\n"
    "ax.plot([0, 3, 1, 4, 2], color='tab:red', linewidth=4);",
    "print('kernel sees', s.value)",
]
#: a canvas of the ipympl figure has a strongly red pixel: the kernel drew the plot and the frontend shows it
RED_PIXEL_JS = """(cell) => [...cell.querySelectorAll('.jupyter-matplotlib-figure canvas')].some(c => {
    if (!c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4)
        if (d[i] > 180 && d[i + 1] < 80 && d[i + 2] < 80 && d[i + 3] > 200) return true;
    return false;
})"""


def _notebook(path: Path) -> None:
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                   "source": src} for i, src in enumerate(CELLS)],
        "metadata": {"kernelspec": {"name": TEST_KERNEL, "display_name": "ipykernel_lite (tests)",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))


def test_widgets_slider_interact_and_tqdm(lab: Lab, browser: Any, tmp_path: Path) -> None:
    started = time.monotonic()
    _notebook(lab.root / "widgets.ipynb")
    page = browser.new_page(viewport={"width": 1100, "height": 1200})
    page.set_default_timeout(60_000)
    try:
        page.goto(lab.open_url("widgets.ipynb"))
        page.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle'); }"
        )
        kernel_name = page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name")
        assert kernel_name == TEST_KERNEL
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")

        cells = page.locator(".jp-Notebook .jp-Cell")
        label = cells.nth(0).locator(".widget-label", has_text="label says 3")
        label.wait_for()
        handle = cells.nth(0).locator(".noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")
        cells.nth(0).locator(".widget-label", has_text="label says 5").wait_for()

        cells.nth(1).get_by_text("f ran with 5").wait_for()
        interact_handle = cells.nth(1).locator(".noUi-handle").first
        interact_handle.focus()
        interact_handle.press("ArrowRight")
        cells.nth(1).get_by_text("f ran with 6").wait_for()

        cells.nth(2).locator(".widget-html-content", has_text="50/50").wait_for()
        cells.nth(2).locator(".progress-bar-success").wait_for()

        # %matplotlib widget: ipympl's canvas, drawn by the kernel
        cells.nth(3).locator(".jupyter-matplotlib-figure canvas").first.wait_for()
        page.wait_for_function(RED_PIXEL_JS, arg=cells.nth(3).element_handle())

        # the kernel-side value follows the keys: re-run the last cell
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
                               " === 'idle'")
        cells.nth(4).locator(".jp-InputArea-editor").click()
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
        cells.nth(4).get_by_text("kernel sees 5").wait_for()

        page.evaluate("() => window.jupyterapp.commands.execute('notebook:deselect-all')")
        page.mouse.click(5, 5)
        # IPYKERNEL_LITE_SCREENSHOTS=1 refreshes the picture in docs/; otherwise it stays in the test's tmp dir
        shot = DOCS_IMG if os.environ.get("IPYKERNEL_LITE_SCREENSHOTS") == "1" else tmp_path / DOCS_IMG.name
        page.locator(".jp-NotebookPanel").first.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
    finally:
        page.close()
    print(f"\nbrowser test took {time.monotonic() - started:.1f} s (JupyterLab start-up not counted)")
