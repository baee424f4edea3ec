"""Drive a real kernel through one client stack and interrupt one cell when it has started.

``Driver.run`` sends a cell, waits for its trigger (a stream saying ``go`` or an ``input_request``), interrupts
the kernel the way the sender does, and returns how the cell ended. Every wait is bounded by the execute
timeout; nothing sleeps on a clock.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipykernel_lite.client import KernelManager
from ipykernel_lite.kernelspec import kernel_json

REPO = Path(__file__).resolve().parents[2]
ARGV = {
    "lite": [sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"],
    "ipykernel": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
}
TIMEOUT = 30.0
#: message-mode interrupts of C code holding the GIL need the control wake-up, opt-in (docs/interrupts.md)
WAKE_ENV = {"IPYKERNEL_LITE_CONTROL_WAKE": "1"}


@dataclass
class Outcome:
    status: str
    ename: str | None
    stdout: str
    user_expressions: dict[str, Any] = field(default_factory=dict)
    interrupts: int = 0


def write_specs(root: Path) -> Path:
    """Kernelspecs for both kernels in both interrupt modes, for jupyter_client; returns the JUPYTER_PATH entry."""
    for kind in ARGV:
        for mode in ("signal", "message"):
            spec = kernel_json(f"{kind} ({mode})")
            spec["argv"] = ARGV[kind]
            spec["interrupt_mode"] = mode
            spec["env"] = dict(WAKE_ENV)
            d = root / "kernels" / f"{kind}_{mode}"
            d.mkdir(parents=True, exist_ok=True)
            (d / "kernel.json").write_text(json.dumps(spec))
    return root


class Driver:
    """One kernel; subclasses bind it to a client stack and an interrupt sender."""

    name = ""

    def run(
        self, code: str, *, trigger: str = "go", user_expressions: dict[str, str] | None = None,
        in_sleep: bool = False,
    ) -> Outcome:
        raise NotImplementedError

    def execute(self, code: str) -> Outcome:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def wait_until_in_sleep(pid: int | None) -> None:
    """Until the kernel's main thread (its thread id is the process id) sleeps in the kernel's nanosleep.

    A SIGINT that lands in the microseconds between the interpreter's last signal check and the start of a
    blocking call made by C code *holding the GIL* runs CPython's C handler, and nothing can run it again: the
    re-sender thread needs the GIL (docs/interrupts.md). A cell printing 'go' just before the call puts the
    interrupt right there now and then on a loaded machine (once in ~2000 runs beside two CPU hogs here; none
    in 6000 when sent after this wait). Elsewhere than Linux: no wait.
    """
    wchan = Path(f"/proc/{pid}/wchan")
    pause = threading.Event()
    for _ in range(int(TIMEOUT / 0.002)):
        try:
            if "nanosleep" in wchan.read_text():
                return
        except OSError:
            return
        pause.wait(0.002)


class _Once:
    """Interrupts once from a helper thread (the hook runs inside the client's receive loop)."""

    def __init__(self, interrupt: Any, before: Any = None) -> None:
        self._interrupt = interrupt
        self._before = before
        self.count = 0
        self._threads: list[threading.Thread] = []

    def fire(self) -> None:
        if self.count:
            return
        self.count += 1
        t = threading.Thread(target=self._interrupt_then_close_loop, daemon=True)
        t.start()
        self._threads.append(t)

    def _interrupt_then_close_loop(self) -> None:
        try:
            if self._before is not None:
                self._before()
            self._interrupt()
        finally:
            # jupyter_client's sync KernelManager runs its coroutines on an event loop it makes for this thread
            # and never closes: close it here, or the garbage collector reports it in some later test
            import asyncio

            try:
                loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:
                loop = None
            if loop is not None and not loop.is_running():
                loop.close()
            asyncio.set_event_loop(None)

    def join(self) -> None:
        for t in self._threads:
            t.join(TIMEOUT)


class OurClient(Driver):
    """Our KernelManager + BlockingClient: ``signal`` (SIGINT to the group) or ``message`` (interrupt_request)."""

    def __init__(self, kind: str, mode: str, tmp: Path) -> None:
        self.name = f"ours-{mode}"
        env = {"PYTHONPATH": str(REPO), **WAKE_ENV}
        self.km = KernelManager(ARGV[kind], connection_dir=tmp, env=env, interrupt_mode=mode)  # type: ignore[arg-type]
        self.km.start()
        self.kc = self.km.client()
        self.kc.wait_for_ready(TIMEOUT)

    def run(
        self, code: str, *, trigger: str = "go", user_expressions: dict[str, str] | None = None,
        in_sleep: bool = False,
    ) -> Outcome:
        once = _Once(self.km.interrupt, (lambda: wait_until_in_sleep(self.km.pid)) if in_sleep else None)
        out: list[str] = []

        def output(m: Any) -> None:
            if m.msg_type == "stream":
                out.append(m.content.get("text", ""))
                if trigger == "go" and "go" in m.content.get("text", ""):
                    once.fire()

        def stdin(m: Any) -> str | None:
            once.fire()
            return None  # never answered: the interrupt must end the wait

        r = self.kc.execute(
            code, user_expressions=user_expressions, output_hook=output,
            stdin_hook=stdin if trigger == "input" else None, timeout=TIMEOUT,
        )
        once.join()
        err = r.error
        return Outcome(r.status, err.ename if err else None, "".join(out), r.reply.get("user_expressions") or {},
                       once.count)

    def execute(self, code: str) -> Outcome:
        r = self.kc.execute(code, timeout=TIMEOUT)
        return Outcome(r.status, r.error.ename if r.error else None, r.stdout)

    def close(self) -> None:
        self.kc.close()
        self.km.shutdown(timeout=2.0)


class JupyterClient(Driver):
    """Stock jupyter_client through an installed kernelspec: its KernelManager picks the interrupt mode."""

    def __init__(self, kind: str, mode: str) -> None:
        from jupyter_client.manager import start_new_kernel

        self.name = f"jupyter_client-{mode}"
        self.km, self.kc = start_new_kernel(kernel_name=f"{kind}_{mode}", startup_timeout=TIMEOUT)

    def run(
        self, code: str, *, trigger: str = "go", user_expressions: dict[str, str] | None = None,
        in_sleep: bool = False,
    ) -> Outcome:
        pid = getattr(self.km.provisioner, "pid", None)
        once = _Once(self.km.interrupt_kernel, (lambda: wait_until_in_sleep(pid)) if in_sleep else None)
        out: list[str] = []

        def output(m: dict[str, Any]) -> None:
            if m["msg_type"] == "stream":
                out.append(m["content"].get("text", ""))
                if trigger == "go" and "go" in m["content"].get("text", ""):
                    once.fire()

        def stdin(m: dict[str, Any]) -> None:
            once.fire()

        reply = self.kc.execute_interactive(
            code, user_expressions=user_expressions or {}, output_hook=output, allow_stdin=trigger == "input",
            stdin_hook=stdin, timeout=TIMEOUT,
        )
        once.join()
        c = reply["content"]
        return Outcome(c["status"], c.get("ename"), "".join(out), c.get("user_expressions") or {}, once.count)

    def execute(self, code: str) -> Outcome:
        out: list[str] = []
        reply = self.kc.execute_interactive(
            code, output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=TIMEOUT
        )
        c = reply["content"]
        return Outcome(c["status"], c.get("ename"), "".join(x for x in out if x))

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
