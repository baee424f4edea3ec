"""``python -m bench``: every metric against the three kernels, one Markdown table on stdout.

Progress goes to stderr. Exit status is 1 if ipykernel_lite failed any metric, or a peer produced no number
at all (it is missing or broken); a peer failing some rows is its own bug and shows in the table, and a missed
target is not a failure. So ``--quick`` doubles as a CI smoke run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.kernels import KERNELS, LITE, KernelSpec
from bench.registry import METRIC_MODULES, REGISTRY, Metric, MetricError, RunContext
from bench.report import Outcome, format_value, notes, table


def load_metrics() -> dict[str, Metric]:
    for module in METRIC_MODULES:
        importlib.import_module(module)
    return REGISTRY


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_one(m: Metric, ctx: RunContext, spec: KernelSpec) -> Outcome:
    started = time.perf_counter()
    try:
        measurement = m.func(ctx, spec)
    except MetricError as exc:
        outcome = Outcome(error=str(exc))
    except Exception as exc:  # a metric's bug or a kernel's must not stop the other rows
        outcome = Outcome(error=f"{type(exc).__name__}: {exc}")
    else:
        outcome = Outcome(measurement=measurement)
    took = time.perf_counter() - started
    if outcome.measurement is not None:
        shown = format_value(outcome.measurement.value, outcome.measurement.unit)
    else:
        shown = f"ERROR {outcome.error}"
    _progress(f"  {spec.name:<15} {shown}  ({took:.1f} s)")
    return outcome


def run(names: Sequence[str], quick: bool, kernels: Sequence[KernelSpec] = KERNELS) -> dict[str, dict[str, Outcome]]:
    metrics = load_metrics()
    ctx = RunContext(quick=quick)
    results: dict[str, dict[str, Outcome]] = {}
    for name in names:
        _progress(f"[{name}]")
        results[name] = {spec.name: run_one(metrics[name], ctx, spec) for spec in kernels}
    return results


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME[,NAME]", help="run only these metrics")
    parser.add_argument(
        "--kernels",
        metavar="NAME[,NAME]",
        help=f"run only these kernels (default: {', '.join(k.name for k in KERNELS)})",
    )
    parser.add_argument("--quick", action="store_true", help="small N: a smoke run, not a measurement")
    parser.add_argument("--write", metavar="PATH", help="also write the table and machine details here")
    parser.add_argument("--list", action="store_true", help="list the metric names and exit")
    return parser.parse_args(argv)


def _compile_package() -> None:
    """Measure an installed-like kernel: with PYTHONDONTWRITEBYTECODE a source checkout would recompile every
    module at every launch, which no pip-installed package (ipykernel included) does."""
    import compileall
    from pathlib import Path

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "ipykernel_lite", quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    metrics = load_metrics()
    if args.list:
        for m in metrics.values():
            print(f"{m.name:<15} {m.description.strip().splitlines()[0] if m.description else ''}")
        return 0
    names = list(metrics)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in metrics]
        if unknown:
            print(f"unknown metric(s): {', '.join(unknown)}; known: {', '.join(metrics)}", file=sys.stderr)
            return 2
    kernels = list(KERNELS)
    if args.kernels:
        wanted = [n.strip() for n in args.kernels.split(",") if n.strip()]
        known = {k.name: k for k in KERNELS}
        if unknown := [n for n in wanted if n not in known]:
            print(f"unknown kernel(s): {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
            return 2
        kernels = [known[n] for n in wanted]
    _compile_package()
    started = time.perf_counter()
    results = run(names, args.quick, kernels)
    _progress(f"done in {time.perf_counter() - started:.0f} s")
    chosen = [metrics[n] for n in names]
    table_md = table(results, chosen)
    print(table_md)
    if args.write:
        from bench.report import document

        command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
        text = document(table_md, notes(results, chosen), command.strip(), args.quick)
        Path(args.write).write_text(text)
        _progress(f"wrote {args.write}")
    return 1 if _failed(results, kernels) else 0


def _failed(results: dict[str, dict[str, Outcome]], kernels: Sequence[KernelSpec]) -> bool:
    if any(row[LITE.name].error for row in results.values() if LITE.name in row):
        return True
    for spec in kernels:
        outcomes = [row[spec.name] for row in results.values() if spec.name in row]
        if outcomes and all(o.error for o in outcomes):
            return True
    return False
