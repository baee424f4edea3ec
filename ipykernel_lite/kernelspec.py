"""Install the kernelspec (kernel.json) where jupyter_client looks for kernels."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_NAME = "ipykernel_lite"


def kernel_json(display_name: str | None = None, python: str | None = None) -> dict[str, Any]:
    return {
        "argv": [python or sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"],
        "display_name": display_name
        or f"Python {sys.version_info[0]}.{sys.version_info[1]} (ipykernel_lite)",
        "language": "python",
        # SIGINT from the manager: C code holding the GIL that checks for signals (re, most numpy loops) stops,
        # which a control message handled by a Python thread cannot do. interrupt_request (remote front ends,
        # the bridge) still works: docs/interrupts.md
        "interrupt_mode": "signal",
        "metadata": {"debugger": True, "supported_encryption": ["curve"]},
    }


def user_data_dir() -> Path:
    env = os.environ.get("JUPYTER_DATA_DIR")
    if env:
        return Path(env)
    try:
        from jupyter_core.paths import jupyter_data_dir

        return Path(jupyter_data_dir())
    except ImportError:
        pass
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Jupyter"
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "jupyter"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jupyter"


def kernels_dir(*, user: bool = False, sys_prefix: bool = False, prefix: str | None = None) -> Path:
    if prefix:
        return Path(prefix) / "share" / "jupyter" / "kernels"
    if sys_prefix:
        return Path(sys.prefix) / "share" / "jupyter" / "kernels"
    if user:
        return user_data_dir() / "kernels"
    system = (
        Path(os.environ.get("PROGRAMDATA", "C:/ProgramData")) / "jupyter"
        if os.name == "nt"
        else Path("/usr/local/share/jupyter")
    )
    return system / "kernels"


def install(
    *,
    user: bool = False,
    sys_prefix: bool = False,
    prefix: str | None = None,
    name: str = DEFAULT_NAME,
    display_name: str | None = None,
) -> Path:
    """Write ``kernels/<name>/kernel.json``; returns the folder."""
    if not name or "/" in name or "\\" in name:
        raise ValueError(f"invalid kernel name {name!r}")
    dest = kernels_dir(user=user, sys_prefix=sys_prefix, prefix=prefix) / name
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "kernel.json").write_text(json.dumps(kernel_json(display_name), indent=1) + "\n")
    return dest
