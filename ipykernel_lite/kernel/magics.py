"""A few small, documented magics. Each is a function ``(kernel, args) -> value``.

Kept deliberately tiny: the kernel is not IPython. The built-in ones below are installed by the core kernel
extension; other extensions add theirs (``%debug``, ``%gui``, ``%matplotlib``) with ``host.add_magic``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .kernel import Kernel

Magic = Callable[["Kernel", str], Any]
#: the built-in magics (the core extension installs them)
BUILTIN: dict[str, Magic] = {}


def register(name: str) -> Callable[[Magic], Magic]:
    def deco(f: Magic) -> Magic:
        BUILTIN[name] = f
        return f

    return deco


class UsageError(Exception):
    """A magic called wrongly; shown as a one-line error."""


def call_magic(kernel: Kernel, name: str, args: str) -> Any:
    host = kernel.host
    magic = host.magic(name)
    if magic is None:
        known = ", ".join(f"%{n}" for n in host.magic_names() if n != "system")
        raise UsageError(f"unknown magic %{name} (known: {known})")
    return magic(kernel, args)


@register("system")
def _system(kernel: Kernel, cmd: str) -> None:
    """``!cmd``: run a shell command, its output streamed into the cell."""
    import subprocess

    proc = subprocess.Popen(
        cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
    except KeyboardInterrupt:
        proc.terminate()
        raise
    finally:
        proc.wait()


@register("cd")
def _cd(kernel: Kernel, args: str) -> None:
    """``%cd DIR``: change the working directory (``~`` expanded); no argument goes home."""
    import shlex

    target = os.path.expanduser(shlex.split(args)[0] if args.strip() else "~")
    os.chdir(target)
    print(os.getcwd())


@register("pwd")
def _pwd(kernel: Kernel, args: str) -> str:
    """``%pwd``: the working directory."""
    return os.getcwd()


@register("env")
def _env(kernel: Kernel, args: str) -> Any:
    """``%env``: all variables; ``%env NAME``: one; ``%env NAME=VALUE`` or ``%env NAME VALUE``: set one."""
    args = args.strip()
    if not args:
        return dict(os.environ)
    if "=" in args or " " in args:
        name, _, value = args.replace("=", " ", 1).partition(" ")
        os.environ[name.strip()] = value.strip()
        return None
    return os.environ.get(args)


@register("magic")
def _list(kernel: Kernel, args: str) -> None:
    """``%magic``: list the magics."""
    host = kernel.host
    for name in host.magic_names():
        doc = (getattr(host.magic(name), "__doc__", None) or "").strip().splitlines()
        print(f"%{name:<12} {doc[0] if doc else ''}")
