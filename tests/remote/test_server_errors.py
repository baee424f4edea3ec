"""Bad input against real servers: each a clear exception of one hierarchy, none a hang. The server-specific
cases run on Jupyter Server, Kernel Gateway and Enterprise Gateway (``any_server``; the gateway's local
kernels, its SSH mode is test_enterprise_gateway.py's)."""

from __future__ import annotations

import pytest

from ipykernel_lite.client import KernelDied
from ipykernel_lite.client.remote import (
    ConnectionLost,
    KernelNotFound,
    KernelStartFailed,
    ServerAuth,
    ServerAuthError,
    ServerError,
    ServerKernelClient,
    ServerUnreachable,
    connect_server,
)

from ..conftest import TEST_KERNEL
from .conftest import BROKEN_KERNEL
from .servers import RunningServer, free_port, start_env

pytestmark = pytest.mark.timeout(120)


def test_a_wrong_token_is_refused_at_connect(any_server: RunningServer) -> None:
    with pytest.raises(ServerAuthError, match="token"):
        connect_server(any_server.url, "not-the-token")
    with pytest.raises(ServerAuthError):
        connect_server(any_server.url)  # none at all


def test_a_wrong_token_is_refused_on_the_websocket(any_server: RunningServer) -> None:
    server = connect_server(any_server.url, any_server.token)
    km, _ = server.start_kernel(TEST_KERNEL, env=start_env(any_server))
    try:
        with pytest.raises(ServerAuthError):
            ServerKernelClient(ServerAuth(any_server.url, "wrong"), km.kernel_id)
    finally:
        km.shutdown()


def test_a_dead_server_is_unreachable() -> None:
    with pytest.raises(ServerUnreachable, match="cannot reach"):
        connect_server(f"http://127.0.0.1:{free_port()}", "t")


def test_a_bad_url_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="http"):
        connect_server("127.0.0.1:8888")


def test_an_unknown_kernel_id_or_kernelspec(any_server: RunningServer) -> None:
    server = connect_server(any_server.url, any_server.token)
    with pytest.raises(KernelNotFound):
        server.attach("00000000-0000-0000-0000-000000000000")
    with pytest.raises(KernelNotFound):
        ServerKernelClient(server.auth, "00000000-0000-0000-0000-000000000000")  # the websocket alone
    with pytest.raises(KernelNotFound, match="no_such_spec"):
        server.start_kernel("no_such_spec", env=start_env(any_server))


def test_a_kernelspec_that_fails_to_start(any_server: RunningServer) -> None:
    server = connect_server(any_server.url, any_server.token)
    with pytest.raises(KernelStartFailed, match=BROKEN_KERNEL):
        server.start_kernel(BROKEN_KERNEL, env=start_env(any_server), timeout=60)
    assert [k for k in server.list_kernels() if k["name"] == BROKEN_KERNEL] == []  # cleaned up


def test_the_server_closing_the_websocket_for_good(any_server: RunningServer) -> None:
    """Someone else deletes the kernel: the server closes our websocket (reconnecting is then refused: 404)
    or keeps it open but reports the kernel gone; either way the next request raises ConnectionLost (a
    KernelDied, as for a local kernel) instead of waiting."""
    server = connect_server(any_server.url, any_server.token)
    km, kc = server.start_kernel(TEST_KERNEL, env=start_env(any_server))
    try:
        assert kc.execute("1").status == "ok"
        server.rest.call("DELETE", f"/api/kernels/{km.kernel_id}")  # not through km: behind our client's back
        with pytest.raises(ConnectionLost, match=km.kernel_id) as caught:
            kc.execute("2")
        assert isinstance(caught.value, KernelDied) and isinstance(caught.value, ServerError)
        assert not km.is_alive()
        with pytest.raises(ConnectionLost):
            kc.complete("x")  # and stays lost, without a hang
    finally:
        km.shutdown()
