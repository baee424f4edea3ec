"""The core requests, as the kernel extension every kernel has: execute, history, kernel_info, introspection,
is_complete, comm_info, shutdown, interrupt. Each handler takes the request and returns the reply content."""

from __future__ import annotations

import logging
import platform
import sys
from typing import TYPE_CHECKING, Any

from .. import __version__
from .extensions import Channel, ExtensionHost, KernelExtension

if TYPE_CHECKING:
    from ..protocol import Message

log = logging.getLogger("ipykernel_lite.kernel")

JSONDict = dict[str, Any]

LANGUAGE_INFO: JSONDict = {
    "name": "python",
    "version": platform.python_version(),
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}


def kernel_info() -> JSONDict:
    return {
        "status": "ok",
        "protocol_version": "5.4",
        "implementation": "ipykernel_lite",
        "implementation_version": __version__,
        "language_info": LANGUAGE_INFO,
        "banner": f"Python {sys.version.split()[0]} — ipykernel_lite {__version__}",
        "help_links": [
            {
                "text": "Python Reference",
                "url": f"https://docs.python.org/{sys.version_info[0]}.{sys.version_info[1]}",
            },
        ],
        "debugger": False,
        # derived from the installed kernel extensions (ExtensionHost.adjust_kernel_info)
        "supported_features": [],
    }


class CoreRequests(KernelExtension):
    """The requests every kernel answers; other extensions may replace a handler (comm_info, debug_request)."""

    name = "core"

    def install(self, host: ExtensionHost) -> None:
        self.host = host
        self.kernel = host.kernel
        self.executor = host.executor
        self._info: JSONDict | None = None
        both: tuple[Channel, ...] = ("shell", "control")
        host.handle("kernel_info_request", self.kernel_info_request, channels=both)
        host.handle("complete_request", self.complete_request, channels=both)
        host.handle("inspect_request", self.inspect_request, channels=both)
        host.handle("is_complete_request", self.is_complete_request, channels=both)
        host.handle("comm_info_request", self.comm_info_request, channels=both)
        host.handle("shutdown_request", self.shutdown_request, channels=both)
        host.handle("execute_request", self.executor.execute_request)
        host.handle("history_request", self.executor.history_request)
        for name in ("comm_open", "comm_msg", "comm_close"):
            host.handle(name, self.ignore_comm)
        host.handle("interrupt_request", self.interrupt_request, channels=("control",))
        host.handle("debug_request", self.debug_request, channels=("control",))
        from . import magics

        # the built-in magics, each imported on first use
        for name, module in magics.LINE.items():
            host.add_magic(name, magics.lazy_line(name, module))
        for name, module in magics.CELL.items():
            host.add_cell_magic(name, magics.lazy_cell(name, module))

    def kernel_info_request(self, msg: Message) -> JSONDict:
        if self._info is None:
            # built on first use: every extension is installed by then
            self._info = self.host.adjust_kernel_info(kernel_info())
        return self._info

    def namespaces(self) -> list[dict[str, Any]]:
        """Where names resolve: a stopped debugger's frame first (a hook), else the user namespace."""
        return self.host.namespaces()

    def complete_request(self, msg: Message) -> JSONDict:
        from ..introspect import complete

        c = msg.content
        code = c.get("code", "")
        return complete(code, c.get("cursor_pos", len(code)), self.namespaces())

    def inspect_request(self, msg: Message) -> JSONDict:
        from ..introspect import inspect

        c = msg.content
        code = c.get("code", "")
        return inspect(
            code, c.get("cursor_pos", len(code)), int(c.get("detail_level", 0) or 0), self.namespaces()
        )

    def is_complete_request(self, msg: Message) -> JSONDict:
        from . import transforms
        from .completeness import is_complete

        code = msg.content.get("code", "")
        if transforms.help_request(code) is not None:
            return {"status": "complete"}
        if transforms.cell_magic(code) is not None:
            # a cell magic's body is complete when it ends with an empty line (as in IPython)
            return {"status": "complete" if code.endswith("\n\n") or "\n" not in code.rstrip() else "incomplete",
                    **({} if code.endswith("\n\n") or "\n" not in code.rstrip() else {"indent": ""})}
        status, indent = is_complete(transforms.rewrite_magics(code))
        reply: JSONDict = {"status": status}
        if status == "incomplete":
            reply["indent"] = indent
        return reply

    def comm_info_request(self, msg: Message) -> JSONDict:
        return {"status": "ok", "comms": {}}

    def ignore_comm(self, msg: Message) -> None:
        log.debug("no comm targets: ignored %s", msg.msg_type)
        return None

    def shutdown_request(self, msg: Message) -> None:
        restart = bool(msg.content.get("restart", False))
        k = self.kernel
        # answered here, before the main thread starts closing sockets; shell requests run on the main thread
        socket = k.shell_socket if k.interrupts.main_is_current() else k.control_socket
        k.send_reply(socket, msg, "shutdown_reply", {"status": "ok", "restart": restart})
        if k.interrupts.armed:
            # user code is running: interrupt it so the main thread can wind down
            k.interrupts.interrupt_main()
        k.request_stop()
        return None

    def interrupt_request(self, msg: Message) -> JSONDict:
        self.kernel.interrupts.interrupt_main()
        return {"status": "ok"}

    def debug_request(self, msg: Message) -> JSONDict:
        # the DAP debugger is not offered (kernel_info says debugger: false); say so instead of staying silent
        return {
            "status": "error",
            "ename": "NotImplementedError",
            "evalue": "debug_request (DAP) is not supported",
            "traceback": [],
        }
