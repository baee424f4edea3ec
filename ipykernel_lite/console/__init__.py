"""``ipykernel-lite console``: an interactive terminal on a new kernel, or on a running one (``--existing``).

The pieces, from the inside out: ``cell.run_cell`` runs one cell and renders it (no terminal needed),
``render.Renderer`` turns IOPub messages into terminal text, ``prompts`` reads cells and ``input()`` answers,
``link.KernelLink`` owns or attaches to the kernel, ``app.ConsoleApp`` loops.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the console; returns the exit status."""
    from .launch import run_console
    from .options import parse_args

    options = parse_args(list(sys.argv[1:] if argv is None else argv))
    _exit_cleanly_on_hangup()
    return run_console(options)


def _exit_cleanly_on_hangup() -> None:
    """A closed terminal (SIGHUP) or a kill (SIGTERM) must still shut down the kernel we started: turn them
    into SystemExit, which unwinds through the console's clean-up."""

    def leave(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGHUP", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, leave)
