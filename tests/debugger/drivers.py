"""Two front ends driving the same kernel: our BlockingClient and jupyter_client's BlockingKernelClient.

A test talks to a ``Driver``: start a cell, answer its input requests (a scripted list of answers), pause or
interrupt it, and get a ``Run`` with everything the cell produced, each input request with its metadata.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from time import monotonic
from typing import Any

import zmq

from ipykernel_lite.client import BlockingClient, KernelManager

TIMEOUT = 60.0
EOF = "\x04"

#: from Python 3.13 pdb stops on the line of breakpoint() itself, before on the line after it
STOPS_ON_BREAKPOINT_LINE = sys.version_info >= (3, 13)

JSONDict = dict[str, Any]


def as_datetime(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@dataclass
class InputRequest:
    prompt: str
    password: bool
    metadata: JSONDict
    date: datetime
    msg_id: str
    raw: Any = field(repr=False, default=None)

    @property
    def debug(self) -> JSONDict | None:
        d = self.metadata.get("debug")
        return d if isinstance(d, dict) else None

    @property
    def frame(self) -> JSONDict:
        """The frame pdb stands in (fails the test if the request carries none)."""
        assert self.debug is not None, f"input request {self.prompt!r} has no debug metadata"
        frame = self.debug["frame"]
        assert isinstance(frame, dict)
        return frame

    @property
    def where(self) -> tuple[str, int, str]:
        f = self.frame
        return f["file"], f["line"], f["function"]


@dataclass
class Output:
    msg_type: str
    content: JSONDict
    date: datetime


@dataclass
class Run:
    reply: JSONDict
    outputs: list[Output]
    requests: list[InputRequest]

    @property
    def status(self) -> str:
        return str(self.reply.get("status"))

    @property
    def ename(self) -> str | None:
        return self.reply.get("ename") if self.status == "error" else None

    def stream(self, name: str) -> str:
        return "".join(o.content["text"] for o in self.outputs if o.msg_type == "stream" and o.content["name"] == name)

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def prompts(self) -> list[str]:
        return [r.prompt for r in self.requests]

    def __repr__(self) -> str:
        return f"<Run {self.status} {self.ename or ''} prompts={self.prompts} stdout={self.stdout!r}>"


class Script:
    """Answers input requests from a list; once the list is used up it answers EOF, which quits pdb, so a
    test that expected fewer prompts ends instead of hanging (and its assertions on the requests fail)."""

    def __init__(self, answers: Iterable[str | Callable[[InputRequest], str]]) -> None:
        self.answers = list(answers)
        self.requests: list[InputRequest] = []
        self.exhausted = False

    def __call__(self, req: InputRequest) -> str:
        self.requests.append(req)
        if not self.answers:
            self.exhausted = True
            return EOF
        a = self.answers.pop(0)
        return a(req) if callable(a) else a


def to_next_line(answers: Iterable[str]) -> list[str]:
    """``answers`` for a debugger stopped on the line after breakpoint(), whatever the Python version."""
    return (["n"] if STOPS_ON_BREAKPOINT_LINE else []) + list(answers)


def past_breakpoint(requests: list[InputRequest]) -> list[InputRequest]:
    """The requests answered by the ``answers`` given to ``to_next_line``."""
    return requests[1:] if STOPS_ON_BREAKPOINT_LINE else requests


def execute_content(code: str, allow_stdin: bool) -> JSONDict:
    return {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": allow_stdin,
        "stop_on_error": False,
    }


class Driver:
    name: str
    km: KernelManager

    def start(self, code: str, *, metadata: JSONDict | None = None, allow_stdin: bool = True) -> str:
        raise NotImplementedError

    def next_input(self, timeout: float = TIMEOUT) -> InputRequest:
        raise NotImplementedError

    def reply(self, value: str, to: InputRequest | None = None) -> None:
        raise NotImplementedError

    def wait_output(self, msg_id: str, text: str, timeout: float = TIMEOUT) -> None:
        """Wait until the cell's stdout contains ``text`` (the messages read stay part of its Run)."""
        raise NotImplementedError

    def finish(self, msg_id: str, answers: Sequence[str | Callable[[InputRequest], str]] = ()) -> Run:
        raise NotImplementedError

    def control(self, msg_type: str, content: JSONDict | None = None) -> JSONDict:
        raise NotImplementedError

    def run(
        self,
        code: str,
        answers: Sequence[str | Callable[[InputRequest], str]] = (),
        *,
        metadata: JSONDict | None = None,
        allow_stdin: bool = True,
    ) -> Run:
        return self.finish(self.start(code, metadata=metadata, allow_stdin=allow_stdin), answers)

    def close(self) -> None:
        raise NotImplementedError


class LiteDriver(Driver):
    """ipykernel_lite.client.BlockingClient."""

    name = "lite"

    def __init__(self, km: KernelManager) -> None:
        self.km = km
        self.kc: BlockingClient = km.client()
        self.kc.wait_for_ready(30)
        self._early: dict[str, list[Any]] = {}

    def start(self, code: str, *, metadata: JSONDict | None = None, allow_stdin: bool = True) -> str:
        return self.kc.send("shell", "execute_request", execute_content(code, allow_stdin), metadata or {})

    def next_input(self, timeout: float = TIMEOUT) -> InputRequest:
        m = self.kc.recv("stdin", timeout)
        assert m is not None, f"no input_request within {timeout} s"
        return _lite_request(m)

    def reply(self, value: str, to: InputRequest | None = None) -> None:
        self.kc.input_reply(value, to.raw if to is not None else None)

    def wait_output(self, msg_id: str, text: str, timeout: float = TIMEOUT) -> None:
        seen = self._early.setdefault(msg_id, [])
        deadline = monotonic() + timeout
        while True:
            m = self.kc.recv("iopub", max(0.0, deadline - monotonic()))
            assert m is not None, f"{text!r} not printed within {timeout} s"
            if m.parent_id != msg_id:
                continue
            seen.append(m)
            out = "".join(x.content.get("text", "") for x in seen if x.msg_type == "stream")
            if text in out:
                return

    def finish(self, msg_id: str, answers: Sequence[str | Callable[[InputRequest], str]] = ()) -> Run:
        script = Script(answers)
        r = self.kc.collect(msg_id, timeout=TIMEOUT, stdin_hook=lambda m: script(_lite_request(m)))
        early = [m for m in self._early.pop(msg_id, []) if m.msg_type != "status"]
        outputs = [Output(m.msg_type, m.content, as_datetime(m.header["date"])) for m in early + r.outputs]
        return Run(r.reply, outputs, script.requests)

    def control(self, msg_type: str, content: JSONDict | None = None) -> JSONDict:
        return self.kc.request("control", msg_type, content or {}, timeout=TIMEOUT).content

    def close(self) -> None:
        self.kc.close()


def _lite_request(m: Any) -> InputRequest:
    return InputRequest(
        m.content["prompt"],
        bool(m.content.get("password")),
        dict(m.metadata),
        as_datetime(m.header["date"]),
        m.msg_id,
        m,
    )


class JupyterDriver(Driver):
    """jupyter_client's BlockingKernelClient, answering with ``kc.input`` as a stock front end does."""

    name = "jupyter"

    def __init__(self, km: KernelManager) -> None:
        from jupyter_client.blocking import BlockingKernelClient

        self.km = km
        self.kc = BlockingKernelClient(connection_file=str(km.connection_file))
        self.kc.load_connection_file()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=30)
        self._early: dict[str, list[JSONDict]] = {}

    def start(self, code: str, *, metadata: JSONDict | None = None, allow_stdin: bool = True) -> str:
        msg = self.kc.session.msg("execute_request", execute_content(code, allow_stdin), metadata=metadata or {})
        self.kc.shell_channel.send(msg)
        return str(msg["header"]["msg_id"])

    def next_input(self, timeout: float = TIMEOUT) -> InputRequest:
        return _jupyter_request(self.kc.get_stdin_msg(timeout=timeout))

    def reply(self, value: str, to: InputRequest | None = None) -> None:
        self.kc.input(value)

    def wait_output(self, msg_id: str, text: str, timeout: float = TIMEOUT) -> None:
        seen = self._early.setdefault(msg_id, [])
        deadline = monotonic() + timeout
        while True:
            m = self.kc.get_iopub_msg(timeout=max(0.0, deadline - monotonic()))
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            seen.append(m)
            out = "".join(x["content"].get("text", "") for x in seen if x["msg_type"] == "stream")
            if text in out:
                return

    def finish(self, msg_id: str, answers: Sequence[str | Callable[[InputRequest], str]] = ()) -> Run:
        script = Script(answers)
        kc = self.kc
        channels = {
            kc.iopub_channel.socket: kc.get_iopub_msg,
            kc.stdin_channel.socket: kc.get_stdin_msg,
            kc.shell_channel.socket: kc.get_shell_msg,
        }
        poller = zmq.Poller()
        for sock in channels:
            poller.register(sock, zmq.POLLIN)
        seen = self._early.pop(msg_id, [])
        idle = any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in seen)
        reply: JSONDict | None = None
        deadline = monotonic() + TIMEOUT
        while reply is None or not idle:
            left = deadline - monotonic()
            assert left > 0, f"execute {msg_id} not finished within {TIMEOUT} s"
            for sock, _ in poller.poll(int(left * 1000) + 1):
                m = channels[sock](timeout=0)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                if m["msg_type"] == "input_request":
                    kc.input(script(_jupyter_request(m)))
                elif m["msg_type"] == "execute_reply":
                    reply = m["content"]
                else:
                    seen.append(m)
                    if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                        idle = True
        outputs = [
            Output(m["msg_type"], m["content"], as_datetime(m["header"]["date"]))
            for m in seen
            if m["msg_type"] != "status"
        ]
        return Run(reply, outputs, script.requests)

    def control(self, msg_type: str, content: JSONDict | None = None) -> JSONDict:
        msg = self.kc.session.msg(msg_type, content or {})
        self.kc.control_channel.send(msg)
        while True:
            m = self.kc.get_control_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return dict(m["content"])

    def close(self) -> None:
        self.kc.stop_channels()


def _jupyter_request(m: JSONDict) -> InputRequest:
    c = m["content"]
    return InputRequest(
        c["prompt"],
        bool(c.get("password")),
        dict(m.get("metadata") or {}),
        as_datetime(m["header"]["date"]),
        m["header"]["msg_id"],
        m,
    )


DRIVERS: dict[str, type[Driver]] = {"lite": LiteDriver, "jupyter": JupyterDriver}

#: prints, in one line, whether the kernel is out of the debugger: no trace function, no frame with a trace
#: hook, no debug_frame, nothing pdb left in the namespace
CHECK_CLEAN = """\
import sys as _sys
_f, _hooked = _sys._getframe(), []
while _f is not None:
    if _f.f_trace is not None:
        _hooked.append(_f.f_code.co_name)
    _f = _f.f_back
_dbg = __ipykernel_lite_magic__.__self__.kernel.host.service("debugger")
print("clean:", _sys.gettrace() is None, _hooked, _dbg.frame,
      "__return__" in globals())
del _f, _hooked, _dbg
"""
CLEAN = "clean: True [] None False\n"
