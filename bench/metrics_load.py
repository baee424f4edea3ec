"""The load driver: many clients executing at once while one client prints a flood, against a kernel process.

One thread drives every socket through one poller, so the kernel sees requests from all clients interleaved
(each keeps ``window`` executes in flight) without a GIL fight among client threads on a small machine. Every
reply is checked: its parent msg_id must be one this client sent and not yet answered, its session this client's,
and its ``user_expressions`` must echo the token of that very request. IOPub is read as a real front end would
subscribe (everything) but only counted: a slow subscriber losing IOPub is the kernel's documented policy
(docs/load.md), a lost or misrouted reply is a bug.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import zmq

from bench.kernels import KernelSpec, unstarted_kernel
from bench.registry import Measurement, MetricError, RunContext, metric
from bench.session import dead_or

DELIM = b"<IDS|MSG>"
#: one printed line; the kernel batches lines into stream messages (64 KiB for ipykernel_lite)
LINE = "x" * 1023 + "\n"
#: how long the flood's idle status is waited for once its reply is in (seconds)
IOPUB_GRACE = 2.0


@dataclass
class LoadResult:
    sent: int = 0
    replies: int = 0
    lost: int = 0
    misrouted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: own ``idle`` statuses seen by the executing clients / expected
    idles_seen: int = 0
    #: stream bytes of the flood cell that reached the printing client / printed
    printed: int = 0
    delivered: int = 0
    print_status: str = ""
    peak_rss_mib: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.lost and not self.misrouted and not self.failed and self.print_status == "ok"

    def summary(self) -> str:
        return (
            f"{self.replies}/{self.sent} replies, {len(self.misrouted)} misrouted, {self.lost} lost; "
            f"IOPub idle {self.idles_seen}/{self.sent}; flood {self.delivered / 2**20:.0f} of "
            f"{self.printed / 2**20:.0f} MiB delivered; peak RSS {self.peak_rss_mib:.0f} MiB in {self.seconds:.1f} s"
        )


class _Signer:
    def __init__(self, info: dict[str, Any]) -> None:
        key = info.get("key", b"")
        self.key = key.encode() if isinstance(key, str) else bytes(key)

    def sign(self, parts: list[bytes]) -> bytes:
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        return mac.hexdigest().encode()


class LoadClient:
    def __init__(self, ctx: zmq.Context[Any], info: dict[str, Any], signer: _Signer, name: str) -> None:
        self.name = name
        self.session = uuid.uuid4().hex
        self.signer = signer
        url = f"{info.get('transport', 'tcp')}://{info['ip']}:"
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.setsockopt(zmq.IDENTITY, self.session.encode())
        self.shell.connect(url + str(info["shell_port"]))
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.linger = 0
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(url + str(info["iopub_port"]))
        #: msg_id -> expected token, for requests in flight
        self.pending: dict[str, str] = {}
        #: every execute sent (their IOPub statuses are counted)
        self.executed: set[str] = set()
        self.next_index = 0
        self.iopub_seen = False

    def send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": "load",
            "date": datetime.now(timezone.utc).isoformat(),
            "version": "5.4",
        }
        parts = [json.dumps(header).encode(), b"{}", b"{}", json.dumps(content).encode()]
        self.shell.send_multipart([DELIM, self.signer.sign(parts), *parts])
        return msg_id

    def execute(self, code: str, token: str = "") -> str:
        exprs = {"t": repr(token)} if token else {}
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": exprs,
                   "allow_stdin": False, "stop_on_error": False}  # fmt: skip
        msg_id = self.send("execute_request", content)
        self.pending[msg_id] = token
        self.executed.add(msg_id)
        return msg_id

    def close(self) -> None:
        self.shell.close(linger=0)
        self.iopub.close(linger=0)


def _split(frames: list[bytes]) -> list[bytes]:
    return frames[frames.index(DELIM) + 2 :]  # header, parent, metadata, content, *buffers


def _rss_mib(pid: int, field_name: str = "VmHWM") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def handshake(clients: list[LoadClient], timeout: float) -> None:
    """kernel_info from every client until each has a reply and some IOPub message (subscription live); every
    kernel_info sent is answered before this returns, so no stale reply is mistaken for a misrouted one."""
    deadline = time.monotonic() + timeout
    poller = zmq.Poller()
    for c in clients:
        poller.register(c.shell, zmq.POLLIN)
        poller.register(c.iopub, zmq.POLLIN)
    role = {s: c for c in clients for s in (c.shell, c.iopub)}
    asked: dict[LoadClient, int] = {c: 0 for c in clients}
    answered: dict[LoadClient, int] = {c: 0 for c in clients}
    last_ask = 0.0
    while not all(answered[c] and c.iopub_seen and answered[c] == asked[c] for c in clients):
        now = time.monotonic()
        if now > deadline:
            raise TimeoutError(f"kernel not ready within {timeout:g} s")
        if now - last_ask > 0.5:
            last_ask = now
            for c in clients:
                if not (answered[c] and c.iopub_seen):
                    c.send("kernel_info_request", {})
                    asked[c] += 1
        for sock, _ in poller.poll(100):
            c = role[sock]
            while True:
                try:
                    sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                if sock is c.iopub:
                    c.iopub_seen = True
                else:
                    answered[c] += 1


def run_load(
    info: dict[str, Any],
    kernel_pid: int,
    *,
    clients: int = 10,
    executes: int = 1000,
    window: int = 20,
    print_bytes: int = 2**30,
    timeout: float = 600.0,
) -> LoadResult:
    """Run the load against the kernel at ``info``; raise TimeoutError if it does not finish in ``timeout``."""
    ctx: zmq.Context[Any] = zmq.Context()
    signer = _Signer(info)
    workers = [LoadClient(ctx, info, signer, f"c{i}") for i in range(clients)]
    printer = LoadClient(ctx, info, signer, "printer")
    everyone = [*workers, printer]
    result = LoadResult()
    try:
        handshake(everyone, timeout=60)
        started = time.monotonic()
        lines = print_bytes // len(LINE)
        result.printed = lines * len(LINE)
        flood = printer.execute(f"import sys\nline = {LINE!r}\nfor _ in range({lines}):\n    sys.stdout.write(line)")
        for c in workers:
            for _ in range(min(window, executes)):
                _send_next(c, result)
        _drive(everyone, printer, flood, executes, window, result, started + timeout)
        result.seconds = time.monotonic() - started
        result.lost = sum(len(c.pending) for c in workers)
        result.peak_rss_mib = _rss_mib(kernel_pid)
    finally:
        for c in everyone:
            c.close()
        ctx.term()
    return result


def _send_next(c: LoadClient, result: LoadResult) -> None:
    token = f"{c.name}-{c.next_index}"
    c.next_index += 1
    c.execute("pass", token)
    result.sent += 1


def _drive(
    everyone: list[LoadClient],
    printer: LoadClient,
    flood: str,
    executes: int,
    window: int,
    result: LoadResult,
    deadline: float,
) -> None:
    poller = zmq.Poller()
    role: dict[zmq.Socket[Any], tuple[LoadClient, str]] = {}
    for c in everyone:
        for sock, kind in ((c.shell, "shell"), (c.iopub, "iopub")):
            poller.register(sock, zmq.POLLIN)
            role[sock] = (c, kind)
    flood_idle = False
    #: when the flood's reply arrived: its idle may be lost with a slow subscriber's queue, the reply is the
    #: authority, so IOPub gets this long after it
    flood_replied = float("inf")

    def finished() -> bool:
        workers_done = all(not c.pending and c.next_index >= executes for c in everyone if c is not printer)
        flood_done = flood_idle or time.monotonic() - flood_replied > IOPUB_GRACE
        return workers_done and not printer.pending and flood_done

    while not finished():
        if time.monotonic() > deadline:
            raise TimeoutError(f"load not finished: {result.summary()}")
        for sock, _ in poller.poll(100):
            c, kind = role[sock]
            while True:
                try:
                    frames = sock.recv_multipart(zmq.NOBLOCK, copy=False)
                except zmq.Again:
                    break
                if kind == "shell":
                    _on_reply(c, [f.bytes for f in frames], result)
                    if c is printer:
                        flood_replied = time.monotonic()
                    elif c.next_index < executes:
                        _send_next(c, result)
                elif _on_iopub(c, frames, printer, flood, result):
                    flood_idle = True


def _on_reply(c: LoadClient, raw: list[bytes], result: LoadResult) -> None:
    header, parent, _md, content = (json.loads(p) for p in _split(raw)[:4])
    msg_id = parent.get("msg_id")
    if msg_id not in c.pending or parent.get("session") != c.session:
        result.misrouted.append(f"{c.name} got a reply to {msg_id} (session {parent.get('session')})")
        return
    token = c.pending.pop(msg_id)
    result.replies += 1
    if header.get("msg_type") != "execute_reply" or content.get("status") != "ok":
        result.failed.append(f"{c.name}: {content.get('status')} {content.get('ename', '')}")
        if not token:
            result.print_status = str(content.get("status"))
        return
    if not token:
        result.print_status = "ok"
        return
    echoed = content.get("user_expressions", {}).get("t", {}).get("data", {}).get("text/plain")
    if echoed != repr(token):
        result.misrouted.append(f"{c.name} expected {token!r}, reply carried {echoed!r}")


def _on_iopub(c: LoadClient, frames: list[zmq.Frame], printer: LoadClient, flood: str, result: LoadResult) -> bool:
    """Count one IOPub message; True if it is the flood's idle status seen by the printer."""
    topic = frames[0].bytes
    is_stream = b"stream." in topic
    if is_stream and c is not printer:
        return False  # another client's flood: read (as a front end would) but not decoded
    raw = [f.bytes for f in frames]
    parts = _split(raw)
    parent = json.loads(parts[1])
    if parent.get("msg_id") not in c.executed:
        return False
    if is_stream:
        if parent.get("msg_id") == flood:
            result.delivered += len(json.loads(parts[3]).get("text", ""))
        return False
    header = json.loads(parts[0])
    if header.get("msg_type") == "status" and json.loads(parts[3]).get("execution_state") == "idle":
        if c is printer:
            return parent.get("msg_id") == flood
        result.idles_seen += 1
    return False


def measure(spec: KernelSpec, *, clients: int, executes: int, print_bytes: int, timeout: float) -> LoadResult:
    """Start ``spec``'s kernel, run the load, kill the kernel."""
    with unstarted_kernel(spec) as (kernel, info):
        kernel.start()
        try:
            return run_load(
                info, kernel.pid, clients=clients, executes=executes, print_bytes=print_bytes, timeout=timeout
            )
        except TimeoutError as exc:
            raise dead_or(kernel, str(exc)) from None
        finally:
            if not kernel.alive():
                raise dead_or(kernel, "the kernel died under load")


@metric("load", better="lower", unit="MiB")
def load(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """10 clients x 1000 executes while one prints 1 GiB: peak kernel RSS; any lost or misrouted reply fails."""
    r = measure(
        spec,
        clients=10,
        executes=ctx.n(1000, 100),
        print_bytes=ctx.n(2**30, 64 * 2**20),
        timeout=ctx.n(900, 120),
    )
    if not r.ok:
        problems = [*r.misrouted[:2], *r.failed[:2]]
        raise MetricError(f"{r.summary()}; {'; '.join(problems)}")
    return Measurement(r.peak_rss_mib, "MiB", f"VmHWM; {r.summary()}")
