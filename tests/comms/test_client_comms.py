"""The comm API of our clients (``client.comms``) against our kernel, blocking and async."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from ipykernel_lite.client import AsyncClient, BlockingClient, KernelManager, start_kernel
from ipykernel_lite.client.comms import ClientComm
from ipykernel_lite.protocol import Message

from .test_comm_protocol import ECHO_TARGET

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def kernel() -> Iterator[tuple[KernelManager, BlockingClient]]:
    km, kc = start_kernel()
    try:
        yield km, kc
    finally:
        kc.close()
        km.shutdown()


def test_open_send_receive_close(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    assert kc.execute(ECHO_TARGET).status == "ok"
    comm = kc.comms.open("echo", {"from": "editor"})
    first = kc.comms.next_message(comm)
    assert first is not None and first.content["data"] == {"opened": {"from": "editor"}}
    msg_id = comm.send({"n": 1}, buffers=[b"hello"])
    echo = kc.comms.next_message(comm)
    assert echo is not None and echo.parent_id == msg_id
    assert echo.content["data"] == {"echo": {"n": 1}, "n_buffers": 1}
    assert [bytes(b) for b in echo.buffers] == [b"olleh"]
    # with a callback, messages go there instead of the queue
    got: list[Message] = []
    comm.on_msg(got.append)
    comm.send({"n": 2})
    while not got:
        kc.comms.poll(30)
    assert got[0].content["data"]["echo"] == {"n": 2}
    assert kc.comm_info("echo")["comms"] == {comm.comm_id: {"target_name": "echo"}}
    comm.close({"bye": 1})
    assert comm.closed
    with pytest.raises(RuntimeError, match="closed"):
        comm.send({})
    assert kc.execute("print(closed)").stdout == f"[('{comm.comm_id}', {{'bye': 1}})]\n"
    assert kc.comm_info()["comms"] == {}


def test_unknown_target_is_closed_by_the_kernel(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    comm = kc.comms.open("no.such.target")
    assert kc.comms.next_message(comm) is None  # closed before any message
    assert comm.closed and comm.close_data == {}


def test_kernel_opened_comm_for_a_client_target(kernel: tuple[KernelManager, BlockingClient]) -> None:
    _, kc = kernel
    opened: list[tuple[ClientComm, Message]] = []
    closes: list[Message] = []

    def on_open(comm: ClientComm, msg: Message) -> None:
        comm.on_close(closes.append)
        opened.append((comm, msg))

    kc.comms.register_target("editor.panel", on_open)
    # messages produced while a cell runs belong to that execute: route them with the output hook
    kc.execute("import comm\nc = comm.create_comm(target_name='editor.panel', data={'rows': 3})",
               output_hook=kc.comms.dispatch)
    ((comm, msg),) = opened
    assert msg.content["data"] == {"rows": 3} and comm.target_name == "editor.panel"
    kc.execute("c.send({'row': 1}, buffers=[b'\\x00\\xff'])", output_hook=kc.comms.dispatch)
    row = kc.comms.next_message(comm)
    assert row is not None and row.content["data"] == {"row": 1} and [bytes(b) for b in row.buffers] == [b"\x00\xff"]
    kc.execute("c.close({'done': True})", output_hook=kc.comms.dispatch)
    assert comm.closed and comm.close_data == {"done": True} and len(closes) == 1


def test_async_client_comms(kernel: tuple[KernelManager, BlockingClient]) -> None:
    km, kc = kernel
    assert kc.execute(ECHO_TARGET).status == "ok"

    async def main() -> None:
        async with AsyncClient(km.info) as ac:
            await ac.wait_for_ready()
            comm = ac.comms.open("echo", {"a": 1})
            first = await ac.comms.next_message(comm)
            assert first is not None and first.content["data"] == {"opened": {"a": 1}}
            comm.send({"b": 2}, buffers=[b"xy"])
            echo = await ac.comms.next_message(comm)
            assert echo is not None and [bytes(b) for b in echo.buffers] == [b"yx"]
            comm.close()
            assert (await ac.comm_info())["comms"] == {}

    asyncio.run(main())
