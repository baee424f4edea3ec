"""Drives ``python -m ipykernel_lite bridge`` as an editor would: a subprocess, framed JSON-RPC on its stdio.

A reader thread decodes everything the bridge writes; responses are matched by id, notifications kept in order
so tests can wait for them. Every wait is bounded.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipykernel_lite.bridge.framing import FrameDecoder, encode
from ipykernel_lite.bridge.schema import METHODS, NOTIFICATIONS

REPO = Path(__file__).resolve().parents[2]


class RpcError(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code: int = error["code"]
        self.message: str = error.get("message", "")
        self.data: Any = error.get("data")


class BridgeProcess:
    #: how the bridge is started: the CLI's way, as editors do
    COMMAND = [sys.executable, "-m", "ipykernel_lite", "bridge"]

    def __init__(self, *args: str, cwd: Path | None = None, env_extra: dict[str, str] | None = None) -> None:
        env = dict(os.environ)
        env.update(env_extra or {})
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        self.proc = subprocess.Popen(
            [*self.COMMAND, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self.responses: dict[Any, dict[str, Any]] = {}
        #: every notification, in arrival order: (method, params)
        self.notifications: list[tuple[str, dict[str, Any]]] = []
        #: every raw message, in arrival order
        self.messages: list[Any] = []
        #: everything written to the bridge, and everything read from it, in order: ("->" | "<-", message)
        self.transcript: list[tuple[str, Any]] = []
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._err_reader.start()

    # -- reading -----------------------------------------------------------------------------------------------
    def _read(self) -> None:
        assert self.proc.stdout is not None
        decoder = FrameDecoder()
        while True:
            data = self.proc.stdout.read1(65536)
            if not data:
                break
            for body in decoder.feed(data):
                msg = json.loads(body)
                with self._cond:
                    self.messages.append(msg)
                    self.transcript.append(("<-", msg))
                    if isinstance(msg, dict) and "method" in msg:
                        self.notifications.append((msg["method"], msg.get("params", {})))
                    elif isinstance(msg, dict):
                        self.responses[msg.get("id")] = msg
                    self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr += line

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"waited {timeout} s for {what or predicate}; stderr: {self.stderr[-2000:]!r}")
                self._cond.wait(min(left, 0.5))

    # -- writing -----------------------------------------------------------------------------------------------
    def write(self, message: Any) -> None:
        assert self.proc.stdin is not None
        with self._cond:
            self.transcript.append(("->", message))
        self.proc.stdin.write(encode(message))
        self.proc.stdin.flush()

    def write_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, method: str, params: dict[str, Any] | None = None) -> int:
        rid = next(self._ids)
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.write(msg)
        return rid

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self.write({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def response(self, rid: Any, timeout: float = 30.0) -> dict[str, Any]:
        return self.wait_for(lambda: self.responses.get(rid), timeout, f"the response to {rid}")

    def result(self, rid: Any, timeout: float = 30.0) -> Any:
        r = self.response(rid, timeout)
        if "error" in r:
            raise RpcError(r["error"])
        return r["result"]

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> Any:
        """A request and its result (RpcError on an error response); the result is checked against the schema."""
        result = self.result(self.send(method, params), timeout)
        METHODS[method][1].model_validate(result)
        return result

    # -- notifications ----------------------------------------------------------------------------------------
    def seen(self, method: str, **match: Any) -> list[dict[str, Any]]:
        with self._cond:
            return [
                p
                for m, p in self.notifications
                if m == method and all(p.get(k) == v for k, v in match.items())
            ]

    def wait_notification(self, method: str, timeout: float = 60.0, **match: Any) -> dict[str, Any]:
        found = self.wait_for(lambda: self.seen(method, **match), timeout, f"{method} {match}")
        return found[0]

    def stream_text(self, msg_id: str | None = None, name: str = "stdout") -> str:
        return "".join(
            p["content"].get("text", "")
            for p in self.seen("output", msg_type="stream")
            if (msg_id is None or p["msg_id"] == msg_id) and p["content"].get("name") == name
        )

    def check_notifications(self) -> None:
        """Every notification so far matches its schema model."""
        with self._cond:
            items = list(self.notifications)
        for method, params in items:
            NOTIFICATIONS[method].model_validate(params)

    # -- ending ------------------------------------------------------------------------------------------------
    def close_stdin(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()

    def wait_exit(self, timeout: float = 15.0) -> int:
        return self.proc.wait(timeout)

    def close(self) -> None:
        """End the bridge as an editor does when it quits: close its stdin; kill it if it does not go."""
        try:
            self.close_stdin()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._reader.join(5)
        self._err_reader.join(5)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


class BridgeProcessModule(BridgeProcess):
    """The bridge started as ``python -m ipykernel_lite.bridge OPTIONS``."""

    COMMAND = [sys.executable, "-m", "ipykernel_lite.bridge"]

    def __init__(self, options: list[str]) -> None:
        super().__init__(*options)
