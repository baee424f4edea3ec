"""The command line of ``ipykernel-lite console``."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Literal

from .history import IN_MEMORY

CONNECTION_FILE = "{connection_file}"


@dataclass
class ConsoleOptions:
    #: connection file (or its name in Jupyter's runtime directory) of a running kernel to attach to
    existing: str | None = None
    #: argv of another kernel to start (``{connection_file}`` is replaced), instead of ipykernel_lite
    kernel_cmd: list[str] | None = None
    #: history file; None for the default one in the user's data directory, ":memory:" for none on disk
    history: str | None = None
    simple_prompt: bool = False
    #: None: colours when the output is a terminal (and NO_COLOR is not set)
    color: bool | None = None
    interrupt_mode: Literal["signal", "message"] = "signal"
    ready_timeout: float = 60.0
    #: a Jupyter Server / Kernel Gateway URL: the kernel runs there (see docs/remote.md)
    server: str | None = None
    token: str | None = None
    #: kernelspec to start on the server (its default if None), or the id of a kernel it runs to attach to
    kernel: str | None = None
    attach: str | None = None
    #: with ``existing``: reach the kernel's ports through an SSH tunnel to this ``user@host``
    ssh: str | None = None
    #: extra ``ssh`` options: ``-i KEY`` and ``-o OPTION`` (ssh reads ~/.ssh/config as usual)
    ssh_options: list[str] | None = None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ipykernel-lite console",
        description="An interactive terminal attached to a new kernel (or a running one, with --existing).",
    )
    p.add_argument("--existing", metavar="FILE", help="attach to the kernel of this connection file")
    p.add_argument(
        "--history",
        metavar="FILE",
        help=f"history file (default: in the user's data directory; {IN_MEMORY} keeps it in memory)",
    )
    p.add_argument("--simple-prompt", action="store_true", help="plain input() prompts, no prompt_toolkit")
    colors = p.add_mutually_exclusive_group()
    colors.add_argument("--color", dest="color", action="store_true", default=None, help="always colour")
    colors.add_argument("--no-color", dest="color", action="store_false", help="never colour")
    p.add_argument(
        "--interrupt-mode",
        choices=("signal", "message"),
        default="signal",
        help="how Ctrl-C interrupts a kernel the console started (default: signal)",
    )
    p.add_argument("--ready-timeout", type=float, default=60.0, metavar="S", help="seconds to wait for the kernel")
    remote = p.add_argument_group("remote kernels (docs/remote.md)")
    remote.add_argument("--server", metavar="URL", help="run the kernel on this Jupyter Server / Kernel Gateway")
    remote.add_argument("--token", metavar="T", help="the server's token (default: $JUPYTER_TOKEN)")
    which = remote.add_mutually_exclusive_group()
    which.add_argument("--kernel", metavar="NAME", help="kernelspec to start on the server (default: its default)")
    which.add_argument("--attach", metavar="ID", help="attach to the server's running kernel with this id")
    remote.add_argument("--ssh", metavar="USER@HOST", help="with --existing: tunnel the kernel's ports over ssh")
    remote.add_argument("--ssh-key", metavar="FILE", help="private key for --ssh (default: ssh's own choice)")
    remote.add_argument(
        "--ssh-option", metavar="OPT", action="append", default=[], help="an ssh -o option for --ssh (repeatable)"
    )
    p.add_argument(
        "--kernel-cmd",
        nargs=argparse.REMAINDER,
        metavar="ARGV",
        help=f"start this kernel instead (last option; {CONNECTION_FILE} is replaced, "
        f"'-f {CONNECTION_FILE}' is appended when absent)",
    )
    return p


def parse_args(argv: list[str]) -> ConsoleOptions:
    if argv[:1] == ["--"]:
        # how options get past a parent parser that stops at them (``ipykernel-lite console -- --existing F``)
        argv = argv[1:]
    args = parser().parse_args(argv)
    kernel_cmd: list[str] | None = args.kernel_cmd or None
    if kernel_cmd and kernel_cmd[0] == "--":
        kernel_cmd = kernel_cmd[1:] or None
    if args.existing and kernel_cmd:
        parser().error("--existing and --kernel-cmd exclude each other")
    if args.server and (args.existing or kernel_cmd):
        parser().error("--server excludes --existing and --kernel-cmd")
    if (args.kernel or args.attach or args.token) and not args.server:
        parser().error("--kernel, --attach and --token need --server")
    if (args.ssh_key or args.ssh_option) and not args.ssh:
        parser().error("--ssh-key and --ssh-option need --ssh")
    if args.ssh and not args.existing:
        parser().error("--ssh needs --existing (a connection file whose ports are on that host)")
    if kernel_cmd and not any(CONNECTION_FILE in a for a in kernel_cmd):
        kernel_cmd = [*kernel_cmd, "-f", CONNECTION_FILE]
    return ConsoleOptions(
        existing=args.existing,
        kernel_cmd=kernel_cmd,
        history=args.history,
        simple_prompt=args.simple_prompt,
        color=args.color,
        interrupt_mode="message" if args.interrupt_mode == "message" else "signal",
        ready_timeout=args.ready_timeout,
        server=args.server,
        token=args.token if args.token is not None else (os.environ.get("JUPYTER_TOKEN") or None),
        kernel=args.kernel,
        attach=args.attach,
        ssh=args.ssh,
        ssh_options=[*(["-i", args.ssh_key] if args.ssh_key else []), *(f"-o{o}" for o in args.ssh_option)] or None,
    )
