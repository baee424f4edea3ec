"""Which matplotlib backend pyplot uses in the kernel, and ``%matplotlib``'s names for them.

Default: the inline backend, unless a GUI loop with a matplotlib backend is active when pyplot is first
imported (``%gui qt`` → QtAgg, ``%gui tk`` → TkAgg…). It is applied only when nothing else chose one
(``MPLBACKEND``, a matplotlibrc ``backend:`` line, ``matplotlib.use``), which all take precedence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ipykernel_lite.gui")

INLINE = "module://ipykernel_lite.kernel.mpl.backend_inline"
INLINE_MODULE = "ipykernel_lite.kernel.mpl.backend_inline"

#: the matplotlib backend that draws into each toolkit's windows
TOOLKIT_BACKENDS = {"qt": "qtagg", "tk": "tkagg", "wx": "wxagg", "gtk": "gtk3agg"}

#: %matplotlib NAME → (toolkit whose loop it needs, matplotlib backend)
NAMES: dict[str, tuple[str | None, str]] = {
    "inline": (None, INLINE),
    "qt": ("qt", "qtagg"),
    "qt5": ("qt", "qt5agg"),
    "qt6": ("qt", "qtagg"),
    "qtagg": ("qt", "qtagg"),
    "qtcairo": ("qt", "qtcairo"),
    "tk": ("tk", "tkagg"),
    "tkagg": ("tk", "tkagg"),
    "tkcairo": ("tk", "tkcairo"),
    "wx": ("wx", "wxagg"),
    "wxagg": ("wx", "wxagg"),
    "gtk": ("gtk", "gtk3agg"),
    "gtk3": ("gtk", "gtk3agg"),
    "gtk3agg": ("gtk", "gtk3agg"),
    "agg": (None, "agg"),
    # ipympl: figures are widgets (comms), drawn by the frontend; no GUI loop needed
    "widget": (None, "module://ipympl.backend_nbagg"),
    "ipympl": (None, "module://ipympl.backend_nbagg"),
}
#: backends that want matplotlib's interactive mode without a GUI loop (figures shown at the end of the cell)
WIDGET_BACKENDS = frozenset({"module://ipympl.backend_nbagg"})
WIDGET_MODULE = "ipympl.backend_nbagg"


def resolve(name: str, active_gui: str) -> tuple[str | None, str]:
    """(toolkit to enable or None, backend) for ``%matplotlib name``; no name: inline or the active GUI's."""
    name = name.strip()
    if not name:
        backend = TOOLKIT_BACKENDS.get(active_gui)
        return (active_gui, backend) if backend is not None else (None, INLINE)
    key = name.lower()
    if key in NAMES:
        return NAMES[key]
    return None, name  # any other backend matplotlib knows (svg, pdf, module://…)


def default_backend(active_gui: str) -> str:
    return TOOLKIT_BACKENDS.get(active_gui, INLINE)


def activate(backend: str, interactive: bool) -> None:
    """Switch pyplot to ``backend``; window backends get interactive mode so ``plt.show()`` does not block."""
    import matplotlib

    matplotlib.use(backend, force=True)
    if interactive:
        matplotlib.interactive(True)


def choose_default(active_gui: str) -> None:
    """Called as pyplot is first imported: fill in the backend if nobody chose one."""
    import matplotlib
    from matplotlib import rcsetup

    if dict.__getitem__(matplotlib.rcParams, "backend") is not rcsetup._auto_backend_sentinel:
        return
    backend = default_backend(active_gui)
    matplotlib.rcParams["backend"] = backend
    if backend != INLINE:
        matplotlib.interactive(True)


class PyplotImportHook:
    """A meta-path finder that only watches for ``matplotlib.pyplot`` and never finds anything itself.

    It stays in ``sys.meta_path`` once done (removing it while the import system iterates that list would
    skip the next finder); the kernel drops it between cells.
    """

    def __init__(self, active_gui: Callable[[], str]) -> None:
        self._active_gui = active_gui
        self.done = False

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if self.done or fullname != "matplotlib.pyplot":
            return None
        self.done = True
        try:
            choose_default(self._active_gui())
        except Exception:
            log.exception("could not choose matplotlib's default backend")
        return None


def loaded_inline() -> Any:
    """The inline backend module if matplotlib has loaded it (matplotlib imports it by name, not we)."""
    import sys

    return sys.modules.get(INLINE_MODULE)
