"""The ``ipykernel-lite`` command: kernel, console, install, monitor, bridge."""

from __future__ import annotations

import argparse
import sys


def _install(args: argparse.Namespace) -> int:
    from .kernelspec import install

    dest = install(
        user=args.user,
        sys_prefix=args.sys_prefix,
        prefix=args.prefix,
        name=args.name,
        display_name=args.display_name,
    )
    print(f"Installed kernelspec {args.name} in {dest}")
    return 0


def _kernel(args: argparse.Namespace) -> int:
    from .kernel.app import main

    main(args.rest)
    return 0


def _console(args: argparse.Namespace) -> int:
    from .console import main

    return int(main(args.rest) or 0)


def _monitor(args: argparse.Namespace) -> int:
    from .monitor import main

    return int(main(args.rest) or 0)


def _bridge(args: argparse.Namespace) -> int:
    from .bridge import main

    return int(main(args.rest) or 0)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ipykernel-lite", description="A small, fast Python kernel for editors.")
    sub = p.add_subparsers(dest="command", required=True)

    k = sub.add_parser(
        "kernel", help="start a kernel: ipykernel-lite kernel -f CONNECTION_FILE", add_help=False
    )
    k.add_argument("rest", nargs=argparse.REMAINDER)
    k.set_defaults(func=_kernel)

    c = sub.add_parser(
        "console", help="a terminal console attached to a new (or existing) kernel", add_help=False
    )
    c.add_argument("rest", nargs=argparse.REMAINDER)
    c.set_defaults(func=_console)

    m = sub.add_parser("monitor", help="print every iopub event of a running kernel", add_help=False)
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=_monitor)

    b = sub.add_parser(
        "bridge", help="JSON-RPC over stdio for editors without zeromq (VS Code)", add_help=False
    )
    b.add_argument("rest", nargs=argparse.REMAINDER)
    b.set_defaults(func=_bridge)

    i = sub.add_parser("install", help="install the kernelspec for Jupyter front ends")
    where = i.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="in the user's Jupyter data folder")
    where.add_argument("--sys-prefix", action="store_true", help="in this Python environment (sys.prefix)")
    where.add_argument("--prefix", help="under PREFIX/share/jupyter/kernels")
    i.add_argument("--name", default="ipykernel_lite", help="kernelspec name (default: ipykernel_lite)")
    i.add_argument("--display-name", default=None, help="name shown in front ends")
    i.set_defaults(func=_install)

    argv = sys.argv[1:] if argv is None else list(argv)
    # subcommands with options of their own get every later argument verbatim (argparse.REMAINDER would stop
    # at an option right after the subcommand name)
    passthrough = {"kernel": _kernel, "console": _console, "monitor": _monitor, "bridge": _bridge}
    if argv and argv[0] in passthrough:
        return passthrough[argv[0]](argparse.Namespace(rest=argv[1:]))
    args = p.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
