"""Kernel start-up: ``python -m ipykernel_lite -f CONNECTION_FILE``.

Only what the first kernel_info_reply needs is imported here; pydantic (validation) and jedi (completion) are
warmed in a background thread once the first request has been answered, or after a short idle delay.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

import zmq

from ..protocol import MessageFactory, Signer, WireCodec
from ..protocol.connection import ConnectionInfo, read_connection_file, write_connection_file
from .control import ControlThread
from .execution import Executor
from .heartbeat import Heartbeat, bind
from .iopub import IOPub
from .kernel import Kernel
from .parent_watch import watch_parent
from .requests import Requests
from .stdin import StdinBridge
from .streams import Flusher, OutStream

log = logging.getLogger("ipykernel_lite")


USAGE = """usage: python -m ipykernel_lite -f CONNECTION_FILE [--ip IP] [--debug]

  -f, --connection-file FILE  connection file (created with free ports and a new key if missing)
  --ip IP                     address to bind when creating a connection file (default 127.0.0.1)
  --debug                     log protocol problems verbosely to stderr
"""


class Args:
    connection_file: str | None = None
    ip: str | None = None
    debug = False


def parse_args(argv: list[str]) -> Args:
    """A hand-rolled parser: argparse alone costs the kernel's start-up a few milliseconds."""
    args = Args()
    it = iter(argv)
    for a in it:
        key, eq, value = a.partition("=")
        if key in ("-f", "--connection-file", "--f"):
            args.connection_file = value if eq else next(it, None)
        elif key == "--ip":
            args.ip = value if eq else next(it, None)
        elif a == "--debug":
            args.debug = True
        elif a in ("-h", "--help"):
            print(USAGE)
            sys.exit(0)
        # unknown options are ignored: front ends pass their own (e.g. --matplotlib)
    return args


def _bind_all(ctx: zmq.Context, info: ConnectionInfo) -> dict[str, zmq.Socket]:
    types = {"shell": zmq.ROUTER, "control": zmq.ROUTER, "stdin": zmq.ROUTER, "iopub": zmq.XPUB}
    socks: dict[str, zmq.Socket] = {}
    for name, kind in types.items():
        s = ctx.socket(kind)
        s.linger = 1000 if name == "iopub" else 0
        if kind == zmq.ROUTER:
            # a client reconnecting with the same identity takes over its routing slot
            s.router_handover = 1
        else:
            s.setsockopt(zmq.XPUB_VERBOSE, 1)  # every subscription, so every client gets its welcome
        port = bind(s, _url(info, name))
        setattr(info, f"{name}_port", port)
        socks[name] = s
    return socks


def _url(info: ConnectionInfo, channel: str) -> str:
    if info.transport == "ipc":
        return info.url(channel)
    host = f"[{info.ip}]" if ":" in info.ip else info.ip
    return f"tcp://{host}:{info.port(channel)}"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    handler = logging.StreamHandler(sys.__stderr__)
    handler.setFormatter(logging.Formatter("[ipykernel_lite %(levelname)s] %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if args.debug else logging.WARNING)
    log.propagate = False
    path = args.connection_file
    if path and os.path.exists(path):
        info = read_connection_file(path)
    else:
        info = ConnectionInfo(ip=args.ip or "127.0.0.1")
    ctx = zmq.Context()
    socks = _bind_all(ctx, info)
    hb = Heartbeat(_url(info, "hb"))
    info.hb_port = hb.port
    if path and not os.path.exists(path):
        write_connection_file(path, info)
        print(f"ipykernel_lite: wrote {path}", file=sys.__stderr__)
    elif not path:
        print(f"ipykernel_lite: {info.to_dict()}", file=sys.__stderr__)
    hb.start()

    codec = WireCodec(Signer(info.key.encode(), info.signature_scheme))
    factory = MessageFactory(username="kernel")
    iopub = IOPub(socks["iopub"], codec, factory, topic_prefix=f"kernel.{factory.session[:8]}")
    wake = ctx.socket(zmq.PAIR)
    wake.bind(f"inproc://ipykernel_lite-wake-{id(wake)}")
    kernel = Kernel(
        shell=socks["shell"],
        control=socks["control"],
        stdin=socks["stdin"],
        iopub=iopub,
        codec=codec,
        factory=factory,
        wake=wake,
    )
    iopub.publish("status", {"execution_state": "starting"})

    streams: list[OutStream] = []

    def flush_streams() -> None:
        for s in streams:
            s._flush_locked()

    flusher = Flusher(lambda: _flush_all(iopub, flush_streams))
    parent = lambda: kernel.parent  # noqa: E731
    streams[:] = [OutStream("stdout", iopub, parent, flusher), OutStream("stderr", iopub, parent, flusher)]
    iopub.before_send = flush_streams
    flusher.start()
    sys.stdout, sys.stderr = streams[0], streams[1]

    executor = Executor(kernel)
    Requests(kernel, executor).install()
    stdin_bridge = StdinBridge(kernel)
    stdin_bridge.install()
    kernel.stdin_bridge = stdin_bridge
    kernel.interrupts.install()
    _install_extensions(kernel, executor)

    if os.environ.get("IPYKERNEL_LITE_WARMUP", "1") != "0":
        # jedi and the models load in the background once the kernel has answered (or after 0.3 s idle),
        # so neither the first reply nor the first completion pays for them
        warm = threading.Timer(0.3, _warm_up, args=(kernel,))
        warm.daemon = True

        def first_reply() -> None:
            warm.cancel()
            _start_warm_up(kernel)

        kernel.on_first_reply = first_reply
        warm.start()

    ppid = os.environ.get("JPY_PARENT_PID")
    if ppid and ppid.isdigit() and int(ppid) > 1:
        watch_parent(int(ppid), lambda: kernel.request_stop(0))

    ControlThread(kernel).start()
    try:
        kernel.serve_forever()
    finally:
        _flush_all(iopub, flush_streams)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    _exit(kernel.exit_code)


#: optional kernel features; each module's ``install(kernel, executor)`` must be cheap (no heavy imports)
EXTENSIONS = ("debugger", "gui")


def _install_extensions(kernel: Kernel, executor: Executor) -> None:
    from importlib import import_module

    for name in EXTENSIONS:
        try:
            mod = import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__package__}.{name}":
                raise
            continue
        mod.install(kernel, executor)


def _flush_all(iopub: IOPub, flush_streams: object) -> None:
    with iopub.lock:
        flush_streams()  # type: ignore[operator]


_warm_started = threading.Event()


def _start_warm_up(kernel: Kernel) -> None:
    if not _warm_started.is_set():
        threading.Thread(target=_warm_up, args=(kernel,), name="ipykernel_lite-warmup", daemon=True).start()


def _warm_up(kernel: Kernel) -> None:
    """Import what later requests need, off the main thread, after the kernel has answered once."""
    if _warm_started.is_set():
        return
    _warm_started.set()
    try:
        from ..protocol.models.registry import validate_content  # noqa: F401
        from . import compiler, tracebacks  # noqa: F401
    except Exception as e:
        log.debug("warm-up of the models failed: %s", e)
    try:
        from ..introspect import warm_up

        warm_up()
    except Exception as e:
        log.debug("warm-up of jedi failed: %s", e)


def _exit(code: int) -> None:
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        # zmq's context teardown can wait on daemon threads' sockets: leave without it
        os._exit(code)
