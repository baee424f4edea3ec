"""GUI event loops keep running while the visual debugger holds the main thread at a breakpoint.

When debugpy stops user code on the main thread, its pydevd waits there in a loop of its own. If the
debugger's ``gui_in_use`` flag is set, that loop wakes every 20 ms and calls the input hook registered with
``pydev_ipython.inputhook`` before it waits again. If the flag is not set, it wakes every 200 ms and calls nothing.
Without help, a Qt or Tk window of the user's freezes for as long as the code is stopped.

The kernel registers one input hook. It handles the pending events of the toolkit that serves the kernel,
once, without blocking (``EventLoop.process_events``). The flag is set only while a GUI toolkit's loop is
active (``%gui qt``, ``%gui tk``, ``%matplotlib qt``...). A kernel without a GUI therefore stops exactly as
before: no hook call and no faster polling. The flag is brought up to date before each cell runs and on each
``stopped`` event, so a ``%gui`` in the same cell as the breakpoint counts too.

pydevd has GUI support of its own. With ``DISPLAY`` set, on the first stop after matplotlib is imported, it
switches matplotlib's interactive mode, patches ``matplotlib.use``, prints about it into the user's output and
may start a toolkit's input hook of its own. That support is switched off here: the kernel owns the event loops
and the matplotlib backend (``kernel/gui.py``).

pydevd's attributes used here are not a public API. If debugpy renames them, ``install`` logs a warning and the
debugger works as before, only without GUI pumping.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import TYPE_CHECKING, Any

from ..gui import AUTO_ORDER

if TYPE_CHECKING:
    from ..eventloops.base import EventLoop
    from ..kernel import Kernel

log = logging.getLogger("ipykernel_lite.dap")

#: loops that drive a GUI toolkit. asyncio is left out: running the user's tasks behind a stopped frame would
#: change program state while the user inspects it, and the loop may be the very one that is stopped.
GUI_LOOPS = frozenset(AUTO_ORDER)
#: what pydevd's PyDB must have for this to work (checked once, so a debugpy that changed them is noticed)
_PYDB_ATTRIBUTES = ("gui_in_use", "mpl_modules_for_patching", "activate_gui_function", "_installed_gui_support")


class StoppedGuiPump:
    """The input hook pydevd calls while the main thread is stopped, and the flag that turns it on."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self._py_db: Any = None
        #: set while the hook runs. A stop inside a callback that the hook runs waits without pumping again,
        #: so the toolkit is never entered from inside itself. Python does not trace code that runs inside a
        #: trace function, so this is only a safeguard.
        self._pumping = False
        self._failed = False

    def install(self) -> bool:
        """Register the hook with the debugpy this process runs (after ``debugpy.listen``, on the main thread).
        Returns False when debugpy does not look as expected; the debugger then works without GUI pumping."""
        try:
            constants = importlib.import_module("_pydevd_bundle.pydevd_constants")
            inputhook = importlib.import_module("pydev_ipython.inputhook")
            py_db = constants.get_global_debugger()
        except Exception as e:  # an unexpected debugpy: the debugger itself still works
            log.warning("GUI loops will not run while stopped: pydevd is not as expected (%s)", e)
            return False
        missing = [name for name in _PYDB_ATTRIBUTES if py_db is None or not hasattr(py_db, name)]
        if missing:
            log.warning("GUI loops will not run while stopped: pydevd has no %s", ", ".join(missing))
            return False
        # The kernel owns GUI loops and matplotlib. Mark pydevd's own GUI support as installed, with nothing to
        # do: it will neither patch matplotlib on a stop nor start a toolkit hook of its own.
        py_db._installed_gui_support = True
        py_db.mpl_modules_for_patching = {}
        py_db.activate_gui_function = None
        inputhook.set_inputhook(self.pump)
        self._py_db = py_db
        self.sync()
        return True

    def gui_loop(self) -> EventLoop | None:
        loop = self.kernel.loop
        return loop if loop.name in GUI_LOOPS else None

    def sync(self, *_: object) -> None:
        """Turn pydevd's GUI wait on or off to match the kernel's loop. Also a ``pre_execute`` hook; called from
        the adapter link's thread on each ``stopped`` event: pydevd reads the flag on each pass of its wait loop."""
        if self._py_db is not None:
            self._py_db.gui_in_use = self.gui_loop() is not None

    def pump(self) -> None:
        """pydevd's input hook: called on the main thread between two waits while stopped."""
        if self._pumping:
            return
        loop = self.gui_loop()
        if loop is None:
            return
        self._pumping = True
        try:
            loop.process_events()
        except Exception:
            # pydevd ignores what its hook raises. Log it, but only once: the hook runs 50 times a second
            if not self._failed:
                self._failed = True
                log.exception("the %s event loop failed while the debugger was stopped", loop.name)
                print(f"ipykernel_lite: the {loop.name} event loop failed while stopped at a breakpoint",
                      file=sys.stderr)
        finally:
            self._pumping = False
