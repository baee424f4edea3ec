"""Stock jupyter_client drives our kernel through an installed kernelspec: execute, complete, interrupt, restart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel


def test_install_writes_a_kernelspec_jupyter_client_finds(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ipykernel_lite", "install", "--prefix", str(tmp_path), "--name", "lite_here"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "lite_here" in out.stdout
    spec_file = tmp_path / "share" / "jupyter" / "kernels" / "lite_here" / "kernel.json"
    spec = json.loads(spec_file.read_text())
    assert spec["argv"][-2:] == ["-f", "{connection_file}"] and spec["interrupt_mode"] == "signal"
    ksm = KernelSpecManager(kernel_dirs=[str(spec_file.parent.parent)])
    assert ksm.get_kernel_spec("lite_here").language == "python"


def test_execute_complete_interrupt_restart(tmp_path: Path) -> None:
    km, kc = start_new_kernel(kernel_name="ipykernel_lite_test", startup_timeout=30)
    try:
        out: list[str] = []
        reply = kc.execute_interactive(
            "print('hi from lite')", output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=30
        )
        assert reply["content"]["status"] == "ok" and "hi from lite\n" in out
        msg_id = kc.complete("import o", 8)
        comp = kc.get_shell_msg(timeout=30)
        assert comp["parent_header"]["msg_id"] == msg_id and "os" in comp["content"]["matches"]

        # interrupt a sleeping cell the way front ends do (interrupt_mode "signal" → SIGINT to the process group)
        started: list[bool] = []

        def hook(m: dict) -> None:
            if m["msg_type"] == "stream" and not started:
                started.append(True)
                km.interrupt_kernel()

        reply = kc.execute_interactive(
            "import time\nprint('sleeping', flush=True)\ntime.sleep(30)", output_hook=hook, timeout=30
        )
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"

        pid = km.provisioner.pid if km.provisioner else None
        kc.execute_interactive("marker = 42", timeout=30)
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=30)
        assert km.provisioner is not None and km.provisioner.pid != pid
        reply = kc.execute_interactive(
            "print('marker' in globals())", output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=30
        )
        assert "False\n" in out, "a restarted kernel starts with a fresh namespace"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

