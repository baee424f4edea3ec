"""Every comm message type over real sockets, through jupyter_client, against our kernel."""

from __future__ import annotations

import pytest

from .frontend import Frontend

pytestmark = pytest.mark.timeout(90)

# a kernel-side target that echoes: on open it answers with the open data, each message comes back with its
# buffers reversed, and a close is recorded in ``closed``
ECHO_TARGET = """
import comm
closed = []
def echo_target(c, open_msg):
    c.send({"opened": open_msg["content"]["data"]})
    def on_msg(msg):
        bufs = [bytes(b)[::-1] for b in msg["buffers"]]
        c.send({"echo": msg["content"]["data"], "n_buffers": len(bufs)}, buffers=bufs)
    c.on_msg(on_msg)
    c.on_close(lambda msg: closed.append((c.comm_id, msg["content"]["data"])))
comm.get_comm_manager().register_target("echo", echo_target)
"""


def _only(msgs: list[dict], msg_type: str) -> list[dict]:
    return [m for m in msgs if m["msg_type"] == msg_type]


def test_kernel_opened_comm_open_msg_close_with_buffers(lite: Frontend) -> None:
    out = lite.execute(
        "import comm\n"
        "c = comm.create_comm(target_name='plot', data={'a': 1}, metadata={'m': 2}, buffers=[b'xy'])"
    )
    (opened,) = _only(out, "comm_open")
    comm_id = opened["content"]["comm_id"]
    assert opened["content"]["target_name"] == "plot"
    assert opened["content"]["data"] == {"a": 1}
    assert opened["metadata"] == {"m": 2}
    assert [bytes(b) for b in opened["buffers"]] == [b"xy"]
    assert lite.comm_info() == {comm_id: {"target_name": "plot"}}

    # a memoryview and a bytearray go out as binary frames as well
    out = lite.execute("c.send({'b': 2}, buffers=[memoryview(b'123'), bytearray(b'45')])")
    (sent,) = _only(out, "comm_msg")
    assert sent["content"] == {"comm_id": comm_id, "data": {"b": 2}}
    assert [bytes(b) for b in sent["buffers"]] == [b"123", b"45"]

    out = lite.execute("c.close({'bye': True})")
    (closed,) = _only(out, "comm_close")
    assert closed["content"] == {"comm_id": comm_id, "data": {"bye": True}}
    assert lite.comm_info() == {}


def test_frontend_opened_comm_with_a_kernel_registered_target(lite: Frontend) -> None:
    lite.execute(ECHO_TARGET)
    out = lite.outputs(lite.comm_open("f1", "echo", {"hello": "kernel"}))
    assert [(m["msg_type"], m["content"]) for m in out] == [
        ("comm_msg", {"comm_id": "f1", "data": {"opened": {"hello": "kernel"}}})
    ]
    assert lite.comm_info("echo") == {"f1": {"target_name": "echo"}}

    out = lite.outputs(lite.comm_msg("f1", {"x": [1, 2]}, buffers=[b"abc", b"\x00\x01"]))
    (echo,) = out
    assert echo["content"]["data"] == {"echo": {"x": [1, 2]}, "n_buffers": 2}
    assert [bytes(b) for b in echo["buffers"]] == [b"cba", b"\x01\x00"]

    assert lite.outputs(lite.comm_close("f1", {"why": "done"})) == []
    assert lite.value("closed") == "[('f1', {'why': 'done'})]"
    assert lite.comm_info() == {}


def test_comm_info_filters_by_target_on_shell_and_control(lite: Frontend) -> None:
    lite.execute(
        "import comm\n"
        "a = comm.create_comm(target_name='t.a', comm_id='ca')\n"
        "b = comm.create_comm(target_name='t.b', comm_id='cb')\n"
        "b2 = comm.create_comm(target_name='t.b', comm_id='cb2')"
    )
    for channel in ("shell", "control"):
        assert lite.comm_info(channel=channel) == {
            "ca": {"target_name": "t.a"}, "cb": {"target_name": "t.b"}, "cb2": {"target_name": "t.b"},
        }
        assert lite.comm_info("t.b", channel=channel) == {"cb": {"target_name": "t.b"}, "cb2": {"target_name": "t.b"}}
        assert lite.comm_info("t.none", channel=channel) == {}
    # a comm the frontend closes is gone from the list
    lite.outputs(lite.comm_close("cb"))
    assert sorted(lite.comm_info()) == ["ca", "cb2"]


def test_bad_comm_input_is_logged_answered_and_the_kernel_lives(lite: Frontend) -> None:
    # unknown target: the spec asks for an immediate comm_close
    out = lite.outputs(lite.comm_open("u1", "no.such.target"))
    assert [(m["msg_type"], m["content"]) for m in out] == [("comm_close", {"comm_id": "u1", "data": {}})]
    # messages for comms that do not exist: nothing to answer, nothing breaks
    assert lite.outputs(lite.comm_msg("nobody", {"x": 1})) == []
    assert lite.outputs(lite.comm_close("nobody")) == []
    # content that is not a comm message (no comm_id; data not an object)
    assert lite.outputs(lite.send("comm_msg", {"data": {}})) == []
    assert lite.outputs(lite.send("comm_open", {"comm_id": "x", "target_name": "echo", "data": [1]})) == []
    # a target that raises: the comm is closed again; a message callback that raises: the comm stays
    lite.execute(
        "import comm\n"
        "def broken(c, msg):\n    raise RuntimeError('target broke')\n"
        "def fragile(c, msg):\n"
        "    def on_msg(m):\n        raise ValueError('callback broke')\n"
        "    c.on_msg(on_msg)\n"
        "comm.get_comm_manager().register_target('broken', broken)\n"
        "comm.get_comm_manager().register_target('fragile', fragile)"
    )
    out = lite.outputs(lite.comm_open("b1", "broken"))
    assert [(m["msg_type"], m["content"]["comm_id"]) for m in out] == [("comm_close", "b1")]
    lite.outputs(lite.comm_open("g1", "fragile"))
    assert lite.outputs(lite.comm_msg("g1", {})) == []
    assert lite.comm_info() == {"g1": {"target_name": "fragile"}}
    assert lite.value("1 + 1") == "2"
    log = lite.log()
    for line in (
        "comm_open for unknown target 'no.such.target' (comm u1): closed",
        "no such comm: nobody",
        "comm_close for unknown comm nobody",
        "invalid comm_msg",
        "invalid comm_open",
        "comm target 'broken' failed to open comm b1",
        "RuntimeError: target broke",
        "comm g1 failed to handle a message",
        "ValueError: callback broke",
    ):
        assert line in log


def test_outputs_of_a_comm_callback_belong_to_the_comm_message(lite: Frontend) -> None:
    lite.execute(
        "import comm\n"
        "def talk(c, msg):\n"
        "    c.on_msg(lambda m: (print('got', m['content']['data']), display({'text/plain': 'shown'}, raw=True)))\n"
        "comm.get_comm_manager().register_target('talk', talk)"
    )
    lite.outputs(lite.comm_open("k1", "talk"))
    msg_id = lite.comm_msg("k1", {"v": 3})
    out = lite.outputs(msg_id)
    assert [m["msg_type"] for m in out] == ["stream", "display_data"]
    assert out[0]["content"]["text"] == "got {'v': 3}\n"
    assert all(m["parent_header"]["msg_id"] == msg_id for m in out)


def test_restart_drops_every_comm(lite: Frontend) -> None:
    lite.execute("import comm\nc = comm.create_comm(target_name='keep', comm_id='r1')")
    assert lite.comm_info() == {"r1": {"target_name": "keep"}}
    lite.km.restart_kernel(now=False)
    lite.kc.wait_for_ready(timeout=30)
    assert lite.comm_info() == {}
    # the old comm id means nothing to the new kernel
    assert lite.outputs(lite.comm_msg("r1", {})) == []
    assert lite.value("'comm' in globals()") == "False"


def test_comm_machinery_is_not_imported_at_start_up(lite: Frontend) -> None:
    loaded = lite.value("sorted(m for m in __import__('sys').modules if m.split('.')[0] in "
                        "('comm', 'ipywidgets', 'IPython', 'traitlets'))")
    assert loaded == "[]"
