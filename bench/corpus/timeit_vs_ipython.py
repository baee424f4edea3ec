"""``python -m bench.corpus.timeit_vs_ipython``: ``%timeit`` on ipykernel_lite vs IPython for the same statements.

Each statement is timed with ``%timeit -o -q`` in both kernels, alternately, several rounds; the first table
shows the best mean per loop of each and their ratio (goal: within 15%). The second, a control, times the same
statements with IPython's own ``%timeit`` *inside our kernel's process* (an ``InteractiveShell`` over the
kernel's namespace) beside ours, so that a difference between the two processes (threads, memory layout, what
else the machine runs) cannot pass for a difference between the magics. Both tables are wall-clock figures:
run them on a quiet machine.
"""

from __future__ import annotations

import os
import sys
from typing import Any

STATEMENTS = [
    "pass",
    "sum(range(100))",
    "[i * i for i in range(1000)]",
    "sorted(data)",
    "'-'.join(map(str, range(50)))",
    "d.get('k')",
]
SETUP = "import random\nrandom.seed(0)\ndata = [random.random() for _ in range(1000)]\nd = {'k': 1}"


def _best(kc: Any, stmt: str, shell: str = "get_ipython()") -> float:
    expr = f"__r = {shell}.run_line_magic('timeit', {'-o -q ' + stmt!r})\n__r.average"
    reply = kc.execute_interactive(expr, timeout=300, output_hook=lambda m: _keep(m, holder))
    assert reply["content"]["status"] == "ok", reply["content"]
    return float(holder.pop()["text/plain"])


holder: list[dict[str, Any]] = []


def _keep(msg: dict[str, Any], into: list[dict[str, Any]]) -> None:
    if msg["msg_type"] == "execute_result":
        into.append(msg["content"]["data"])


def main() -> int:
    from jupyter_client.manager import start_new_kernel

    from . import __main__ as corpus_main

    lite_name = corpus_main._lite_kernelspec()
    kms = []
    try:
        ref_km, ref = start_new_kernel(kernel_name="python3", startup_timeout=60)
        kms.append((ref_km, ref))
        lite_km, lite = start_new_kernel(kernel_name=lite_name, startup_timeout=60)
        kms.append((lite_km, lite))
        for kc in (ref, lite):
            kc.execute_interactive(SETUP, timeout=60)
        rounds = int(os.environ.get("TIMEIT_ROUNDS", "3"))
        print("| statement | IPython | ipykernel_lite | ratio |")
        print("| --- | ---: | ---: | ---: |")
        for stmt in STATEMENTS:
            a = min(_best(ref, stmt) for _ in range(rounds))
            b = min(_best(lite, stmt) for _ in range(rounds))
            print(f"| `{stmt}` | {a * 1e9:.1f} ns | {b * 1e9:.1f} ns | {b / a:.2f} |", flush=True)
        lite.execute_interactive(
            "from IPython.core.interactiveshell import InteractiveShell as __IS\n"
            "__ipython_shell = __IS.instance(user_ns=globals())",
            timeout=120,
        )
        print("\nIn ipykernel_lite's process: IPython's %timeit (an InteractiveShell over the kernel's namespace) "
              "and ours")
        print("| statement | IPython's magic | ours | ratio |")
        print("| --- | ---: | ---: | ---: |")
        for stmt in STATEMENTS:
            a = min(_best(lite, stmt, "__ipython_shell") for _ in range(rounds))
            b = min(_best(lite, stmt) for _ in range(rounds))
            print(f"| `{stmt}` | {a * 1e9:.1f} ns | {b * 1e9:.1f} ns | {b / a:.2f} |", flush=True)
    finally:
        for km, kc in kms:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
