"""The shell: a console on a ``QtKernelClient``, Pyzo style.

Output streams in above the prompt while the user types; Enter asks the kernel whether the code is complete
(``is_complete_request``) and either runs it or opens a new line. When the kernel asks for input the prompt
becomes the kernel's (``Name: ``, ``Password: `` with the typing hidden, ``(Pdb) `` with the debugger's frame
announced through ``debugStateChanged``). Locations in tracebacks and pdb output are links that emit
``locationActivated(path, line)`` for the host editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from .calltip import CalltipController
from .completion import CompletionController
from .console_document import ConsoleDocument, OutputColors
from .history import InputHistory
from .image_object import ImageObject
from .input_highlighter import InputHighlighter
from .output_queue import OutputQueue
from .qtclient import KernelState, QtKernelClient
from .shell_keys import ShellKeysMixin

PROMPT = ">>> "


class ShellWidget(ShellKeysMixin, QPlainTextEdit):
    """A QPlainTextEdit: its layout is per block and lazy, so output at the end and lines trimmed off the top
    cost only the blocks they touch, whatever the document's size (see ``image_object`` for the images)."""

    #: a file location was clicked in the output: path, line
    locationActivated = Signal(str, int)
    #: pdb waits for a command at ``metadata.debug`` ({"frame": {...}, "stack": [...]}); None once it is left
    debugStateChanged = Signal(object)
    #: "code", "input", "password" or "debug"
    modeChanged = Signal(str)

    def __init__(
        self, client: QtKernelClient, parent: QWidget | None = None, colors: OutputColors | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.console = ConsoleDocument(self.document(), colors)
        ImageObject.install(self.document())
        # kernel output is queued and written on a timer, in bounded pieces: a flood cannot freeze the UI
        self.output = OutputQueue(self._write_now, self.console.max_blocks, self)
        self.history = InputHistory()
        # no undo stack: it would keep every piece of output written (and the trimmed lines) forever
        self.setUndoRedoEnabled(False)
        self.setAcceptDrops(False)
        self.setMouseTracking(True)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.calltips = CalltipController(self)
        self.completion = CompletionController(self)
        self.highlighter = InputHighlighter(
            self.document(), lambda: self.console.input_start, lambda: self.console.writing
        )
        self._mode = "code"
        self._debug: dict[str, Any] | None = None
        self._input_prompt = ""
        self._input_parent: str | None = None
        self._stash: str | None = None
        self._secret = ""
        self._submit_check: tuple[str, str] | None = None
        self._pause_id: str | None = None
        self._next_command: str | None = None
        self._greeted = False
        c = client
        c.stateChanged.connect(self._on_state)
        c.ready.connect(self._on_ready)
        c.restarted.connect(self._on_restarted)
        c.kernelDied.connect(self._on_died)
        c.streamReceived.connect(self._on_stream)
        c.resultReceived.connect(lambda _n, data, _md: self._write_bundle(data, "result"))
        c.displayReceived.connect(lambda data, _md: self._write_bundle(data, "stdout"))
        c.errorReceived.connect(self._on_error)
        c.inputRequested.connect(self._on_input_request)
        c.executeReplied.connect(self._on_execute_reply)
        c.replyReceived.connect(self._on_reply)
        self._refresh_prompt()

    # -- public ---------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    @property
    def debug_state(self) -> dict[str, Any] | None:
        return self._debug

    def input_text(self) -> str:
        return self._secret if self._mode == "password" else self.console.input_text()

    def set_input_text(self, text: str) -> None:
        self.console.set_input_text(text)
        self.moveCursor(QTextCursor.MoveOperation.End)

    def output_text(self) -> str:
        """The output so far, queued output included."""
        self.output.flush()
        return self.console.output_text()

    def write(self, text: str, kind: str = "info") -> None:
        """Write into the output, as the kernel's output is (kinds: stdout, stderr, result, info, echo); it
        is queued behind the kernel's output and written on the next tick of the output timer."""
        self.output.text(kind, text)

    def clear_output(self) -> None:
        self.output.clear()
        self.console.clear_output()

    def _write_now(self, kind: str, text: str) -> None:
        self._keep_bottom(lambda: self.console.write(text, kind))

    def run(
        self, code: str, *, origin: dict[str, Any] | None = None, post_mortem: bool = False, label: str = ""
    ) -> str | None:
        """Execute editor code (shown as ``label``); returns the request's msg_id, None if the kernel is down."""
        if not self._kernel_reachable():
            return None
        if label:
            self.write(label + "\n", "echo")
        return self.client.execute(code, origin=origin, post_mortem=post_mortem)

    def submit(self) -> None:
        """What Enter does: run the typed code when complete, or answer the kernel's prompt."""
        if self._mode in ("input", "debug"):
            self._answer(self.console.input_text())
        elif self._mode == "password":
            self._answer(self._secret)
        else:
            text = self.console.input_text()
            if not text.strip():
                self.output.flush()
                self.console.commit_input()
                self._refresh_prompt()
                return
            if not self._kernel_reachable():
                return
            msg_id = self.client.is_complete(text, channel=self.introspection_channel())
            self._submit_check = (msg_id, text)

    def debug_command(self, command: str) -> None:
        """Send a pdb command (``n``, ``s``, ``c`` …) as if typed at the ``(Pdb)`` prompt. Between two
        prompts (the previous command still runs) it waits for the next one."""
        if self._mode == "debug":
            self.set_input_text(command)
            self.submit()
        elif self._debug is not None:
            self._next_command = command

    def interrupt(self) -> None:
        self.client.interrupt()

    def pause(self) -> None:
        """Stop the running cell in the debugger (control ``pause_request``)."""
        if self.client.is_ready:
            self._pause_id = self.client.pause()

    def restart(self) -> None:
        self.calltips.hide()
        self.completion.hide()
        self.client.restart()

    def _emit_location(self, path: str, line: int) -> None:
        self.locationActivated.emit(path, line)

    # -- used by the calltip and completion controllers -----------------------------------------------------
    def input_cursor(self) -> int:
        """The text cursor's offset in the input, -1 when it is in the output."""
        pos = self.textCursor().position() - self.console.input_start
        return pos if pos >= 0 else -1

    def replace_input(self, start: int, end: int, text: str) -> None:
        self.setTextCursor(self.console.replace_input(start, end, text))

    def takes_code(self) -> bool:
        return self._mode in ("code", "debug")

    def introspection_channel(self) -> str:
        # a busy kernel answers control at once (in the debugger: in the stopped frame)
        return "shell" if self.client.state is KernelState.IDLE else "control"

    def popup_anchor(self) -> QPoint:
        return self.viewport().mapToGlobal(self.cursorRect().bottomLeft() + QPoint(0, 2))

    # -- kernel events --------------------------------------------------------------------------------------
    def _on_state(self, _state: str) -> None:
        self._refresh_prompt()

    def _on_ready(self, info: dict[str, Any]) -> None:
        if not self._greeted:
            self._greeted = True
            self.write(str(info.get("banner", "")).rstrip() + "\n", "info")
        self._refresh_prompt()

    def _on_restarted(self) -> None:
        self.write("--- kernel restarted ---\n", "info")

    def _on_died(self, reason: str) -> None:
        self._leave_input()
        self.write(f"\n*** the kernel died: {reason}\n*** restart it to go on (Ctrl+K)\n", "stderr")

    def _on_stream(self, name: str, text: str) -> None:
        self.output.text("stderr" if name == "stderr" else "stdout", text)

    def _on_error(self, _ename: str, _evalue: str, traceback: list[str]) -> None:
        self.output.text("error", "\n".join(traceback) + "\n")

    def _write_bundle(self, data: dict[str, Any], kind: str) -> None:
        mime = next((m for m in ("image/png", "image/jpeg") if m in data), None)
        if mime is not None:
            self.output.call(lambda: self._write_image_or_text(data, mime, kind))
            return
        text = data.get("text/plain")
        if text is not None:
            self.write(str(text) + "\n", kind)

    def _write_image_or_text(self, data: dict[str, Any], mime: str, kind: str) -> None:
        if not self._keep_bottom(lambda: self.console.write_image(data[mime], mime)):
            text = data.get("text/plain")
            if text is not None:
                self._write_now(kind, str(text) + "\n")

    def _on_input_request(self, prompt: str, password: bool, debug: dict[str, Any] | None) -> None:
        current = self.client.current_message
        self._input_parent = current.parent_id if current is not None else None
        if self._stash is None:
            self._stash = self.console.input_text()
            self.console.set_input_text("")
        self._secret = ""
        self._input_prompt = prompt
        self._set_mode("debug" if debug is not None else "password" if password else "input")
        if debug is not None:
            self._debug = debug
            self.debugStateChanged.emit(debug)
        self._refresh_prompt()
        self.moveCursor(QTextCursor.MoveOperation.End)
        self.ensureCursorVisible()
        # the kernel waits for the user: keystrokes must land here, not in the editor the code came from
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        command, self._next_command = self._next_command, None
        if command is not None and debug is not None:
            self.debug_command(command)

    def _on_execute_reply(self, msg_id: str, _content: dict[str, Any]) -> None:
        if msg_id == self._input_parent:
            self._leave_input()

    def _on_reply(self, msg_type: str, parent: str, content: dict[str, Any]) -> None:
        if msg_type == "is_complete_reply" and self._submit_check and parent == self._submit_check[0]:
            text = self._submit_check[1]
            self._submit_check = None
            if self.console.input_text() != text or self._mode != "code":
                return
            if content.get("status") == "incomplete":
                self.console.replace_input(len(text), len(text), "\n" + str(content.get("indent", "")))
                self.moveCursor(QTextCursor.MoveOperation.End)
            else:
                self._execute_typed(text)
        elif msg_type == "pause_reply" and parent == self._pause_id:
            self._pause_id = None
            if content.get("status") != "ok":
                self.write(f"cannot pause: {content.get('evalue') or content.get('ename', 'error')}\n", "stderr")
            elif not content.get("paused"):
                self.write("nothing to pause: no cell is running\n", "info")

    # -- modes ----------------------------------------------------------------------------------------------
    def _set_mode(self, mode: str) -> None:
        if mode != self._mode:
            self._mode = mode
            self.modeChanged.emit(mode)

    def _leave_input(self) -> None:
        self._input_parent = None
        self._next_command = None
        self._secret = ""
        self._set_mode("code")
        if self._debug is not None:
            self._debug = None
            self.debugStateChanged.emit(None)
        if self._stash is not None:  # the prompt was never answered (interrupt, death): drop the half answer
            stash, self._stash = self._stash, None
            self.console.set_input_text(stash)
        self._refresh_prompt()

    def _refresh_prompt(self) -> None:
        if self._mode != "code":
            prompt, kind = self._input_prompt, "debug_prompt" if self._mode == "debug" else "prompt"
        else:
            prompt, kind = (PROMPT if self.client.state is KernelState.IDLE else ""), "prompt"
        if prompt != self.console.prompt:
            self.console.set_prompt(prompt, kind)

    def _answer(self, value: str) -> None:
        self.calltips.hide()
        self.completion.hide()
        self.output.flush()  # what the kernel printed before it asked stays above the answer
        self.console.commit_input()
        self._secret = ""
        self._set_mode("code")
        self._refresh_prompt()
        # what the user was typing before the kernel asked comes back now (and is set aside again if pdb
        # asks once more): keeping it until the cell ends would wipe what they type meanwhile
        if self._stash is not None:
            stash, self._stash = self._stash, None
            self.set_input_text(stash)
        if self.client.waiting_input:
            self.client.input_reply(value)

    def _execute_typed(self, text: str) -> None:
        self.calltips.hide()
        self.completion.hide()
        self.history.add(text)
        self.output.flush()
        self.console.commit_input()
        self._refresh_prompt()
        if self._kernel_reachable():
            self.client.execute(text)
        self.ensureCursorVisible()

    def _kernel_reachable(self) -> bool:
        if self.client.state in (KernelState.DEAD, KernelState.STOPPED, KernelState.NOT_STARTED):
            self.write(f"the kernel is {self.client.state.value}: restart it first (Ctrl+K)\n", "stderr")
            return False
        return True

    def _keep_bottom(self, write: Any) -> Any:
        """Run ``write``; stay scrolled to the end if the view was there."""
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        result = write()
        if at_end:
            bar.setValue(bar.maximum())
        return result
