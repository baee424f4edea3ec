"""input(), getpass and sys.stdin in user code, answered over the stdin channel."""

from __future__ import annotations

import pytest

from ipykernel_lite.client import BlockingClient

from .drivers import EOF, Driver


def test_input_sends_prompt_and_returns_the_answer(driver: Driver) -> None:
    run = driver.run("name = input('Name? ')\nprint('hello', name)", ["Ada"])
    assert run.status == "ok", run
    [req] = run.requests
    assert (req.prompt, req.password) == ("Name? ", False)
    assert "debug" not in req.metadata  # no debugger involved
    assert run.stdout == "hello Ada\n"


def test_getpass_asks_for_a_password(driver: Driver) -> None:
    run = driver.run("import getpass\nsecret = getpass.getpass('Key: ')\nprint(len(secret))", ["s3cret"])
    assert run.status == "ok", run
    [req] = run.requests
    assert (req.prompt, req.password) == ("Key: ", True)
    assert run.stdout == "6\n"


def test_sys_stdin_readline_and_read(driver: Driver) -> None:
    code = "import sys\nfirst = sys.stdin.readline()\nrest = sys.stdin.read()\nprint(repr(first), repr(rest))"
    run = driver.run(code, ["one", "two", "three", EOF])
    assert run.status == "ok", run
    assert len(run.requests) == 4
    assert run.stdout == "'one\\n' 'two\\nthree\\n'\n"


def test_eof_reply_raises_eoferror(driver: Driver) -> None:
    run = driver.run("try:\n    input('> ')\nexcept EOFError as e:\n    print('EOF:', e)", [EOF])
    assert run.status == "ok", run
    assert run.stdout.startswith("EOF:")


def test_allow_stdin_false_fails_fast_instead_of_hanging(driver: Driver) -> None:
    run = driver.run("input('never asked: ')", allow_stdin=False)
    assert run.ename == "StdinNotImplementedError", run
    assert run.requests == []


def test_output_is_flushed_before_the_request(driver: Driver) -> None:
    run = driver.run("print('before the prompt')\nvalue = input('? ')\nprint('after')", ["x"])
    assert run.status == "ok", run
    [req] = run.requests
    [before] = [o for o in run.outputs if o.msg_type == "stream" and "before the prompt" in o.content["text"]]
    assert before.date <= req.date, "the output printed before input() was sent after the input_request"


def test_interrupt_while_waiting_for_input_then_late_reply_is_discarded(driver: Driver) -> None:
    msg_id = driver.start("print('asking')\nvalue = input('waiting: ')\nprint('not reached')")
    req = driver.next_input()
    assert req.prompt == "waiting: "
    driver.km.interrupt()
    run = driver.finish(msg_id)
    assert run.ename == "KeyboardInterrupt", run
    assert "not reached" not in run.stdout
    # the answer to the abandoned request arrives late: it must not answer the next one
    driver.reply("late", req)
    run = driver.run("print('got', input('again: '))", ["fresh"])
    assert run.status == "ok", run
    assert run.stdout == "got fresh\n"
    # "late" when it waited in the queue, "stray" when it came in while the new request was pending
    log = driver.km.log_tail()
    assert "discarded a late input_reply" in log or "discarded a stray input_reply" in log


def test_stray_reply_while_idle_is_discarded(driver: Driver) -> None:
    driver.reply("stray")
    run = driver.run("print('got', input())", ["real"])
    assert run.stdout == "got real\n", run


def test_input_request_goes_to_the_client_that_asked(driver: Driver) -> None:
    other: BlockingClient = driver.km.client()
    try:
        other.wait_for_ready(30)
        run = driver.run("print(input('mine? '))", ["yes"])
        assert run.stdout == "yes\n", run
        # by now the kernel has sent all it would: the other client got no input request
        assert other.recv("stdin", timeout=0.2) is None
    finally:
        other.close()


@pytest.mark.parametrize("code", ["input()", "import sys; sys.stdin.readline()"])
def test_kernel_stays_usable_after_stdin_errors(driver: Driver, code: str) -> None:
    assert driver.run(code, allow_stdin=False).status == "error"
    assert driver.run("1 + 1").status == "ok"
