"""Every request a client can send, in one table: msg_type -> channel, content builder, reply type.

The builders take keyword arguments with defaults and return the message content, so that every shell
(blocking, asyncio, Qt, a websocket one) builds the same content from the same call, and a new request type
is one row here. ``ClientCore.build`` looks them up; see core.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JSONDict = dict[str, Any]


@dataclass(frozen=True)
class RequestSpec:
    msg_type: str
    #: where it goes by default
    channel: str
    build: Callable[..., JSONDict]
    #: other channels it may be sent on (completions on control while shell is busy)
    also: tuple[str, ...] = ()

    @property
    def reply_type(self) -> str:
        return self.msg_type.replace("_request", "_reply")

    def channel_for(self, channel: str | None) -> str:
        if channel is None:
            return self.channel
        if channel != self.channel and channel not in self.also:
            allowed = ", ".join((self.channel, *self.also))
            raise ValueError(f"{self.msg_type} goes on {allowed}; got {channel!r}")
        return channel


def cursor_or_end(code: str, cursor_pos: int | None) -> int:
    """Protocol 5.2+: cursor positions count unicode code points, which is what ``len(str)`` counts."""
    return len(code) if cursor_pos is None else cursor_pos


def _empty() -> JSONDict:
    return {}


def _execute(
    code: str,
    silent: bool = False,
    store_history: bool = True,
    user_expressions: dict[str, str] | None = None,
    allow_stdin: bool = False,
    stop_on_error: bool = True,
) -> JSONDict:
    return {
        "code": code,
        "silent": silent,
        "store_history": store_history,
        "user_expressions": user_expressions or {},
        "allow_stdin": allow_stdin,
        "stop_on_error": stop_on_error,
    }


def _complete(code: str, cursor_pos: int | None = None) -> JSONDict:
    return {"code": code, "cursor_pos": cursor_or_end(code, cursor_pos)}


def _inspect(code: str, cursor_pos: int | None = None, detail_level: int = 0) -> JSONDict:
    return {"code": code, "cursor_pos": cursor_or_end(code, cursor_pos), "detail_level": detail_level}


def _is_complete(code: str) -> JSONDict:
    return {"code": code}


def _history(
    hist_access_type: str = "range",
    raw: bool = True,
    output: bool = False,
    session: int = 0,
    start: int = 0,
    stop: int | None = None,
    n: int | None = None,
    pattern: str | None = None,
    unique: bool = False,
    **extra: Any,
) -> JSONDict:
    content: JSONDict = {"hist_access_type": hist_access_type, "raw": raw, "output": output}
    if hist_access_type == "range":
        content.update(session=session, start=start, stop=stop)
    elif hist_access_type == "tail":
        content.update(n=n if n is not None else 10)
    elif hist_access_type == "search":
        content.update(pattern=pattern or "*", unique=unique, n=n)
    content.update(extra)
    return content


def _comm_info(target_name: str | None = None) -> JSONDict:
    return {} if target_name is None else {"target_name": target_name}


def _shutdown(restart: bool = False) -> JSONDict:
    return {"restart": restart}


def _input_reply(value: str) -> JSONDict:
    return {"value": value}


def _passthrough(**content: Any) -> JSONDict:
    # debug_request carries a DAP message: its fields are the content as they are
    return dict(content)


def _comm_open(comm_id: str, target_name: str, data: JSONDict | None = None, **extra: Any) -> JSONDict:
    return {"comm_id": comm_id, "target_name": target_name, "data": data or {}, **extra}


def _comm_msg(comm_id: str, data: JSONDict | None = None) -> JSONDict:
    return {"comm_id": comm_id, "data": data or {}}


_ROWS = (
    RequestSpec("kernel_info_request", "shell", _empty, ("control",)),
    RequestSpec("execute_request", "shell", _execute),
    RequestSpec("complete_request", "shell", _complete, ("control",)),
    RequestSpec("inspect_request", "shell", _inspect, ("control",)),
    RequestSpec("is_complete_request", "shell", _is_complete, ("control",)),
    RequestSpec("history_request", "shell", _history),
    RequestSpec("comm_info_request", "shell", _comm_info),
    RequestSpec("interrupt_request", "control", _empty),
    RequestSpec("shutdown_request", "control", _shutdown),
    RequestSpec("pause_request", "control", _empty),
    RequestSpec("debug_request", "control", _passthrough),
    RequestSpec("usage_request", "control", _empty),
    RequestSpec("input_reply", "stdin", _input_reply),
    RequestSpec("comm_open", "shell", _comm_open),
    RequestSpec("comm_msg", "shell", _comm_msg),
    RequestSpec("comm_close", "shell", _comm_msg),
)

#: msg_type -> how to build it
REQUESTS: dict[str, RequestSpec] = {r.msg_type: r for r in _ROWS}


def spec(msg_type: str) -> RequestSpec:
    try:
        return REQUESTS[msg_type]
    except KeyError:
        raise ValueError(f"unknown request type {msg_type!r}; send it with send(channel, msg_type, content)") from None
