"""Where the console keeps the cells typed at its prompt between sessions."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prompt_toolkit.history import History

#: the ``--history`` value for a history that lives only as long as the console (tests, throwaway sessions)
IN_MEMORY = ":memory:"


def user_data_dir() -> Path:
    """This package's folder in the user's data directory (XDG on Linux, the platform's own elsewhere)."""
    home = Path.home()
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = Path(xdg) if xdg else home / ".local" / "share"
    return base / "ipykernel_lite"


def default_history_path() -> Path:
    return user_data_dir() / "console_history"


def open_history(spec: str | os.PathLike[str] | None = None) -> History:
    """A file history at ``spec`` (default: the user's data directory), or in memory for ``":memory:"``.

    A history file that cannot be created (read-only home, sandbox) falls back to memory: losing history is
    better than refusing to start.
    """
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    if spec is not None and os.fspath(spec) == IN_MEMORY:
        return InMemoryHistory()
    path = Path(spec).expanduser() if spec is not None else default_history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(path))
