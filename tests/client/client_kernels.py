"""The kernels the client tests run against: a stock ipykernel and our own."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import ipykernel_lite
from ipykernel_lite.client import KernelManager

REPO = Path(ipykernel_lite.__file__).resolve().parents[1]


@dataclass(frozen=True)
class KernelKind:
    name: str
    argv: list[str]
    #: code that publishes one display_data with {"text/plain": "shown"}
    display: str
    #: code that makes the kernel ignore shutdown_request (for the escalation tests)
    deafen_shutdown: str

    def manager(self, tmp_path: Path, **kwargs: object) -> KernelManager:
        env = {"PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        return KernelManager(self.argv, connection_dir=tmp_path, env=env, **kwargs)  # type: ignore[arg-type]


_DEAFEN = """
import gc
from {module} import {cls}
for _k in [o for o in gc.get_objects() if isinstance(o, {cls})]:
    _tables = [_k.host.shell_handlers, _k.host.control_handlers] if hasattr(_k, "host") else [
        _k.shell_handlers, _k.control_handlers]
    for _t in _tables:
        _t["shutdown_request"] = lambda *a, **kw: None
"""

KINDS = {
    "ipykernel": KernelKind(
        "ipykernel",
        [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "from IPython.display import display; display({'text/plain': 'shown'}, raw=True)",
        _DEAFEN.format(module="ipykernel.kernelbase", cls="Kernel"),
    ),
    "lite": KernelKind(
        "lite",
        [sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"],
        "from ipykernel_lite.display import display; display({'text/plain': 'shown'}, raw=True)",
        _DEAFEN.format(module="ipykernel_lite.kernel.kernel", cls="Kernel"),
    ),
}
