"""The outcome of one execute request: its reply plus every IOPub message it caused, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..protocol import Message
from .errors import ExecutionError


@dataclass(frozen=True)
class ErrorInfo:
    ename: str
    evalue: str
    traceback: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.ename}: {self.evalue}"


class ExecuteResult:
    """Everything an execute request produced.

    Derived views (``stdout``, ``result``, ``error`` …) are computed on access, not while messages arrive: a
    tight loop of ``execute("pass")`` pays only for collecting the messages.
    """

    __slots__ = ("lost", "msg_id", "outputs", "reply", "reply_msg")

    def __init__(self, msg_id: str, reply_msg: Message, outputs: list[Message], lost: int = 0) -> None:
        self.msg_id = msg_id
        self.reply_msg = reply_msg
        #: the execute_reply content
        self.reply: dict[str, Any] = reply_msg.content
        #: every IOPub message of this request except ``status``, in arrival order
        self.outputs = outputs
        #: IOPub messages of this request the client could not keep (nobody collected them before the
        #: unclaimed-IOPub bound pushed them out, see core/mailbox.py): ``outputs`` is then incomplete
        self.lost = lost

    @property
    def status(self) -> str:
        return str(self.reply.get("status", ""))

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def execution_count(self) -> int | None:
        n = self.reply.get("execution_count")
        return n if isinstance(n, int) else None

    def _stream(self, name: str) -> str:
        return "".join(
            str(m.content.get("text", ""))
            for m in self.outputs
            if m.msg_type == "stream" and m.content.get("name") == name
        )

    @property
    def stdout(self) -> str:
        return self._stream("stdout")

    @property
    def stderr(self) -> str:
        return self._stream("stderr")

    @property
    def result(self) -> dict[str, Any] | None:
        """The data bundle of the ``execute_result`` (``{"text/plain": …}``), if the cell had a value."""
        for m in reversed(self.outputs):
            if m.msg_type == "execute_result":
                data = m.content.get("data")
                return data if isinstance(data, dict) else {}
        return None

    @property
    def displays(self) -> list[dict[str, Any]]:
        """The contents of ``display_data`` and ``update_display_data`` messages, in order."""
        return [m.content for m in self.outputs if m.msg_type in ("display_data", "update_display_data")]

    @property
    def error(self) -> ErrorInfo | None:
        """The error, from the IOPub ``error`` message or else from the reply."""
        for m in self.outputs:
            if m.msg_type == "error":
                return _error_info(m.content)
        if self.status == "error":
            return _error_info(self.reply)
        return None

    @property
    def payload(self) -> list[dict[str, Any]]:
        p = self.reply.get("payload")
        return p if isinstance(p, list) else []

    @property
    def user_expressions(self) -> dict[str, Any]:
        u = self.reply.get("user_expressions")
        return u if isinstance(u, dict) else {}

    def raise_for_error(self) -> None:
        """Raise ExecutionError unless the status is ``ok``."""
        if self.status == "ok":
            return
        err = self.error
        if err is None:
            raise ExecutionError(self.status, "", "", [])
        raise ExecutionError(self.status, err.ename, err.evalue, err.traceback)

    def __repr__(self) -> str:
        extra = f" error={self.error}" if self.status == "error" else ""
        return f"<ExecuteResult {self.status} count={self.execution_count} outputs={len(self.outputs)}{extra}>"


def _error_info(content: dict[str, Any]) -> ErrorInfo:
    tb = content.get("traceback")
    return ErrorInfo(
        str(content.get("ename", "")),
        str(content.get("evalue", "")),
        [str(line) for line in tb] if isinstance(tb, list) else [],
    )
