"""``%time``, ``%%time``, ``%timeit``, ``%%timeit``, ``%prun``: IPython's options and output format."""

from __future__ import annotations

import math
import sys
import time
from typing import TYPE_CHECKING, Any

from ..kernel.magics import UsageError, split_options
from .running import compile_source, run_compiled

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


def format_time(seconds: float, precision: int = 3) -> str:
    """Seconds in the unit IPython picks (s, ms, µs, ns; d h min s from a minute up)."""
    if seconds >= 60.0:
        parts = []
        left = seconds
        for suffix, length in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
            value = int(left / length)
            if value > 0:
                left = left % length
                parts.append(f"{value}{suffix}")
            if left < 1:
                break
        return " ".join(parts)
    units = ["s", "ms", "\u03bcs", "ns"]
    order = min(-(math.floor(math.log10(seconds)) // 3), 3) if seconds > 0 else 3
    value = seconds * 1000**order
    return f"{value:.{precision}g} {units[order]}"


class TimeitResult:
    """What ``%timeit -o`` returns: loops, repeat, best, worst, all_runs, average, stdev (IPython's names)."""

    def __init__(self, loops: int, repeat: int, all_runs: list[float], compile_time: float, precision: int):
        self.loops = loops
        self.repeat = repeat
        self.all_runs = all_runs
        self.compile_time = compile_time
        self._precision = precision
        self.timings = [t / loops for t in all_runs]
        self.best = min(self.timings)
        self.worst = max(self.timings)

    @property
    def average(self) -> float:
        return math.fsum(self.timings) / len(self.timings)

    @property
    def stdev(self) -> float:
        mean = self.average
        return (math.fsum((x - mean) ** 2 for x in self.timings) / len(self.timings)) ** 0.5

    def __str__(self) -> str:
        p = self._precision
        runs = "" if self.repeat == 1 else "s"
        loops = "" if self.loops == 1 else "s"
        return (
            f"{format_time(self.average, p)} \u00b1 {format_time(self.stdev, p)} per loop "
            f"(mean \u00b1 std. dev. of {self.repeat} run{runs}, {self.loops:,} loop{loops} each)"
        )

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("<TimeitResult : " + str(self) + ">")

    def __repr__(self) -> str:
        return "<TimeitResult : " + str(self) + ">"


def _timeit(kernel: Kernel, opts: dict[str, Any], setup: str, stmt: str) -> TimeitResult | None:
    import ast

    ns = kernel.host.executor.ns
    t0 = time.perf_counter()
    # the statement is compiled once into a function with a loop, as timeit does, but runs in the user namespace
    for part in (stmt, setup):
        ast.parse(part or "pass")
    inner = (
        "def __ipykernel_lite_timeit__(_it, _timer):\n"
        + _indent(setup or "pass")
        + "    _t0 = _timer()\n"
        + "    for _i in _it:\n"
        + _indent(stmt or "pass", 8)
        + "    return _timer() - _t0\n"
    )
    local: dict[str, Any] = {}
    exec(compile(inner, "<magic-timeit>", "exec"), ns, local)
    fn = local["__ipykernel_lite_timeit__"]
    compile_time = time.perf_counter() - t0
    timer = time.perf_counter

    def run(number: int) -> float:
        # as timeit (and so IPython): no per-loop int objects, no garbage collection inside the measurement
        import gc
        import itertools

        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            return float(fn(itertools.repeat(None, number), timer))
        finally:
            if gc_was_on:
                gc.enable()

    repeat = int(opts.get("r", 7))
    number = int(opts.get("n", 0))
    if number == 0:
        # as IPython: the first power of ten whose run takes at least 0.2 s
        for index in range(10):
            number = 10**index
            if run(number) >= 0.2:
                break
    all_runs = [run(number) for _ in range(repeat)]
    precision = int(opts.get("p", 3))
    result = TimeitResult(number, repeat, all_runs, compile_time, precision)
    if "q" not in opts:
        worst, best = max(all_runs) / number, min(all_runs) / number
        if worst > 4 * best and best > 0 and worst > 1e-6:
            print(f"The slowest run took {worst / best:0.2f} times longer than the fastest. This could mean "
                  "that an intermediate result is being cached.")
        print(result)
        if compile_time > 0.1:
            print(f"Compiler time: {compile_time:.2f} s")
    return result if "o" in opts else None


def _indent(code: str, n: int = 4) -> str:
    return "".join(" " * n + line + "\n" for line in code.splitlines() or ["pass"])


def line_timeit(kernel: Kernel, args: str) -> Any:
    opts, stmt = split_options(args, "n:r:tcp:qo")
    return _timeit(kernel, opts, "", stmt)


def cell_timeit(kernel: Kernel, line: str, body: str) -> Any:
    opts, setup = split_options(line, "n:r:tcp:qo")
    return _timeit(kernel, opts, setup, body)


def _times() -> tuple[float, float, float]:
    try:
        import resource

        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime, r.ru_stime, time.perf_counter()
    except ImportError:
        t = __import__("os").times()
        return t.user, t.system, time.perf_counter()


def _time(kernel: Kernel, code: str, first_line: int) -> Any:
    t0 = time.perf_counter()
    cell = compile_source(kernel, code, first_line=first_line)
    compile_time = time.perf_counter() - t0
    u0, s0, w0 = _times()
    try:
        return run_compiled(kernel, cell)
    finally:
        u1, s1, w1 = _times()
        user, system = u1 - u0, s1 - s0
        print(f"CPU times: user {format_time(user)}, sys: {format_time(system)}, "
              f"total: {format_time(user + system)}")
        print(f"Wall time: {format_time(w1 - w0)}")
        if compile_time > 0.1:
            print(f"Compiler : {format_time(compile_time)}")


def line_time(kernel: Kernel, args: str) -> Any:
    if not args.strip():
        raise UsageError("%time needs a statement or an expression")
    return _time(kernel, args, 1)


def cell_time(kernel: Kernel, line: str, body: str) -> Any:
    return _time(kernel, body, 2)


def _prun(kernel: Kernel, opts: dict[str, list[str]], code: str) -> Any:
    """Profile ``code`` as IPython does: the pstats table goes to the pager (a ``page`` payload, which
    ipykernel sends too), a space to stdout; ``-q`` no table, ``-r`` the Stats as value, ``-D``/``-T`` files."""
    import cProfile
    import io
    import pstats

    from ..kernel.transforms import rewrite_magics

    prof = cProfile.Profile()
    ns = kernel.host.executor.ns
    exited = ""
    try:
        prof.runctx(rewrite_magics(code), ns, ns)
    except SystemExit:
        exited = "*** SystemExit exception caught in code being profiled."
    stats = pstats.Stats(prof).strip_dirs().sort_stats(*(opts.get("s") or ["time"]))
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.print_stats(*(_limit(v) for v in opts.get("l", [])))
    stats.stream = sys.stdout  # type: ignore[attr-defined]
    text = out.getvalue().rstrip()
    if "q" not in opts:
        kernel.host.executor.add_payload({"source": "page", "data": {"text/plain": text}, "start": 0})
    print(exited, end=" ")
    if opts.get("D"):
        prof.dump_stats(opts["D"][-1])
        print(f"\n*** Profile stats marshalled to file {opts['D'][-1]!r}.{exited}")
    if opts.get("T"):
        with open(opts["T"][-1], "w", encoding="utf-8") as f:
            f.write(text)
        print(f"\n*** Profile printout saved to text file {opts['T'][-1]!r}.{exited}")
    return stats if "r" in opts else None


def _limit(value: str) -> int | float | str:
    """A ``-l`` restriction: a count, a fraction, or a regular expression on the function's name."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def _prun_options(line: str) -> tuple[dict[str, list[str]], str]:
    """getopt-style ``-D: -l: -r -s: -T: -q`` (``-rq``, ``-s time``, ``-stime``); a repeated option keeps every
    value (``-s`` sort keys, ``-l`` limits). The rest of the line is code, verbatim."""
    import re

    opts: dict[str, list[str]] = {}
    rest = line.lstrip()
    while len(rest) > 1 and rest[0] == "-" and not rest[1].isspace():
        m = re.match(r"-(\S+)\s*", rest)
        assert m is not None
        word, rest = m.group(1), rest[m.end() :]
        for i, flag in enumerate(word):
            if flag in "rq":
                opts.setdefault(flag, []).append("")
                continue
            if flag not in "DlsT":
                raise UsageError(f"option -{flag} not recognized")
            value = word[i + 1 :]
            if not value:
                v = re.match(r"(\S+)\s*", rest)
                if v is None:
                    raise UsageError(f"option -{flag} requires argument")
                value, rest = v.group(1), rest[v.end() :]
            opts.setdefault(flag, []).append(value)
            break
    return opts, rest


def line_prun(kernel: Kernel, args: str) -> Any:
    opts, code = _prun_options(args)
    return _prun(kernel, opts, code)


def cell_prun(kernel: Kernel, line: str, body: str) -> Any:
    # as IPython: code left on the magic's line runs first, then the body
    opts, code = _prun_options(line)
    return _prun(kernel, opts, code + "\n" + body)
