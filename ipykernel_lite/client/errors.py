"""Errors a client raises, under one base: ``ClientError``.

Catch ``ClientError`` for anything our client reports. Subclasses that are about waiting also subclass
``TimeoutError`` (and the others ``RuntimeError``), so code written against the builtins keeps working.
"""

from __future__ import annotations

import signal as _signal


class ClientError(Exception):
    """Base of every error the client raises about the kernel, a request or itself."""


class KernelDied(ClientError, RuntimeError):
    """The kernel went away while we waited for it.

    ``exit_code`` is set when the process exited, ``signal`` when a signal killed it (both are None when only
    missed heartbeats tell us it is gone). ``traceback`` is the last Python traceback the process wrote to its
    captured output or, after a fault (segfault, abort), the stacks faulthandler wrote; ``pid`` is the process.
    """

    def __init__(
        self,
        reason: str,
        *,
        exit_code: int | None = None,
        signal: int | None = None,
        traceback: str | None = None,
        pid: int | None = None,
    ) -> None:
        self.reason = reason
        self.pid = pid
        self.exit_code = exit_code
        self.signal = signal
        self.traceback = traceback
        super().__init__(reason)

    @classmethod
    def from_returncode(cls, returncode: int | None, pid: int | None, traceback: str | None = None) -> KernelDied:
        """Describe a ``Popen.returncode`` (negative means killed by that signal)."""
        who = f"kernel process {pid}" if pid is not None else "kernel process"
        if returncode is None:
            return cls(f"{who} is gone", traceback=traceback, pid=pid)
        if returncode < 0:
            sig = -returncode
            try:
                name = _signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return cls(f"{who} was killed by {name} ({sig})", signal=sig, traceback=traceback, pid=pid)
        return cls(f"{who} exited with code {returncode}", exit_code=returncode, traceback=traceback, pid=pid)

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only fields: default pickling would lose them
        return (_rebuild, (self.reason, self.exit_code, self.signal, self.traceback, self.pid))


def _rebuild(reason: str, exit_code: int | None, sig: int | None, tb: str | None, pid: int | None = None) -> KernelDied:
    return KernelDied(reason, exit_code=exit_code, signal=sig, traceback=tb, pid=pid)


class ExecutionError(ClientError, RuntimeError):
    """User code raised (or the request was aborted); raised by ``ExecuteResult.raise_for_error``."""

    def __init__(self, status: str, ename: str, evalue: str, traceback: list[str]) -> None:
        self.status = status
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
        super().__init__(f"{ename}: {evalue}" if status == "error" else f"execution {status}")


class RequestTimeout(ClientError, TimeoutError):
    """No (complete) answer in time. The request may still finish: ``collect(msg_id)`` can pick it up."""

    def __init__(self, message: str, msg_id: str) -> None:
        self.msg_id = msg_id
        super().__init__(message)


class NotReady(ClientError, TimeoutError):
    """``wait_for_ready`` timed out: no kernel_info reply, no IOPub message, or no stdin link in time."""


class SendQueueFull(ClientError, TimeoutError):
    """A request could not even be queued: the socket's send queue to the kernel is full."""


class AlreadyTaken(ClientError, ValueError):
    """``collect`` of a request whose reply ``recv`` or an earlier ``collect`` already took."""


class ClientClosed(ClientError, RuntimeError):
    """The client was closed: its sockets are gone."""
