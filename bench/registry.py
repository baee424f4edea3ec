"""Metric registry: each metric is a small function registered by name.

A metric module decorates functions with :func:`metric`; ``bench.run`` imports every module listed in
``METRIC_MODULES`` so the decorators run, then calls the selected metrics once per kernel.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from bench.kernels import KernelSpec

# Order matters: it is the order of rows in the table.
METRIC_MODULES: tuple[str, ...] = (
    "bench.metrics_launch",
    "bench.metrics_exec",
    "bench.metrics_control",
    "bench.metrics_interrupt",
    "bench.metrics_introspect",
    "bench.metrics_gui",
    "bench.metrics_restart",
    "bench.metrics_outputs",
    "bench.metrics_memory",
    "bench.metrics_iopub",
    "bench.metrics_load",
    "bench.metrics_dap",
    "bench.metrics_iep",
)

Better = Literal["lower", "higher"]


class MetricError(Exception):
    """A kernel failed a metric (wrong output, timeout, crash); the message goes into the table cell."""


@dataclass(frozen=True)
class Measurement:
    value: float
    unit: str
    note: str = ""


#: ``Target.peer`` value meaning "whichever of the peers did better on this row"
BEST = "best"


@dataclass(frozen=True)
class Target:
    """One pass/fail condition: relative to a peer kernel (``ratio``) or absolute (``absolute``).

    ``peer`` names the kernel a ratio is taken against: ``"ipykernel"``, ``"xeus-python"``, or ``BEST`` for the
    better of the two on this row (a missing or failed peer is skipped; none left means "n/a").
    """

    kind: Literal["ratio", "absolute"]
    bound: float
    peer: str = "ipykernel"

    def describe(self, better: Better, unit: str) -> str:
        op = "≤" if better == "lower" else "≥"
        if self.kind == "ratio":
            who = "the better peer" if self.peer == BEST else self.peer
            if self.bound == 1:
                return f"{op} {who}"
            inverse = 1 / self.bound
            if better == "lower" and self.bound < 1 and abs(inverse - round(inverse)) < 1e-9:
                return f"≤ 1/{round(inverse)} of {who}"
            return f"{op} {self.bound:g}x {who}"
        return f"{op} {self.bound:g} {unit}"

    def reference(self, better: Better, refs: Mapping[str, float | None]) -> float | None:
        if self.peer != BEST:
            return refs.get(self.peer)
        values = [v for v in refs.values() if v is not None]
        if not values:
            return None
        return min(values) if better == "lower" else max(values)

    def met(self, better: Better, lite: float, refs: Mapping[str, float | None]) -> bool | None:
        if self.kind == "ratio":
            reference = self.reference(better, refs)
            if reference is None or reference == 0:
                return None
            ratio = lite / reference
            return ratio <= self.bound if better == "lower" else ratio >= self.bound
        return lite <= self.bound if better == "lower" else lite >= self.bound


@dataclass(frozen=True)
class RunContext:
    """Options shared by every metric in one run."""

    quick: bool

    def n(self, full: int, quick: int) -> int:
        return quick if self.quick else full


MetricFunc = Callable[[RunContext, "KernelSpec"], Measurement]


@dataclass(frozen=True)
class Metric:
    name: str
    func: MetricFunc
    better: Better
    unit: str
    targets: tuple[Target, ...] = field(default=())
    description: str = ""


REGISTRY: dict[str, Metric] = {}


def metric(
    name: str,
    *,
    better: Better,
    unit: str,
    targets: Sequence[Target] = (),
    description: str = "",
) -> Callable[[MetricFunc], MetricFunc]:
    def register(func: MetricFunc) -> MetricFunc:
        if name in REGISTRY:
            raise ValueError(f"metric {name!r} registered twice")
        REGISTRY[name] = Metric(name, func, better, unit, tuple(targets), description or (func.__doc__ or ""))
        return func

    return register


def relative(bound: float, peer: str = "ipykernel") -> Target:
    """lite/peer must be on the good side of ``bound`` (direction given by the metric's ``better``)."""
    return Target("ratio", bound, peer)


def at_least_best(bound: float = 1.0) -> Target:
    """As good as the better of ipykernel and xeus-python on this row (the issue's target for new rows)."""
    return Target("ratio", bound, BEST)


def absolute(bound: float) -> Target:
    return Target("absolute", bound)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; enough for a few hundred samples and has no interpolation surprises."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
