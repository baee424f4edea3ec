"""Rows users feel in a notebook: the first plot, a big DataFrame, a huge line, completion on a wide frame.

Each row is measured the same way on every kernel: a fresh kernel, the same cells, the same raw client.
"""

from __future__ import annotations

import re
import time

from bench.kernels import KernelSpec
from bench.rawclient import Message, RawClient
from bench.registry import Measurement, MetricError, RunContext, at_least_best, median, metric
from bench.session import ready_kernel

FIGURE_CELL = "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])"
DATAFRAME_ROWS = 10_000
DATAFRAME_SETUP = (
    "import numpy as np, pandas as pd\n"
    f"df = pd.DataFrame(np.arange({DATAFRAME_ROWS} * 5).reshape({DATAFRAME_ROWS}, 5), columns=list('abcde'))"
)
WIDE_SETUP = "import pandas as pd\ndf = pd.DataFrame({f'c{i}': [i] for i in range(1000)})"
BIG_LINE = 10_000_000
COLUMN = re.compile(r"c\d+")


def _ok(reply: Message, what: str) -> None:
    if reply.content.get("status") != "ok":
        raise MetricError(f"{what}: {reply.content.get('ename')} {reply.content.get('evalue')}")


def _setup(client: RawClient, code: str) -> None:
    _ok(client.execute(code, timeout=120), "setup cell")


def _first_figure(spec: KernelSpec) -> tuple[float, float]:
    """(ms to the PNG, kernel CPU ms spent from the request to the reply)."""
    with ready_kernel(spec) as (kernel, client):
        cpu_before = kernel.cpu_seconds()
        sent = time.perf_counter()
        msg_id = client.send_execute(FIGURE_CELL)
        figure: Message | None = None
        reply: Message | None = None
        for msg in client.messages(sent + 120):
            if msg.parent_id != msg_id:
                continue
            if msg.msg_type == "display_data" and "image/png" in msg.content.get("data", {}):
                figure = msg
            elif msg.channel == "shell":
                reply = msg
                _ok(reply, "figure cell")
            if figure is not None and reply is not None:
                break
        assert figure is not None
        return (figure.received_at - sent) * 1000, (kernel.cpu_seconds() - cpu_before) * 1000


@metric("first_figure", better="lower", unit="ms", targets=[at_least_best()])
def first_figure(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Fresh kernel: `%matplotlib inline`, `plt.plot([1, 2])` → the PNG's display_data received (median)."""
    runs = [_first_figure(spec) for _ in range(ctx.n(3, 1))]
    samples = [wall for wall, _cpu in runs]
    cpu = median([cpu for _wall, cpu in runs])
    note = f"median of {len(samples)} fresh kernels, min {min(samples):.0f}; kernel CPU {cpu:.0f} ms (all threads)"
    return Measurement(median(samples), "ms", note)


def _dataframe(ctx: RunContext, spec: KernelSpec) -> tuple[list[float], int, list[str]]:
    """(reply times in ms, bytes on the wire of one `df` cell, the mimetypes of its execute_result)."""
    with ready_kernel(spec) as (_kernel, client):
        _setup(client, DATAFRAME_SETUP)
        samples: list[float] = []
        wire = 0
        mimes: list[str] = []
        for _ in range(ctx.n(20, 3)):
            seen: list[Message] = []
            sent = time.perf_counter()
            reply, idle = client.reply_and_idle(client.send_execute("df"), timeout=60, on_iopub=seen.append)
            _ok(reply, "`df`")
            samples.append((max(reply.received_at, idle.received_at) - sent) * 1000)
            results = [m for m in seen if m.msg_type == "execute_result"]
            if len(results) != 1:
                raise MetricError(f"`df` published {len(results)} execute_result messages")
            mimes = sorted(results[0].content.get("data", {}))
            wire = reply.wire_bytes + sum(m.wire_bytes for m in seen)
    return samples, wire, mimes


_df_cache: dict[tuple[str, bool], tuple[list[float], int, list[str]]] = {}


def _dataframe_once(ctx: RunContext, spec: KernelSpec) -> tuple[list[float], int, list[str]]:
    key = (spec.name, ctx.quick)
    if key not in _df_cache:
        _df_cache[key] = _dataframe(ctx, spec)
    return _df_cache[key]


@metric("dataframe_reply", better="lower", unit="ms", targets=[at_least_best()])
def dataframe_reply(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """A 10,000-row pandas DataFrame as the last expression → reply and idle (median; df built beforehand)."""
    samples, _wire, mimes = _dataframe_once(ctx, spec)
    return Measurement(median(samples), "ms", f"median of {len(samples)}, first {samples[0]:.1f} ms; {mimes}")


@metric("dataframe_bytes", better="lower", unit="KiB", targets=[at_least_best()])
def dataframe_bytes(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Bytes on the wire for that `df` cell: every frame of its shell reply and IOPub messages."""
    _samples, wire, mimes = _dataframe_once(ctx, spec)
    return Measurement(wire / 1024, "KiB", f"execute_result carries {mimes}")


@metric("print_10mb", better="lower", unit="ms", targets=[at_least_best()])
def print_10mb(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """`print('x' * 10_000_000)`: one 10 MB line → every character on IOPub stdout, reply and idle (median)."""
    size = ctx.n(BIG_LINE, BIG_LINE // 10)
    samples: list[float] = []
    with ready_kernel(spec) as (kernel, client):
        _setup(client, "pass")  # the first cell's one-off costs belong to no output row
        kernel.wait_cpu_quiet()
        cpu_before = kernel.cpu_seconds()
        for _ in range(ctx.n(3, 1)):
            received = 0
            messages = 0

            def count(msg: Message) -> None:
                nonlocal received, messages
                if msg.msg_type == "stream" and msg.content.get("name") == "stdout":
                    text = msg.content.get("text", "")
                    received += len(text)
                    messages += 1

            sent = time.perf_counter()
            reply, idle = client.reply_and_idle(client.send_execute(f"print('x' * {size})"), 120, count)
            _ok(reply, "print cell")
            if received != size + 1:
                raise MetricError(f"{received} of {size + 1} characters arrived before idle")
            samples.append((max(reply.received_at, idle.received_at) - sent) * 1000)
        cpu_ms = (kernel.cpu_seconds() - cpu_before) * 1000 / len(samples)
    note = f"{size} characters in {messages} stream message(s); kernel CPU {cpu_ms:.0f} ms per print (all threads)"
    return Measurement(median(samples), "ms", note)


@metric("complete_df_cols", better="lower", unit="ms", targets=[at_least_best()])
def complete_df_cols(ctx: RunContext, spec: KernelSpec) -> Measurement:
    """Completion of `df.` on a DataFrame with 1,000 columns defined by an earlier cell (median, after one)."""
    code = "df."
    content = {"code": code, "cursor_pos": len(code)}
    with ready_kernel(spec) as (_kernel, client):
        _setup(client, WIDE_SETUP)
        samples: list[float] = []
        found = 0
        for i in range(ctx.n(11, 3)):
            sent = time.perf_counter()
            msg_id = client.send("shell", "complete_request", content)
            reply = client.wait_for(msg_id, lambda m: m.msg_type == "complete_reply", 60, "shell", "complete_reply")
            _ok(reply, "complete_request")
            matches = reply.content.get("matches", [])
            if i == 0:
                first = (reply.received_at - sent) * 1000
                continue  # the first one loads the completer: complete_cold measures that
            samples.append((reply.received_at - sent) * 1000)
            found = sum(1 for m in matches if COLUMN.fullmatch(str(m).rsplit(".", 1)[-1]))
    # pandas offers at most the first 100 columns as attributes (its __dir__ cuts there), on every kernel
    if found < 100:
        raise MetricError(f"only {found} column names among the matches (pandas' __dir__ offers 100)")
    note = f"median of {len(samples)} after a first one of {first:.0f} ms; {len(matches)} matches, {found} columns"
    return Measurement(median(samples), "ms", note)
