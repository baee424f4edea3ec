"""Running an execute_request on the main thread: compile, run, echo, report errors, keep history.

The namespace is a real ``__main__`` module so pickling, ``inspect`` and ``doctest`` find user classes. Kernel
frames are hidden from tracebacks; the displayhook publishes ``execute_result`` with a full mimebundle.
"""

from __future__ import annotations

import builtins
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .. import display as display_mod
from . import magics, transforms
from .history import History

if TYPE_CHECKING:
    from ..protocol import Message
    from .compiler import CellCompiler, Origin
    from .kernel import Kernel

JSONDict = dict[str, Any]

_KERNEL_DIR = os.path.dirname(os.path.abspath(__file__))
_HIDDEN_PREFIXES = (_KERNEL_DIR + os.sep,)


def _hidden(filename: str) -> bool:
    return filename.startswith(_HIDDEN_PREFIXES)


class Executor:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.module = types.ModuleType("__main__", "The kernel's user namespace")
        self.ns: dict[str, Any] = self.module.__dict__
        self.ns["__builtins__"] = builtins
        self.ns[transforms.MAGIC_CALL] = self._magic
        self.ns[transforms.CELL_MAGIC_CALL] = self._cell_magic
        sys.modules["__main__"] = self.module
        builtins.display = display_mod.display  # type: ignore[attr-defined]
        display_mod.publisher = kernel.publish
        self.execution_count = 0
        self.history = History()
        self._compiler: CellCompiler | None = None
        self._silent = False
        self._count = 0
        self._payload: list[JSONDict] = []
        #: the value the running cell echoed (``post_run_cell`` callbacks see it as ``result.result``)
        self.last_result: Any = None
        self._echo_error: tuple[str, str, list[str]] | None = None
        sys.displayhook = self.displayhook
        from .exit_call import install as install_exit

        install_exit(self.ns, self._add_payload)

    def _add_payload(self, item: JSONDict) -> None:
        if item not in self._payload:  # exit() twice in one cell asks once
            self._payload.append(item)

    @property
    def compiler(self) -> CellCompiler:
        if self._compiler is None:
            from .compiler import CellCompiler

            self._compiler = CellCompiler()
        return self._compiler

    # --- the request -----------------------------------------------------------------------------------------
    def execute_request(self, msg: Message) -> JSONDict:
        c = msg.content
        code: str = c.get("code", "")
        silent = bool(c.get("silent", False))
        store_history = bool(c.get("store_history", True)) and not silent
        if store_history:
            self.execution_count += 1
        count = self.execution_count
        kernel = self.kernel
        kernel.parent = msg
        kernel.interrupts.begin_request()
        try:
            for hook in kernel.host.hooks.pre_execute:
                hook(msg)
            return self._execute(msg, code, silent, store_history, count)
        finally:
            kernel.interrupts.end_request()

    def _execute(self, msg: Message, code: str, silent: bool, store_history: bool, count: int) -> JSONDict:
        c = msg.content
        kernel = self.kernel
        if not silent:
            kernel.iopub.publish("execute_input", {"code": code, "execution_count": count}, msg)
        self._silent, self._count, self._payload = silent, count, []
        self.last_result = None
        self._echo_error = None
        origin = _origin(msg.metadata)
        if origin is not None:
            with run_context(msg.metadata["origin"], self.ns):
                error = self.run_cell(code, origin, silent=silent)
        else:
            error = self.run_cell(code, None, silent=silent)
        if error is None and self._echo_error is not None:
            error = self._echo_error
        if store_history:
            self.history.store_input(count, code)
        content: JSONDict = {"status": "ok", "execution_count": count, "payload": self._payload}
        if error is not None:
            ename, evalue, tb = error
            content.update(status="error", ename=ename, evalue=evalue, traceback=tb)
            content["user_expressions"] = {}
            # the error output was published by run_cell, before post-execute outputs (inline figures)
            # with stop_on_error, the request cycle sets aside what was queued behind this cell (cycle.py)
        else:
            content["user_expressions"] = self.user_expressions(c.get("user_expressions") or {})
        return content

    def run_cell(
        self, code: str, origin: Origin | None, *, silent: bool = False
    ) -> tuple[str, str, list[str]] | None:
        """Run ``code``; return None or (ename, evalue, traceback lines)."""
        help_req = transforms.help_request(code)
        if help_req is not None:
            self._page(*help_req)
            return None
        policy = self.kernel.interrupts
        try:
            source = transforms.rewrite_magics(code, self._is_automagic)
            shown = code if source is not code else None
            filename = None
            if origin is None:
                for name_of in self.kernel.host.hooks.cell_filename:
                    filename = name_of(code)  # from the code as received: the front end hashes that text
                    if filename:
                        break
            cell = self.compiler.compile(source, origin, echo_last=not silent, filename=filename, shown=shown)
            policy.arm()
            try:
                if cell.is_async:
                    self._run_async(cell)
                else:
                    if cell.body is not None:
                        exec(cell.body, self.ns)
                    if cell.last_expr is not None:
                        value = eval(cell.last_expr, self.ns)
                        if value is not None:
                            self._echo(value)
            finally:
                policy.disarm()
        except BaseException as e:
            if type(e).__name__ == "BdbQuit":
                return None  # the user typed q in the debugger: the cell simply ends
            hooks = self.kernel.host.hooks
            if any(quiet(e) for quiet in hooks.quiet_exit):
                return None  # e.g. sys.exit(app.exec()) in a script run under %gui: the script simply ends
            if isinstance(e, SystemExit):
                self._add_payload({"source": "ask_exit", "keepkernel": False})
            report = self._report(e)
            parent = self.kernel.parent
            if isinstance(e, magics.UsageError):
                # as IPython: a magic used wrongly is one line on stderr, not an error output
                print(f"UsageError: {e}", file=sys.stderr)
            elif not silent and parent is not None:
                # as ipykernel: the error comes before what post-execute hooks show (figures drawn by the cell)
                ename, evalue, tb = report
                self.kernel.iopub.publish("error", {"ename": ename, "evalue": evalue, "traceback": tb}, parent)
            for hook in hooks.error:
                if parent is not None:
                    hook(parent, e)
            return report
        finally:
            # as IPython's display trap: a displayhook the user installs serves the rest of that cell only
            sys.displayhook = self.displayhook
            for post in self.kernel.host.hooks.post_execute:
                try:
                    post()
                except Exception as e:  # a failing hook must not turn a good cell into a failed one
                    self._hook_failed(e, silent)
        return None

    def _hook_failed(self, exc: Exception, silent: bool) -> None:
        """A post-execute hook raised (drawing a figure failed): an error output, the cell still succeeds."""
        from .tracebacks import format_exception

        parent = self.kernel.parent
        if silent or parent is None:
            print(f"post-execute hook failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return
        ename, evalue, tb = format_exception(exc, hide=_hidden)
        self.kernel.iopub.publish("error", {"ename": ename, "evalue": evalue, "traceback": tb}, parent)

    def _run_async(self, cell: Any) -> None:
        from .asyncio_runner import run_coroutine

        ns = self.ns

        async def whole_cell() -> Any:
            # body and last expression both run inside the loop, so get_running_loop() works in either
            if cell.body is not None:
                result = eval(cell.body, ns)
                if isinstance(result, types.CoroutineType):
                    await result
            if cell.last_expr is None:
                return None
            value = eval(cell.last_expr, ns)
            if isinstance(value, types.CoroutineType):
                value = await value
            return value

        value = run_coroutine(whole_cell(), self.kernel.interrupts)
        if value is not None:
            self._echo(value)

    def _echo(self, value: Any) -> None:
        """The last expression's value goes to ``sys.displayhook``: ours, or one the user installed."""
        self.last_result = value
        hook = sys.displayhook
        display_mod.format_errors.clear()
        if hook == self.displayhook:
            self.displayhook(value)
        else:
            hook(value)
        if display_mod.format_errors:
            # as ipykernel: the cell's value could not be shown, so the cell failed (errors already published)
            self._echo_error = display_mod.format_errors[-1]
            display_mod.format_errors.clear()

    def _is_automagic(self, name: str) -> bool:
        """A bare word is a magic (``ls``, ``pwd``) when a magic has that name and no variable shadows it."""
        if name in self.ns or hasattr(builtins, name) or self.kernel.host.magic(name) is None:
            return False
        import keyword

        return not keyword.iskeyword(name)

    def _report(self, exc: BaseException) -> tuple[str, str, list[str]]:
        from .tracebacks import format_exception

        if isinstance(exc, magics.UsageError):
            # as IPython: a wrongly called magic is one line, no traceback
            return "UsageError", str(exc), [f"\x1b[0;31mUsageError\x1b[0m: {exc}"]

        sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, exc.__traceback__
        if sys.version_info >= (3, 12):
            sys.last_exc = exc
        return format_exception(exc, hide=_hidden)

    # --- outputs ---------------------------------------------------------------------------------------------
    def displayhook(self, value: Any) -> None:
        if value is None:
            return
        builtins._ = value  # type: ignore[attr-defined]
        self.ns["_"] = value
        if self._silent:
            return
        data, md = display_mod.format_bundle(value)
        if not data:
            return  # the value's formatters all failed, each shown as an error output
        self.history.store_output(self._count, str(data.get("text/plain", "")))
        self.kernel.publish("execute_result", {"execution_count": self._count, "data": data, "metadata": md})

    def add_payload(self, payload: JSONDict) -> None:
        """A payload for the running request's execute_reply (``set_next_input``, ``page``, ``ask_exit``)."""
        self._payload.append(payload)

    def _page(self, expr: str, detail: int) -> None:
        from ..introspect import help_text

        text = help_text(expr, detail, [self.ns])
        if text is None:
            text = f"Object `{expr}` not found."
        self._payload.append({"source": "page", "data": {"text/plain": text}, "start": 0})

    def _magic(self, name: str, args: str) -> Any:
        return magics.call_magic(self.kernel, name, args)

    def _cell_magic(self, name: str, line: str, body: str) -> Any:
        return magics.call_cell_magic(self.kernel, name, line, body)

    def user_expressions(self, exprs: JSONDict) -> JSONDict:
        out: JSONDict = {}
        policy = self.kernel.interrupts
        for key, expr in exprs.items():
            try:
                # user code too: an interrupt stops the expression (its entry reports KeyboardInterrupt)
                policy.arm()
                try:
                    value = eval(str(expr), self.ns)
                finally:
                    policy.disarm()
                data, md = display_mod.format_bundle(value)
                out[key] = {"status": "ok", "data": data, "metadata": md}
            except BaseException as e:
                from .tracebacks import format_exception

                ename, evalue, tb = format_exception(e, hide=_hidden, color=False)
                out[key] = {"status": "error", "ename": ename, "evalue": evalue, "traceback": tb}
        return out

    def history_request(self, msg: Message) -> JSONDict:
        return {"status": "ok", "history": self.history.request(msg.content)}


@contextmanager
def run_context(origin: JSONDict, ns: dict[str, Any]) -> Iterator[None]:
    """The origin's run options, for the duration of the request only.

    ``cwd``: the file's folder is the working directory; ``as_main``: ``__file__`` and ``sys.argv`` as if the
    file were run as a script (``argv`` after the path).
    """
    path = origin["path"]
    old_cwd = None
    folder = os.path.dirname(os.path.abspath(path))
    if origin.get("cwd") and os.path.isdir(folder):
        old_cwd = os.getcwd()
        os.chdir(folder)
    as_main = bool(origin.get("as_main"))
    missing = object()
    old_file, old_argv = ns.get("__file__", missing), sys.argv
    if as_main:
        argv = origin.get("argv") or []
        ns["__file__"] = path
        sys.argv = [path, *(str(a) for a in argv)]
    try:
        yield
    finally:
        if as_main:
            sys.argv = old_argv
            if old_file is missing:
                ns.pop("__file__", None)
            else:
                ns["__file__"] = old_file
        if old_cwd is not None:
            try:
                os.chdir(old_cwd)
            except OSError:
                pass


def _origin(metadata: JSONDict) -> Origin | None:
    o = metadata.get("origin") if metadata else None
    if not isinstance(o, dict) or not isinstance(o.get("path"), str):
        return None
    from .compiler import Origin

    line = o.get("line", 1)
    cell = o.get("cell")
    return Origin(
        path=o["path"],
        line=line if isinstance(line, int) and line >= 1 else 1,
        cell=cell if isinstance(cell, str) else None,
    )
