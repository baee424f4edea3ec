"""The inline backend: ``module://ipykernel_lite.kernel.mpl.backend_inline``.

Figures are drawn with Agg and published as ``display_data`` (``image/png`` plus ``text/plain``) when the cell
ends, or earlier at ``plt.show()``, then closed. Size and resolution are the figure's own, so they follow
``rcParams["figure.figsize"]``, ``["figure.dpi"]`` and ``["savefig.*"]`` as ``savefig`` would.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from matplotlib._pylab_helpers import Gcf
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ...display import display


class FigureManagerInline(FigureManagerBase):
    def show(self) -> None:
        """``fig.show()``: publish this figure now (and close it, as ``plt.show()`` does)."""
        publish_figure(self.canvas.figure)
        Gcf.destroy(self)


class FigureCanvasInline(FigureCanvasAgg):
    """An Agg canvas whose figures the kernel shows as PNG outputs."""

    manager_class = FigureManagerInline


FigureCanvas = FigureCanvasInline
FigureManager = FigureManagerInline


def new_figure_manager(
    num: Any, *args: Any, FigureClass: type[Figure] = Figure, **kwargs: Any
) -> FigureManagerBase:
    return new_figure_manager_given_figure(num, FigureClass(*args, **kwargs))


def new_figure_manager_given_figure(num: Any, figure: Figure) -> FigureManagerBase:
    return FigureManagerInline(FigureCanvasInline(figure), num)


def draw_if_interactive() -> None:
    """Nothing: drawing at every pyplot call would render a figure many times; it is drawn once, at show."""


def show(*args: Any, **kwargs: Any) -> None:
    """``plt.show()``: publish every open inline figure now and close it; ``block`` has no meaning here."""
    for manager in list(Gcf.get_all_fig_managers()):
        if isinstance(manager.canvas, FigureCanvasInline):
            try:
                publish_figure(manager.canvas.figure)
            finally:
                Gcf.destroy(manager)


def flush_figures() -> None:
    """After each cell: what the cell drew and did not show yet."""
    show()


def figure_png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png")
    return buf.getvalue()


def publish_figure(figure: Figure) -> None:
    if not figure.axes and not figure.lines:
        # nothing drawn: as ipykernel's inline backend, the figure's text only (no empty image)
        display({"text/plain": repr(figure)}, raw=True)
        return
    try:
        png = base64.b64encode(figure_png(figure)).decode("ascii")
    except Exception as e:
        # as ipykernel: the drawing error as an error output, then the figure as text only
        _show_error(e)
        display({"text/plain": repr(figure)}, raw=True)
        return
    display({"image/png": png, "text/plain": repr(figure)}, raw=True)


def _show_error(exc: BaseException) -> None:
    from ... import display as display_mod
    from ..tracebacks import format_exception

    ename, evalue, tb = format_exception(exc)
    if display_mod.publisher is not None:
        display_mod.publisher("error", {"ename": ename, "evalue": evalue, "traceback": tb})
