"""Kernels for the debugger tests: real processes on real sockets, driven by our client and by jupyter_client.

``driver`` is one kernel per test module and front end, shared by the module's tests; every test must leave
it idle and out of the debugger, which ``_kernel_left_clean`` checks after each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import KernelManager

from .drivers import CHECK_CLEAN, CLEAN, DRIVERS, Driver


def start_driver(kind: str, folder: Path) -> tuple[KernelManager, Driver]:
    km = KernelManager(connection_dir=folder, capture_output=True)
    km.start()
    try:
        return km, DRIVERS[kind](km)
    except BaseException:
        km.shutdown(timeout=2.0)
        raise


@pytest.fixture(scope="module", params=list(DRIVERS))
def driver(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    km, d = start_driver(request.param, tmp_path_factory.mktemp(f"dbg-{request.param}"))
    try:
        yield d
    finally:
        d.close()
        km.shutdown(timeout=2.0)


@pytest.fixture
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Driver]:
    """A kernel of its own, driven by our client (for tests about what a kernel does at start-up)."""
    km, d = start_driver("lite", tmp_path)
    try:
        yield d
    finally:
        d.close()
        km.shutdown(timeout=2.0)


@pytest.fixture(autouse=True)
def _kernel_left_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "driver" not in request.fixturenames:
        return
    d: Driver = request.getfixturevalue("driver")
    if getattr(request.node, "rep_call_failed", True):
        # the failed test may have left a cell stopped in the debugger: interrupt it, so the failure does not
        # time out every later test of the module
        d.km.interrupt()
        return
    run = d.run(CHECK_CLEAN)
    assert run.status == "ok" and run.stdout == CLEAN, f"the test left the kernel debugging: {run.stdout!r}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    rep = yield
    if call.when == "call":
        item.rep_call_failed = rep.failed  # type: ignore[attr-defined]
    return rep
