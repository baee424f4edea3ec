"""Run user code from inside a magic (``%time``, ``%%capture``…) as a cell runs: last expression's value back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


def compile_source(kernel: Kernel, code: str, *, first_line: int = 1, echo: bool = True) -> Any:
    """Compile ``code`` (magics in it rewritten) as the kernel compiles cells.

    Blank lines in front keep the line numbers of the cell the code came from (a cell magic's body starts
    on line 2), so tracebacks point at the user's lines.
    """
    from ..kernel.transforms import rewrite_magics

    executor = kernel.host.executor
    typed = "\n" * (first_line - 1) + code
    source = rewrite_magics(typed)
    return executor.compiler.compile(source, None, echo_last=echo, shown=typed if source is not typed else None)


def run_source(kernel: Kernel, code: str, *, first_line: int = 1, echo: bool = True) -> Any:
    """Run ``code`` in the user namespace; return its last expression's value (None for a statement)."""
    return run_compiled(kernel, compile_source(kernel, code, first_line=first_line, echo=echo))


def run_compiled(kernel: Kernel, cell: Any) -> Any:
    ns = kernel.host.executor.ns
    if cell.is_async:
        from ..kernel.asyncio_runner import run_coroutine

        async def whole() -> Any:
            if cell.body is not None:
                r = eval(cell.body, ns)
                if r is not None and hasattr(r, "__await__"):
                    await r
            if cell.last_expr is None:
                return None
            v = eval(cell.last_expr, ns)
            return (await v) if hasattr(v, "__await__") and type(v).__name__ == "coroutine" else v

        return run_coroutine(whole(), kernel.interrupts)
    if cell.body is not None:
        exec(cell.body, ns)
    if cell.last_expr is not None:
        return eval(cell.last_expr, ns)
    return None
