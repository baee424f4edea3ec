"""Restarts: same file and ports, a warm spare that makes them quick, an automatic policy with a limit."""

from __future__ import annotations

import json
import os
import signal

import pytest

from ipykernel_lite.client import KernelDied
from ipykernel_lite.client.restarter import RestartPolicy

from .conftest import MakeManager
from .helpers import EXIT_3, SEGFAULT, EventLog


def _ports(path: os.PathLike[str]) -> dict[str, int]:
    with open(path) as f:
        info = json.load(f)
    return {k: v for k, v in info.items() if k.endswith("_port")}


@pytest.mark.parametrize("now", [False, True], ids=["polite", "now"])
def test_warm_spare_restart_keeps_file_and_ports(make_km: MakeManager, now: bool) -> None:
    km = make_km(warm_spare=True)
    log = EventLog(km)
    before = _ports(km.connection_file)
    with km.client() as c:
        c.wait_for_ready(30)
        c.execute("x = 1", timeout=10)
        spare = km._launcher.spare
        assert spare is not None
        # the spare has imported the kernel while we worked: wait for it to be idle (blocked on its stdin)
        old_pid = km.pid
        km.restart(now=now)
        c.wait_for_ready(10)
        assert km.pid == spare.proc.pid != old_pid
        assert _ports(km.connection_file) == before
        assert c.execute("print('x' in globals())", timeout=10).stdout == "False\n"
        # a client that only reads the file finds the new kernel where the old one was
        (event,) = log.wait_for("restarted")
        assert event.pid == km.pid and not event.auto
        assert km._launcher.spare is not None and km._launcher.spare.proc.pid != km.pid


def test_warm_spare_with_new_ports(make_km: MakeManager) -> None:
    km = make_km(warm_spare=True)
    before = _ports(km.connection_file)
    with km.client() as c:
        c.wait_for_ready(30)
        km.restart(now=True, new_ports=True)
        after = _ports(km.connection_file)
        assert set(after.values()).isdisjoint(before.values())
        c.wait_for_ready(10)
        assert c.execute("print(1)", timeout=10).stdout == "1\n"


def test_spare_that_died_is_replaced_by_a_fresh_launch(make_km: MakeManager) -> None:
    km = make_km(warm_spare=True)
    spare = km._launcher.spare
    assert spare is not None
    os.kill(spare.proc.pid, signal.SIGKILL)
    spare.proc.wait(10)
    with km.client() as c:
        km.restart(now=True)
        c.wait_for_ready(30)
        assert km.pid != spare.proc.pid
        assert c.execute("print(2)", timeout=10).stdout == "2\n"


@pytest.mark.parametrize("warm_spare", [False, True], ids=["cold", "spare"])
def test_auto_restart_after_crash(make_km: MakeManager, warm_spare: bool) -> None:
    km = make_km(auto_restart=True, warm_spare=warm_spare)
    log = EventLog(km)
    before = _ports(km.connection_file)
    with km.client() as c:
        c.wait_for_ready(30)
        crashed_pid = km.pid
        with pytest.raises(KernelDied) as info:
            c.execute(SEGFAULT, timeout=20)
        assert info.value.signal == signal.SIGSEGV and info.value.pid == crashed_pid
        (died,) = log.wait_for("died")
        (restarted,) = log.wait_for("restarted")
        assert died.pid == crashed_pid and died.error is not None and died.error.signal == signal.SIGSEGV
        assert restarted.auto and restarted.pid == km.pid != crashed_pid
        assert km.last_death is not None and km.last_death.pid == crashed_pid
        c.wait_for_ready(30)
        assert _ports(km.connection_file) == before
        assert c.execute("print('again')", timeout=10).stdout == "again\n"


def test_request_in_flight_fails_even_if_the_new_kernel_is_up(make_km: MakeManager) -> None:
    """The replacement may be alive before the client looks: the lost request must still fail."""
    km = make_km(auto_restart=True, warm_spare=True)
    log = EventLog(km)
    with km.client() as c:
        c.wait_for_ready(30)
        msg_id = c.send("shell", "execute_request", {"code": EXIT_3, "silent": False})
        log.wait_for("restarted")
        assert km.is_alive()
        with pytest.raises(KernelDied) as info:
            c.collect(msg_id, timeout=20)
        assert info.value.exit_code == 3
        # the next request is not blamed for the old death
        c.wait_for_ready(30)
        assert c.execute("print(3)", timeout=10).stdout == "3\n"


def test_policy_gives_up_past_its_limit(make_km: MakeManager) -> None:
    km = make_km(auto_restart=RestartPolicy(max_restarts=2, window=60.0), warm_spare=True)
    log = EventLog(km)
    with km.client() as c:
        for n in range(3):
            c.wait_for_ready(30)
            with pytest.raises(KernelDied):
                c.execute(EXIT_3, timeout=20)
            log.wait_for("died", n + 1)
    (gave_up,) = log.wait_for("gave_up")
    assert len(log.named("restarted")) == 2
    assert gave_up.error is not None and gave_up.error.exit_code == 3
    assert not km.is_alive()
    # an explicit restart still works after the policy gave up
    km.restart()
    with km.client() as c:
        c.wait_for_ready(30)
        assert c.execute("print(4)", timeout=10).stdout == "4\n"


def test_policy_window_forgets_old_restarts() -> None:
    p = RestartPolicy(max_restarts=2, window=10.0)
    assert p.allow(0.0) and p.allow(1.0)
    assert not p.allow(2.0)
    assert p.allow(10.5)  # the restart at 0.0 left the window, the one at 1.0 has not
    assert p.recent == 2


def test_warm_spare_refuses_a_foreign_kernel(make_km: MakeManager) -> None:
    import sys

    from ipykernel_lite.client import KernelManager

    with pytest.raises(ValueError, match="warm_spare"):
        KernelManager([sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"], warm_spare=True)
