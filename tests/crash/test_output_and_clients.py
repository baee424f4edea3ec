"""Output printed before a crash arrives; several clients share one kernel without harming each other."""

from __future__ import annotations

import pytest

from ipykernel_lite.client import BlockingClient, KernelDied, KernelManager
from ipykernel_lite.protocol import Message

from .helpers import SEGFAULT


@pytest.mark.parametrize("crash", [SEGFAULT, "import os; os._exit(3)"], ids=["segfault", "exit"])
def test_output_printed_before_a_crash_reaches_the_client(kc: BlockingClient, crash: str) -> None:
    """The kernel flushes stdout at most 50 ms after a write; the cell keeps working well past that."""
    seen: list[Message] = []
    code = f"print('last words', flush=False)\nimport time; time.sleep(0.5)\n{crash}"
    with pytest.raises(KernelDied):
        kc.execute(code, timeout=20, output_hook=seen.append)
    texts = [m.content.get("text") for m in seen if m.msg_type == "stream"]
    assert texts == ["last words\n"]


def _iopub_until_idle(c: BlockingClient, parent_id: str) -> list[Message]:
    got: list[Message] = []
    while True:
        m = c.recv("iopub", timeout=10)
        assert m is not None, f"no idle for {parent_id}; got {[x.msg_type for x in got]}"
        if m.parent_header.get("msg_id") != parent_id:
            continue
        got.append(m)
        if m.msg_type == "status" and m.content.get("execution_state") == "idle":
            return got


def test_two_clients_see_each_others_inputs_and_outputs(km: KernelManager, kc: BlockingClient) -> None:
    with km.client() as other:
        other.wait_for_ready(30)
        mine = kc.execute("print('from a')", timeout=10)
        seen = _iopub_until_idle(other, mine.msg_id)
        types = [m.msg_type for m in seen]
        assert "execute_input" in types
        assert [m.content["text"] for m in seen if m.msg_type == "stream"] == ["from a\n"]
        theirs = other.execute("print('from b')", timeout=10)
        back = _iopub_until_idle(kc, theirs.msg_id)
        assert [m.content["code"] for m in back if m.msg_type == "execute_input"] == ["print('from b')"]


def test_input_request_goes_only_to_the_asker(km: KernelManager, kc: BlockingClient) -> None:
    with km.client() as other:
        other.wait_for_ready(30)
        result = kc.execute("print(input('name? '))", stdin_hook=lambda m: "ada", timeout=10)
        assert result.stdout == "ada\n"
        # the bystander saw the cell's outputs but no input_request on its stdin
        _iopub_until_idle(other, result.msg_id)
        assert other.recv("stdin", timeout=0.2) is None


def test_client_gone_mid_request_harms_nobody(km: KernelManager) -> None:
    """A client that closes while its cell runs: the cell finishes, the other client carries on."""
    with km.client() as stay:
        stay.wait_for_ready(30)
        leaving = km.client()
        leaving.wait_for_ready(30)
        msg_id = leaving.send(
            "shell", "execute_request", {"code": "import time\nfor i in range(3): print(i); time.sleep(0.1)"}
        )
        leaving.close()
        seen = _iopub_until_idle(stay, msg_id)
        assert "".join(m.content["text"] for m in seen if m.msg_type == "stream") == "0\n1\n2\n"
        assert stay.execute("print('fine')", timeout=10).stdout == "fine\n"


def test_client_gone_while_kernel_waits_for_its_input(km: KernelManager) -> None:
    """The kernel waits for an input_reply that will never come: an interrupt frees it for the others."""
    pid = km.pid
    with km.client() as stay:
        stay.wait_for_ready(30)
        leaving = km.client()
        leaving.wait_for_ready(30)
        msg_id = leaving.send("shell", "execute_request", {"code": "input('? ')", "allow_stdin": True})
        m = leaving.recv("stdin", timeout=10)
        assert m is not None and m.msg_type == "input_request"
        leaving.close()
        km.interrupt()
        seen = _iopub_until_idle(stay, msg_id)
        errors = [x.content["ename"] for x in seen if x.msg_type == "error"]
        assert errors == ["KeyboardInterrupt"]
        assert stay.execute("print('free')", timeout=10).stdout == "free\n"
        assert km.is_alive() and km.pid == pid  # freed by the interrupt, not by a restart
