"""The four defects of issue 18 and its smaller items, each checked on our kernel alone (real process, real
sockets, driven by jupyter_client), plus the sans-IO pieces of the fixes."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from ipykernel_lite.kernel.tracebacks import format_exception
from ipykernel_lite.protocol import Signer, WireCodec
from ipykernel_lite.protocol.jsonutil import MAX_JSON_DEPTH, JSONTooDeep, loads_bounded, nesting_depth
from ipykernel_lite.protocol.wire import MalformedMessage

from .driver import Driver
from .scenarios import BAD_STR, FORK_EXIT, SCENARIOS_BY_NAME, THREE_INPUTS, run_scenario


@pytest.fixture(scope="module")
def ours() -> Iterator[Driver]:
    d = Driver("ours")
    try:
        yield d
    finally:
        d.stop()


def _value(d: Driver, reply: dict | None) -> dict:
    assert reply is not None, "no reply"
    return reply["content"]


# --- 1. deep JSON -----------------------------------------------------------------------------------------------
def test_depth_is_measured_outside_strings_and_limited() -> None:
    assert nesting_depth(b'{"a": [1, {"b": "[[[[{{{"}]}') == 3
    assert nesting_depth(b'"\\"[[["') == 0
    deep = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(JSONTooDeep):
        loads_bounded(deep)
    ok = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert isinstance(loads_bounded(ok), list)


def test_deep_document_is_rejected_even_with_a_huge_recursion_limit() -> None:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(10**6)
    try:
        with pytest.raises(JSONTooDeep):
            loads_bounded(b"[" * 100_000 + b"]" * 100_000)
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize("part", ["header", "parent_header", "metadata", "content"])
def test_codec_turns_deep_parts_into_malformed_messages(part: str) -> None:
    codec = WireCodec(Signer(b"k"))
    parts = [b'{"msg_id": "1", "msg_type": "execute_request"}', b"{}", b"{}", b'{"code": "1"}']
    i = ["header", "parent_header", "metadata", "content"].index(part)
    parts[i] = parts[i][:-1] + b', "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    sig = codec.signer.sign(tuple(parts))
    with pytest.raises(MalformedMessage) as e:
        codec.deserialize([b"<IDS|MSG>", sig, *parts])
    assert "nested 5001 levels deep" in str(e.value)
    # an error reply can be addressed unless the header itself is the deep part
    assert (e.value.request is None) == (part == "header")


@pytest.mark.parametrize(
    "name",
    ["proto_deep_content_shell", "proto_deep_metadata_shell", "proto_deep_parent_shell", "proto_deep_content_control"],
)
def test_deep_message_gets_an_error_reply_and_the_kernel_serves_on(ours: Driver, name: str) -> None:
    out = run_scenario(ours, SCENARIOS_BY_NAME[name])
    assert (out.status, out.detail, out.serving) == ("error", "MalformedMessage", True)


def test_deep_header_is_logged_and_the_kernel_serves_on(ours: Driver) -> None:
    out = run_scenario(ours, SCENARIOS_BY_NAME["proto_deep_header_shell"])
    assert (out.status, out.serving) == ("no reply expected", True)


# --- 2. exceptions whose __str__ raises -------------------------------------------------------------------------
@pytest.mark.parametrize("what", ["SystemExit(7)", "KeyboardInterrupt", "GeneratorExit"])
def test_format_exception_never_lets_a_base_exception_escape(what: str) -> None:
    ns: dict = {}
    exec(BAD_STR.format(what=what).replace("raise E()", ""), ns)
    try:
        raise ns["E"]()
    except Exception as e:
        ename, evalue, tb = format_exception(e, color=False)
    assert (ename, evalue) == ("E", "<unprintable E object>")
    assert tb[-1] == "E: <unprintable E object>"


@pytest.mark.parametrize("what", ["SystemExit(7)", "KeyboardInterrupt"])
def test_str_raising_base_exception_gives_an_error_reply(ours: Driver, what: str) -> None:
    c = _value(ours, ours.execute(BAD_STR.format(what=what)))
    assert (c["status"], c["ename"], c["evalue"]) == ("error", "E", "<unprintable E object>")
    assert ours.probe()


def test_handler_reaching_hostile_objects_answers_with_an_error(ours: Driver) -> None:
    out = run_scenario(ours, SCENARIOS_BY_NAME["proto_complete_hostile"])
    assert out.replied and out.serving


# --- 3. fork ------------------------------------------------------------------------------------------------------
def test_fork_child_exiting_leaves_the_parent_serving(ours: Driver) -> None:
    c = _value(ours, ours.execute(FORK_EXIT))
    assert c["status"] == "ok"
    assert ours.probe()


def test_fork_child_sys_exit_code_is_its_exit_status(ours: Driver) -> None:
    code = "import os, sys\npid = os.fork()\nif pid == 0:\n    sys.exit(3)\nstatus = os.waitpid(pid, 0)[1]"
    assert _value(ours, ours.execute(code))["status"] == "ok"
    c = _value(ours, ours.execute("assert os.waitstatus_to_exitcode(status) == 3, status"))
    assert c["status"] == "ok"


def test_fork_child_that_runs_on_never_answers_for_the_parent(ours: Driver) -> None:
    code = "import os\npid = os.fork()\nif pid:\n    child_status = os.waitpid(pid, 0)[1]\n'done'"
    msg_id = ours.client.execute(code, stop_on_error=False)
    reply = ours.wait_reply(msg_id, 20)
    assert _value(ours, reply)["status"] == "ok"
    # exactly one reply: the child left with os._exit instead of replying
    assert ours.wait_reply(msg_id, 1.0) is None
    c = _value(ours, ours.execute("assert os.waitstatus_to_exitcode(child_status) == 0"))
    assert c["status"] == "ok"


def test_input_in_a_fork_child_raises(ours: Driver) -> None:
    code = (
        "import os\npid = os.fork()\nif pid == 0:\n"
        "    try:\n        input()\n    except NotImplementedError:\n        os._exit(5)\n    os._exit(6)\n"
        "st = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])\nassert st == 5, st"
    )
    assert _value(ours, ours.execute(code))["status"] == "ok"


# --- 4. input() from several threads ------------------------------------------------------------------------------
def test_three_threads_get_their_input_in_turn(ours: Driver) -> None:
    prompts: list[str] = []

    def answer(req: dict) -> str:
        prompts.append(req["content"]["prompt"])
        return prompts[-1].upper()

    c = _value(ours, ours.execute(THREE_INPUTS, stdin=answer))
    assert c["status"] == "ok"
    assert sorted(prompts) == ["thread 0? ", "thread 1? ", "thread 2? "]
    r = _value(ours, ours.execute("assert sorted(answers) == ['THREAD 0? ', 'THREAD 1? ', 'THREAD 2? '], answers"))
    assert r["status"] == "ok"


# --- smaller items --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "keep"), [("exit()", False), ("quit()", False), ("exit(keep_kernel=True)", True)])
def test_exit_and_quit_ask_the_front_end_to_exit(ours: Driver, code: str, keep: bool) -> None:
    c = _value(ours, ours.execute(f"{code}\nafter_exit = 1"))
    assert c["status"] == "ok"
    assert c["payload"] == [{"source": "ask_exit", "keepkernel": keep}]
    assert _value(ours, ours.execute("after_exit"))["status"] == "ok"  # the rest of the cell ran
    assert ours.alive()


def test_input_ends_when_the_asking_client_disconnects(ours: Driver) -> None:
    out = run_scenario(ours, SCENARIOS_BY_NAME["proto_client_gone_in_input"])
    assert (out.status, out.serving) == ("ok", True)
    c = _value(ours, ours.execute("try:\n    v\nexcept NameError:\n    print('no value')"))
    assert c["status"] == "ok"


def test_input_times_out_after_the_documented_limit() -> None:
    d = Driver("ours", env={"IPYKERNEL_LITE_INPUT_TIMEOUT": "1"})
    try:
        c = _value(d, d.execute("input('nobody answers? ')", stdin=lambda req: None))
        assert (c["status"], c["ename"]) == ("error", "InputTimeout")
        assert "IPYKERNEL_LITE_INPUT_TIMEOUT" in c["evalue"]
        assert d.probe()
    finally:
        d.stop()


def _streams_until_idle(d: Driver, msg_id: str) -> list[dict]:
    msgs = d.iopub_messages(
        lambda m: (
            m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
            and m["parent_header"].get("msg_id") == msg_id
        ),
        20.0,
    )
    return [m for m in msgs if m["msg_type"] == "stream"]


def test_thread_output_follows_the_cell_that_started_the_thread(ours: Driver) -> None:
    ours.drain_iopub()
    first = ours.client.execute(
        "import threading\ngo = threading.Event()\n"
        "t = threading.Thread(target=lambda: (go.wait(), print('from the thread', flush=True)))\nt.start()"
    )
    _streams_until_idle(ours, first)
    second = ours.client.execute("print('from the second cell')\ngo.set(); t.join()")
    streams = _streams_until_idle(ours, second)
    parents = {m["content"]["text"]: m["parent_header"]["msg_id"] for m in streams}
    assert parents == {"from the thread\n": first, "from the second cell\n": second}


def test_pool_worker_output_follows_the_current_cell(ours: Driver) -> None:
    ours.drain_iopub()
    first = ours.client.execute("from concurrent.futures import ThreadPoolExecutor\npool = ThreadPoolExecutor(1)")
    _streams_until_idle(ours, first)
    ours.client.execute("pool.submit(print, 'warm').result()")
    second = ours.client.execute("pool.submit(print, 'pooled', flush=True).result()\npool.shutdown()")
    streams = _streams_until_idle(ours, second)
    pooled = [m for m in streams if m["content"]["text"] == "pooled\n"]
    assert pooled and pooled[0]["parent_header"]["msg_id"] == second
