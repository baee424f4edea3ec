"""The kernel's output history is bounded: results are not kept alive, and their kept text is limited.

A real kernel process, driven by our client; what the bound means for memory is measured in the bench
(`mem_10k_results`), not here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ipykernel_lite.client import BlockingClient, start_kernel
from ipykernel_lite.kernel.history import MAX_OUTPUT_CHARS, MAX_OUTPUTS


@pytest.fixture(scope="module")
def kc() -> Iterator[BlockingClient]:
    km, client = start_kernel(env={"IPYKERNEL_LITE_WARMUP": "0"})
    try:
        yield client
    finally:
        client.close()
        km.shutdown()


def _outputs(kc: BlockingClient, start: int, stop: int) -> dict[int, object]:
    reply = kc.history(hist_access_type="range", output=True, start=start, stop=stop)
    assert reply["status"] == "ok"
    return {line: out for _session, line, (_code, out) in reply["history"]}


def test_results_are_not_kept_alive_by_history(kc: BlockingClient) -> None:
    kc.execute(
        "import gc, weakref\n"
        "class Big:\n"
        "    def __init__(self): self.payload = bytearray(1 << 20)\n"
        "    def __repr__(self): return 'Big()'\n"
        "alive = weakref.WeakSet()\n"
        "def big():\n"
        "    b = Big(); alive.add(b); return b"
    )
    for _ in range(5):
        assert kc.execute("big()").result == {"text/plain": "Big()"}
    # only `_` still refers to a result: the four before it are gone
    assert kc.execute("gc.collect(); len(alive)").result == {"text/plain": "1"}
    assert kc.execute("_ = None; gc.collect(); len(alive)").result == {"text/plain": "0"}


def test_long_result_text_is_cut_in_history(kc: BlockingClient) -> None:
    run = kc.execute(f"'y' * {MAX_OUTPUT_CHARS * 3}")
    line = run.reply["execution_count"]
    # the client gets the whole result...
    assert len(run.result["text/plain"]) == MAX_OUTPUT_CHARS * 3 + 2
    # ...history keeps its start and says how much it dropped
    kept = _outputs(kc, line, line + 1)[line]
    assert isinstance(kept, str)
    assert kept.startswith("'" + "y" * (MAX_OUTPUT_CHARS - 1))
    assert kept.endswith(f"[{MAX_OUTPUT_CHARS * 2 + 2} more characters not kept in history]")


def test_only_the_last_results_keep_their_text(kc: BlockingClient) -> None:
    first = kc.execute("'first'").reply["execution_count"]
    last = first
    for i in range(MAX_OUTPUTS):
        last = kc.execute(f"{i}").reply["execution_count"]
    outputs = _outputs(kc, first, last + 1)
    assert outputs[first] is None  # evicted: its input is still there, its text is not
    assert outputs[last] == str(MAX_OUTPUTS - 1)
    assert sum(1 for out in outputs.values() if out is not None) == MAX_OUTPUTS
