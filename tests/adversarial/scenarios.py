"""The adversarial scenarios: hostile user code and hostile peers, each run on both kernels.

A scenario is a cell (``code``), or a function that drives the kernel (``run``). Scenarios of one group share
a kernel; the driver restarts it only when a scenario killed it or left it unable to serve. ``setup`` and
``cleanup`` cells put back what a sabotage scenario broke, so the next scenario starts from a sound kernel.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from queue import Empty
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

from .driver import PROBE_TIMEOUT, REPLY_TIMEOUT, Driver, Outcome


@dataclass
class Scenario:
    name: str
    group: str
    what: str
    code: str | None = None
    run: Callable[[Driver], Outcome] | None = None
    stdin: list[str] | None = None
    setup: str | None = None
    cleanup: str | None = None
    timeout: float = REPLY_TIMEOUT


def outcome_of(d: Driver, reply: dict[str, Any] | None, expect_reply: bool = True) -> Outcome:
    if reply is None:
        if not d.alive():
            code = d.exit_code()
            detail = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            return Outcome("died", detail, serving=False)
        return Outcome("hung" if expect_reply else "no reply expected")
    c = reply["content"]
    if c.get("status") == "error":
        return Outcome("error", str(c.get("ename")), replied=True)
    extra = {"payload": c.get("payload") or []}
    return Outcome(str(c.get("status")), replied=True, extra=extra)


def run_scenario(d: Driver, sc: Scenario) -> Outcome:
    """Run one scenario; afterwards the driver's kernel serves again (restarted when it had to be)."""
    d.drain_iopub()
    d.drain_shell()
    if sc.setup:
        d.execute(sc.setup)
    if sc.run is not None:
        out = sc.run(d)
    else:
        assert sc.code is not None
        out = outcome_of(d, d.execute(sc.code, sc.timeout, stdin=sc.stdin))
    hung = out.status == "hung" and d.alive()
    if hung:
        d.interrupt()  # a hung cell may still be interruptible: the kernel counts as hung all the same
        d.drain_shell()
    out.serving = d.probe(3.0 if hung else PROBE_TIMEOUT)
    if out.serving and sc.cleanup:
        d.execute(sc.cleanup)
    if not out.serving:
        d.restart()
    return out


# --- helpers for the protocol scenarios --------------------------------------------------------------------------
DEEP = 5000


def _deep(n: int = DEEP) -> bytes:
    return b"[" * n + b"]" * n


def _send_and_wait(d: Driver, channel: str, parts: list[bytes], msg_id: str, **kw: Any) -> Outcome:
    """Send a hostile message, then a kernel_info_request behind it on the same channel: requests on one
    channel are answered in order, so once the kernel_info_reply is in, any answer to the first one is too."""
    d.send_raw(channel, parts, **kw)
    marker = d.client.session.msg("kernel_info_request", {})
    getattr(d.client, f"{channel}_channel").send(marker)
    reply = None
    chan = getattr(d.client, f"{channel}_channel")
    deadline = time.monotonic() + REPLY_TIMEOUT
    while time.monotonic() < deadline:
        d.drain_iopub()
        try:
            msg = chan.get_msg(timeout=0.1)
        except Empty:
            if not d.alive():
                break
            continue
        except Exception:
            continue
        parent = msg["parent_header"].get("msg_id")
        if parent == msg_id:
            reply = msg
        elif parent == marker["header"]["msg_id"]:
            return outcome_of(d, reply, expect_reply=False)
    out = outcome_of(d, reply, expect_reply=False)
    if out.status == "no reply expected":
        out = Outcome("hung", "no kernel_info_reply after it")
    return out


def _deep_part(index: int, channel: str = "shell", msg_type: str = "execute_request") -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        content = {"code": "1", "silent": False} if msg_type == "execute_request" else {}
        parts, msg_id = d.raw_parts(msg_type, content)
        if index == 3:
            parts[3] = b'{"code": "1", "deep": ' + _deep() + b"}"
        elif index == 0:
            parts[0] = parts[0][:-1] + b', "deep": ' + _deep() + b"}"
        else:
            parts[index] = b'{"deep": ' + _deep() + b"}"
        return _send_and_wait(d, channel, parts, msg_id)

    return run


def _raw(msg_type: str, content: Any, channel: str = "shell", **kw: Any) -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        parts, msg_id = d.raw_parts(msg_type, {})
        parts[3] = content if isinstance(content, bytes) else json.dumps(content).encode()
        return _send_and_wait(d, channel, parts, msg_id, **kw)

    return run


def _header_without_type(d: Driver) -> Outcome:
    parts, msg_id = d.raw_parts("execute_request", {"code": "1"})
    header = json.loads(parts[0])
    del header["msg_type"]
    parts[0] = json.dumps(header).encode()
    return _send_and_wait(d, "shell", parts, msg_id)


def _no_delimiter(d: Driver) -> Outcome:
    d.client.shell_channel.socket.send_multipart([b"garbage", b"more garbage"])
    parts, msg_id = d.raw_parts("kernel_info_request", {})
    d.client.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"sig-only"])
    return _send_and_wait(d, "shell", parts, msg_id, sign=False)


def _big_content(d: Driver) -> Outcome:
    big = "x" * (100 * 1024 * 1024)
    parts, msg_id = d.raw_parts("execute_request", {})
    parts[3] = json.dumps({"code": "2", "padding": big}).encode()
    d.send_raw("shell", parts)
    return outcome_of(d, d.wait_reply(msg_id, 60.0))


def _big_code(d: Driver) -> Outcome:
    code = "s = '" + "x" * (10 * 1024 * 1024) + "'\nlen(s)"
    return outcome_of(d, d.execute(code, 60.0))


def _queued_then_interrupt(d: Driver) -> Outcome:
    """2 000 requests queued behind a sleeping cell, then an interrupt: every one must be answered."""
    first = d.client.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(30)", stop_on_error=False)
    d.iopub_messages(lambda m: m["msg_type"] == "stream", 10.0)
    ids = [d.client.execute("1", silent=True, stop_on_error=False) for _ in range(2000)]
    d.interrupt()
    pending = {first, *ids}
    answered = 0
    deadline = time.monotonic() + 60.0
    while pending and time.monotonic() < deadline:
        d.drain_iopub()
        try:
            msg = d.client.get_shell_msg(timeout=0.2)
        except Exception:
            if not d.alive():
                break
            continue
        if msg["parent_header"].get("msg_id") in pending:
            pending.discard(msg["parent_header"]["msg_id"])
            answered += 1
    if pending:
        out = outcome_of(d, None)
        out.detail = f"{answered} of 2001 replies"
        return out
    return Outcome("ok", "2001 replies", replied=True)


def _stdin_during_input(
    frames_for: Callable[[Driver, dict[str, Any]], list[list[bytes]]],
) -> Callable[[Driver], Outcome]:
    """A cell waits in input(); junk arrives on stdin first, then the genuine answer."""

    def run(d: Driver) -> Outcome:
        sent: list[bool] = []

        def answer(req: dict[str, Any]) -> str | None:
            if not sent:
                sent.append(True)
                for parts in frames_for(d, req):
                    d.client.stdin_channel.socket.send_multipart(parts)
            return "genuine"

        msg_id = d.client.execute("v = input('?')\nprint(repr(v))\nv", allow_stdin=True, stop_on_error=False)
        reply = d.wait_reply(msg_id, REPLY_TIMEOUT, stdin=answer)
        out = outcome_of(d, reply)
        return out

    return run


def _signed(d: Driver, parts: list[bytes]) -> list[bytes]:
    return [b"<IDS|MSG>", d.client.session.sign(parts), *parts]


def _deep_input_reply(d: Driver, req: dict[str, Any]) -> list[list[bytes]]:
    s = d.client.session
    msg = s.msg("input_reply", {"value": "x"}, parent=req)
    parts = [s.pack(msg["header"]), s.pack(req["header"]), b"{}", b'{"value": "deep", "x": ' + _deep() + b"}"]
    return [_signed(d, parts)]


def _stale_input_reply(d: Driver, req: dict[str, Any]) -> list[list[bytes]]:
    s = d.client.session
    msg = s.msg("input_reply", {"value": "stale"}, parent={"msg_id": "not-the-request"})
    parts = [s.pack(msg["header"]), s.pack({"msg_id": "not-the-request"}), b"{}", s.pack({"value": "stale"})]
    return [_signed(d, parts)]


def _duplicate_input_reply(d: Driver) -> Outcome:
    """The answer sent twice; the second must not answer the next input()."""
    first = d.execute("a = input('first?')\na", stdin=["one"])
    # a stray second answer, as a client retrying would send
    d.client.input("one-again")
    second = d.execute("b = input('second?')\nb", stdin=["two"])
    check = d.execute("assert (a, b) == ('one', 'two'), (a, b)")
    out = outcome_of(d, check)
    if first is None or second is None:
        return outcome_of(d, None)
    if out.status == "error":
        out.detail = "the stale answer was taken"
    return out


def _interrupt_after_output(code: str) -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        msg_id = d.client.execute(code, allow_stdin=False, stop_on_error=False)
        d.iopub_messages(lambda m: m["msg_type"] == "stream", 10.0)
        d.interrupt()
        return outcome_of(d, d.wait_reply(msg_id, REPLY_TIMEOUT))

    return run


def _shutdown_busy(d: Driver) -> Outcome:
    """shutdown_request on control while the main thread is inside a long C call."""
    d.client.execute("import time\nprint('in C', flush=True)\ntime.sleep(60)", stop_on_error=False)
    d.iopub_messages(lambda m: m["msg_type"] == "stream", 10.0)
    msg = d.client.session.msg("shutdown_request", {"restart": False})
    d.client.control_channel.send(msg)
    reply = d.wait_reply(msg["header"]["msg_id"], 10.0, channel="control")
    gone = d.wait_dead(15.0)
    if reply is not None and gone:
        out = Outcome("ok", "exited", replied=True)
    elif gone:
        out = Outcome("ok", "exited without a reply")
    else:
        out = Outcome("hung", "still running 15 s after shutdown_request")
    d.restart()
    return out


def _other_client_input_then_disconnect(d: Driver) -> Outcome:
    """A second client runs input() then disconnects without answering; the first client's cell must run."""
    # a client of its own session (the manager's client() would share d's session, hence its zmq identity)
    other = BlockingKernelClient()
    other.load_connection_info(d.manager.get_connection_info())
    other.start_channels()
    try:
        other.wait_for_ready(timeout=20)
        other.execute("v = input('anyone?')", allow_stdin=True, stop_on_error=False)
        other.get_stdin_msg(timeout=10)
    finally:
        other.stop_channels()
    reply = d.execute("'after'", timeout=15.0)
    return outcome_of(d, reply)


def _concurrent_kernel_info(d: Driver) -> Outcome:
    ids = [d.client.kernel_info() for _ in range(500)]
    got = 0
    for _ in ids:
        try:
            d.client.get_shell_msg(timeout=10)
            got += 1
        except Exception:
            break
    return Outcome("ok" if got == len(ids) else "hung", f"{got} of {len(ids)} replies", replied=got > 0)


def _complete_hostile(d: Driver) -> Outcome:
    d.execute(
        "class Hostile:\n"
        "    def __getattr__(self, name): raise SystemExit(3)\n"
        "    def __dir__(self): raise KeyboardInterrupt\n"
        "hostile = Hostile()"
    )
    msg_id = d.client.complete("hostile.", 8)
    return outcome_of(d, d.wait_reply(msg_id, REPLY_TIMEOUT))


def _inspect_hostile(d: Driver) -> Outcome:
    d.execute(
        "class Loud:\n"
        "    def __repr__(self): raise SystemExit(4)\n"
        "    @property\n"
        "    def __doc__(self): raise KeyboardInterrupt\n"
        "loud = Loud()"
    )
    msg_id = d.client.inspect("loud", 4, detail_level=1)
    return outcome_of(d, d.wait_reply(msg_id, REPLY_TIMEOUT))


def _wrong_key(channel: str) -> Callable[[Driver], Outcome]:
    def run(d: Driver) -> Outcome:
        parts, msg_id = d.raw_parts("kernel_info_request", {})
        d.send_raw(channel, parts, key=b"not-the-key")
        return _send_and_wait(d, channel, parts, msg_id, sign=False)

    return run


FORK_EXIT = "import os\npid = os.fork()\nif pid == 0:\n    os._exit(0)\nos.waitpid(pid, 0)[1]"
THREE_INPUTS = (
    "import threading\n"
    "answers = []\n"
    "threads = [threading.Thread(target=lambda i=i: answers.append(input(f'thread {i}? '))) for i in range(3)]\n"
    "for t in threads: t.start()\n"
    "for t in threads: t.join()\n"
    "sorted(answers)"
)
BAD_STR = "class E(Exception):\n    def __str__(self): raise {what}\nraise E()"


SCENARIOS: list[Scenario] = [
    # --- output ----------------------------------------------------------------------------------------------
    Scenario("out_50mb_line", "output", "print a 50 MB single line", "print('x' * 50_000_000)", timeout=60),
    Scenario(
        "out_binary_buffer",
        "output",
        "binary bytes on sys.stdout.buffer",
        "import sys\nsys.stdout.buffer.write(bytes(range(256)))\nsys.stdout.flush()",
    ),
    Scenario(
        "out_fd_write", "output", "os.write on fd 1 and 2", "import os\nos.write(1, b'fd1\\n')\nos.write(2, b'fd2\\n')"
    ),
    Scenario(
        "out_c_printf",
        "output",
        "C printf through ctypes",
        "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.printf(b'from C %d\\n', 42)\nlibc.fflush(None)",
    ),
    Scenario("out_lone_surrogate", "output", "print a lone surrogate", "print('a\\ud800b')"),
    Scenario(
        "out_surrogate_stderr", "output", "lone surrogate on stderr", "import sys\nprint('\\udcff', file=sys.stderr)"
    ),
    Scenario("out_100k_prints", "output", "100 000 small prints", "for i in range(100_000): print(i)", timeout=60),
    Scenario("out_control_chars", "output", "NUL, ANSI and \\r in output", "print('\\x00\\x1b[2J\\r\\x07' * 1000)"),
    Scenario("out_write_bytes", "output", "sys.stdout.write(bytes)", "import sys\nsys.stdout.write(b'x')"),
    Scenario(
        "out_50_threads",
        "output",
        "50 threads printing at once",
        "import threading\nts = [threading.Thread(target=lambda: [print(j) for j in range(200)]) for _ in range(50)]\n"
        "for t in ts: t.start()\nfor t in ts: t.join()",
    ),
    Scenario(
        "out_thread_after_cell",
        "output",
        "a thread prints after its cell ended",
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.2), print('late')), daemon=True).start()",
    ),
    Scenario(
        "out_huge_display",
        "output",
        "a 20 MB text/plain result",
        "class Big:\n"
        "    def _repr_pretty_(self, p, cycle): p.text('y' * 20_000_000)\n"
        "    def __repr__(self): return 'y' * 20_000_000\n"
        "Big()",
        timeout=60,
    ),
    Scenario(
        "out_repr_raises_exit",
        "output",
        "a result whose __repr__ raises SystemExit",
        "class R:\n    def __repr__(self): raise SystemExit(5)\nR()",
    ),
    Scenario(
        "out_del_prints",
        "output",
        "__del__ prints during garbage collection",
        "import gc\nclass D:\n    def __del__(self): print('bye from __del__')\nd = D(); d.me = d; del d\ngc.collect()",
    ),
    Scenario("out_nonbmp", "output", "emoji and astral characters", "print('\\U0001F600' * 10000)"),
    # --- exits and fatal errors ------------------------------------------------------------------------------
    Scenario("exit_sys_exit_0", "exits", "sys.exit(0)", "import sys\nsys.exit(0)"),
    Scenario("exit_sys_exit_7", "exits", "sys.exit(7)", "import sys\nsys.exit(7)"),
    Scenario("exit_exit_call", "exits", "exit()", "exit()"),
    Scenario("exit_quit_call", "exits", "quit()", "quit()"),
    Scenario("exit_raise_systemexit", "exits", "raise SystemExit('bye')", "raise SystemExit('bye')"),
    Scenario("exit_os_exit", "exits", "os._exit(3)", "import os\nos._exit(3)"),
    Scenario(
        "exit_sigkill_self", "exits", "SIGKILL to itself", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    ),
    Scenario("exit_segfault", "exits", "SIGSEGV (ctypes.string_at(0))", "import ctypes\nctypes.string_at(0)"),
    Scenario("exit_abort", "exits", "os.abort()", "import os\nos.abort()"),
    Scenario(
        "exit_sigterm_self", "exits", "SIGTERM to itself", "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)"
    ),
    Scenario("exit_recursion", "exits", "RecursionError (default limit)", "def f(): return f()\nf()"),
    Scenario(
        "exit_recursion_1e6",
        "exits",
        "recursion 10**6 deep with the limit raised",
        "import sys, threading\nsys.setrecursionlimit(10**6)\ndef f(n): return f(n + 1) if n < 10**6 else n\nf(0)",
        cleanup="import sys\nsys.setrecursionlimit(1000)",
        timeout=60,
    ),
    Scenario(
        "exit_memoryerror_rlimit",
        "exits",
        "MemoryError under RLIMIT_AS",
        "import resource\nsoft, hard = resource.getrlimit(resource.RLIMIT_AS)\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, hard))\n"
        "try:\n    x = bytearray(4 * 1024**3)\nfinally:\n    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))",
    ),
    Scenario("exit_raise_keyboardinterrupt", "exits", "raise KeyboardInterrupt", "raise KeyboardInterrupt"),
    Scenario("exit_raise_generatorexit", "exits", "raise GeneratorExit", "raise GeneratorExit"),
    Scenario(
        "exit_base_exception",
        "exits",
        "raise a BaseException subclass",
        "class Boom(BaseException): pass\nraise Boom('x')",
    ),
    Scenario(
        "exit_str_systemexit",
        "exits",
        "exception whose __str__ raises SystemExit (defect 2)",
        BAD_STR.format(what="SystemExit(7)"),
    ),
    Scenario(
        "exit_str_keyboardinterrupt",
        "exits",
        "exception whose __str__ raises KeyboardInterrupt (defect 2)",
        BAD_STR.format(what="KeyboardInterrupt"),
    ),
    Scenario(
        "exit_str_raises", "exits", "exception whose __str__ raises ValueError", BAD_STR.format(what="ValueError")
    ),
    Scenario(
        "exit_notes_hostile",
        "exits",
        "__notes__ holding an object whose __str__ raises SystemExit",
        "class N:\n    def __str__(self): raise SystemExit(9)\ne = ValueError('x')\ne.__notes__ = [N()]\nraise e",
    ),
    Scenario(
        "exit_cause_cycle",
        "exits",
        "exception chained to itself (__cause__ cycle)",
        "a = ValueError('a'); b = TypeError('b')\na.__cause__ = b; b.__cause__ = a\nraise a",
    ),
    Scenario(
        "exit_sigint_self",
        "exits",
        "SIGINT to itself in a cell",
        "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\nimport time\ntime.sleep(1)",
    ),
    Scenario(
        "exit_thread_systemexit",
        "exits",
        "a thread raises SystemExit",
        "import threading\nt = threading.Thread(target=lambda: exec('raise SystemExit(3)'))\nt.start(); t.join()",
    ),
    # --- sabotage of sys and builtins ------------------------------------------------------------------------
    Scenario(
        "sab_del_print",
        "sabotage",
        "del builtins.print, then print",
        "import builtins\n_p = builtins.print\ndel builtins.print\nprint(1)",
        cleanup="import builtins\nbuiltins.print = _p",
    ),
    Scenario(
        "sab_del_input",
        "sabotage",
        "del builtins.input, then input()",
        "import builtins\n_i = builtins.input\ndel builtins.input\ninput()",
        cleanup="import builtins\nbuiltins.input = _i",
    ),
    Scenario(
        "sab_stdout_none",
        "sabotage",
        "sys.stdout = None, then print",
        "import sys\n_so = sys.stdout\nsys.stdout = None\nprint('lost')",
        cleanup="import sys\nsys.stdout = _so",
    ),
    Scenario(
        "sab_stderr_none",
        "sabotage",
        "sys.stderr = None, then an error",
        "import sys\n_se = sys.stderr\nsys.stderr = None\n1/0",
        cleanup="import sys\nsys.stderr = _se",
    ),
    Scenario(
        "sab_stdin_closed",
        "sabotage",
        "sys.stdin.close(), then input()",
        "import sys\nsys.stdin.close()\ninput('x?')",
        stdin=["answer"],
    ),
    Scenario(
        "sab_displayhook_none",
        "sabotage",
        "sys.displayhook = None, then an expression",
        "import sys\n_dh = sys.displayhook\nsys.displayhook = None\n42",
        cleanup="import sys\nsys.displayhook = _dh",
    ),
    Scenario(
        "sab_excepthook_raises",
        "sabotage",
        "sys.excepthook that raises, then an error",
        "import sys\n_eh = sys.excepthook\nsys.excepthook = lambda *a: 1 / 0\nraise ValueError('x')",
        cleanup="import sys\nsys.excepthook = _eh",
    ),
    Scenario(
        "sab_sigint_ignored",
        "sabotage",
        "SIG_IGN on SIGINT, then an interrupt",
        run=_interrupt_after_output(
            "import signal, time\n_h = signal.getsignal(signal.SIGINT)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "print('ignoring', flush=True)\ntime.sleep(2)\nsignal.signal(signal.SIGINT, _h)"
        ),
    ),
    Scenario(
        "sab_json_patched",
        "sabotage",
        "json.dumps/loads replaced in user code",
        "import json\n_jd, _jl = json.dumps, json.loads\njson.dumps = json.loads = None\nprint('after')",
        cleanup="import json\njson.dumps, json.loads = _jd, _jl",
    ),
    Scenario(
        "sab_zmq_patched",
        "sabotage",
        "zmq.Socket.send_multipart replaced in user code",
        "import zmq\n_sm = zmq.Socket.send_multipart\nzmq.Socket.send_multipart = None\nprint('after')",
        cleanup="import zmq\nzmq.Socket.send_multipart = _sm",
    ),
    Scenario(
        "sab_setprofile",
        "sabotage",
        "sys.setprofile with a function that raises",
        "import sys\ndef prof(frame, event, arg):\n"
        "    if event == 'call' and frame.f_code.co_name == 'boom': raise RuntimeError('profiled')\n"
        "sys.setprofile(prof)\ndef boom(): pass\nboom()",
        cleanup="import sys\nsys.setprofile(None)",
    ),
    Scenario(
        "sab_recursionlimit_low",
        "sabotage",
        "sys.setrecursionlimit(60)",
        "import sys\nsys.setrecursionlimit(60)",
        cleanup="import sys\nsys.setrecursionlimit(1000)",
    ),
    Scenario(
        "sab_close_fd2",
        "sabotage",
        "os.close(2) then an error",
        "import os\n_fd = os.dup(2)\nos.close(2)\n1/0",
        cleanup="import os\nos.dup2(_fd, 2)",
    ),
    Scenario(
        "sab_sys_modules_os",
        "sabotage",
        "sys.modules['os'] = None",
        "import sys\n_os = sys.modules['os']\nsys.modules['os'] = None\nprint('x')",
        cleanup="import sys\nsys.modules['os'] = _os",
    ),
    Scenario(
        "sab_stdout_write_patched",
        "sabotage",
        "sys.stdout.write replaced by a function that raises",
        "import sys\n_w = sys.stdout.write\nsys.stdout.write = lambda s: 1 / 0\nprint('x')",
        cleanup="import sys\ndel sys.stdout.write",
    ),
    # --- protocol --------------------------------------------------------------------------------------------
    Scenario(
        "proto_deep_content_shell", "protocol", "content nested 5 000 deep on shell (defect 1)", run=_deep_part(3)
    ),
    Scenario(
        "proto_deep_metadata_shell", "protocol", "metadata nested 5 000 deep on shell (defect 1)", run=_deep_part(2)
    ),
    Scenario(
        "proto_deep_parent_shell", "protocol", "parent_header nested 5 000 deep on shell (defect 1)", run=_deep_part(1)
    ),
    Scenario("proto_deep_header_shell", "protocol", "header nested 5 000 deep on shell", run=_deep_part(0)),
    Scenario(
        "proto_deep_content_control",
        "protocol",
        "content nested 5 000 deep on control",
        run=_deep_part(3, "control", "kernel_info_request"),
    ),
    Scenario(
        "proto_deep_stdin",
        "protocol",
        "input_reply nested 5 000 deep while input() waits",
        run=_stdin_during_input(_deep_input_reply),
    ),
    Scenario(
        "proto_wrong_signature_shell", "protocol", "wrong and missing signatures on shell", run=_wrong_key("shell")
    ),
    Scenario(
        "proto_wrong_signature_control",
        "protocol",
        "wrong and missing signatures on control",
        run=_wrong_key("control"),
    ),
    Scenario("proto_no_delimiter", "protocol", "frames without <IDS|MSG>", run=_no_delimiter),
    Scenario("proto_unknown_type", "protocol", "unknown frobnicate_request", run=_raw("frobnicate_request", {})),
    Scenario("proto_missing_code", "protocol", "execute_request without code", run=_raw("execute_request", {})),
    Scenario("proto_content_list", "protocol", "content that is a JSON list", run=_raw("execute_request", [1, 2])),
    Scenario("proto_content_not_json", "protocol", "content that is not JSON", run=_raw("execute_request", b"\xff{")),
    Scenario("proto_header_no_type", "protocol", "header without msg_type", run=_header_without_type),
    Scenario(
        "proto_code_not_str", "protocol", "execute_request with code = 5", run=_raw("execute_request", {"code": 5})
    ),
    Scenario("proto_100mb_content", "protocol", "100 MB content", run=_big_content, timeout=90),
    Scenario("proto_10mb_code", "protocol", "10 MB of code", run=_big_code, timeout=90),
    Scenario(
        "proto_stale_input_reply",
        "protocol",
        "input_reply for another request while input() waits",
        run=_stdin_during_input(_stale_input_reply),
    ),
    Scenario("proto_duplicate_input_reply", "protocol", "the same input_reply sent twice", run=_duplicate_input_reply),
    Scenario("proto_500_kernel_info", "protocol", "500 pipelined kernel_info requests", run=_concurrent_kernel_info),
    Scenario(
        "proto_queued_then_interrupt",
        "protocol",
        "2 000 queued requests, then an interrupt",
        run=_queued_then_interrupt,
        timeout=90,
    ),
    Scenario(
        "proto_complete_hostile",
        "protocol",
        "complete on an object whose __getattr__ raises SystemExit",
        run=_complete_hostile,
    ),
    Scenario(
        "proto_inspect_hostile", "protocol", "inspect an object whose __repr__ raises SystemExit", run=_inspect_hostile
    ),
    Scenario(
        "proto_history_weird",
        "protocol",
        "history_request with n = -1 and a bad pattern",
        run=_raw(
            "history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": "[", "n": -1}
        ),
    ),
    Scenario(
        "proto_comm_unknown_target",
        "protocol",
        "comm_open to an unknown target",
        run=_raw("comm_open", {"comm_id": "c1", "target_name": "nope", "data": {}}),
    ),
    Scenario(
        "proto_client_gone_in_input",
        "protocol",
        "a client disconnects while its input() waits",
        run=_other_client_input_then_disconnect,
    ),
    # --- fork and threads ------------------------------------------------------------------------------------
    Scenario("fork_child_os_exit", "fork", "os.fork(), child os._exit(0) (defect 3)", FORK_EXIT),
    Scenario(
        "fork_child_sys_exit",
        "fork",
        "os.fork(), child sys.exit(0)",
        "import os, sys\npid = os.fork()\nif pid == 0:\n    sys.exit(0)\nos.waitpid(pid, 0)[1]",
    ),
    Scenario(
        "fork_child_prints",
        "fork",
        "os.fork(), child prints then os._exit",
        "import os\npid = os.fork()\nif pid == 0:\n    print('child')\n    os._exit(0)\nos.waitpid(pid, 0)[1]",
    ),
    Scenario(
        "fork_child_falls_through",
        "fork",
        "os.fork(), child runs on to the cell's end",
        "import os\npid = os.fork()\nif pid:\n    os.waitpid(pid, 0)\n'done'",
    ),
    Scenario(
        "fork_multiprocessing",
        "fork",
        "multiprocessing Pool (fork) map with prints",
        "import multiprocessing as mp\ndef sq(x):\n    print(x)\n    return x * x\n"
        "with mp.get_context('fork').Pool(2) as p:\n    r = p.map(sq, range(8))\nr",
    ),
    Scenario(
        "threads_three_inputs",
        "threads",
        "input() from three threads at once (defect 4)",
        THREE_INPUTS,
        stdin=["a", "b", "c"],
    ),
    Scenario(
        "threads_input_in_thread",
        "threads",
        "input() from one thread",
        "import threading\nr = []\nt = threading.Thread(target=lambda: r.append(input('t? ')))\nt.start(); t.join()\nr",
        stdin=["x"],
    ),
    Scenario(
        "threads_20_inputs",
        "threads",
        "input() from 20 threads at once",
        THREE_INPUTS.replace("range(3)", "range(20)"),
        stdin=[str(i) for i in range(20)],
    ),
]
SCENARIOS_BY_NAME = {s.name: s for s in SCENARIOS}
GROUPS = sorted({s.group for s in SCENARIOS}, key=[s.group for s in SCENARIOS].index)
