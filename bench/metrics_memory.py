"""Memory compared in equal states, and after a long session of big results.

A kernel's RSS depends on what it has been asked to do: jedi's first completion alone adds about 32 MiB to
any process. So the three ``mem_*`` rows weigh every kernel in the same three states, one after the other in
one process: fresh (ready, nothing used; ipykernel_lite's background warm-up is off so that it has not loaded
jedi on its own), after the first completion, and after the bench's cells.
"""

from __future__ import annotations

import os
import time

from bench.kernels import KernelProcess, KernelSpec
from bench.rawclient import RawClient
from bench.registry import Measurement, MetricError, RunContext, at_least_best, metric, relative
from bench.session import dead_or, ready_kernel

#: what "the bench's cells" are: imports and work a notebook session typically does
SESSION_CELLS = (
    "import os, sys, json, re, collections",
    "data = [{'i': i, 's': str(i) * 3} for i in range(100_000)]",
    "text = json.dumps(data)[:1000]\nlen(text)",
    "import numpy as np\na = np.arange(1_000_000).sum()\na",
    "del data",
    "for i in range(1000):\n    print(i)",
    "1 / 0",
)
COMPLETION = "import os\nos.path.jo"
#: one cell's result: a 1 MiB object whose repr is short, so the row weighs what the kernel keeps, not the wire
BIG_RESULT_CELL = "np.ones(1 << 17)"
#: executes in flight at once: one, as a user runs cells (xeus-python 0.19 loses a reply now and then when
#: twenty are pipelined, which would fail the row for a reason that is not memory)
WINDOW = 1
REPLY_TIMEOUT = 20.0
#: the most a kernel may grow to in mem_10k_results before it is stopped (MiB), and how often RSS is read
MAX_KERNEL_MIB = 12 * 1024
CAP_CHECK_EVERY = 250

States = tuple[float, float, float]
_states: dict[tuple[str, bool], States] = {}


def _settle(client: RawClient, kernel: KernelProcess) -> float:
    client.drain(quiet=0.5)
    if not kernel.alive():
        raise dead_or(kernel, "")
    return kernel.rss_kib() / 1024


def _measure_states(spec: KernelSpec) -> States:
    os.environ["IPYKERNEL_LITE_WARMUP"] = "0"
    try:
        with ready_kernel(spec) as (kernel, client):
            fresh = _settle(client, kernel)
            msg_id = client.send("shell", "complete_request", {"code": COMPLETION, "cursor_pos": len(COMPLETION)})
            reply = client.wait_for(msg_id, lambda m: m.msg_type == "complete_reply", 60, "shell", "complete_reply")
            if reply.content.get("status") != "ok":
                raise MetricError("the first completion failed")
            completed = _settle(client, kernel)
            for cell in SESSION_CELLS:
                # only the reply is awaited: xeus-python drops IOPub messages (the idle status too) when a cell
                # prints a thousand lines, and this row weighs memory, not output. The last cell fails on
                # purpose: a traceback is part of a session.
                client.wait_for(client.send_execute(cell), lambda m: True, 120, "shell", "execute_reply")
            cells = _settle(client, kernel)
    finally:
        os.environ.pop("IPYKERNEL_LITE_WARMUP", None)
    return fresh, completed, cells


def _state(ctx: RunContext, spec: KernelSpec, index: int) -> Measurement:
    key = (spec.name, ctx.quick)
    if key not in _states:
        _states[key] = _measure_states(spec)
    values = _states[key]
    note = "VmRSS of the process group; fresh {:.1f}, after first completion {:.1f}, after cells {:.1f} MiB"
    return Measurement(values[index], "MiB", note.format(*values))


@metric("mem_fresh", better="lower", unit="MiB", targets=[relative(0.7)])
def mem_fresh(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """RSS in equal state 1: ready and idle 0.5 s, nothing used yet (no background warm-up)."""
    return _state(ctx, spec, 0)


@metric("mem_completed", better="lower", unit="MiB", targets=[relative(0.7)])
def mem_completed(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """RSS in equal state 2: the same kernel after its first completion (`import os\\nos.path.jo`)."""
    return _state(ctx, spec, 1)


@metric("mem_cells", better="lower", unit="MiB", targets=[relative(0.7)])
def mem_cells(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """RSS in equal state 3: the same kernel after the bench's session cells (imports, 100k dicts, numpy, an error)."""
    return _state(ctx, spec, 2)


def _memory_cap_mib() -> float:
    """Stop a kernel that keeps every result before it takes the shared machine down: 60% of what is free."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return min(MAX_KERNEL_MIB, int(line.split()[1]) / 1024 * 0.6)
    except OSError:
        pass
    return MAX_KERNEL_MIB


@metric("mem_10k_results", better="lower", unit="MiB", targets=[at_least_best()])
def mem_10k_results(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """RSS after 10,000 cells that each return a 1 MiB object (`np.ones(1 << 17)`): what output history keeps.

    A kernel whose RSS passes the cap (60% of the machine's available memory, at most 12 GiB) is stopped
    early; its cell then shows the RSS reached, a lower bound, and the note says after how many cells.
    """
    count = ctx.n(10_000, 200)
    cap = _memory_cap_mib()
    stopped = ""
    with ready_kernel(spec) as (kernel, client):
        reply = client.execute("import numpy as np", timeout=60)
        if reply.content.get("status") != "ok":
            raise MetricError("numpy is not importable in the kernel")
        before = _settle(client, kernel)
        started = time.perf_counter()
        in_flight: set[str] = set()
        sent = done = 0
        while done < count:
            while sent < count and len(in_flight) < WINDOW:
                in_flight.add(client.send_execute(BIG_RESULT_CELL))
                sent += 1
            # a per-reply deadline: a stuck kernel fails the row in seconds rather than stalling the run
            for msg in client.messages(time.perf_counter() + REPLY_TIMEOUT):
                if msg.channel == "shell" and msg.parent_id in in_flight:
                    if msg.content.get("status") != "ok":
                        raise MetricError(f"cell failed: {msg.content.get('ename')} {msg.content.get('evalue')}")
                    in_flight.discard(msg.parent_id)
                    done += 1
                    break
            if done % CAP_CHECK_EVERY == 0 and kernel.rss_kib() / 1024 > cap:
                stopped = f"; STOPPED after {done} cells: RSS passed the {cap:.0f} MiB cap (a lower bound)"
                break
        took = time.perf_counter() - started
        after = _settle(client, kernel)
    note = f"{done} cells in {took:.0f} s; {before:.0f} MiB before them (numpy imported){stopped}"
    return Measurement(after, "MiB", note)
