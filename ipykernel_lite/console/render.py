"""How the console shows a cell's IOPub messages in a terminal, as they arrive."""

from __future__ import annotations

from typing import Any, Protocol

from ..protocol import Message
from .placeholders import image_placeholder

_RED = "\x1b[31m"
_BOLD_RED = "\x1b[1;31m"
_RESET = "\x1b[0m"
#: cursor to column 0 of the line, erase it
_ERASE_LINE = "\r\x1b[2K"


class Writer(Protocol):
    def write(self, s: str, /) -> object: ...

    def flush(self) -> object: ...


class Renderer:
    """Writes outputs to ``out`` (stderr streams and tracebacks to ``err``, by default ``out`` too).

    With ``ansi`` the prompts are coloured and ``clear_output`` erases what the cell printed since the last
    clear (by moving the cursor up); without it, nothing but the kernel's own text is written, which is what
    a pipe or a test wants.

    Both writers are assumed to share one screen, so one "where is the cursor" state serves both: the console
    needs it to start its prompts on a fresh line and to show an ``input()`` prompt after the text printed just
    before it.
    """

    def __init__(self, out: Writer, err: Writer | None = None, *, ansi: bool = False) -> None:
        self.out = out
        self.err = err if err is not None else out
        self.ansi = ansi
        #: text written since the last newline
        self._partial = ""
        #: lines written since the cell started or was last cleared (how far up a clear_output must reach)
        self._lines = 0
        self._clear_pending = False

    # -- dispatch -------------------------------------------------------------------------------------------
    def handle(self, msg: Message) -> None:
        """Show one IOPub message; those that are not output (status, execute_input, comms …) are skipped."""
        kind = msg.msg_type
        c = msg.content
        if kind == "stream":
            self.stream(str(c.get("name", "stdout")), str(c.get("text", "")))
        elif kind == "execute_result":
            count = c.get("execution_count")
            self.execute_result(count if isinstance(count, int) else None, _bundle(c), _meta(c))
        elif kind in ("display_data", "update_display_data"):
            self.display(_bundle(c), _meta(c))
        elif kind == "error":
            self.error(c)
        elif kind == "clear_output":
            self.clear_output(bool(c.get("wait", False)))

    def begin_cell(self) -> None:
        self._lines = 0
        self._clear_pending = False

    # -- outputs --------------------------------------------------------------------------------------------
    def stream(self, name: str, text: str) -> None:
        if text:
            self._emit(self.err if name == "stderr" else self.out, text)

    def execute_result(self, count: int | None, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        text = self.format_bundle(data, metadata)
        label = f"Out[{count if count is not None else ' '}]: "
        if self.ansi:
            label = f"{_RED}Out[{_BOLD_RED}{count if count is not None else ' '}{_RESET}{_RED}]:{_RESET} "
        # a multi-line value starts on its own line, so its columns line up
        sep = "\n" if "\n" in text else ""
        self.finish_line()
        self._emit(self.out, f"{label}{sep}{text}\n")

    def display(self, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        text = self.format_bundle(data, metadata)
        if text:
            self.finish_line()
            self._emit(self.out, text + "\n")

    def error(self, content: dict[str, Any]) -> None:
        tb = content.get("traceback")
        if isinstance(tb, list) and tb:
            text = "\n".join(str(line) for line in tb)
        else:
            text = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
        self.finish_line()
        self._emit(self.err, text + "\n")

    def clear_output(self, wait: bool) -> None:
        if wait:
            self._clear_pending = True  # clear just before the next output: no flicker
        else:
            self._clear()

    def notice(self, text: str) -> None:
        """A line from the console itself (kernel restarts, errors talking to the kernel)."""
        self.finish_line()
        self._emit(self.err, f"{_BOLD_RED}{text}{_RESET}\n" if self.ansi else text + "\n")

    def plain(self, text: str) -> None:
        """Console text written as is (the banner)."""
        self._emit(self.out, text)

    # -- the cursor -----------------------------------------------------------------------------------------
    def finish_line(self) -> None:
        """End an unfinished line (output without a trailing newline) so what follows starts at column 0."""
        if self._partial:
            self._emit(self.out, "\n")

    def take_partial_line(self) -> str:
        """Hand the unfinished line to an input prompt, which redraws it: ``print('x', end=''); input()``.

        The cursor goes back to column 0 (terminals only), so the prompt overwrites the same text.
        """
        partial = self._partial
        if partial:
            if self.ansi:
                self._write(self.out, "\r")
            self._partial = ""
        return partial

    def echoed(self, text: str) -> None:
        """The terminal itself put ``text`` on the line (``^C``): the next output must start a new line."""
        if self.ansi:
            self._partial += text

    def forget_partial_line(self) -> None:
        """Someone else (an input prompt echoing the user's line) moved the cursor to a new line."""
        self._partial = ""

    # -- formatting -----------------------------------------------------------------------------------------
    @staticmethod
    def format_bundle(data: dict[str, Any], metadata: dict[str, Any]) -> str:
        """One display bundle as terminal text: placeholders for images, else text/plain, else the types."""
        images = [image_placeholder(m, v, metadata) for m, v in data.items() if m.startswith("image/")]
        if images:
            return "\n".join(images)
        plain = data.get("text/plain")
        if isinstance(plain, str):
            return plain
        if isinstance(plain, list):  # nbformat allows a list of lines
            return "".join(str(x) for x in plain)
        return " ".join(f"[{m}]" for m in data) if data else ""

    # -- writing --------------------------------------------------------------------------------------------
    def _emit(self, stream: Writer, text: str) -> None:
        if self._clear_pending:
            self._clear_pending = False
            self._clear()
        self._write(stream, text)
        newlines = text.count("\n")
        if newlines:
            self._lines += newlines
            self._partial = text[text.rfind("\n") + 1 :]
        else:
            self._partial += text
        # a carriage return starts the line over: progress bars rewrite it in place
        cr = self._partial.rfind("\r")
        if cr >= 0:
            self._partial = self._partial[cr + 1 :]

    def _clear(self) -> None:
        if self.ansi:
            up = f"\x1b[{self._lines}F" if self._lines else ""
            self._write(self.out, f"{_ERASE_LINE}{up}\x1b[J")
        self._lines = 0
        self._partial = ""

    @staticmethod
    def _write(stream: Writer, text: str) -> None:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            # a terminal in an ASCII locale must still get the rest of the output
            enc = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(enc, "replace").decode(enc))
        stream.flush()


def _bundle(content: dict[str, Any]) -> dict[str, Any]:
    data = content.get("data")
    return data if isinstance(data, dict) else {}


def _meta(content: dict[str, Any]) -> dict[str, Any]:
    meta = content.get("metadata")
    return meta if isinstance(meta, dict) else {}
