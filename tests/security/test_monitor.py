"""``ipykernel-lite monitor``: a read-only watcher of a kernel's IOPub, tested against real kernels driven by a
second client, and against a fake publisher for what it must not print."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import zmq

from ipykernel_lite import monitor
from ipykernel_lite.client import BlockingClient
from ipykernel_lite.protocol import ConnectionInfo, Message, MessageFactory, Signer, WireCodec
from ipykernel_lite.protocol.connection import write_connection_file

from .conftest import Running, launch


class Lines:
    """A child's output stream read line by line on a thread, so tests wait with a deadline, never forever."""

    def __init__(self, stream: IO[str]) -> None:
        self.q: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []

        def pump() -> None:
            for line in stream:
                self.q.put(line.rstrip("\n"))
            self.q.put(None)

        self.thread = threading.Thread(target=pump, daemon=True)
        self.thread.start()

    def until(self, pred: Callable[[str], bool], timeout: float = 20.0) -> str:
        while True:
            try:
                line = self.q.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no matching line within {timeout} s; got:\n" + "\n".join(self.seen)) from None
            if line is None:
                raise AssertionError("the stream ended; got:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if pred(line):
                return line


class MonitorProcess:
    def __init__(self, connection_file: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ipykernel_lite", "monitor", str(connection_file), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.out = Lines(self.proc.stdout)
        self.err = Lines(self.proc.stderr)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # Ctrl-C is the normal way to leave: exit code 0
        return self.proc.wait(20)

    def close(self) -> None:
        """The process has ended: let the readers reach EOF, then close the pipes."""
        for lines in (self.out, self.err):
            lines.thread.join(10)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def kernel(tmp_path: Path) -> Iterator[Running]:
    run = launch(tmp_path)
    yield run
    run.stop()


@pytest.fixture
def monitors() -> Iterator[list[MonitorProcess]]:
    started: list[MonitorProcess] = []
    yield started
    for m in started:
        if m.proc.poll() is None:
            m.proc.kill()
            m.proc.wait(10)
        m.close()


def _subscribed_json(line: str) -> bool:
    return json.loads(line)["msg_type"] == "iopub_welcome"


def test_json_mode_shows_another_clients_execution_live(
    kernel: Running, monitors: list[MonitorProcess], tmp_path: Path
) -> None:
    mon = MonitorProcess(kernel.km.connection_file, "--json")
    monitors.append(mon)
    mon.out.until(_subscribed_json)  # its own subscription's welcome: from here on it misses nothing
    with BlockingClient(kernel.info) as other:
        other.wait_for_ready(30)
        first = other.execute("print('from the other client')\n6 * 7", timeout=30)
        second = other.execute("1 / 0", timeout=30)
        session = other.session
    records: list[dict[str, Any]] = []

    def collect(line: str) -> bool:
        rec = json.loads(line)
        records.append(rec)
        return rec["parent_msg_id"] == second.msg_id and rec["content"].get("execution_state") == "idle"

    mon.out.until(collect)
    assert mon.stop() == 0
    mine = [r for r in records if r["parent_msg_id"] == first.msg_id]
    assert [r["msg_type"] for r in mine] == ["status", "execute_input", "stream", "execute_result", "status"]
    assert all(r["parent_header"]["session"] == session and r["channel"] == "iopub" for r in mine)
    assert mine[2]["content"] == {"name": "stdout", "text": "from the other client\n"}
    assert mine[3]["content"]["data"]["text/plain"] == "42"
    errors = [r for r in records if r["parent_msg_id"] == second.msg_id and r["msg_type"] == "error"]
    assert [e["content"]["ename"] for e in errors] == ["ZeroDivisionError"]


def test_text_mode_says_who_caused_what(kernel: Running, monitors: list[MonitorProcess]) -> None:
    mon = MonitorProcess(kernel.km.connection_file)
    monitors.append(mon)
    mon.out.until(lambda line: "[kernel] iopub_welcome" in line)
    with BlockingClient(kernel.info) as other:
        other.wait_for_ready(30)
        other.execute("print('a\\nb')\n'x' * 3", timeout=30)
        who = f"[{other.session[:8]} execute_request]"
    mon.out.until(lambda line: who in line and line.endswith("status idle"))
    shown = [line.split(" ", 1)[1] for line in mon.out.seen if who in line]
    assert shown == [
        f"{who} status busy",
        f"{who} execute_input [1] print('a\\nb')\\n'x' * 3",
        f"{who} stream stdout: a\\nb\\n",
        f"{who} execute_result [1] 'xxx'",
        f"{who} status idle",
    ]
    assert mon.stop() == 0


def test_count_type_filter_and_timeout_end_it_on_their_own(kernel: Running, monitors: list[MonitorProcess]) -> None:
    counted = MonitorProcess(kernel.km.connection_file, "--json", "--type", "stream", "-n", "1")
    timed = MonitorProcess(kernel.km.connection_file, "--timeout", "0.5")
    monitors += [counted, timed]
    with kernel.peer() as p:
        p.wait_ready()
        # the filter hides the welcome that would say "subscribed": print until the monitor has seen one
        for _ in range(100):
            p.execute("print('only this')")
            try:
                counted.proc.wait(0.2)
                break
            except subprocess.TimeoutExpired:
                continue
    assert counted.proc.wait(20) == 0
    line = counted.out.until(lambda line: True)
    assert json.loads(line)["content"] == {"name": "stdout", "text": "only this\n"}
    assert counted.out.q.get(timeout=20) is None, "more than --count messages"
    assert timed.proc.wait(20) == 0


def test_monitor_sends_no_request(kernel: Running) -> None:
    """Read-only by construction: a SUB on IOPub and a heartbeat probe, nothing on shell, control or stdin."""
    with monitor.Monitor(kernel.info) as mon:
        assert mon.iopub.type == zmq.SUB and mon.hb.type == zmq.DEALER
        endpoints = {s.getsockopt_string(zmq.LAST_ENDPOINT) for s in (mon.iopub, mon.hb)}
        assert endpoints == {kernel.info.url("iopub"), kernel.info.url("hb")}


def test_monitor_speaks_curve(tmp_path: Path, monitors: list[MonitorProcess]) -> None:
    run = launch(tmp_path, curve=True)
    try:
        mon = MonitorProcess(run.km.connection_file, "--json")
        monitors.append(mon)
        mon.out.until(_subscribed_json)
        with run.peer() as p:
            p.wait_ready()
            p.execute("print('secret output')")
        mon.out.until(lambda line: "secret output" in line)
        assert mon.stop() == 0
    finally:
        run.stop()


def test_monitor_notices_a_dead_kernel(kernel: Running, monitors: list[MonitorProcess]) -> None:
    mon = MonitorProcess(kernel.km.connection_file)
    monitors.append(mon)
    mon.out.until(lambda line: "iopub_welcome" in line)
    pid = kernel.km.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    mon.err.until(lambda line: "not answering heartbeats" in line, timeout=30)
    assert mon.stop() == 0


def test_bad_connection_file_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert monitor.main([str(bad)]) == 1
    assert "cannot read connection file" in capsys.readouterr().err
    keyless = tmp_path / "half.json"
    keyless.write_text(json.dumps({**ConnectionInfo().to_dict(), "curve_publickey": "x" * 40}))
    assert monitor.main([str(keyless)]) == 1
    assert "no curve_secretkey" in capsys.readouterr().err


def test_forged_iopub_messages_are_not_shown(tmp_path: Path, monitors: list[MonitorProcess]) -> None:
    """A publisher that is not the key holder (a fake kernel here) cannot make the monitor print anything."""
    ctx = zmq.Context.instance()
    pub, hb = ctx.socket(zmq.XPUB), ctx.socket(zmq.ROUTER)
    pub.linger = hb.linger = 0
    info = ConnectionInfo(iopub_port=pub.bind_to_random_port("tcp://127.0.0.1"))
    info.hb_port = hb.bind_to_random_port("tcp://127.0.0.1")
    path = Path(write_connection_file(tmp_path / "fake.json", info))
    honest = WireCodec(Signer(info.key))
    forger = WireCodec(Signer("not the key"))
    factory = MessageFactory()
    try:
        mon = MonitorProcess(path, "--json")
        monitors.append(mon)
        assert pub.poll(20_000), "the monitor never subscribed"
        pub.recv()

        def publish(codec: WireCodec, text: str) -> None:
            msg: Message = factory.message("stream", {"name": "stdout", "text": text}, identities=[b"t"])
            pub.send_multipart(codec.serialize(msg))

        publish(forger, "forged")
        pub.send_multipart([b"t", b"garbage"])
        publish(honest, "genuine")
        line = mon.out.until(lambda line: True)
        assert json.loads(line)["content"]["text"] == "genuine"
        mon.err.until(lambda line: "ignored a bad message: invalid signature" in line)
        mon.err.until(lambda line: "ignored a bad message: no <IDS|MSG> delimiter" in line)
        assert mon.stop() == 0
    finally:
        pub.close(linger=0)
        hb.close(linger=0)


def test_text_formatting_of_each_kind() -> None:
    f = MessageFactory(session="abcdef0123456789")
    parent = f.message("execute_request", {"code": "x"})

    def text(msg_type: str, content: dict[str, Any]) -> str:
        return monitor.format_text(f.message(msg_type, content, parent)).split(" ", 1)[1]

    head = "[abcdef01 execute_request]"
    assert text("status", {"execution_state": "busy"}) == f"{head} status busy"
    assert text("error", {"ename": "E", "evalue": "v", "traceback": []}) == f"{head} error E: v"
    assert text("display_data", {"data": {"text/plain": "p", "image/png": "..."}}) == (
        f"{head} display_data p (+image/png)"
    )
    assert text("clear_output", {"wait": True}) == f"{head} clear_output wait=True"
    assert text("comm_msg", {"comm_id": "c1", "data": {}}) == f"{head} comm_msg comm_id=c1"
    long = text("stream", {"name": "stdout", "text": "y" * 1000})
    assert len(long) < 250 and long.endswith("…")
    assert monitor.format_text(f.message("status", {"execution_state": "idle"})).split(" ", 1)[1] == (
        "[kernel] status idle"
    )
