"""The in-process kernel answers the ordinary client API, and leaves the host's process state alone."""

from __future__ import annotations

import asyncio
import builtins
import sys

from ipykernel_lite.client import AsyncClient, BlockingClient
from ipykernel_lite.inprocess import InProcessKernel, start_in_process

Inproc = tuple[InProcessKernel, BlockingClient]


def test_execute_outputs_and_result(inproc: Inproc) -> None:
    _, client = inproc
    r = client.execute("print('out'); import sys; print('err', file=sys.stderr); 6 * 7")
    assert r.ok
    assert r.stdout == "out\n"
    assert r.stderr == "err\n"
    assert r.result == {"text/plain": "42"}
    assert r.execution_count == 1


def test_namespace_is_shared_with_the_host(inproc: Inproc) -> None:
    kernel, client = inproc
    kernel.namespace["pushed"] = [1, 2]
    assert client.execute("pulled = pushed + [3]").ok
    assert kernel.namespace["pulled"] == [1, 2, 3]


def test_errors_are_reported_with_traceback(inproc: Inproc) -> None:
    _, client = inproc
    r = client.execute("1 / 0", stop_on_error=False)
    assert not r.ok
    assert r.error is not None and r.error.ename == "ZeroDivisionError"
    assert client.execute("'still serving'").result == {"text/plain": "'still serving'"}


def test_host_stdout_and_hooks_are_untouched_between_cells(inproc: Inproc, capsys: object) -> None:
    _, client = inproc
    before = (sys.stdout, sys.stderr, sys.stdin, sys.displayhook, builtins.input, sys.modules["__main__"])
    r = client.execute(
        "import sys, builtins\n"
        "seen = (type(sys.stdout).__name__, sys.modules['__main__'].__doc__, builtins.input.__qualname__)\n"
        "seen"
    )
    assert r.ok
    # inside the cell: the kernel's stream, its own __main__ and its stdin bridge
    text = r.result["text/plain"] if r.result else ""
    assert "OutStream" in text and "user namespace" in text and "StdinBridge.input" in text
    after = (sys.stdout, sys.stderr, sys.stdin, sys.displayhook, builtins.input, sys.modules["__main__"])
    assert after == before
    print("host line")
    assert "host line" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert "host line" not in client.execute("pass").stdout


def test_user_changes_to_hooks_persist_across_cells_only_in_the_kernel(inproc: Inproc) -> None:
    _, client = inproc
    host_input = builtins.input
    assert client.execute("import builtins\nbuiltins.input = lambda prompt='': 'canned'").ok
    assert builtins.input is host_input
    assert client.execute("input()").result == {"text/plain": "'canned'"}


def test_input_goes_to_the_stdin_hook(inproc: Inproc) -> None:
    _, client = inproc
    prompts: list[str] = []

    def answer(msg: object) -> str:
        prompts.append(msg.content["prompt"])  # type: ignore[attr-defined]
        return "typed"

    r = client.execute("value = input('name? ')\nvalue", stdin_hook=answer, timeout=20)
    assert r.ok, r.error
    assert prompts == ["name? "]
    assert r.result == {"text/plain": "'typed'"}


def test_pickle_finds_user_classes_in_the_kernel_main(inproc: Inproc) -> None:
    _, client = inproc
    code = "import pickle\nclass Point:\n    x = 3\npickle.loads(pickle.dumps(Point())).x"
    assert client.execute(code).result == {"text/plain": "3"}


def test_completion_and_kernel_info(inproc: Inproc) -> None:
    kernel, client = inproc
    kernel.namespace["a_long_variable_name"] = 1
    matches = client.complete("a_long_var")["matches"]
    assert "a_long_variable_name" in matches
    info = client.kernel_info()
    assert info["implementation"] == "ipykernel_lite"
    assert info["supported_features"] == []  # no pause / gui_request without the process kernel's extensions


def test_a_client_built_from_connection_info_uses_the_heartbeat(inproc: Inproc) -> None:
    kernel, _ = inproc
    with BlockingClient(kernel.connection_info, heartbeat_interval=0.05) as other:
        assert other.ping(timeout=5)
        assert other.execute("'hello'", timeout=10).result == {"text/plain": "'hello'"}


def test_async_client_unchanged() -> None:
    kernel = InProcessKernel().start()

    async def main() -> None:
        client: AsyncClient = kernel.async_client()
        try:
            await client.wait_for_ready(10)
            results = await asyncio.gather(*(client.execute(f"{i} * 2") for i in range(5)))
            assert [r.result for r in results] == [{"text/plain": str(i * 2)} for i in range(5)]
        finally:
            await client.aclose()

    try:
        asyncio.run(main())
    finally:
        assert kernel.shutdown(timeout=5)


def test_shutdown_request_stops_the_kernel_thread() -> None:
    kernel, client = start_in_process()
    try:
        assert client.shutdown()["status"] == "ok"
        assert kernel.shutdown(timeout=5)  # joins the thread the request already stopped
        assert not kernel.is_alive()
    finally:
        client.close()


def test_two_kernels_keep_separate_namespaces() -> None:
    k1, c1 = start_in_process()
    k2, c2 = start_in_process()
    try:
        c1.execute("who = 'one'")
        c2.execute("who = 'two'")
        assert c1.execute("who").result == {"text/plain": "'one'"}
        assert c2.execute("who").result == {"text/plain": "'two'"}
    finally:
        for c, k in ((c1, k1), (c2, k2)):
            c.close()
            assert k.shutdown(timeout=5)
