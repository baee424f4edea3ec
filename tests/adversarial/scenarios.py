"""The adversarial scenarios: hostile user code and hostile peers, each run on both kernels (``scenario.py`` says
what a scenario is; the hostile peers are in ``protocol_scenarios.py``)."""

from __future__ import annotations

from .protocol_scenarios import PROTOCOL_SCENARIOS, interrupt_after_output
from .scenario import Scenario, outcome_of, run_scenario

__all__ = ["BAD_STR", "FORK_EXIT", "GROUPS", "SCENARIOS", "SCENARIOS_BY_NAME", "THREE_INPUTS", "Scenario",
           "outcome_of", "run_scenario"]

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
        run=interrupt_after_output(
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
    # --- protocol (hostile peers) ------------------------------------------------------------------------------
    *PROTOCOL_SCENARIOS,
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
