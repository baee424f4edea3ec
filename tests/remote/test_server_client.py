"""Our BlockingClient on a kernel behind Jupyter Server and Jupyter Kernel Gateway (REST + websocket).

Each test runs against both servers; each gets a fresh kernel of ours started by the server from the test
kernelspec. Nothing is mocked: real servers on loopback, real kernel processes, the real websocket.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from ipykernel_lite.client import BlockingClient
from ipykernel_lite.client.remote import RemoteKernelManager, ServerKernelClient, connect_server
from ipykernel_lite.protocol import Message

from ..conftest import TEST_KERNEL
from .servers import RunningServer, until_no_connection

Remote = tuple[RemoteKernelManager, ServerKernelClient]

pytestmark = pytest.mark.timeout(120)


def test_kernelspecs_list_and_start(server: RunningServer, remote: Remote) -> None:
    km, kc = remote
    s = connect_server(server.url, server.token)
    assert TEST_KERNEL in s.kernelspecs()["kernelspecs"]
    assert km.kernel_id in [k["id"] for k in s.list_kernels()]
    assert isinstance(kc, BlockingClient)
    assert kc.framing == "v1"
    assert km.is_alive()
    assert kc.kernel_info()["implementation"] == "ipykernel_lite"


def test_execute_streams_and_a_rich_result(remote: Remote) -> None:
    _, kc = remote
    seen: list[str] = []
    code = (
        "import sys\n"
        "print('out'); print('err', file=sys.stderr)\n"
        "class Rich:\n"
        "    def _repr_html_(self): return '<b>rich</b>'\n"
        "    def __repr__(self): return 'Rich()'\n"
        "Rich()"
    )
    r = kc.execute(code, output_hook=lambda m: seen.append(m.msg_type))
    assert r.status == "ok"
    assert (r.stdout, r.stderr) == ("out\n", "err\n")
    assert r.result == {"text/html": "<b>rich</b>", "text/plain": "Rich()"}
    assert "stream" in seen and "execute_result" in seen and seen[-1] == "status"


def test_input_is_answered_through_the_websocket(remote: Remote) -> None:
    _, kc = remote
    prompts: list[str] = []

    def answer(msg: Message) -> str:
        prompts.append(msg.content["prompt"])
        return "remote user"

    r = kc.execute("name = input('who? ')\nprint('hello', name)", stdin_hook=answer)
    assert prompts == ["who? "]
    assert r.stdout == "hello remote user\n"


def test_complete_and_inspect(remote: Remote) -> None:
    _, kc = remote
    kc.execute("remote_value = 12345")
    assert "remote_value" in kc.complete("remote_v")["matches"]
    info = kc.inspect("remote_value")
    assert info["found"] and "12345" in info["data"]["text/plain"]


def test_interrupt_stops_a_sleep_loop(remote: Remote) -> None:
    km, kc = remote

    def hook(msg: Message) -> None:
        if msg.msg_type == "stream" and "looping" in msg.content["text"]:
            km.interrupt()  # through the server's REST API, while our execute waits

    r = kc.execute("import time\nprint('looping', flush=True)\nwhile True:\n    time.sleep(0.05)", output_hook=hook)
    assert (r.status, r.error.ename if r.error else None) == ("error", "KeyboardInterrupt")
    assert kc.execute("1 + 1").result == {"text/plain": "2"}


def test_restart_keeps_the_client(remote: Remote) -> None:
    km, kc = remote
    kc.execute("before_restart = 1")
    km.restart()
    assert km.is_alive()
    r = kc.execute("'before_restart' in globals()")
    assert r.result == {"text/plain": "False"}


def test_a_dropped_websocket_reconnects_and_the_cell_completes(remote: Remote, tmp_path: Path) -> None:
    """The connection breaks mid-cell; the server buffers the kernel's messages for our session and replays
    them when we reconnect: the cell's reply and every output arrive."""
    km, kc = remote
    go = tmp_path / "go"
    dropped: list[int] = []

    def hook(msg: Message) -> None:
        if msg.msg_type == "stream" and msg.content["text"] == "before\n" and not dropped:
            kc.link.ws.socket.shutdown(socket.SHUT_RDWR)  # as a network failure would
            dropped.append(1)
            until_no_connection(km)  # the server now buffers for our session
            go.write_text("")  # only now does the cell go on and print

    code = (
        "import os, time\n"
        "print('before', flush=True)\n"
        f"while not os.path.exists({str(go)!r}):\n"
        "    time.sleep(0.01)\n"
        "print('after')\n"
        "'done'"
    )
    r = kc.execute(code, output_hook=hook)
    assert dropped and kc.link.reconnects == 1
    assert r.status == "ok"
    assert r.stdout == "before\nafter\n"
    assert r.result == {"text/plain": "'done'"}
    assert kc.execute("6 * 7").result == {"text/plain": "42"}


def test_legacy_json_framing(server: RunningServer) -> None:
    km, kc = connect_server(server.url, server.token, legacy=True).start_kernel(TEST_KERNEL)
    try:
        assert kc.framing == "legacy"
        r = kc.execute("print('legacy'); 2 ** 10", stdin_hook=None)
        assert (r.stdout, r.result) == ("legacy\n", {"text/plain": "1024"})
        assert kc.execute("input('x? ')", stdin_hook=lambda m: "typed").result == {"text/plain": "'typed'"}
    finally:
        km.shutdown()


def test_attach_to_a_running_kernel(server: RunningServer, remote: Remote) -> None:
    km, kc = remote
    kc.execute("shared = 'from the first client'")
    km2, kc2 = connect_server(server.url, server.token).attach(km.kernel_id)
    try:
        assert km2.kernel_name == TEST_KERNEL
        assert kc2.execute("shared").result == {"text/plain": "'from the first client'"}
    finally:
        kc2.close()
