"""How a feature plugs into the kernel: one small interface, one host.

Every optional feature (GUI loops, the pdb debugger and pause, matplotlib, introspection, stdin, and later comms,
the DAP debugger, IPython compatibility) is a :class:`KernelExtension`. At start-up the kernel calls each
extension's ``install(host)``; through the :class:`ExtensionHost` the extension adds message handlers, hooks into
the execute cycle, offers named services to the others, registers magics and names the ``supported_features`` it
brings. Nothing else is shared: features never find each other through module globals or ``sys.modules``, and
``kernel_info_reply`` is derived from what is installed.

``install`` must be cheap (no heavy imports): an extension whose machinery is large imports it on first use.

Example, a kernel extension answering a custom request on control::

    class Echo(KernelExtension):
        name = "echo"
        features = ("echo",)

        def install(self, host: ExtensionHost) -> None:
            host.handle("echo_request", lambda msg: {"status": "ok", **msg.content}, channels=("control",))
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..protocol import Message
    from .execution import Executor
    from .kernel import Kernel

log = logging.getLogger("ipykernel_lite.kernel")

JSONDict = dict[str, Any]
#: takes the request, returns the reply content (None: no reply, or the handler replied itself)
Handler = Callable[["Message"], "JSONDict | None"]
Channel = Literal["shell", "control"]
Magic = Callable[["Kernel", str], Any]
CellMagic = Callable[["Kernel", str, str], Any]


class KernelExtension:
    """One feature of the kernel. Subclasses set ``name`` and ``features`` and implement ``install``."""

    #: unique; also the key under which ``host.extension(name)`` finds it
    name: str = ""
    #: names this extension adds to ``kernel_info_reply.supported_features``
    features: tuple[str, ...] = ()

    def install(self, host: ExtensionHost) -> None:
        raise NotImplementedError

    def kernel_info(self, reply: JSONDict) -> None:
        """Adjust the kernel_info reply (e.g. ``debugger: true``); called once, when it is first built."""

    def close(self) -> None:
        """The kernel is stopping: end threads, close files and sockets this extension opened."""


class Hooks:
    """The execute cycle's extension points, each a list of callables run in order.

    - ``pre_execute(request)``: before the code of an execute_request runs;
    - ``post_execute()``: after it ran, whatever happened (inline figures are published here);
    - ``error(request, exc)``: user code raised (post-mortem debugging hooks in here);
    - ``quiet_exit(exc) -> bool``: may a SystemExit end the cell without an error (a GUI script's ``sys.exit``);
    - ``namespaces() -> list[dict] | None``: where introspection resolves names (a debugger's frame first);
    - ``input_metadata() -> dict``: metadata for an input_request (pdb says where it stands);
    - ``cell_filename(code) -> str | None``: the file name code without an editor origin is compiled under
      (the visual debugger's cell files); the first hook that answers wins, else ``<cell-N>``;
    - ``shutdown()``: the kernel is stopping.
    """

    __slots__ = (
        "cell_filename",
        "error",
        "input_metadata",
        "namespaces",
        "post_execute",
        "pre_execute",
        "quiet_exit",
        "shutdown",
    )

    def __init__(self) -> None:
        self.pre_execute: list[Callable[[Message], None]] = []
        self.post_execute: list[Callable[[], None]] = []
        self.error: list[Callable[[Message, BaseException], None]] = []
        self.quiet_exit: list[Callable[[BaseException], bool]] = []
        self.namespaces: list[Callable[[], list[dict[str, Any]] | None]] = []
        self.input_metadata: list[Callable[[], JSONDict]] = []
        self.shutdown: list[Callable[[], None]] = []
        self.cell_filename: list[Callable[[str], str | None]] = []


class ExtensionHost:
    """What an extension sees of the kernel: handler tables, hooks, services, magics and features."""

    def __init__(self, kernel: Kernel, executor: Executor) -> None:
        self.kernel = kernel
        self.executor = executor
        self.hooks = Hooks()
        self.shell_handlers: dict[str, Handler] = {}
        self.control_handlers: dict[str, Handler] = {}
        self._services: dict[str, Any] = {}
        self._extensions: dict[str, KernelExtension] = {}
        self._features: list[str] = []
        self._magics: dict[str, Magic] = {}
        self._cell_magics: dict[str, CellMagic] = {}

    # --- what extensions call ---------------------------------------------------------------------------------
    def handle(self, msg_type: str, handler: Handler, *, channels: Iterable[Channel] = ("shell",)) -> None:
        """Answer ``msg_type`` on these channels (a later registration replaces an earlier one)."""
        for channel in channels:
            table = self.shell_handlers if channel == "shell" else self.control_handlers
            table[msg_type] = handler

    def handler(self, msg_type: str, channel: Channel = "shell") -> Handler | None:
        table = self.shell_handlers if channel == "shell" else self.control_handlers
        return table.get(msg_type)

    def provide(self, name: str, service: Any) -> None:
        """Offer ``service`` to other extensions under ``name`` (e.g. "stdin", "debugger")."""
        self._services[name] = service

    def service(self, name: str) -> Any:
        """The service offered under ``name``, or None when no installed extension offers it."""
        return self._services.get(name)

    def add_magic(self, name: str, magic: Magic) -> None:
        """A line magic ``%name args``: ``magic(kernel, args)``; its return value is the expression's value."""
        self._magics[name] = magic

    def magic(self, name: str) -> Magic | None:
        return self._magics.get(name)

    def magic_names(self) -> list[str]:
        return sorted(self._magics)

    def add_cell_magic(self, name: str, magic: CellMagic) -> None:
        """A cell magic ``%%name line`` + body: ``magic(kernel, line, body)``; its return value is echoed."""
        self._cell_magics[name] = magic

    def cell_magic(self, name: str) -> CellMagic | None:
        return self._cell_magics.get(name)

    def cell_magic_names(self) -> list[str]:
        return sorted(self._cell_magics)

    def add_features(self, *names: str) -> None:
        for n in names:
            if n not in self._features:
                self._features.append(n)

    def extension(self, name: str) -> KernelExtension | None:
        return self._extensions.get(name)

    # --- what the kernel calls ---------------------------------------------------------------------------------
    def install(self, extension: KernelExtension) -> None:
        if not extension.name:
            raise ValueError(f"{type(extension).__name__} has no name")
        if extension.name in self._extensions:
            raise ValueError(f"a kernel extension named {extension.name!r} is installed already")
        self._extensions[extension.name] = extension
        extension.install(self)
        self.add_features(*extension.features)

    def installed(self) -> list[str]:
        return list(self._extensions)

    @property
    def supported_features(self) -> list[str]:
        return list(self._features)

    def adjust_kernel_info(self, reply: JSONDict) -> JSONDict:
        reply["supported_features"] = self.supported_features
        for ext in self._extensions.values():
            ext.kernel_info(reply)
        return reply

    def namespaces(self) -> list[dict[str, Any]]:
        """Where names resolve now: the first hook that answers (a stopped debugger), else the user namespace."""
        for hook in self.hooks.namespaces:
            found = hook()
            if found is not None:
                return found
        return [self.executor.ns]

    def close(self) -> None:
        for hook in self.hooks.shutdown:
            _quietly(hook)
        for ext in reversed(list(self._extensions.values())):
            _quietly(ext.close)


def _quietly(fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception:
        log.exception("kernel extension clean-up failed")
