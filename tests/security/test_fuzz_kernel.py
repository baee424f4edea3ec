"""Fuzzing a live kernel on every socket, then checking it still works.

At least 10 000 messages (random frames, forged and mutated messages, signed garbage) go to shell, control and
stdin, plus subscription noise to IOPub, random frames to the heartbeat and raw non-ZMTP bytes to every port.
Afterwards the kernel must answer kernel_info on shell and control, echo heartbeats, publish on IOPub to a new
subscriber, run code correctly, and must never have run any forged code.
"""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import zmq
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from . import fuzz_inputs as fi
from .conftest import Running, launch

#: thousands of generated messages: long, but kept in the default run and in CI
pytestmark = pytest.mark.slow

#: drawings per example (each sends one message, "random" one on each of three sockets) x examples: about
#: 14 000 messages; the test checks that at least TARGET were sent
BATCH = 45
EXAMPLES = 160
TARGET = 10_000
KINDS = ["random"] * 4 + ["forged"] * 4 + ["signed_parts"] * 2 + ["signed_content"] * 3 + ["iopub", "hb", "tcp"]


class Fuzzer:
    """The fuzzing sockets; a socket whose queue to the kernel is full is replaced by a fresh one."""

    def __init__(self, run: Running) -> None:
        self.run = run
        self.ctx = zmq.Context.instance()
        self.peer = run.peer(channels=("shell", "control", "stdin", "hb"))
        self.xsub = self.ctx.socket(zmq.XSUB)
        self.xsub.linger = 0
        self.xsub.connect(run.info.url("iopub"))
        self.sent: Counter[str] = Counter()
        self.frames = 0

    def close(self) -> None:
        self.peer.close()
        self.xsub.close(linger=0)

    def _replace(self, channel: str) -> zmq.Socket[Any]:
        # the kernel reads stdin only while user code waits for input: that queue fills up and stays full
        old = self.peer.sockets[channel]
        new = self.ctx.socket(old.type)
        new.linger = 0
        new.connect(self.run.info.url(channel))
        old.close(linger=0)
        self.peer.sockets[channel] = new
        self.sent["replaced-" + channel] += 1
        return new

    def send(self, channel: str, frames: list[bytes]) -> None:
        if channel == "iopub":
            try:
                self.xsub.send_multipart(frames, zmq.NOBLOCK)
            except zmq.Again:
                return
        else:
            sock = self.peer.sockets[channel]
            try:
                sock.send_multipart(frames, zmq.NOBLOCK)
            except zmq.Again:
                if channel in ("shell", "control"):
                    # always read: a full queue only means the kernel is busy; wait (bounded) for room
                    sock.setsockopt(zmq.SNDTIMEO, 30_000)
                    sock.send_multipart(frames)
                else:
                    self._replace(channel).send_multipart(frames, zmq.NOBLOCK)
        self.sent[channel] += 1
        self.frames += len(frames)

    def tcp(self, port: int, payload: bytes) -> None:
        with socket.create_connection((self.run.info.ip, port), timeout=5) as s:
            s.sendall(payload)
        self.sent["tcp"] += 1

    def drain(self) -> None:
        """Read and discard what the kernel sent back (replies, echoes), so nothing piles up here."""
        for sock in self.peer.sockets.values():
            while True:
                try:
                    sock.recv(zmq.NOBLOCK)
                except zmq.Again:
                    break

    @property
    def messages(self) -> int:
        return sum(n for k, n in self.sent.items() if not k.startswith("replaced-"))


@pytest.fixture(scope="module")
def fuzz_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    run = launch(tmp_path_factory.mktemp("fuzz"), extra_argv=("--max-message-size", str(1 << 16)))
    yield run
    run.stop()


def _one(data: st.DataObject, fz: Fuzzer) -> None:
    kind = data.draw(st.sampled_from(KINDS))
    channel = data.draw(st.sampled_from(["shell", "control", "stdin"]))
    if kind == "random":
        frames = fi.random_frames(data)
        # the same garbage on all three request sockets: three messages for one drawing
        for ch in ("shell", "control", "stdin"):
            fz.send(ch, frames)
    elif kind == "forged":
        fz.send(channel, fi.forged(data, fz.peer))
    elif kind == "signed_parts":
        fz.send(channel, fi.signed_parts(data, fz.peer))
    elif kind == "signed_content":
        fz.send(channel, fi.signed_content(data, fz.peer))
    elif kind == "iopub":
        fz.send("iopub", fi.subscription(data))
    elif kind == "hb":
        fz.send("hb", fi.random_frames(data))
    else:
        port = fz.run.info.port(data.draw(st.sampled_from(["shell", "control", "stdin", "iopub", "hb"])))
        fz.tcp(port, data.draw(st.binary(min_size=1, max_size=256)))


@pytest.mark.timeout(150)  # ~20 s alone on 2 cores; room for a machine shared with other test runs
def test_kernel_survives_ten_thousand_hostile_messages(fuzz_kernel: Running) -> None:
    fz = Fuzzer(fuzz_kernel)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=(Phase.generate,),  # a dead kernel makes shrinking meaningless; the failing batch is printed
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def batch(data: st.DataObject) -> None:
        # a fixed count: how much is drawn must not depend on what the sockets did
        for _ in range(BATCH):
            _one(data, fz)
        fz.drain()
        assert fuzz_kernel.km.is_alive(), f"the kernel died:\n{fuzz_kernel.km.log_tail()}"

    try:
        batch()
    finally:
        fz.close()
    print(f"sent {fz.messages} messages ({fz.frames} frames): {dict(fz.sent)}")
    assert fz.messages >= TARGET, fz.sent

    with fuzz_kernel.peer() as p:
        p.wait_ready(60)
        assert p.request("control", "kernel_info_request", {}, 30).content["status"] == "ok"
        assert p.ping(b"after-fuzz")
        rep, outputs = p.execute("after = 6 * 7\nprint(after)\nafter + 1", 60)
        assert rep.content["status"] == "ok"
        assert [m.content["text"] for m in outputs if m.msg_type == "stream"] == ["42\n"]
        [result] = [m for m in outputs if m.msg_type == "execute_result"]
        assert result.content["data"]["text/plain"] == "43"
        assert p.evaluate(f"{fi.SENTINEL!r} in globals()") == "False", "forged code ran"
    assert fuzz_kernel.km.is_alive()
    print("kernel log, by reason:", *_reasons(fuzz_kernel.log()), sep="\n  ")


def _reasons(log: str) -> list[str]:
    """Distinct log lines with ids and positions blurred, most frequent first (for the record in -s output)."""
    import re

    counts: Counter[str] = Counter()
    for line in log.splitlines():
        if line.startswith("[ipykernel_lite"):
            counts[re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", line))[:140]] += 1
    return [f"{n:6d}  {text}" for text, n in counts.most_common()]
