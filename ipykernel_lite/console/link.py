"""The console's kernel: one it started and owns (restarted when it dies, shut down at exit) or one it attached
to with ``--existing`` (interrupted by message, left running at exit)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import BlockingClient, KernelDied, KernelManager
    from ..client.manager import InterruptMode


class KernelLink:
    def __init__(self, client: BlockingClient, manager: KernelManager | None = None) -> None:
        self.client = client
        self.manager = manager

    @classmethod
    def launch(
        cls,
        argv: list[str] | None = None,
        *,
        interrupt_mode: InterruptMode = "signal",
        env: dict[str, str] | None = None,
    ) -> KernelLink:
        """Start a kernel (ours by default, else ``argv`` with ``{connection_file}``); does not wait for it,
        so the caller can get its prompt ready meanwhile (see ``wait_ready``)."""
        from ..client import KernelManager

        km = KernelManager(argv, interrupt_mode=interrupt_mode, env=env)
        km.start()
        try:
            return cls(km.client(), km)
        except BaseException:
            km.shutdown(timeout=1.0)
            raise

    @classmethod
    def attach(cls, connection_file: str | os.PathLike[str]) -> KernelLink:
        from ..client import BlockingClient

        return cls(BlockingClient(find_connection_file(connection_file)))

    @classmethod
    def attach_over_ssh(
        cls, connection_file: str | os.PathLike[str], server: str, options: list[str] | None = None
    ) -> KernelLink:
        """``--existing F --ssh user@host``: the kernel's ports are on ``host``; tunnel them with OpenSSH."""
        from ..client.ssh import ssh_client

        return cls(ssh_client(find_connection_file(connection_file), server, options=options or ()))

    @property
    def owned(self) -> bool:
        return self.manager is not None

    def wait_ready(self, timeout: float = 60.0) -> dict[str, Any]:
        """The kernel_info of the kernel once it answers (KernelDied if it died starting, TimeoutError)."""
        return self.client.wait_for_ready(timeout)

    def is_alive(self) -> bool:
        """For our kernel, whether its process runs; an attached one is presumed alive (its heartbeat is
        checked while the console waits on it)."""
        return self.manager.is_alive() if self.manager is not None else not self.client.closed

    def death_reason(self) -> KernelDied:
        from ..client import KernelDied

        if self.manager is not None:
            return self.manager.death_reason()
        return KernelDied("the kernel stopped answering")

    def interrupt(self) -> None:
        """Interrupt the running cell. Safe to call from a signal handler: it sends, it never waits."""
        if self.manager is not None:
            self.manager.interrupt()
            return
        # no process of ours to signal: the protocol's interrupt_request on control; its reply is not waited
        # for (it is queued and dropped), so this cannot block the wait the signal arrived in
        self.client.send("control", "interrupt_request", {})

    def restart(self, timeout: float = 60.0) -> dict[str, Any]:
        """Start our kernel afresh on the same ports (the client just reconnects); its kernel_info."""
        if self.manager is None:
            raise RuntimeError("an attached kernel is not ours to restart")
        self.manager.restart(now=True)
        return self.client.wait_for_ready(timeout)

    def close(self) -> None:
        """Close the client; shut the kernel down if it is ours."""
        try:
            self.client.close()
        finally:
            if self.manager is not None:
                self.manager.shutdown()


def find_connection_file(name: str | os.PathLike[str]) -> Path:
    """A connection file by path, or by name in Jupyter's runtime directory (``kernel-1234.json``,
    ``1234``), as ``jupyter console --existing`` accepts them."""
    path = Path(name).expanduser()
    if path.is_file():
        return path
    from ..client.ports import runtime_dir

    folder = runtime_dir()
    for candidate in (folder / path.name, folder / f"{path.name}.json", folder / f"kernel-{path.name}.json"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no connection file {os.fspath(name)!r} (nor in {folder})")
