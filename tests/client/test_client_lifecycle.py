"""KernelManager against real kernels: interrupt, restart, shutdown escalation, death detection."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from client_kernels import KernelKind

from ipykernel_lite.client import BlockingClient, KernelDied, KernelManager, Message, start_kernel
from ipykernel_lite.protocol import read_connection_file

SLEEPER = "import time\nprint('sleeping', flush=True)\ntime.sleep(30)"


def _on_sleeping(action: object) -> object:
    """An output hook that runs ``action`` once, when the cell says it has started sleeping."""
    fired: list[float] = []

    def hook(m: Message) -> None:
        if not fired and m.msg_type == "stream" and "sleeping" in m.content.get("text", ""):
            fired.append(time.monotonic())
            action()  # type: ignore[operator]

    hook.fired = fired  # type: ignore[attr-defined]
    return hook


@pytest.mark.parametrize("how", ["signal", "message", "client"])
def test_interrupt_a_sleeping_cell(kind: KernelKind, tmp_path: Path, how: str) -> None:
    km = kind.manager(tmp_path, interrupt_mode="message" if how == "message" else "signal")
    km.start()
    kc = km.client()
    try:
        kc.wait_for_ready(30)
        # re-entrant on purpose for "client": the hook sends a control request while execute() waits
        hook = _on_sleeping(kc.interrupt if how == "client" else km.interrupt)
        # the cell sleeps 30 s and the call gives up after 20: an error reply means the interrupt ended it
        r = kc.execute(SLEEPER, output_hook=hook, timeout=20)  # type: ignore[arg-type,unused-ignore]
        assert r.status == "error"
        assert r.error is not None and r.error.ename == "KeyboardInterrupt"
        assert km.is_alive()
        assert kc.execute("1 + 1").result == {"text/plain": "2"}
    finally:
        kc.close()
        km.shutdown(timeout=2)


def test_restart_keeps_file_ports_and_clients(km: KernelManager, kc: BlockingClient) -> None:
    before = read_connection_file(km.connection_file).to_dict()
    pid = km.pid
    kc.execute("marker = 1").raise_for_error()
    km.restart()
    assert km.shutdown_stage == "request"
    assert km.is_alive() and km.pid != pid
    assert read_connection_file(km.connection_file).to_dict() == before
    kc.wait_for_ready(30)
    r = kc.execute("marker")
    assert r.error is not None and r.error.ename == "NameError"
    assert kc.execute("print('again')").stdout == "again\n"


def test_restart_now_with_new_ports(km: KernelManager, kc: BlockingClient) -> None:
    old = read_connection_file(km.connection_file)
    km.restart(now=True, new_ports=True)
    assert km.shutdown_stage == "kill"
    new = read_connection_file(km.connection_file)
    assert new.key == old.key
    assert new.shell_port != old.shell_port
    # the manager re-pointed its client
    assert kc.info.shell_port == new.shell_port
    kc.wait_for_ready(30)
    assert kc.execute("print('moved')").stdout == "moved\n"


def test_shutdown_is_polite_and_cleans_up(km: KernelManager, kc: BlockingClient) -> None:
    assert km.connection_file.exists()
    assert km.log_file is not None and km.log_file.exists()
    km.shutdown(timeout=10)
    assert km.shutdown_stage == "request"
    assert not km.is_alive() and km.returncode == 0
    assert not km.connection_file.exists()
    assert not km.log_file.exists()


def test_client_shutdown_request(km: KernelManager, kc: BlockingClient) -> None:
    reply = kc.shutdown()
    assert reply["status"] == "ok" and reply["restart"] is False
    km._proc.wait(10)  # type: ignore[union-attr]
    km.shutdown()
    assert km.shutdown_stage == "exited"
    assert not km.connection_file.exists()


@pytest.mark.parametrize("sigterm", ["honoured", "ignored"])
def test_shutdown_escalates(kind: KernelKind, km: KernelManager, kc: BlockingClient, sigterm: str) -> None:
    code = kind.deafen_shutdown
    if sigterm == "ignored":
        code += "\nimport signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)"
    kc.execute(code).raise_for_error()
    km.shutdown(timeout=0.5)
    # the stage that ended it and the signal it died of say which escalation step worked (how long each step
    # took is the bench's business, not a test's)
    if sigterm == "ignored":
        assert km.shutdown_stage == "kill"
        assert km.returncode == -signal.SIGKILL
    else:
        assert km.shutdown_stage == "terminate"
        assert km.returncode == -signal.SIGTERM
    assert not km.connection_file.exists()


def test_sigkill_during_execute_raises_kernel_died(km: KernelManager, kc: BlockingClient) -> None:
    pid = km.pid
    assert pid is not None
    hook = _on_sleeping(lambda: os.kill(pid, signal.SIGKILL))
    # KernelDied, not RequestTimeout: the death was noticed while the call still waited
    with pytest.raises(KernelDied) as ei:
        kc.execute(SLEEPER, output_hook=hook, timeout=20)  # type: ignore[arg-type]
    assert ei.value.signal == signal.SIGKILL
    assert ei.value.exit_code is None
    assert str(pid) in ei.value.reason


def test_heartbeat_notices_death_without_a_manager(km: KernelManager, kc: BlockingClient) -> None:
    pid = km.pid
    assert pid is not None
    with BlockingClient.from_connection_file(km.connection_file, heartbeat_interval=0.2) as raw:
        raw.wait_for_ready(30)
        assert raw.ping()
        hook = _on_sleeping(lambda: os.kill(pid, signal.SIGKILL))
        with pytest.raises(KernelDied) as ei:
            raw.execute(SLEEPER, output_hook=hook, timeout=20)  # type: ignore[arg-type]
        assert "heartbeat" in ei.value.reason
        assert ei.value.signal is None
        assert not raw.ping(timeout=0.2)


def test_exit_code_is_reported(km: KernelManager, kc: BlockingClient) -> None:
    with pytest.raises(KernelDied) as ei:
        kc.execute("import os; os._exit(3)", timeout=20)
    assert ei.value.exit_code == 3
    assert ei.value.signal is None
    with pytest.raises(KernelDied):
        kc.kernel_info()


def test_startup_crash_carries_its_traceback(kind: KernelKind, tmp_path: Path) -> None:
    # an ipc endpoint in a directory that does not exist: the kernel cannot bind and dies at startup
    km = kind.manager(tmp_path, transport="ipc", ip=str(tmp_path / "missing" / "kernel"))
    km.start()
    kc = km.client()
    try:
        with pytest.raises(KernelDied) as ei:
            kc.wait_for_ready(30)
        assert ei.value.exit_code not in (None, 0)
        assert ei.value.traceback is not None and "Traceback" in ei.value.traceback
    finally:
        kc.close()
        km.shutdown()


def test_ipc_transport(kind: KernelKind, tmp_path: Path) -> None:
    with kind.manager(tmp_path, transport="ipc") as km:
        assert km.info.transport == "ipc"
        with km.client() as kc:
            kc.wait_for_ready(30)
            assert kc.execute("print('over ipc')").stdout == "over ipc\n"
        endpoints = [Path(f"{km.info.ip}-{km.info.port(ch)}") for ch in ("shell", "iopub", "hb")]
    assert not km.connection_file.exists()
    assert not any(p.exists() for p in endpoints)


def test_start_kernel_and_context_manager(kind: KernelKind, tmp_path: Path) -> None:
    km, kc = start_kernel(kind.argv, connection_dir=tmp_path, env=kind.manager(tmp_path).env)
    with km, kc:
        assert km.is_alive()
        assert kc.execute("21 * 2").result == {"text/plain": "42"}
    assert not km.is_alive()
    assert not km.connection_file.exists()
