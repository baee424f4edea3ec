"""The console's loop: read a cell, run it, render it; keep the kernel alive; leave cleanly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .cell import CellOutcome, run_cell
from .render import Renderer

if TYPE_CHECKING:
    from ..client import KernelDied
    from ..protocol import Message
    from .link import KernelLink
    from .readers import CellReader

#: the prompt must stay responsive: a kernel that takes longer to answer is judged locally
IS_COMPLETE_TIMEOUT = 1.0
COMPLETE_TIMEOUT = 3.0
#: lines that leave the console without going through the kernel (Python's own REPL does the same)
EXIT_WORDS = frozenset({"exit", "quit"})
DIED_RESTARTED = "kernel died — restarted"
_OUTPUT_TYPES = frozenset({"stream", "display_data", "update_display_data", "execute_result", "error", "clear_output"})


class ConsoleApp:
    """One console session on one kernel. ``execute`` is the loop's step, usable on its own (tests)."""

    def __init__(self, link: KernelLink, renderer: Renderer, reader: CellReader | None = None) -> None:
        self.link = link
        self.renderer = renderer
        self.reader = reader
        #: the number the next ``In [N]:`` shows
        self.next_count = 1
        self.kernel_info: dict[str, Any] = {}
        self._restart_failed = False
        self._late: list[Message] = []
        self._closed = False

    # -- the kernel -----------------------------------------------------------------------------------------
    def connect(self, timeout: float = 60.0) -> dict[str, Any]:
        self.kernel_info = self.link.wait_ready(timeout)
        if not self.link.owned:
            self.next_count = self._current_count()
        return self.kernel_info

    def _current_count(self) -> int:
        """An attached kernel may have run cells already: a silent empty cell tells how many."""
        try:
            reply = self.link.client.execute("", silent=True, store_history=False, timeout=5.0)
        except Exception:
            return 1
        # a silent cell does not count: its reply carries the count of the last cell run
        return (reply.execution_count or 0) + 1

    def needs_attention(self) -> bool:
        """Called while the user sits at the prompt: output that came meanwhile, or a dead kernel?"""
        self._late.extend(self._late_output())
        # after a failed restart the prompt stops retrying on its own: the next cell tries again
        dead = self.link.owned and not self._restart_failed and not self.link.is_alive()
        return dead or bool(self._late)

    def attend(self) -> int:
        """Show what needs_attention found (the prompt is out of the way meanwhile); the next count."""
        self.show_late_output()
        self.renderer.finish_line()  # the prompt is drawn again from column 0
        if not self._restart_failed:
            self.check_kernel()
        return self.next_count

    def check_kernel(self) -> None:
        """Notice a kernel that died while nobody waited on it (between cells)."""
        if not self.link.is_alive():
            self._kernel_died(self.link.death_reason())

    def _kernel_died(self, died: KernelDied) -> None:
        if not self.link.owned:
            self.renderer.notice(
                f"kernel died ({died.reason}); it was not started by this console, so it is not restarted"
            )
            return
        try:
            self.kernel_info = self.link.restart()
        except Exception as e:
            self._restart_failed = True
            self.renderer.notice(f"kernel died ({died.reason}) and could not be restarted: {e}")
            return
        self._restart_failed = False
        self.next_count = 1
        self.renderer.notice(f"{DIED_RESTARTED} ({died.reason})")

    # -- one cell -------------------------------------------------------------------------------------------
    def execute(self, code: str) -> CellOutcome:
        self.check_kernel()
        outcome = run_cell(self.link.client, code, self.renderer, self.ask, interrupt=self.link.interrupt)
        if outcome.died is not None:
            self._kernel_died(outcome.died)
        elif outcome.execution_count is not None:
            self.next_count = outcome.execution_count + 1
        return outcome

    def ask(self, prompt: str, password: bool) -> str:
        if self.reader is None:
            raise EOFError("this console has no input")
        return self.reader.read_input(prompt, password)

    def is_complete(self, code: str) -> tuple[str, str]:
        try:
            reply = self.link.client.is_complete(code, timeout=IS_COMPLETE_TIMEOUT)
        except Exception:
            return local_is_complete(code)
        status = str(reply.get("status", "unknown"))
        indent = reply.get("indent")
        return status, indent if isinstance(indent, str) else ""

    def complete(self, code: str, cursor_pos: int) -> dict[str, Any]:
        return self.link.client.complete(code, cursor_pos, timeout=COMPLETE_TIMEOUT)

    def ask_inspect(self, code: str, cursor_pos: int) -> str:
        """An inspect_request for the calltip (detail_level 0), sent without waiting; its msg_id."""
        content = {"code": code, "cursor_pos": cursor_pos, "detail_level": 0}
        return self.link.client.send("shell", "inspect_request", content)

    def take_shell_replies(self) -> list[tuple[str, dict[str, Any]]]:
        """The replies waiting on shell, as (parent msg_id, content), without waiting. At the prompt only the
        calltip's requests are answered there (the calls that wait take their own replies)."""
        client = self.link.client
        found: list[tuple[str, dict[str, Any]]] = []
        while True:
            msg = client.recv("shell", timeout=0)
            if msg is None:
                return found
            found.append((msg.parent_id or "", msg.content))

    def show_late_output(self) -> None:
        """Output our cells produced after they ended (threads printing in the background)."""
        late, self._late = [*self._late, *self._late_output()], []
        for msg in late:
            self.renderer.handle(msg)

    def _late_output(self) -> list[Message]:
        client = self.link.client
        session = client.session
        found: list[Message] = []
        while True:
            try:
                msg = client.recv("iopub", timeout=0)
            except Exception:
                return found
            if msg is None:
                return found
            # other front ends' cells are theirs to show; status and echoes are not output
            if msg.parent_header.get("session") == session and msg.msg_type in _OUTPUT_TYPES:
                found.append(msg)

    # -- the loop -------------------------------------------------------------------------------------------
    def loop(self) -> int:
        """Read and run cells until Ctrl-D, ``exit``, or the kernel asks to exit; the exit status."""
        if self.reader is None:
            raise RuntimeError("the console needs a reader to loop")
        while True:
            try:
                self.show_late_output()
                self.check_kernel()
                code = self.reader.read_cell(self.next_count).rstrip()
                if not code.strip():
                    continue
                if code.strip() in EXIT_WORDS:
                    return 0
                if self.execute(code).exit_requested:
                    return 0
            except KeyboardInterrupt:
                # at the prompt: the line is dropped; in the instant between prompt and cell (before the
                # cell's own handler is in place), the console must not die of it either
                continue
            except EOFError:
                self.renderer.plain("\n")
                return 0

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.link.close()


def local_is_complete(code: str) -> tuple[str, str]:
    """Python's own judgement, for when the kernel does not answer in time."""
    import codeop

    lines = code.split("\n")
    try:
        compiled = codeop.compile_command(code, "<input>", "exec")
    except (SyntaxError, ValueError, OverflowError):
        return "invalid", ""
    last = lines[-1]
    indent = last[: len(last) - len(last.lstrip())]
    if compiled is None:
        return "incomplete", indent + ("    " if last.rstrip().endswith(":") else "")
    if indent and last.strip():
        return "incomplete", indent  # inside a block: a blank line ends it
    return "complete", ""
