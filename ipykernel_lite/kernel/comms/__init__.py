"""Comms (Jupyter messaging 5.4 ``comm_open``/``comm_msg``/``comm_close``/``comm_info``) as a kernel extension.

``install`` only registers the handlers and a post-import hook: the ``comm`` package, and the libraries on it
(ipywidgets, tqdm.notebook, ipympl), are imported by user code, never by the kernel's start-up. Once ``comm`` is
imported, ``comm.create_comm`` and ``comm.get_comm_manager`` are ours (``comm_package.py``).

Frontend comm messages are handled on shell, on the main thread, between cells — as ipykernel does: a cell that
loops waiting for a widget's new value does not see it change until it ends. ipywidgets 8's ``echo_update``
needs nothing more: the kernel echoes a frontend's state change while handling that comm_msg.
"""

from __future__ import annotations

import sys
from types import ModuleType

from ..extensions import ExtensionHost, KernelExtension
from ..mpl.backends import WIDGET_MODULE
from ..post_import import when_imported
from .manager import CommManager


class CommExtension(KernelExtension):
    name = "comm"

    def install(self, host: ExtensionHost) -> None:
        self.manager = manager = CommManager(host.kernel)
        host.handle("comm_open", manager.comm_open)
        host.handle("comm_msg", manager.comm_msg)
        host.handle("comm_close", manager.comm_close)
        host.handle("comm_info_request", manager.comm_info_request, channels=("shell", "control"))
        host.hooks.shutdown.append(manager.clear)
        host.provide("comm", manager)
        host.hooks.post_execute.append(show_widget_figures)
        when_imported("comm", self._comm_imported)

    def close(self) -> None:
        self.manager.clear()

    def _comm_imported(self, module: ModuleType) -> None:
        from . import comm_package

        comm_package.install(self.manager)
        comm_package.hook(module)


def show_widget_figures() -> None:
    """``%matplotlib widget``: display the figures of the cell, as ipympl does under IPython's post_execute
    event (it registers for it only when ``get_ipython()`` answers); a second call shows nothing new."""
    module = sys.modules.get(WIDGET_MODULE)
    flush = getattr(module, "flush_figures", None)
    if callable(flush):
        flush()
