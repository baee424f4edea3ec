"""Test doubles for the terminal around the console (never for the kernel): a screen that records what the
console writes and lets a test wait for, or act on, a piece of text; scripted answers to input prompts."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

WAIT = 20.0
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


class Screen:
    """A Writer: everything the console wrote, in order. ``when(text, action)`` runs ``action`` once, in the
    writing thread, the moment ``text`` first appears: that is how a test reacts to live output."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._cond = threading.Condition()
        self._triggers: list[tuple[str, Callable[[], object]]] = []
        self.encoding = "utf-8"

    @property
    def text(self) -> str:
        with self._cond:
            return "".join(self._parts)

    @property
    def plain(self) -> str:
        return strip_ansi(self.text)

    def write(self, s: str) -> int:
        with self._cond:
            self._parts.append(s)
            self._cond.notify_all()
            text = "".join(self._parts)
            due = [t for t in self._triggers if t[0] in text]
            for t in due:
                self._triggers.remove(t)
        for _, action in due:
            action()
        return len(s)

    def flush(self) -> None:
        pass

    def when(self, needle: str, action: Callable[[], object]) -> None:
        with self._cond:
            self._triggers.append((needle, action))

    def wait_for(self, needle: str, timeout: float = WAIT) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: needle in "".join(self._parts), timeout)


class Answers:
    """Scripted replies to input prompts: strings, or EOFError / KeyboardInterrupt to raise. Records each
    (prompt, password) asked."""

    def __init__(self, answers: Iterable[str | type[BaseException]]) -> None:
        self._answers = list(answers)
        self.asked: list[tuple[str, bool]] = []

    def __call__(self, prompt: str, password: bool) -> str:
        self.asked.append((prompt, password))
        assert self._answers, f"the kernel asked {prompt!r} once more than the test expected"
        a = self._answers.pop(0)
        if isinstance(a, str):
            return a
        raise a()

    @property
    def unused(self) -> list[str | type[BaseException]]:
        return list(self._answers)
