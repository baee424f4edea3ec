"""``%who``, ``%whos``, ``%who_ls``, ``%reset``, ``%xdel``: the user's variables, as IPython lists them."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any

from ..kernel.magics import UsageError, parse_options

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel

_TYPE_NAMES = {"function": types.FunctionType, "module": types.ModuleType, "builtin": types.BuiltinFunctionType}


def _user_names(kernel: Kernel, args: str) -> list[str]:
    """The names the user defined (not the kernel's, not ``_``-prefixed), sorted; filtered by type names."""
    ns = kernel.host.executor.ns
    baseline = _baseline(kernel)
    wanted = args.split()
    names = []
    for name, value in ns.items():
        if name.startswith("_") or (name in baseline and baseline[name] is value):
            continue
        if name in ("In", "Out", "exit", "quit", "get_ipython"):
            continue
        if wanted and type(value).__name__ not in wanted:
            continue
        names.append(name)
    return sorted(names)


def _baseline(kernel: Kernel) -> dict[str, Any]:
    return getattr(kernel.host.executor, "hidden_names", {}) or {}


def line_who_ls(kernel: Kernel, args: str) -> list[str]:
    return _user_names(kernel, args)


def line_who(kernel: Kernel, args: str) -> None:
    names = _user_names(kernel, args)
    if not names:
        print("Interactive namespace is empty." if not args.strip() else "No variables match your requested type.")
        return
    # IPython's layout: each name, a tab and a space
    print("".join(f"{n}\t " for n in names))


def line_whos(kernel: Kernel, args: str) -> None:
    names = _user_names(kernel, args)
    if not names:
        print("Interactive namespace is empty." if not args.strip() else "No variables match your requested type.")
        return
    ns = kernel.host.executor.ns
    rows = [(n, type(ns[n]).__name__, _describe(ns[n])) for n in names]
    w0 = max(len("Variable"), *(len(r[0]) for r in rows)) + 3
    w1 = max(len("Type"), *(len(r[1]) for r in rows)) + 3
    print(f"{'Variable':<{w0}}{'Type':<{w1}}Data/Info")
    print("-" * (w0 + w1 + 9))
    for name, tname, info in rows:
        print(f"{name:<{w0}}{tname:<{w1}}{info}")


def _describe(value: Any) -> str:
    shape = getattr(value, "shape", None)
    if type(value).__name__ == "ndarray" and shape is not None:
        return f"{'x'.join(str(s) for s in shape)}: {value.size} elems, type `{value.dtype}`, {value.nbytes} bytes"
    if isinstance(value, dict | list | tuple):
        return f"n={len(value)}"
    try:
        text = str(value)
    except Exception:
        text = "<unprintable>"
    text = text.replace("\n", "\\n")
    return text if len(text) <= 50 else text[:25] + "<...>" + text[-20:]


def line_reset(kernel: Kernel, args: str) -> None:
    """``%reset [-f] [-s] [in|out|dhist|array]``: delete the user's variables (asks unless -f)."""
    opts, rest = parse_options(args, "sf", "aggressive")
    if "f" not in opts:
        answer = input("Once deleted, variables cannot be recovered. Proceed (y/[n])? ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing done.")
            return
    if "array" in rest:
        ns = kernel.host.executor.ns
        for name in [n for n, v in ns.items() if type(v).__name__ == "ndarray"]:
            del ns[name]
        return
    if rest and set(rest) <= {"in", "out", "dhist"}:
        return
    ns = kernel.host.executor.ns
    for name in _user_names(kernel, ""):
        del ns[name]


def line_xdel(kernel: Kernel, args: str) -> None:
    ns = kernel.host.executor.ns
    for name in args.split():
        if name not in ns:
            raise UsageError(f"name {name!r} is not defined")
        value = ns.pop(name)
        for other in [k for k, v in ns.items() if v is value]:
            del ns[other]
