"""The shell's input history, Pyzo style: Up/Down walk through earlier inputs that start with what was typed
before the first Up. No Qt here."""

from __future__ import annotations


class InputHistory:
    def __init__(self, max_entries: int = 1000) -> None:
        self.max_entries = max_entries
        self.entries: list[str] = []
        self._prefix: str | None = None
        self._index = 0

    def add(self, text: str) -> None:
        """Remember a submitted input (not blank ones, not the same one twice in a row); ends a walk."""
        self.reset()
        if not text.strip() or (self.entries and self.entries[-1] == text):
            return
        self.entries.append(text)
        del self.entries[: -self.max_entries]

    def reset(self) -> None:
        self._prefix = None
        self._index = len(self.entries)

    @property
    def walking(self) -> bool:
        return self._prefix is not None

    def older(self, current: str) -> str | None:
        """The previous entry starting with the walk's prefix (``current`` when the walk starts), or None."""
        if self._prefix is None:
            self._prefix = current
            self._index = len(self.entries)
        for i in range(self._index - 1, -1, -1):
            if self.entries[i].startswith(self._prefix):
                self._index = i
                return self.entries[i]
        return None

    def newer(self) -> str | None:
        """The next entry with the prefix; past the newest, the prefix itself (the walk ends). None when not
        walking."""
        if self._prefix is None:
            return None
        for i in range(self._index + 1, len(self.entries)):
            if self.entries[i].startswith(self._prefix):
                self._index = i
                return self.entries[i]
        prefix = self._prefix
        self.reset()
        return prefix
