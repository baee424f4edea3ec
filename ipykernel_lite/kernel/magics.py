"""Magics: the table of built-in ones, the dispatch from rewritten cells, ``$var``/``{expr}`` expansion.

A line magic is ``fn(kernel, args) -> value``, a cell magic ``fn(kernel, line, body) -> value``. The built-in
ones are named here as "module:function" below ``ipykernel_lite.magics`` and imported on first use, so that
start-up pays for none of them. Extensions add theirs with ``host.add_magic`` / ``host.add_cell_magic``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from string import Formatter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .kernel import Kernel

Magic = Callable[["Kernel", str], Any]
CellMagic = Callable[["Kernel", str, str], Any]


class UsageError(Exception):
    """A magic called wrongly; shown as a one-line error (as IPython does)."""


#: line magics: name → "module:function" below ipykernel_lite.magics
LINE: dict[str, str] = {
    **dict.fromkeys(("time", "timeit", "prun"), "timing"),
    **{n: "system" for n in ("system", "sx", "cd", "pwd", "env", "pip", "conda", "alias", "unalias")},
    **{n: "system" for n in ("ls", "cat", "cp", "mv", "rm", "mkdir", "rmdir", "ll", "lf", "lk", "lx", "ldir")},
    **{n: "namespace" for n in ("who", "whos", "who_ls", "reset", "xdel")},
    **{n: "files" for n in ("run", "load", "history", "page", "pycat")},
    **{n: "config" for n in ("load_ext", "reload_ext", "unload_ext", "xmode", "precision", "config", "pdb",
                             "autoreload", "aimport", "lsmagic", "magic", "automagic", "colors",
                             "doctest_mode", "pprint")},
}
#: cell magics: name → module below ipykernel_lite.magics
CELL: dict[str, str] = {
    **dict.fromkeys(("time", "timeit", "prun"), "timing"),
    **dict.fromkeys(("writefile", "file", "capture"), "files"),
    **dict.fromkeys(("bash", "sh", "script", "perl", "python", "python3", "ruby", "system", "sx"), "system"),
    **dict.fromkeys(("html", "HTML", "markdown", "latex", "svg", "javascript", "js"), "rich"),
}


def lazy_line(name: str, module: str) -> Magic:
    def call(kernel: Kernel, args: str) -> Any:
        from importlib import import_module

        return getattr(import_module(f"ipykernel_lite.magics.{module}"), "line_" + name)(kernel, args)

    call.__doc__ = f"%{name}"
    return call


def lazy_cell(name: str, module: str) -> CellMagic:
    def call(kernel: Kernel, line: str, body: str) -> Any:
        from importlib import import_module

        return getattr(import_module(f"ipykernel_lite.magics.{module}"), "cell_" + name)(kernel, line, body)

    call.__doc__ = f"%%{name}"
    return call


def call_magic(kernel: Kernel, name: str, args: str, frame_depth: int = 2) -> Any:
    host = kernel.host
    magic = host.magic(name)
    if magic is None:
        if host.cell_magic(name) is not None:
            raise UsageError(f"Line magic function `%{name}` not found (But cell magic `%%{name}` exists, "
                             "did you mean that instead?).")
        raise UsageError(f"Line magic function `%{name}` not found.")
    if name not in NO_EXPAND:
        args = var_expand(args, kernel.host.executor.ns, _frame_locals(frame_depth))
    return magic(kernel, args)


def call_cell_magic(kernel: Kernel, name: str, line: str, body: str, frame_depth: int = 2) -> Any:
    host = kernel.host
    magic = host.cell_magic(name)
    if magic is None:
        raise UsageError(f"Cell magic `%%{name}` not found.")
    line = var_expand(line, kernel.host.executor.ns, _frame_locals(frame_depth))
    return magic(kernel, line, body)


#: magics whose argument is Python code: ``{}`` and ``$`` are the code's own
NO_EXPAND = frozenset({"time", "timeit", "prun", "debug", "config", "precision"})


def _frame_locals(depth: int) -> dict[str, Any]:
    try:
        frame = sys._getframe(depth + 1)
    except ValueError:
        return {}
    return dict(frame.f_locals) if frame.f_locals is not frame.f_globals else {}


class _Expander(Formatter):
    """``{expr}`` evaluated in the namespace, ``$name`` / ``$name.attr`` looked up, ``$$`` is a ``$``."""

    def __init__(self, ns: dict[str, Any]) -> None:
        self.ns = ns

    def parse(self, format_string: str) -> Any:
        for literal, field, spec, conv in super().parse(format_string):
            yield from self._dollars(literal)
            if field is not None:
                yield "", field, spec, conv

    def _dollars(self, text: str) -> Any:
        import re

        pos = 0
        pending = ""
        for m in re.finditer(r"\$(\$?[\w.]+)", text):
            if _in_single_quotes(text, m.start()):
                continue
            pending += text[pos : m.start()]
            field = m.group(1)
            if field.startswith("$"):
                pending += field
            else:
                yield pending, field, "", None
                pending = ""
            pos = m.end()
        yield pending + text[pos:], None, None, None

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        return eval(field_name, {}, self.ns), None


def _in_single_quotes(text: str, index: int) -> bool:
    return text[:index].count("'") % 2 == 1


def var_expand(text: str, user_ns: dict[str, Any], local: dict[str, Any] | None = None) -> str:
    """Expand ``{expr}`` and ``$var`` in a magic's or a shell command's text; left as is if that fails."""
    if "{" not in text and "$" not in text:
        return text
    ns = dict(user_ns)
    if local:
        ns.update(local)
    try:
        return _Expander(ns).vformat(text, (), {})
    except Exception:
        return text


def parse_options(args: str, spec: str, *long: str, posix: bool = True) -> tuple[dict[str, Any], list[str]]:
    """getopt-style options as IPython's magics take them: ``spec`` like ``"n:r:oq"``; → (opts, rest).

    A repeated option keeps its last value; flags map to "".
    """
    import getopt
    import shlex

    try:
        argv = shlex.split(args, posix=posix)
    except ValueError:
        argv = args.split()
    try:
        opts, rest = getopt.getopt(argv, spec, list(long))
    except getopt.GetoptError as e:
        raise UsageError(str(e)) from None
    return {k.lstrip("-"): v for k, v in opts}, rest


def split_options(args: str, spec: str) -> tuple[dict[str, Any], str]:
    """Options first, then the rest of the line kept verbatim (``%timeit -n 10 f(x, y)``)."""
    import re

    opts: dict[str, Any] = {}
    rest = args.lstrip()
    while rest.startswith("-") and len(rest) > 1 and rest[1] != " ":
        m = re.match(r"-(\w)(?:\s*(\S+))?\s*", rest)
        if m is None:
            break
        flag = m.group(1)
        i = spec.find(flag)
        if i < 0:
            raise UsageError(f"option -{flag} not recognized")
        takes = i + 1 < len(spec) and spec[i + 1] == ":"
        if takes:
            if m.group(2) is None:
                raise UsageError(f"option -{flag} requires argument")
            opts[flag] = m.group(2)
            rest = rest[m.end() :]
        else:
            opts[flag] = ""
            rest = rest[2:].lstrip()
    return opts, rest
