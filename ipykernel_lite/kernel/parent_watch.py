"""Exit when the process that started us dies (JPY_PARENT_PID), so no orphan kernel outlives its editor."""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable


def watch_parent(pid: int, on_death: Callable[[], None]) -> None:
    def run() -> None:
        try:
            # a pidfd becomes readable when the process exits: no polling loop (Linux >= 5.3)
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            fd = -1
        if fd >= 0:
            select.select([fd], [], [])
            os.close(fd)
        else:
            stop = threading.Event()
            while not stop.wait(1.0):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                if os.getppid() == 1:
                    break
        on_death()

    threading.Thread(target=run, name="ipykernel_lite-parent-watch", daemon=True).start()
