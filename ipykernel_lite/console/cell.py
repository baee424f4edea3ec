"""Run one cell on the kernel and render it live: the console's core, free of any terminal or prompt.

``run_cell`` takes the output (a Renderer) and the way to ask the user for ``input()`` (a callback), so tests
drive it with a string buffer and a list of answers, and the console with its terminal and its prompts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .interrupts import forward_sigint
from .render import Renderer

if TYPE_CHECKING:
    from ..client import BlockingClient, KernelDied
    from ..protocol import Message

#: the input_reply value that makes the kernel raise EOFError in ``input()`` (Ctrl-D at an input prompt)
EOF = "\x04"

#: ask(prompt, password) -> the user's line; raises EOFError (Ctrl-D) or KeyboardInterrupt (Ctrl-C)
AskInput = Callable[[str, bool], str]


@dataclass(frozen=True)
class CellOutcome:
    #: the reply's status ("ok", "error", "aborted"), or "died" (the kernel went away) or "abandoned" (the user
    #: stopped waiting for a kernel that ignored interrupts)
    status: str
    execution_count: int | None = None
    #: the kernel asked the front end to exit (``exit()``, ``sys.exit()``: an ``ask_exit`` payload)
    exit_requested: bool = False
    keep_kernel: bool = False
    died: KernelDied | None = None


def run_cell(
    client: BlockingClient,
    code: str,
    renderer: Renderer,
    ask: AskInput,
    *,
    interrupt: Callable[[], None] | None = None,
    timeout: float | None = None,
) -> CellOutcome:
    """Execute ``code``, rendering each output as it arrives and answering ``input_request``s with ``ask``.

    With ``interrupt``, SIGINT (Ctrl-C in the terminal) calls it instead of interrupting us; Ctrl-C at an
    input prompt (``ask`` raising KeyboardInterrupt) calls it too. Ctrl-D there answers EOF.
    """
    from ..client import KernelDied

    held_exit: list[Message] = []

    def on_output(msg: Message) -> None:
        # exit() is a request to leave, not a failure: its SystemExit traceback waits for the reply to tell
        if msg.msg_type == "error" and msg.content.get("ename") == "SystemExit":
            held_exit.append(msg)
        else:
            renderer.handle(msg)

    def on_input(msg: Message) -> str:
        prompt = str(msg.content.get("prompt", ""))
        password = bool(msg.content.get("password", False))
        try:
            return ask(prompt, password)
        except EOFError:
            return EOF
        except KeyboardInterrupt:
            if interrupt is not None:
                try:
                    interrupt()
                except Exception:
                    pass
            # the interrupted kernel drops this answer: a later input() discards stale replies
            return ""

    def on_sigint() -> None:
        renderer.echoed("^C")
        if interrupt is not None:
            interrupt()

    renderer.begin_cell()
    try:
        with forward_sigint(on_sigint if interrupt is not None else None):
            result = client.execute(code, allow_stdin=True, output_hook=on_output, stdin_hook=on_input, timeout=timeout)
    except KernelDied as e:
        renderer.finish_line()
        return CellOutcome("died", died=e)
    except KeyboardInterrupt:
        renderer.notice("[stopped waiting: the kernel did not react to the interrupts, it may still be busy]")
        return CellOutcome("abandoned")
    for page in (p for p in result.payload if p.get("source") == "page"):
        # ``obj?``, ``%pycat``, ``%page``: a terminal has no pager pane, so the text is shown in place
        text = str((page.get("data") or {}).get("text/plain", ""))
        if text:
            renderer.finish_line()
            renderer.plain(text if text.endswith("\n") else text + "\n")
    exit_payload = next((p for p in result.payload if p.get("source") == "ask_exit"), None)
    if exit_payload is None:
        for msg in held_exit:
            renderer.handle(msg)
    renderer.finish_line()
    return CellOutcome(
        result.status,
        result.execution_count,
        exit_requested=exit_payload is not None,
        keep_kernel=bool(exit_payload and exit_payload.get("keepkernel", False)),
    )
