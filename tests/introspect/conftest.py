from __future__ import annotations

import threading

import pytest

from ipykernel_lite.introspect import warm_up


@pytest.fixture(scope="session", autouse=True)
def _warm_jedi() -> None:
    """Warm jedi once, in a thread as the kernel does, so tests measure steady state."""
    t = threading.Thread(target=warm_up)
    t.start()
    t.join(timeout=50)
    assert not t.is_alive()


@pytest.fixture(autouse=True)
def _jedi_idle() -> None:
    """Start each test with an idle jedi thread, so a request left running by an earlier
    test (e.g. one that exceeded its budget) cannot push this one onto the fallback path."""
    from ipykernel_lite.introspect import jedi_worker

    assert jedi_worker.wait_idle(30)
