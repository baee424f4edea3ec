"""Markdown table of results, and the machine description that goes with a written report."""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench.kernels import LITE, PEERS, REPO_ROOT
from bench.registry import Measurement, Metric

MAX_ERROR_CHARS = 160


@dataclass(frozen=True)
class Outcome:
    """What one kernel produced for one metric: a measurement, or the error that stopped it."""

    measurement: Measurement | None = None
    error: str | None = None


def format_value(value: float, unit: str) -> str:
    if value >= 100:
        text = f"{value:.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    elif value >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}"


def _cell_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cell(outcome: Outcome | None) -> str:
    if outcome is None:
        return "not run"
    if outcome.measurement is None:
        error = outcome.error or "unknown"
        if len(error) > MAX_ERROR_CHARS:
            error = error[: MAX_ERROR_CHARS - 1] + "…"
        return _cell_text(f"error: {error}")
    return format_value(outcome.measurement.value, outcome.measurement.unit)


def _value(outcome: Outcome | None) -> float | None:
    return outcome.measurement.value if outcome and outcome.measurement else None


def _ratio(lite: float | None, ref: float | None) -> str:
    return f"{lite / ref:.3g}" if lite is not None and ref else "—"


def table(results: dict[str, dict[str, Outcome]], metrics: list[Metric]) -> str:
    peers = " | ".join(p.name for p in PEERS)
    ratios = " | ".join(f"lite/{p.name}" for p in PEERS)
    lines = [
        f"| metric | {LITE.name} | {peers} | {ratios} | better | target | met? |",
        "|---" * (5 + 2 * len(PEERS)) + "|",
    ]
    for m in metrics:
        row = results.get(m.name, {})
        lite = _value(row.get(LITE.name))
        refs = {p.name: _value(row.get(p.name)) for p in PEERS}
        target = " and ".join(t.describe(m.better, m.unit) for t in m.targets) or "—"
        if not m.targets:
            met = "—"
        elif lite is None:
            met = "n/a"
        else:
            verdicts = [t.met(m.better, lite, refs) for t in m.targets]
            met = "n/a" if None in verdicts else ("yes" if all(verdicts) else "**no**")
        cells = " | ".join(_cell(row.get(p.name)) for p in PEERS)
        ratio_cells = " | ".join(_ratio(lite, refs[p.name]) for p in PEERS)
        lines.append(
            f"| {m.name} | {_cell(row.get(LITE.name))} | {cells} | {ratio_cells} | {m.better} "
            f"| {target} | {met} |"
        )
    return "\n".join(lines)


def notes(results: dict[str, dict[str, Outcome]], metrics: list[Metric]) -> str:
    """One bullet per metric (what it measures) with each kernel's note or full error under it."""
    lines: list[str] = []
    for m in metrics:
        summary = m.description.strip().splitlines()[0] if m.description.strip() else ""
        lines.append(f"- **{m.name}** — {summary}")
        for kernel in (LITE.name, *(p.name for p in PEERS)):
            outcome = results.get(m.name, {}).get(kernel)
            if outcome is None:
                continue
            if outcome.measurement is None:
                lines.append(f"  - {kernel}: error: {outcome.error}")
            elif outcome.measurement.note:
                lines.append(f"  - {kernel}: {outcome.measurement.note}")
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _uname() -> str:
    try:
        return subprocess.run(["uname", "-a"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return " ".join(platform.uname())


def _lite_version() -> str:
    try:
        text = (REPO_ROOT / "pyproject.toml").read_text()
    except OSError:
        return "unknown"
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return found.group(1) if found else "unknown"


def _version_or_missing(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def environment() -> list[tuple[str, str]]:
    import os
    from importlib.metadata import version

    import zmq

    return [
        ("date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("uname -a", _uname()),
        ("CPU", f"{_cpu_model()} ({os.cpu_count()} logical CPUs)"),
        ("Python", sys.version.split()[0]),
        ("pyzmq", f"{zmq.__version__} (libzmq {zmq.zmq_version()})"),
        ("ipykernel", version("ipykernel")),
        ("xeus-python", _version_or_missing("xeus-python")),
        ("ipykernel_lite", _lite_version()),
    ]


METHOD = (
    "All three kernels are measured in the same run on the same machine, each metric on a freshly started "
    "kernel process, driven by the same minimal client (`bench/rawclient.py`: pyzmq and the standard "
    "library, so client overhead is small and identical). Each ratio column is ipykernel_lite / that "
    "peer; the `better` column says which direction wins. Targets are relative to a peer on this run "
    "(\"the better peer\": whichever of ipykernel and xeus-python did better on that row) unless they "
    "give an absolute bound."
)


def document(table_md: str, notes_md: str, command: str, quick: bool) -> str:
    env = "\n".join(f"- {key}: `{value}`" for key, value in environment())
    mode = " (`--quick`: small N, numbers are indicative only)" if quick else ""
    return (
        "# Benchmarks: ipykernel_lite vs ipykernel and xeus-python\n\n"
        f"Generated by `{command}`{mode}.\n\n"
        f"{METHOD}\n\n{env}\n\n{table_md}\n\n## What each metric measures\n\n{notes_md}\n"
    )
