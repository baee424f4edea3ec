"""The inline matplotlib backend: PNG display_data at the end of the cell and at plt.show(), then closed."""

from __future__ import annotations

import base64
import io

import pytest
from gui_kernels import GuiKernel, Msg, stream_text

pytest.importorskip("matplotlib")


def _pngs(outputs: list[Msg]) -> list[bytes]:
    return [base64.b64decode(m["content"]["data"]["image/png"]) for m in outputs
            if m["msg_type"] == "display_data" and "image/png" in m["content"]["data"]]


def _size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, decoding the whole image (a truncated or corrupt PNG fails here)."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    return pixels.shape[1], pixels.shape[0]


def test_default_backend_is_inline_and_size_follows_rcparams(kernel: GuiKernel) -> None:
    _, outputs = kernel.execute(
        "import matplotlib.pyplot as plt\n"
        "plt.rcParams['figure.figsize'] = (4, 3)\nplt.rcParams['figure.dpi'] = 50\n"
        "plt.plot([1, 3, 2])\n"
        "print(plt.get_backend())")
    assert stream_text(outputs) == "module://ipykernel_lite.kernel.mpl.backend_inline\n"
    pngs = _pngs(outputs)
    assert len(pngs) == 1
    assert _size(pngs[0]) == (200, 150)
    display = next(m for m in outputs if m["msg_type"] == "display_data")
    assert display["content"]["data"]["text/plain"] == "<Figure size 200x150 with 1 Axes>"
    # published figures are closed: the next cell starts clean and shows nothing
    assert kernel.value("plt.get_fignums()") == "[]"
    _, outputs = kernel.execute("x = 1")
    assert _pngs(outputs) == []


def test_show_publishes_at_that_point(kernel: GuiKernel) -> None:
    kernel.execute("%matplotlib inline")
    _, outputs = kernel.execute(
        "import matplotlib.pyplot as plt\n"
        "plt.figure(figsize=(2, 1), dpi=100); plt.plot([1, 2])\n"
        "plt.show()\n"
        "print('between', flush=True)\n"
        "plt.figure(figsize=(3, 1), dpi=100); plt.plot([2, 1])\n")
    kinds = [m["msg_type"] for m in outputs if m["msg_type"] in ("display_data", "stream")]
    assert kinds == ["display_data", "stream", "display_data"]
    assert [_size(p) for p in _pngs(outputs)] == [(200, 100), (300, 100)]


def test_empty_figure_and_silent_requests_publish_nothing(kernel: GuiKernel) -> None:
    _, outputs = kernel.execute("import matplotlib.pyplot as plt\nfig = plt.figure()")
    assert _pngs(outputs) == []
    reply, outputs = kernel.finish(str(kernel.client.execute("plt.plot([1, 2])", silent=True)))
    assert reply["content"]["status"] == "ok"
    assert _pngs(outputs) == []


def test_fig_show_and_pause_publish(kernel: GuiKernel) -> None:
    _, outputs = kernel.execute(
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nfig.show()\n"
        "plt.plot([3, 4])\nplt.pause(0.01)\n")
    assert len(_pngs(outputs)) == 2


def test_gui_active_before_pyplot_selects_its_backend(kernel: GuiKernel) -> None:
    pytest.importorskip("PySide6")
    kernel.execute("%gui qt")
    _, outputs = kernel.execute("import matplotlib, matplotlib.pyplot as plt\n"
                                "print(plt.get_backend().lower(), matplotlib.is_interactive())")
    assert stream_text(outputs) == "qtagg True\n"


def test_explicit_choice_wins_over_the_default(kernel: GuiKernel) -> None:
    _, outputs = kernel.execute("import matplotlib\nmatplotlib.use('svg')\nimport matplotlib.pyplot as plt\n"
                                "print(plt.get_backend())")
    assert stream_text(outputs) == "svg\n"
