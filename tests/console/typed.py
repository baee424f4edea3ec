"""A console whose prompts read from a pipe: tests type into the real prompt_toolkit prompts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from ipykernel_lite.console.app import ConsoleApp
from ipykernel_lite.console.history import IN_MEMORY
from ipykernel_lite.console.launch import build_console, start_console
from ipykernel_lite.console.options import ConsoleOptions

from .screen import Screen

ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"
TAB = "\t"
UP = "\x1b[A"


@contextmanager
def typed_console(screen: Screen, **options: Any) -> Iterator[tuple[ConsoleApp, PipeInput]]:
    """A started console on a pipe; closed (its kernel shut down if it owns one) on the way out."""
    options.setdefault("history", IN_MEMORY)
    options.setdefault("color", False)
    with create_pipe_input() as inp:
        app = build_console(ConsoleOptions(**options), out=screen, err=screen, pt_input=inp, pt_output=DummyOutput())
        try:
            start_console(app, 30)
            yield app, inp
        finally:
            app.close()


def type_and_run(screen: Screen, keys: str, **options: Any) -> tuple[int, ConsoleApp]:
    """Type ``keys`` ahead (the prompts take them in turn), run the console until it exits."""
    with typed_console(screen, **options) as (app, inp):
        inp.send_text(keys)
        code = app.loop()
    return code, app
