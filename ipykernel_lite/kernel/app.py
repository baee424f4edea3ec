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
from ..protocol.curve import CurveKeyError, CurveKeys, has_curve_keys
from ..protocol.wire import DEFAULT_MAX_MESSAGE_SIZE
from . import fdcapture
from .control import ControlThread
from .control_wake import ControlWake
from .execution import Executor
from .extensions import ExtensionHost, KernelExtension
from .heartbeat import Heartbeat, bind
from .iopub import IOPub
from .kernel import Kernel
from .parent_watch import watch_parent
from .requests import CoreRequests
from .sigwatch import SigintWatch
from .stdin import StdinExtension
from .streams import Flusher, OutStream

log = logging.getLogger("ipykernel_lite")


USAGE = """usage: python -m ipykernel_lite -f CONNECTION_FILE [--ip IP] [--max-message-size BYTES] [--debug]

  -f, --connection-file FILE  connection file (created with free ports and a new key if missing)
  --ip IP                     address to bind when creating a connection file (default 127.0.0.1)
  --max-message-size BYTES    refuse larger incoming messages with an error reply (default 256 MiB)
  --debug                     log protocol problems verbosely to stderr
"""


class Args:
    connection_file: str | None = None
    ip: str | None = None
    max_message_size = DEFAULT_MAX_MESSAGE_SIZE
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
        elif key == "--max-message-size":
            args.max_message_size = int((value if eq else next(it, None)) or DEFAULT_MAX_MESSAGE_SIZE)
        elif a == "--debug":
            args.debug = True
        elif a in ("-h", "--help"):
            print(USAGE)
            sys.exit(0)
        # unknown options are ignored: front ends pass their own (e.g. --matplotlib)
    return args


def _bind_all(
    ctx: zmq.Context,
    info: ConnectionInfo,
    keys: CurveKeys | None = None,
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
) -> dict[str, zmq.Socket]:
    types = {"shell": zmq.ROUTER, "control": zmq.ROUTER, "stdin": zmq.ROUTER, "iopub": zmq.XPUB}
    socks: dict[str, zmq.Socket] = {}
    for name, kind in types.items():
        s = ctx.socket(kind)
        s.linger = 1000 if name == "iopub" else 0
        # libzmq drops a peer that sends one frame over twice the limit before it is ever buffered (memory
        # cap); messages in between are read and refused by the codec with an error reply
        s.setsockopt(zmq.MAXMSGSIZE, 2 * max_message_size)
        if keys is not None:
            from .curve import apply_server

            apply_server(s, keys)
        if kind == zmq.ROUTER:
            # a client reconnecting with the same identity takes over its routing slot
            s.router_handover = 1
            # a ROUTER silently drops what a full pipe to its peer cannot take: a client slow to read (a loaded
            # machine) lost replies. Each reply answers a request that peer sent, so the peer sets the volume
            s.sndhwm = 0
        else:
            s.setsockopt(zmq.XPUB_VERBOSE, 1)  # every subscription, so every client gets its welcome
        port = bind(s, _url(info, name))
        setattr(info, f"{name}_port", port)
        socks[name] = s
    return socks


def _heartbeat(url: str, keys: CurveKeys | None) -> Heartbeat:
    if keys is None:
        return Heartbeat(url)
    from .curve import CurveHeartbeat

    return CurveHeartbeat(url, keys)


def _loopback(ip: str) -> bool:
    return ip in ("localhost", "::1") or ip.startswith("127.")


def _url(info: ConnectionInfo, channel: str) -> str:
    if info.transport != "tcp":  # ipc files, inproc endpoints: the connection info names them
        return info.url(channel)
    host = f"[{info.ip}]" if ":" in info.ip else info.ip
    return f"tcp://{host}:{info.port(channel)}"


class KernelParts:
    """What ``build`` made: the kernel plus the pieces its host wires to a process (or, in-process, does not)."""

    __slots__ = ("executor", "flusher", "iopub", "kernel", "streams")

    def __init__(
        self, kernel: Kernel, iopub: IOPub, streams: list[OutStream], flusher: Flusher, executor: Executor
    ) -> None:
        self.kernel = kernel
        self.iopub = iopub
        #: stdout, stderr: the host decides when they replace ``sys.stdout``/``sys.stderr``
        self.streams = streams
        self.flusher = flusher
        self.executor = executor

    def flush(self) -> None:
        _flush_all(self.iopub, self._flush_streams)

    def _flush_streams(self) -> None:
        for s in self.streams:
            s._flush_locked()


def build(
    ctx: zmq.Context,
    socks: dict[str, zmq.Socket],
    info: ConnectionInfo,
    *,
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    extensions: tuple[str, ...] | None = None,
) -> KernelParts:
    """The kernel on already bound sockets (``_bind_all``), its request handlers, output streams (started
    flusher) and extensions. Process-wide hooks the executor and stdin bridge install (``sys.displayhook``,
    ``input``…) are set here; ``sys.stdout``/``sys.stderr`` and the SIGINT handler are left to the caller.
    """
    codec = WireCodec(Signer(info.key.encode(), info.signature_scheme), max_message_size)
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

    executor = Executor(kernel)
    host = ExtensionHost(kernel, executor)
    kernel.extensions = host
    host.install(CoreRequests())
    host.install(StdinExtension())
    for ext in load_extensions(EXTENSIONS if extensions is None else extensions):
        host.install(ext)
    return KernelParts(kernel, iopub, streams, flusher, executor)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    _enable_faulthandler()
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
    keys = None
    if has_curve_keys(info):
        from .curve import server_keys

        try:
            keys = server_keys(info)
        except CurveKeyError as e:
            # never fall back to plain text when encryption was asked for
            print(f"ipykernel_lite: {e}", file=sys.__stderr__)
            sys.exit(1)
    elif info.transport == "tcp" and not _loopback(info.ip):
        log.warning("listening on %s over TCP without encryption: add CURVE keys to the connection file", info.ip)
    ctx = zmq.Context()
    socks = _bind_all(ctx, info, keys, args.max_message_size)
    wake = ControlWake(socks["control"])  # before any client connects: it watches accepted connections
    wake.start()
    hb = _heartbeat(_url(info, "hb"), keys)
    info.hb_port = hb.port
    if path and not os.path.exists(path):
        write_connection_file(path, info)
        print(f"ipykernel_lite: wrote {path}", file=sys.__stderr__)
    elif not path:
        print(f"ipykernel_lite: {info.to_dict()}", file=sys.__stderr__)
    hb.start()

    parts = build(ctx, socks, info, max_message_size=args.max_message_size)
    kernel, iopub = parts.kernel, parts.iopub
    sys.stdout, sys.stderr = parts.streams[0], parts.streams[1]
    capture = fdcapture.start(parts.streams)  # fds 1 and 2 too: os.write, subprocesses, C printf
    kernel.interrupts.install()
    SigintWatch(kernel.interrupts).start()  # re-sends a SIGINT that landed just before a blocking call

    if os.environ.get("IPYKERNEL_LITE_WARMUP", "1") != "0":
        # jedi and the models load in the background once the kernel has answered (or after 0.3 s idle),
        # so neither the first reply nor the first completion pays for them
        warm = threading.Timer(0.3, _warm_up, args=(kernel,))
        warm.daemon = True

        def first_reply() -> None:
            warm.cancel()
            _start_warm_up(kernel)

        kernel.cycle.on_first_reply = first_reply
        warm.start()

    ppid = os.environ.get("JPY_PARENT_PID")
    if ppid and ppid.isdigit() and int(ppid) > 1:
        watch_parent(int(ppid), lambda: _orphaned(kernel))

    ControlThread(kernel, wake.attach(kernel.interrupts)).start()
    try:
        kernel.serve_forever()
    finally:
        kernel.host.close()
        parts.flush()
        if capture is not None:
            capture.stop()
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    _close(ctx, kernel, iopub)
    _exit(kernel.exit_code)


def _enable_faulthandler() -> None:
    """A segfault or abort leaves no Python traceback in the log: with IPYKERNEL_LITE_FAULT_FILE set (by a
    manager), faulthandler writes every thread's stack there for the manager to attach to KernelDied."""
    path = os.environ.pop("IPYKERNEL_LITE_FAULT_FILE", None)  # not inherited by user subprocesses
    if not path:
        return
    import faulthandler

    try:
        # kept open for the life of the process: faulthandler writes to its descriptor from a signal handler
        out = open(path, "w")
    except OSError as e:
        log.warning("cannot open the fault file %s: %s", path, e)
        return
    faulthandler.enable(out, all_threads=True)
    _fault_file.append(out)


_fault_file: list[object] = []


def _orphaned(kernel: Kernel) -> None:
    """The editor is gone: stop now, even when a cell runs or waits for input that nobody can give."""
    log.warning("parent process died: shutting down")
    kernel.request_stop(0)
    if kernel.interrupts.busy or kernel.interrupts.armed:
        kernel.interrupts.interrupt_main()
    # a cell that ignores KeyboardInterrupt (or C code holding the GIL) must not keep an orphan alive
    hard = threading.Timer(3.0, os._exit, args=(1,))
    hard.daemon = True
    hard.start()


def _close(ctx: zmq.Context, kernel: Kernel, iopub: IOPub) -> None:
    """Let replies and the last iopub messages leave before the process ends (bounded: 2 s)."""
    with iopub.lock:
        iopub.close()
        iopub.socket.close(linger=1000)
    for sock in (kernel.shell_socket, kernel.stdin_socket):
        sock.close(linger=1000)
    kernel._wake_recv.close(linger=0)
    # term() returns once every socket is closed and its linger is over; the control thread closes its own
    # socket when it sees ``stopping`` (or when term wakes its blocked recv with ETERM)
    done = threading.Thread(target=ctx.term, daemon=True)
    done.start()
    done.join(2.0)


#: optional kernel extensions, "module:Class" below this package (or any importable module); each class's
#: ``install`` must be cheap (no heavy imports). IPYKERNEL_LITE_EXTENSIONS adds more, comma-separated.
EXTENSIONS: tuple[str, ...] = (
    "debugger:DebuggerExtension",
    "gui:GuiExtension",
    "comms:CommExtension",
    "ipython_display:IPythonDisplay",
    "dap:DapExtension",
    "variables:VariablesExtension",
    "forksafe:ForkSafeExtension",
    "thread_parent:ThreadParentExtension",
    "ipykernel_lite.shell:ShellExtension",
)


def load_extensions(specs: tuple[str, ...]) -> list[KernelExtension]:
    from importlib import import_module

    extra = tuple(x.strip() for x in os.environ.get("IPYKERNEL_LITE_EXTENSIONS", "").split(",") if x.strip())
    found: list[KernelExtension] = []
    for spec in (*specs, *extra):
        module_name, _, cls_name = spec.partition(":")
        if "." not in module_name:
            module_name = f"{__package__}.{module_name}"
        try:
            cls = getattr(import_module(module_name), cls_name)
        except (ImportError, AttributeError) as e:
            log.warning("kernel extension %s not loaded: %s", spec, e)
            continue
        found.append(cls())
    return found


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
        from ..protocol.schema_check import request_schemas
        from . import compiler, tracebacks  # noqa: F401

        request_schemas()
    except Exception as e:
        log.debug("warm-up of the models failed: %s", e)
    try:
        from ..introspect import warm_up

        # each step waits for the kernel to be idle: the user's first cell must not share the CPU with jedi
        warm_up(busy=lambda: kernel.interrupts.busy)
    except Exception as e:
        log.debug("warm-up of jedi failed: %s", e)


def _exit(code: int) -> None:
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        # zmq's context teardown can wait on daemon threads' sockets: leave without it
        os._exit(code)
