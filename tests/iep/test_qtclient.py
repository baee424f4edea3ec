"""QtKernelClient on a real kernel: messages as signals, held-back requests, stdin, pause, and the kernel's
lifecycle (death with its reason, restart, shutdown), all inside the Qt event loop."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from adapters.iep import KernelState, QtKernelClient
from ipykernel_lite.client import KernelManager

from .helpers import TIMEOUT_MS, wait_until


class Recorder:
    """Everything the client emitted, in order."""

    def __init__(self, client: QtKernelClient) -> None:
        self.events: list[tuple[Any, ...]] = []
        client.streamReceived.connect(lambda n, t: self.events.append(("stream", n, t)))
        client.executeReplied.connect(lambda i, c: self.events.append(("reply", i, c)))
        client.errorReceived.connect(lambda n, v, tb: self.events.append(("error", n, v)))
        client.resultReceived.connect(lambda n, d, m: self.events.append(("result", d)))
        client.stateChanged.connect(lambda s: self.events.append(("state", s)))
        client.kernelDied.connect(lambda r: self.events.append(("died", r)))
        client.replyReceived.connect(lambda t, i, c: self.events.append(("any-reply", t, i, c)))

    def reply(self, msg_id: str) -> dict[str, Any] | None:
        return next((e[2] for e in self.events if e[0] == "reply" and e[1] == msg_id), None)

    def stdout(self) -> str:
        return "".join(e[2] for e in self.events if e[0] == "stream" and e[1] == "stdout")


def test_requests_sent_while_starting_go_out_once_ready(qtbot: Any, manager: KernelManager) -> None:
    c = QtKernelClient(manager)
    rec = Recorder(c)
    try:
        c.start()
        assert c.state is KernelState.STARTING
        msg_id = c.execute("print('early'); 6 * 7")  # before the kernel even answered
        wait_until(qtbot, lambda: rec.reply(msg_id))
        assert rec.reply(msg_id)["status"] == "ok"  # type: ignore[index]
        assert rec.stdout() == "early\n"
        assert ("result", {"text/plain": "42"}) in rec.events
        # output that arrived before the reply is delivered before it
        kinds = [e[0] for e in rec.events if e[0] in ("stream", "reply")]
        assert kinds == ["stream", "reply"]
        assert c.kernel_info is not None and c.kernel_info["implementation"] == "ipykernel_lite"
    finally:
        c.close()


def test_input_request_and_reply(qtbot: Any, client: QtKernelClient) -> None:
    rec = Recorder(client)
    asked: list[tuple[str, bool, object]] = []

    def answer(prompt: str, password: bool, debug: object) -> None:
        asked.append((prompt, password, debug))
        client.input_reply("Ada")

    client.inputRequested.connect(answer)
    msg_id = client.execute("name = input('Name: ')\nprint('hello', name)")
    wait_until(qtbot, lambda: rec.reply(msg_id))
    assert asked == [("Name: ", False, None)]
    assert rec.stdout() == "hello Ada\n"
    assert not client.waiting_input


def test_complete_and_inspect_on_either_channel(qtbot: Any, client: QtKernelClient) -> None:
    rec = Recorder(client)
    ids = [client.complete("import os\nos.path.jo"), client.inspect("divmod(7, ", channel="control")]
    wait_until(qtbot, lambda: all(any(e[0] == "any-reply" and e[2] == i for e in rec.events) for i in ids))
    replies = {e[1]: e[3] for e in rec.events if e[0] == "any-reply"}
    assert "join" in replies["complete_reply"]["matches"]
    tip = replies["inspect_reply"]["metadata"]["calltip"]
    assert tip["name"] == "divmod" and tip["active_param"] == 1


def test_kill_reports_died_with_the_signal_then_restart(qtbot: Any, client: QtKernelClient) -> None:
    rec = Recorder(client)
    ok = client.execute("x = 1")
    wait_until(qtbot, lambda: rec.reply(ok))
    pid = client.manager.pid
    assert pid is not None
    with qtbot.waitSignal(client.kernelDied, timeout=TIMEOUT_MS) as died:
        os.kill(pid, signal.SIGKILL)
    assert "SIGKILL" in died.args[0]
    assert client.state is KernelState.DEAD
    assert client.death is not None and client.death.signal == signal.SIGKILL
    with pytest.raises(RuntimeError, match="dead"):
        client.execute("1")
    with qtbot.waitSignals([client.restarted, client.ready], timeout=TIMEOUT_MS):
        client.restart()
    assert client.manager.pid != pid
    msg_id = client.execute("print('x' in globals())")
    wait_until(qtbot, lambda: rec.reply(msg_id))
    assert rec.stdout().endswith("False\n")  # a fresh namespace


def test_polite_restart_and_shutdown(qtbot: Any, client: QtKernelClient) -> None:
    rec = Recorder(client)
    old = client.manager.pid
    with qtbot.waitSignals([client.restarted, client.ready], timeout=TIMEOUT_MS):
        client.restart()
    assert client.manager.pid != old
    assert client.manager.shutdown_stage == "request"  # it left on request, nobody had to kill it
    assert not any(e[0] == "died" for e in rec.events)
    cf = client.manager.connection_file
    with qtbot.waitSignal(client.stateChanged, timeout=TIMEOUT_MS, check_params_cb=lambda s: s == "stopped"):
        client.shutdown()
    assert not client.manager.is_alive()
    assert not Path(cf).exists()
    assert not any(e[0] == "died" for e in rec.events)


def test_interrupt_and_pause(qtbot: Any, client: QtKernelClient) -> None:
    rec = Recorder(client)
    msg_id = client.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(30)")
    wait_until(qtbot, lambda: "sleeping" in rec.stdout())
    client.interrupt()
    wait_until(qtbot, lambda: rec.reply(msg_id))
    assert ("error", "KeyboardInterrupt", "") in rec.events

    debug_states: list[object] = []
    client.inputRequested.connect(lambda p, pw, d: debug_states.append(d))
    loop = client.execute(
        "import time\nprint('looping', flush=True)\nfor i in range(3000):\n    time.sleep(0.01)\nprint('done', i)"
    )
    wait_until(qtbot, lambda: "looping" in rec.stdout())  # the loop runs: there is something to pause
    pause = client.pause()
    # the pause_reply (control) and the (Pdb) prompt (stdin) come on different sockets, in either order
    wait_until(qtbot, lambda: debug_states and any(e[0] == "any-reply" and e[2] == pause for e in rec.events))
    paused = next(e[3] for e in rec.events if e[0] == "any-reply" and e[2] == pause)
    assert paused == {"status": "ok", "paused": True}
    frame = debug_states[0]["frame"]  # type: ignore[index]
    assert frame["function"] == "<module>" and frame["line"] in (3, 4)
    client.input_reply("q")
    wait_until(qtbot, lambda: rec.reply(loop))
    assert "done" not in rec.stdout()  # q ended the cell there
    idle_pause = client.pause()
    wait_until(qtbot, lambda: any(e[0] == "any-reply" and e[2] == idle_pause for e in rec.events))
    assert next(e[3] for e in rec.events if e[0] == "any-reply" and e[2] == idle_pause)["paused"] is False


def test_kernel_that_exits_at_start_reports_why(qtbot: Any, tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "raise SystemExit(3)"]
    c = QtKernelClient(KernelManager(argv, connection_dir=tmp_path))
    try:
        with qtbot.waitSignal(c.kernelDied, timeout=TIMEOUT_MS) as died:
            c.start()
        assert "exited with code 3" in died.args[0]
        assert c.state is KernelState.DEAD
    finally:
        c.close()


def test_kernel_that_never_answers_times_out_and_restart_kills_it(qtbot: Any, tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(60)"]
    c = QtKernelClient(KernelManager(argv, connection_dir=tmp_path), ready_timeout=0.5, restart_grace=0.2)
    try:
        with qtbot.waitSignal(c.kernelDied, timeout=TIMEOUT_MS) as died:
            c.start()
        assert "did not become ready within 0.5 s" in died.args[0]
        first = c.manager.pid
        with qtbot.waitSignal(c.kernelDied, timeout=TIMEOUT_MS):
            c.restart()  # the silent process is stopped after the grace, a new one times out too
        assert c.manager.pid != first
        assert c.manager.shutdown_stage in ("terminate", "kill")  # it ignored the request
    finally:
        c.close()
    assert not c.manager.is_alive()
