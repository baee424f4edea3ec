"""From the command line's options to a running console: pick the kernel, the prompt, the colours."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from .app import ConsoleApp
from .render import Renderer, Writer

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.lexers import Lexer
    from prompt_toolkit.output import Output

    from .options import ConsoleOptions
    from .readers import CellReader


def build_console(
    options: ConsoleOptions,
    *,
    out: Writer | None = None,
    err: Writer | None = None,
    pt_input: Input | None = None,
    pt_output: Output | None = None,
) -> ConsoleApp:
    """Start (or attach to) the kernel and build the prompt while it starts; ``start_console`` waits for it.

    ``pt_input``/``pt_output`` put the prompts on something other than the terminal (tests: a pipe input and
    a DummyOutput). Raises OSError/ValueError when the kernel cannot be launched or found.
    """
    from .link import KernelLink

    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    color = wants_color(out) if options.color is None else options.color
    renderer = Renderer(out, err, ansi=color)
    if options.server:
        from .remote_link import RemoteLink

        link: KernelLink = RemoteLink.open(
            options.server, options.token, options.kernel, options.attach, options.ready_timeout
        )
    elif options.existing and options.ssh:
        link = KernelLink.attach_over_ssh(options.existing, options.ssh, options.ssh_options or [])
    elif options.existing:
        link = KernelLink.attach(options.existing)
    else:
        link = KernelLink.launch(options.kernel_cmd, interrupt_mode=options.interrupt_mode)
    app = ConsoleApp(link, renderer)
    try:
        # prompt_toolkit's imports happen while the kernel process starts
        app.reader = _make_reader(app, options, color, pt_input, pt_output)
    except BaseException:
        app.close()
        raise
    return app


def start_console(app: ConsoleApp, timeout: float = 60.0) -> dict[str, Any]:
    """Wait for the kernel, set the prompt's highlighting for its language, print its banner."""
    info = app.connect(timeout)
    cells = getattr(app.reader, "cells", None)  # a TerminalReader's PromptSession
    if cells is not None and app.renderer.ansi:
        cells.lexer = _lexer(info)
    banner = info.get("banner")
    if isinstance(banner, str) and banner.strip():
        app.renderer.plain(banner.rstrip("\n") + "\n")
    return info


def run_console(
    options: ConsoleOptions,
    *,
    out: Writer | None = None,
    err: Writer | None = None,
    pt_input: Input | None = None,
    pt_output: Output | None = None,
) -> int:
    """The whole console: start, loop, shut down what we started; the exit status."""
    from ..client import ClientError, KernelDied

    try:
        app = build_console(options, out=out, err=err, pt_input=pt_input, pt_output=pt_output)
    except (OSError, ValueError, ClientError) as e:
        print(f"ipykernel-lite console: {e}", file=err if err is not None else sys.stderr)
        return 2
    try:
        try:
            start_console(app, options.ready_timeout)
        except (KernelDied, TimeoutError) as e:
            tb = getattr(e, "traceback", None)
            app.renderer.notice(f"the kernel did not start: {e}" + (f"\n{tb}" if tb else ""))
            return 1
        return app.loop()
    except KeyboardInterrupt:
        return 130
    finally:
        app.close()


def wants_color(out: Writer) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def _make_reader(
    app: ConsoleApp, options: ConsoleOptions, color: bool, pt_input: Input | None, pt_output: Output | None
) -> CellReader:
    from .readers import SimpleReader

    if options.simple_prompt or (pt_input is None and not sys.stdin.isatty()):
        return SimpleReader(is_complete=app.is_complete, renderer=app.renderer)
    from .calltip import Calltips
    from .history import open_history
    from .prompts import TerminalReader

    return TerminalReader(
        is_complete=app.is_complete,
        complete=app.complete,
        renderer=app.renderer,
        history=open_history(options.history),
        color=color,
        pt_input=pt_input,
        pt_output=pt_output,
        watch=app,
        calltips=Calltips(app.ask_inspect, app.take_shell_replies),
    )


def _lexer(kernel_info: dict[str, Any]) -> Lexer | None:
    """Highlighting for the kernel's language, when pygments is installed (it is optional)."""
    lang = kernel_info.get("language_info")
    if not isinstance(lang, dict):
        return None
    try:
        from prompt_toolkit.lexers import PygmentsLexer
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:
        return None
    for name in (lang.get("pygments_lexer"), lang.get("name")):
        if isinstance(name, str) and name:
            try:
                return PygmentsLexer(type(get_lexer_by_name(name)))
            except ClassNotFound:
                continue
    return None
