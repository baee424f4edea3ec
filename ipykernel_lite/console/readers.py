"""What the console reads from the user, and the plain ``input()`` way of reading it (for pipes, dumb
terminals and ``--simple-prompt``; the prompt_toolkit way is in ``prompts``)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Protocol

from .render import Renderer

#: is_complete(code) -> (status, indent): "complete", "incomplete" (indent for the next line), "invalid" …
IsComplete = Callable[[str], tuple[str, str]]


class CellReader(Protocol):
    """Both methods raise EOFError (Ctrl-D) and KeyboardInterrupt (Ctrl-C)."""

    def read_cell(self, number: int) -> str: ...

    def read_input(self, prompt: str, password: bool) -> str: ...


class SimpleReader:
    """Plain ``input()`` prompts; a cell goes on while the kernel says it is incomplete."""

    def __init__(self, *, is_complete: IsComplete, renderer: Renderer) -> None:
        self._is_complete = is_complete
        self.renderer = renderer

    def read_cell(self, number: int) -> str:
        self.renderer.finish_line()
        head = f"In [{number}]: "
        lines = [input(head)]
        while True:
            status, _ = self._is_complete("\n".join(lines))
            if status != "incomplete":
                return "\n".join(lines)
            try:
                lines.append(input("...: ".rjust(len(head))))
            except EOFError:
                # the input ended inside a block: run what there is, the next read reports the end
                return "\n".join(lines)

    def read_input(self, prompt: str, password: bool) -> str:
        # the text printed before input() is already on the screen, and input() continues its line
        self.renderer.forget_partial_line()
        return getpass.getpass(prompt) if password else input(prompt)
