"""Run scenarios on both kernels, several kernels at a time.

Scenarios are cut into batches (a group, at most ``BATCH`` scenarios); each batch gets one kernel of each kind,
reused for the whole batch and restarted only after a scenario that killed or hung it. Batches run in
parallel threads: most of a run is spent waiting (on hangs, on restarts), not computing.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor

from .driver import Driver, Outcome
from .scenarios import GROUPS, Scenario, run_scenario

BATCH = 10
WORKERS = 6
WHO = ("ipykernel", "ours")


def batches(scenarios: list[Scenario]) -> list[list[Scenario]]:
    out: list[list[Scenario]] = []
    for group in GROUPS:
        chosen = [s for s in scenarios if s.group == group]
        out += [chosen[i : i + BATCH] for i in range(0, len(chosen), BATCH)]
    return out


def run_batch(who: str, batch: list[Scenario], verbose: bool = False) -> dict[str, Outcome]:
    results: dict[str, Outcome] = {}
    d = Driver(who)
    try:
        for sc in batch:
            t = time.monotonic()
            try:
                out = run_scenario(d, sc)
            except Exception as e:  # the harness itself must not lose the other scenarios' outcomes
                out = Outcome("harness error", f"{type(e).__name__}: {e}", serving=False)
                d.restart()
            out.extra["seconds"] = time.monotonic() - t
            results[sc.name] = out
            if verbose:
                print(f"{who:9} {sc.name:32} {out.cell()} ({out.extra['seconds']:.1f} s)", file=sys.stderr)
    finally:
        d.stop()
        _close_thread_loop()
    return results


def _close_thread_loop() -> None:
    """jupyter_client's blocking calls run on an event loop per thread: close this worker thread's one."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    loop.close()
    asyncio.set_event_loop(None)


def run_both(scenarios: list[Scenario], verbose: bool = False) -> dict[str, dict[str, Outcome]]:
    """{"ours": {name: outcome}, "ipykernel": {...}} for every scenario."""
    results: dict[str, dict[str, Outcome]] = {who: {} for who in WHO}
    jobs = [(who, b) for b in batches(scenarios) for who in WHO]
    # the slow batches (most scenarios) first, so that the pool does not end waiting on one straggler
    jobs.sort(key=lambda j: -len(j[1]))
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [(who, pool.submit(run_batch, who, b, verbose)) for who, b in jobs]
        for who, f in futures:
            results[who].update(f.result())
    return results
