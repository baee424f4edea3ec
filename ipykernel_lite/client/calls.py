"""The high-level calls of the zmq shells, written once for both.

Each call builds its request with the core's table and hands it to the shell's ``_call`` (request/reply) or
``_execute`` (execute collection). The blocking shell returns the result; the asyncio shell returns an
awaitable of it: the same method body serves both, typed by the two type parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..protocol import Message
from .base import DEFAULT_TIMEOUT, shutdown_without_reply
from .core import ClientCore, Outgoing, Pending
from .editor import cell_request, file_request, merge_metadata, selection_request
from .errors import KernelDied

#: what a request/reply call returns: the reply content (blocking) or an awaitable of it (asyncio)
D = TypeVar("D")
#: what an execute returns: an ExecuteResult (blocking) or an awaitable of it (asyncio)
X = TypeVar("X")
JSONDict = dict[str, Any]
Hook = Callable[[Message], Any]
OnDied = Callable[[KernelDied], JSONDict]


@dataclass(frozen=True)
class ExecuteJob:
    """An execute for the shell to run (``out`` to send first) or only to collect (``out`` None)."""

    out: Outgoing | None
    pending: Pending
    timeout: float | None
    output_hook: Hook | None
    stdin_hook: Hook | None
    allow_stdin: bool


class KernelCalls(Generic[D, X]):
    core: ClientCore

    # -- provided by the shell ------------------------------------------------------------------------------
    def _call(self, out: Outgoing, timeout: float | None, on_died: OnDied | None = None) -> D:
        raise NotImplementedError

    def _execute(self, job: ExecuteJob) -> X:
        raise NotImplementedError

    # -- request / reply ------------------------------------------------------------------------------------
    def kernel_info(self, timeout: float | None = DEFAULT_TIMEOUT) -> D:
        return self._call(self.core.build("kernel_info_request"), timeout)

    def complete(
        self,
        code: str,
        cursor_pos: int | None = None,
        *,
        channel: str = "shell",
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> D:
        return self._call(
            self.core.build("complete_request", channel=channel, code=code, cursor_pos=cursor_pos), timeout
        )

    def inspect(
        self,
        code: str,
        cursor_pos: int | None = None,
        detail_level: int = 0,
        *,
        channel: str = "shell",
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> D:
        out = self.core.build(
            "inspect_request", channel=channel, code=code, cursor_pos=cursor_pos, detail_level=detail_level
        )
        return self._call(out, timeout)

    def is_complete(self, code: str, *, channel: str = "shell", timeout: float | None = DEFAULT_TIMEOUT) -> D:
        return self._call(self.core.build("is_complete_request", channel=channel, code=code), timeout)

    def history(self, *, timeout: float | None = DEFAULT_TIMEOUT, **params: Any) -> D:
        """history_request; ``params`` as in the protocol (hist_access_type, raw, output, session, start, stop,
        n, pattern, unique), defaults from the request table."""
        return self._call(self.core.build("history_request", **params), timeout)

    def comm_info(self, target_name: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> D:
        return self._call(self.core.build("comm_info_request", target_name=target_name), timeout)

    def interrupt(self, timeout: float | None = DEFAULT_TIMEOUT) -> D:
        """interrupt_request on control (for kernels with ``interrupt_mode: message``)."""
        return self._call(self.core.build("interrupt_request"), timeout)

    def shutdown(self, restart: bool = False, timeout: float | None = DEFAULT_TIMEOUT) -> D:
        """shutdown_request on control. The reply usually arrives just before the process exits and is read
        even if the exit is noticed first; a kernel that exits cleanly without one counts as having agreed."""
        out = self.core.build("shutdown_request", restart=restart)
        return self._call(out, timeout, lambda died: shutdown_without_reply(died, restart))

    # -- execute ----------------------------------------------------------------------------------------------
    def execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
        allow_stdin: bool | None = None,
        stop_on_error: bool = True,
        metadata: JSONDict | None = None,
        timeout: float | None = None,
        output_hook: Hook | None = None,
        stdin_hook: Hook | None = None,
    ) -> X:
        """Run ``code``; the result once both the execute_reply and the request's ``idle`` arrived.

        ``output_hook`` sees each IOPub message of the request as it arrives (``status`` included);
        ``stdin_hook`` answers each ``input_request`` with what it returns; a hook that returns ``None`` leaves
        the request unanswered here (answer it later with ``input_reply``, or interrupt the cell).
        ``allow_stdin`` defaults to "a stdin_hook is given".
        """
        if allow_stdin is None:
            allow_stdin = stdin_hook is not None
        out = self.core.build(
            "execute_request",
            metadata=metadata,
            code=code,
            silent=silent,
            store_history=store_history,
            user_expressions=user_expressions,
            allow_stdin=allow_stdin,
            stop_on_error=stop_on_error,
        )
        # registered before the request is sent: its first IOPub message may beat the send call returning
        p = self.core.expect_execute(out.msg_id, hook_iopub=output_hook is not None, takes_stdin=stdin_hook is not None)
        return self._execute(ExecuteJob(out, p, timeout, output_hook, stdin_hook, allow_stdin))

    def collect(
        self,
        msg_id: str,
        *,
        timeout: float | None = None,
        output_hook: Hook | None = None,
        stdin_hook: Hook | None = None,
    ) -> X:
        """Gather the result of an execute_request sent earlier with ``send`` (what already arrived for it is
        taken out of the queues; its reply is always there to take, see core/mailbox.py)."""
        p = self.core.expect_execute(
            msg_id, hook_iopub=output_hook is not None, takes_stdin=stdin_hook is not None, earlier=True
        )
        return self._execute(ExecuteJob(None, p, timeout, output_hook, stdin_hook, False))

    # -- editor runs ----------------------------------------------------------------------------------------
    def run_cell(self, text: str, line: int, *, path: str, metadata: JSONDict | None = None, **kwargs: Any) -> X:
        """Run the cell around cursor ``line`` of the editor buffer ``text`` (file or unsaved-buffer name)."""
        code, md = cell_request(text, line, path=path)
        return self.execute(code, metadata=merge_metadata(md, metadata), **kwargs)

    def run_selection(
        self, text: str, start_line: int, end_line: int, *, path: str, metadata: JSONDict | None = None, **kwargs: Any
    ) -> X:
        """Run lines ``start_line``..``end_line`` (1-based, inclusive) of ``text``; tracebacks use the file's lines."""
        code, md = selection_request(text, start_line, end_line, path=path)
        return self.execute(code, metadata=merge_metadata(md, metadata), **kwargs)

    def run_file(
        self,
        path: str,
        *,
        text: str | None = None,
        argv: Sequence[str] | None = None,
        cwd: bool = True,
        metadata: JSONDict | None = None,
        **kwargs: Any,
    ) -> X:
        """Run a whole file as ``__main__`` (``__file__``, ``sys.argv``; its folder as cwd for the run)."""
        code, md = file_request(path, text=text, argv=argv, cwd=cwd)
        return self.execute(code, metadata=merge_metadata(md, metadata), **kwargs)
