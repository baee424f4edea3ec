"""The console's prompts on prompt_toolkit: ``In [N]:`` for cells, and the kernel's ``input()`` prompts
(``(Pdb) `` among them, and getpass)."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app, run_in_terminal
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Condition, has_focus
from prompt_toolkit.formatted_text import ANSI, FormattedText
from prompt_toolkit.history import DummyHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from .calltip import Calltips
from .completer import CompleteRequest, KernelCompleter
from .readers import IsComplete
from .render import Renderer

_INDENT = "    "
_COLORS = {
    "prompt": "ansigreen",
    "prompt.number": "ansigreen bold",
    "continuation": "ansigreen",
    "calltip.signature": "bold",
}
#: how often the kernel is looked at while the user sits at the prompt
WATCH_INTERVAL = 0.5


class KernelWatch(Protocol):
    """Lets the prompt report a kernel that died while the user was typing, without waiting for Enter."""

    def needs_attention(self) -> bool:
        """Cheap: called every WATCH_INTERVAL at the prompt."""
        ...

    def attend(self) -> int:
        """Deal with it (restart, print why); the prompt's number afterwards."""
        ...


class TerminalReader:
    """Multi-line cells (Enter runs a complete cell, else opens a line with the kernel's indent), history,
    Tab completion from the kernel, highlighting when a lexer is set."""

    def __init__(
        self,
        *,
        is_complete: IsComplete,
        complete: CompleteRequest,
        renderer: Renderer,
        history: History | None = None,
        lexer: Lexer | None = None,
        color: bool = True,
        pt_input: Input | None = None,
        pt_output: Output | None = None,
        watch: KernelWatch | None = None,
        calltips: Calltips | None = None,
    ) -> None:
        self.renderer = renderer
        self.watch = watch
        self.calltips = calltips
        self._number = 0
        style = Style.from_dict(_COLORS if color else {})
        self._width = 0
        self.cells: PromptSession[str] = PromptSession(
            multiline=True,
            key_bindings=cell_key_bindings(is_complete),
            history=history if history is not None else InMemoryHistory(),
            completer=KernelCompleter(complete),
            complete_while_typing=False,
            lexer=lexer,
            prompt_continuation=self._continuation,
            style=style,
            include_default_pygments_style=color,
            input=pt_input,
            output=pt_output,
        )
        if calltips is not None:
            buffer = self.cells.default_buffer
            buffer.on_text_changed += self._cursor_moved
            buffer.on_cursor_position_changed += self._cursor_moved
        # input() answers have a history of their own: Up at "(Pdb) " recalls debugger commands, not cells
        self.inputs: PromptSession[str] = PromptSession(
            history=InMemoryHistory(), style=style, input=pt_input, output=pt_output
        )
        # getpass: nothing on screen (not even the length) and nothing kept in any history
        self.passwords: PromptSession[str] = PromptSession(
            history=DummyHistory(), input_processors=[HideInput()], input=pt_input, output=pt_output
        )

    def read_cell(self, number: int) -> str:
        self.renderer.finish_line()
        self.renderer.plain("\n")  # a blank line between a cell's output and the next prompt
        self._number = number
        if self.calltips is not None:
            self.calltips.forget()  # the cell just run may have redefined the callees
            self.cells.bottom_toolbar = None
        return self.cells.prompt(self._message, pre_run=self._pre_run)

    def _message(self) -> FormattedText:
        # a callable: the number changes when the kernel restarts under the prompt
        label = str(self._number)
        self._width = len(f"In [{label}]: ")
        return FormattedText([("class:prompt", "In ["), ("class:prompt.number", label), ("class:prompt", "]: ")])

    def _pre_run(self) -> None:
        app = get_app()
        if self.watch is not None:
            app.create_background_task(self._watch_kernel())
        if self.calltips is not None:
            app.create_background_task(self._pump_calltips())

    # -- the calltip under the prompt (calltip.py) -------------------------------------------------------
    def _cursor_moved(self, buffer: Any) -> None:
        tips = self.calltips
        if tips is None:
            return
        doc = buffer.document
        tips.update(doc.text, doc.cursor_position)
        self._show_tip()

    def _show_tip(self) -> None:
        tip = self.calltips.tip if self.calltips is not None else None
        toolbar: Any = None
        if tip is not None:
            parts = [("class:calltip.signature", tip.signature)]
            if tip.doc:
                parts += [("", "\n"), ("class:calltip.doc", tip.doc)]
            toolbar = FormattedText(parts)
        if toolbar != self.cells.bottom_toolbar:
            # None hides the toolbar line altogether (prompt_toolkit tests the attribute itself)
            self.cells.bottom_toolbar = toolbar
            get_app().invalidate()

    async def _pump_calltips(self) -> None:
        tips = self.calltips
        assert tips is not None
        asked = asyncio.Event()
        tips.on_asked = asked.set
        if tips.waiting:
            asked.set()  # asked before this task started (keys typed ahead)
        try:
            while True:
                await asked.wait()
                asked.clear()
                # replies are looked for only while one is awaited: an idle prompt costs nothing
                while tips.waiting:
                    await asyncio.sleep(tips.poll_interval)
                    if tips.pump():
                        self._show_tip()
        finally:
            tips.on_asked = None

    async def _watch_kernel(self) -> None:
        watch = self.watch
        assert watch is not None
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            if watch.needs_attention():

                def attend() -> None:
                    self._number = watch.attend()

                # the prompt is erased while the news is printed, then drawn again below it
                await run_in_terminal(attend)

    def read_input(self, prompt: str, password: bool) -> str:
        # the text printed just before input() belongs on the prompt's line (prompt_toolkit redraws it)
        message = ANSI(self.renderer.take_partial_line() + prompt)
        return (self.passwords if password else self.inputs).prompt(message)

    def _continuation(self, width: int, line_number: int, wrap_count: int) -> Any:
        return FormattedText([("class:continuation", "...: ".rjust(max(self._width, width)))])


class HideInput(Processor):
    def apply_transformation(self, transformation_input: TransformationInput) -> Transformation:
        # no fragments, and the cursor stays put, so not even the length shows
        return Transformation([], source_to_display=lambda i: 0, display_to_source=lambda i: 0)


def cell_key_bindings(is_complete: IsComplete) -> KeyBindings:
    """Enter asks the kernel whether the cell is complete; Tab at the start of a line indents."""
    kb = KeyBindings()
    in_cell = has_focus(DEFAULT_BUFFER)

    @Condition
    def at_line_start() -> bool:
        return not get_app().current_buffer.document.current_line_before_cursor.strip()

    @kb.add("enter", filter=in_cell)
    def _enter(event: KeyPressEvent) -> None:
        buf = event.current_buffer
        state = buf.complete_state
        if state is not None and state.current_completion is not None:
            buf.apply_completion(state.current_completion)
            return
        doc = buf.document
        if doc.text_after_cursor.strip():
            # editing inside the cell: Enter splits the line, keeping its indent
            line = doc.current_line_before_cursor
            buf.insert_text("\n" + line[: len(line) - len(line.lstrip())])
            return
        status, indent = is_complete(doc.text)
        if status == "incomplete":
            buf.insert_text("\n" + indent)
        else:
            # "invalid" too: the kernel reports the SyntaxError better than a prompt that refuses Enter
            buf.validate_and_handle()

    @kb.add("tab", filter=in_cell & at_line_start)
    def _indent(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text(_INDENT)

    return kb
