"""Every way a kernel dies is reported promptly, to the manager's listeners and to every pending call."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from ipykernel_lite.client import BlockingClient, KernelDied, KernelManager

from .conftest import MakeManager
from .helpers import EXIT_3, SEGFAULT, EventLog


def test_sigkill_is_an_event(km: KernelManager, kc: BlockingClient) -> None:
    log = EventLog(km)
    os.kill(km.pid or 0, signal.SIGKILL)
    (died,) = log.wait_for("died", timeout=30)
    assert died.error is not None and died.error.signal == signal.SIGKILL
    assert not log.named("restarted"), "no restart without auto_restart"


@pytest.mark.parametrize(
    ("code", "exit_code", "sig"),
    [(EXIT_3, 3, None), (SEGFAULT, None, signal.SIGSEGV), ("import os; os.abort()", None, signal.SIGABRT)],
    ids=["os._exit(3)", "segfault", "abort"],
)
def test_dying_cell_raises_kernel_died(
    km: KernelManager, kc: BlockingClient, code: str, exit_code: int | None, sig: int | None
) -> None:
    with pytest.raises(KernelDied) as info:
        kc.execute(code, timeout=20)
    died = info.value
    assert (died.exit_code, died.signal, died.pid) == (exit_code, sig, km.pid)
    if sig is not None:
        # faulthandler's report: the fatal error and the user's frame that caused it
        assert died.traceback is not None
        assert "Fatal Python error" in died.traceback
        assert "<cell-" in died.traceback, died.traceback
    else:
        assert died.traceback is None  # os._exit leaves no traceback to show


def test_every_pending_call_fails(km: KernelManager, kc: BlockingClient) -> None:
    """One client runs a cell, another waits for a completion queued behind it: a SIGKILL fails both."""
    other = km.client()
    other.wait_for_ready(30)
    kc.send("shell", "execute_request", {"code": "import time; time.sleep(60)", "silent": False})
    errors: list[BaseException] = []

    def complete() -> None:
        try:
            other.complete("impo", timeout=30)
        except BaseException as e:
            errors.append(e)

    t = threading.Thread(target=complete)
    t.start()
    # the cell runs once its busy status is out; the completion then sits in the shell queue
    msg = kc.recv("iopub", timeout=10)
    while msg is not None and msg.content.get("execution_state") != "busy":
        msg = kc.recv("iopub", timeout=10)
    os.kill(km.pid or 0, signal.SIGKILL)
    with pytest.raises(KernelDied):
        kc.execute("1", timeout=20)
    t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], KernelDied), errors
    assert errors[0].signal == signal.SIGKILL
    other.close()


def test_heartbeat_client_sees_death_within_3_misses(km: KernelManager, kc: BlockingClient) -> None:
    """A client attached from the connection file alone (no process to watch) relies on heartbeats."""
    interval = 0.3
    with BlockingClient(km.connection_file, heartbeat_interval=interval) as remote:
        remote.wait_for_ready(30)
        remote.send("shell", "execute_request", {"code": "import time; time.sleep(60)"})
        os.kill(km.pid or 0, signal.SIGKILL)
        # the heartbeat, not the execute's own timeout, ends the wait
        with pytest.raises(KernelDied, match="missed 3 heartbeats"):
            remote.execute("1", timeout=300)


def test_oom_memory_error_is_survived(kc: BlockingClient) -> None:
    """A kernel limited by RLIMIT_AS gets MemoryError for a huge allocation and stays usable."""
    code = (
        "import resource\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_AS)\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, hard))\n"
        "try:\n"
        "    block = bytearray(8 * 1024**3)\n"
        "finally:\n"
        "    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))\n"
    )
    result = kc.execute(code, timeout=30)
    assert result.status == "error" and result.error is not None
    assert result.error.ename == "MemoryError"
    assert kc.execute("print(6 * 7)", timeout=10).stdout == "42\n"


def test_oom_killer_is_sigkill(make_km: MakeManager) -> None:
    """The kernel OOM killer sends SIGKILL: simulated by sending it while a cell allocates."""
    km = make_km(auto_restart=True)
    log = EventLog(km)
    with km.client() as c:
        c.wait_for_ready(30)
        grow = "blocks = []\nwhile True: blocks.append(bytearray(10**6)); blocks = blocks[-50:]"
        c.send("shell", "execute_request", {"code": grow})
        os.kill(km.pid or 0, signal.SIGKILL)
        with pytest.raises(KernelDied, match="SIGKILL"):
            c.execute("1", timeout=20)
        log.wait_for("restarted")
        c.wait_for_ready(30)
        assert c.execute("print('back')", timeout=10).stdout == "back\n"


def test_no_files_left_behind(make_km: MakeManager, tmp_path: Path) -> None:
    km = make_km(warm_spare=True, auto_restart=True)
    log = EventLog(km)
    with km.client() as c:
        c.wait_for_ready(30)
        with pytest.raises(KernelDied):
            c.execute(SEGFAULT, timeout=20)
        log.wait_for("restarted")
        c.wait_for_ready(30)
    spare = km._launcher.spare
    assert spare is not None
    km.shutdown(timeout=2.0)
    assert spare.proc.returncode is not None
    assert list(tmp_path.iterdir()) == []
