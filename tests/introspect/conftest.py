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
