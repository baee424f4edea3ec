"""``ipykernel-lite monitor CONNECTION_FILE``: watch a running kernel from elsewhere, read-only.

Subscribes to IOPub and prints every message as it arrives (one line each, or one JSON object per line with
``--json``), whoever caused it: the editor that owns the kernel, a console, a notebook. It never sends a request:
its only sockets are the IOPub subscription and a heartbeat probe that reports (on stderr) when the kernel stops
answering and when it answers again. Messages that fail the signature check are counted and reported, never
printed. CurveZMQ keys in the connection file are used as the kernel expects.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from time import monotonic
from typing import Any, TextIO

import zmq

from .protocol import ConnectionInfo, Message, ProtocolError, Signer, WireCodec
from .protocol.connection import read_connection_file
from .protocol.curve import curve_keys

#: a kernel that has not echoed a heartbeat for this long is reported as not answering
HB_INTERVAL = 1.0
HB_MISSES = 3
#: characters of code, text or JSON shown per message in text mode
SNIPPET = 160


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ipykernel-lite monitor",
        description="Print every IOPub message of a running kernel, live. Read-only: sends no requests.",
    )
    p.add_argument("connection_file", help="the kernel's connection file (JSON)")
    p.add_argument("--json", action="store_true", help="one JSON object per message and line (for logs)")
    p.add_argument("-n", "--count", type=int, default=None, help="exit after this many messages")
    p.add_argument("--timeout", type=float, default=None, help="exit after this many seconds")
    p.add_argument(
        "--type",
        dest="types",
        action="append",
        default=None,
        metavar="MSG_TYPE",
        help="only show this msg_type (repeatable)",
    )
    return p


# --- formatting (pure) ---------------------------------------------------------------------------------------
def _clip(text: str, limit: int = SNIPPET) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=repr)


def _count(content: dict[str, Any]) -> str:
    n = content.get("execution_count")
    return f"[{n}] " if isinstance(n, int) else ""


def _bundle(content: dict[str, Any]) -> str:
    data = content.get("data")
    if not isinstance(data, dict):
        return ""
    text = data.get("text/plain")
    others = sorted(k for k in data if k != "text/plain")
    shown = _clip(str(text)) if text is not None else ""
    return shown + (f" (+{', '.join(others)})" if others else "")


def _summary(msg_type: str, c: dict[str, Any]) -> str:
    """One line that says what happened, for the message types a person watching cares about."""
    if msg_type == "status":
        return str(c.get("execution_state", "?"))
    if msg_type == "stream":
        return f"{c.get('name', '?')}: {_clip(str(c.get('text', '')))}"
    if msg_type == "execute_input":
        return _count(c) + _clip(str(c.get("code", "")))
    if msg_type == "execute_result":
        return _count(c) + _bundle(c)
    if msg_type in ("display_data", "update_display_data"):
        return _bundle(c)
    if msg_type == "error":
        return _clip(f"{c.get('ename', '?')}: {c.get('evalue', '')}")
    if msg_type == "clear_output":
        return f"wait={bool(c.get('wait', False))}"
    if msg_type.startswith("comm_"):
        target = f" target={c['target_name']}" if "target_name" in c else ""
        return f"comm_id={c.get('comm_id', '?')}{target}"
    return _clip(_compact(c))


def _stamp(header: dict[str, Any]) -> str:
    date = header.get("date")
    if isinstance(date, str):
        try:
            return datetime.fromisoformat(date.replace("Z", "+00:00")).astimezone().strftime("%H:%M:%S.%f")[:-3]
        except ValueError:
            pass
    return datetime.now().strftime("%H:%M:%S.%f")[:-3]


def format_text(msg: Message) -> str:
    """``HH:MM:SS.mmm [session parent_type] msg_type summary``: who caused it, what it is, what it says.

    The session is the first 8 characters of the session id of the client whose request this message answers.
    """
    parent = msg.parent_header
    if parent:
        cause = f"[{str(parent.get('session', ''))[:8] or '?'} {parent.get('msg_type', '?')}]"
    else:
        cause = "[kernel]"
    return f"{_stamp(msg.header)} {cause} {msg.msg_type} {_summary(msg.msg_type, msg.content)}".rstrip()


def format_json(msg: Message) -> str:
    """The whole message as one JSON line; binary buffers are given as their sizes."""
    record = {
        "channel": "iopub",
        "msg_type": msg.msg_type,
        "msg_id": msg.msg_id,
        "parent_msg_id": msg.parent_id,
        "parent_msg_type": msg.parent_header.get("msg_type"),
        "header": msg.header,
        "parent_header": msg.parent_header,
        "metadata": msg.metadata,
        "content": msg.content,
        "buffers": [len(b) for b in msg.buffers],
    }
    return _compact(record)


# --- the sockets -----------------------------------------------------------------------------------------------
class Monitor:
    """An IOPub subscription plus a heartbeat probe on one kernel. Not thread-safe; ``close`` when done."""

    def __init__(self, info: ConnectionInfo, ctx: zmq.Context[Any] | None = None) -> None:
        self.info = info
        self.codec = WireCodec(Signer(info.key, info.signature_scheme))
        self.rejected = 0
        self._ctx = ctx or zmq.Context.instance()
        keys = curve_keys(info)
        self.iopub = self._ctx.socket(zmq.SUB)
        self.hb = self._ctx.socket(zmq.DEALER)
        for sock in (self.iopub, self.hb):
            sock.linger = 0
            if keys is not None:
                from .zmqcurve import apply_client

                # the heartbeat gets a pair of its own, as jupyter_client's does
                apply_client(sock, keys, ephemeral=sock is self.hb)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(info.url("iopub"))
        self.hb.connect(info.url("hb"))
        self._poller = zmq.Poller()
        self._poller.register(self.iopub, zmq.POLLIN)
        self._poller.register(self.hb, zmq.POLLIN)
        self._hb_sent = 0
        self._hb_last = 0.0
        self._hb_last_echo = monotonic()
        self.kernel_answering = True

    def close(self) -> None:
        self.iopub.close()
        self.hb.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _heartbeat(self, now: float, note: Callable[[str], None]) -> None:
        if now - self._hb_last >= HB_INTERVAL:
            self._hb_last = now
            self._hb_sent += 1
            try:
                self.hb.send_multipart([b"", b"monitor-%d" % self._hb_sent], zmq.NOBLOCK)
            except zmq.Again:
                pass
        silent = now - self._hb_last_echo > HB_INTERVAL * HB_MISSES
        if silent and self.kernel_answering:
            self.kernel_answering = False
            note(f"kernel is not answering heartbeats (silent for {now - self._hb_last_echo:.1f} s)")

    def _echo(self, now: float, note: Callable[[str], None]) -> None:
        while True:
            try:
                self.hb.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
        self._hb_last_echo = now
        if not self.kernel_answering:
            self.kernel_answering = True
            note("kernel is answering heartbeats again")

    def messages(self, deadline: float | None = None, note: Callable[[str], None] | None = None) -> Iterator[Message]:
        """Yield IOPub messages as they arrive until ``deadline`` (monotonic); bad ones are counted, logged."""
        say = note or (lambda text: None)
        while True:
            now = monotonic()
            if deadline is not None and now >= deadline:
                return
            self._heartbeat(now, say)
            wait = HB_INTERVAL if deadline is None else min(HB_INTERVAL, deadline - now)
            for sock, _ in self._poller.poll(max(1, int(wait * 1000))):
                if sock is self.hb:
                    self._echo(monotonic(), say)
                    continue
                while True:
                    try:
                        frames = self.iopub.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    try:
                        msg = self.codec.deserialize(frames)
                    except ProtocolError as e:
                        self.rejected += 1
                        say(f"ignored a bad message: {e}")
                        continue
                    # any signed message is a sign of life as good as an echo
                    self._echo(monotonic(), say)
                    yield msg


def run(
    info: ConnectionInfo,
    out: TextIO,
    err: TextIO,
    *,
    as_json: bool = False,
    count: int | None = None,
    timeout: float | None = None,
    types: list[str] | None = None,
) -> int:
    """Print messages to ``out`` (notes to ``err``) until ``count`` messages or ``timeout`` seconds."""
    fmt = format_json if as_json else format_text
    wanted = set(types) if types else None
    deadline = None if timeout is None else monotonic() + timeout
    shown = 0

    def note(text: str) -> None:
        print(f"ipykernel-lite monitor: {text}", file=err, flush=True)

    if count is not None and count <= 0:
        return 0
    with Monitor(info) as mon:
        for msg in mon.messages(deadline, note):
            if wanted is not None and msg.msg_type not in wanted:
                continue
            print(fmt(msg), file=out, flush=True)
            shown += 1
            if count is not None and shown >= count:
                break
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        info = read_connection_file(args.connection_file)
        curve_keys(info)  # a malformed key is reported here, before any socket exists
    except ProtocolError as e:
        print(f"ipykernel-lite monitor: {e}", file=sys.stderr)
        return 1
    try:
        return run(
            info, sys.stdout, sys.stderr, as_json=args.json, count=args.count, timeout=args.timeout, types=args.types
        )
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        # ``monitor ... | head``: the reader left, which is not an error of ours
        return 0
