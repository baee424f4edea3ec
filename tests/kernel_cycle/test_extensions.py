"""Kernel extensions: the host's tables without a kernel, then a third-party extension in a real kernel."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.client import BlockingClient, KernelManager, start_kernel
from ipykernel_lite.kernel.extensions import ExtensionHost, KernelExtension

ROOT = Path(__file__).resolve().parents[2]


class _Ns:
    """The one executor attribute the host reads."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"x": 1}


class Feature(KernelExtension):
    name = "feature"
    features = ("a", "b")

    def __init__(self) -> None:
        self.closed = False

    def install(self, host: ExtensionHost) -> None:
        host.handle("thing_request", lambda m: {"status": "ok"}, channels=("control",))
        host.provide("thing", self)

    def close(self) -> None:
        self.closed = True


def test_host_tables_features_services_and_close() -> None:
    host = ExtensionHost(kernel=None, executor=_Ns())  # type: ignore[arg-type]
    f = Feature()
    host.install(f)
    assert host.supported_features == ["a", "b"]
    assert host.handler("thing_request", "control") is not None
    assert host.handler("thing_request", "shell") is None
    assert host.service("thing") is f and host.service("nothing") is None
    assert host.extension("feature") is f
    with pytest.raises(ValueError, match="installed already"):
        host.install(Feature())
    info = host.adjust_kernel_info({"supported_features": ["stale"]})
    assert info["supported_features"] == ["a", "b"]
    host.close()
    assert f.closed


def test_namespace_hooks_answer_in_order_and_fall_back_to_the_user_namespace() -> None:
    ex = _Ns()
    host = ExtensionHost(kernel=None, executor=ex)  # type: ignore[arg-type]
    assert host.namespaces() == [ex.ns]
    frame_ns: dict[str, Any] = {"local": 2}
    stopped: list[bool] = [False]
    host.hooks.namespaces.append(lambda: [frame_ns] if stopped[0] else None)
    assert host.namespaces() == [ex.ns]
    stopped[0] = True
    assert host.namespaces() == [frame_ns]


def test_an_extension_without_a_name_is_refused() -> None:
    class Nameless(KernelExtension):
        def install(self, host: ExtensionHost) -> None:
            pass

    host = ExtensionHost(kernel=None, executor=_Ns())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no name"):
        host.install(Nameless())


@pytest.fixture
def echo_kernel(tmp_path: Path) -> Iterator[tuple[KernelManager, BlockingClient]]:
    env = {
        "IPYKERNEL_LITE_EXTENSIONS": "tests.kernel_cycle.echo_extension:Echo, no_such_module:Nope",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    km, kc = start_kernel([sys.executable, "-m", "ipykernel_lite", "-f", "{connection_file}"],
                          connection_dir=tmp_path, env=env)
    try:
        yield km, kc
    finally:
        kc.close()
        km.shutdown()


@pytest.mark.timeout(60)
def test_a_third_party_extension_adds_a_request_features_hooks_and_a_magic(
    echo_kernel: tuple[KernelManager, BlockingClient],
) -> None:
    _, kc = echo_kernel
    info = kc.kernel_info()
    # derived from the installed extensions, in installation order: the third-party one comes last
    assert info["supported_features"][-1] == "echo" and {"pause", "gui"} <= set(info["supported_features"])
    assert info["echo_version"] == 1
    for channel in ("shell", "control"):
        reply = kc.request(channel, "echo_request", {"text": f"hi on {channel}"}, timeout=30)
        assert reply.content == {"status": "ok", "echo": f"hi on {channel}", "services": ["echo"]}
    kc.execute("pass")
    r = kc.execute("%echo_calls")
    assert r.result is not None and r.result["text/plain"] == "['pre', 'post', 'pre']"
    # the kernel still serves after the unknown extension was skipped with a log line
    assert kc.execute("1 + 1").result["text/plain"] == "2"  # type: ignore[index]
